// The simulated world: one clock, one market model, one exchange per venue. Each step asks the
// model where the market is now and hands every venue's exchange what changed.

import { SimClock } from './clock.js';
import type { SimVenueName, VenueProfile } from './contract.js';
import { BYBIT_FUTURE_LEVERAGE, bybitProfile } from './bybit/profile.js';
import { deribitProfile } from './deribit/profile.js';
import { createSimExchange, type SimExchangeCore } from './exchange/index.js';
import { MarketModel } from './model/index.js';
import { currencyParams } from './model/currency-params.js';
import { MarketHistory } from './model/history.js';

export interface SimWorldOptions {
  readonly seed: number;
  /** Sim time at start, ms since the epoch. */
  readonly start: number;
  /** Sim ms per wall ms. */
  readonly speed: number;
  /** A manual world moves only when advance() is called. */
  readonly manual: boolean;
  readonly currencies: readonly string[];
  /** Starting balances of every new paper account, per venue and currency. */
  readonly funding: Readonly<Record<SimVenueName, Readonly<Record<string, number>>>>;
  /**
   * The venues whose markets move (default both). Each venue's market draws from its own
   * random streams, so leaving one out changes nothing of the other's, and a screen or test
   * of one venue does not pay for the other's books. A venue left out lists nothing.
   */
  readonly venues?: readonly SimVenueName[] | undefined;
}

export const DEFAULT_FUNDING: SimWorldOptions['funding'] = {
  // USDC margins Deribit's linear coins (SOL_USDC-…) when the sim lists any.
  deribit: { BTC: 10, ETH: 100, USDC: 250_000 },
  bybit: { USDT: 1_000_000 },
};

const PROFILES: readonly VenueProfile[] = [deribitProfile, bybitProfile];

export class SimWorld {
  readonly clock: SimClock;
  readonly model: MarketModel;
  readonly exchanges: Readonly<Record<SimVenueName, SimExchangeCore>>;
  /** Candle and vol index history before the start, and the live market recorded since. */
  readonly history: MarketHistory;
  private timer: NodeJS.Timeout | null = null;
  private steps = 0;

  constructor(readonly options: SimWorldOptions) {
    this.clock = new SimClock({
      start: options.start,
      speed: options.speed,
      manual: options.manual,
    });
    const now = (): number => this.clock.now();
    this.model = new MarketModel({
      seed: options.seed,
      start: options.start,
      currencies: options.currencies,
      venues: PROFILES.filter((p) => options.venues?.includes(p.venue) ?? true),
    });
    this.history = new MarketHistory(
      options.seed,
      options.start,
      options.currencies,
      options.currencies.map((c) => currencyParams(c, undefined)),
      this.model,
    );
    this.exchanges = {
      deribit: createSimExchange({
        venue: 'deribit',
        now,
        funding: options.funding.deribit,
        seed: options.seed,
      }),
      bybit: createSimExchange({
        venue: 'bybit',
        now,
        funding: options.funding.bybit,
        seed: options.seed + 1,
        futureLeverage: BYBIT_FUTURE_LEVERAGE,
      }),
    };
    this.step();
  }

  /** Model steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Brings the market to the clock's time. */
  step(): void {
    const perVenue = this.model.step(this.clock.now());
    this.history.record(this.clock.now(), this.model);
    for (const [venue, step] of perVenue) this.exchanges[venue].apply(step);
    this.steps++;
  }

  /** Manual worlds: moves sim time forward and steps once. */
  advance(ms: number): void {
    if (!this.clock.manual)
      throw new Error('advance() drives a manual world; this one runs on a timer');
    this.clock.advance(ms);
    this.step();
  }

  /** Running worlds: steps every `stepWallMs` of wall time until stop(). */
  start(stepWallMs: number): void {
    if (this.clock.manual || this.timer !== null) return;
    this.timer = setInterval(() => this.step(), stepWallMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
