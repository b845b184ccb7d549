// One venue of the real simulator, reached through its real adapter over loopback with the
// sim's paper keys, feeding a MarketEngine; a GatewayMarket read from the engine's events;
// and a record of every order the exchange itself booked, to prove what reached it.

import assert from 'node:assert/strict';
import { MarketEngine } from '../../../src/app/market-engine.js';
import type { TickerEvent } from '../../../src/book/events.js';
import { BybitFeed } from '../../../src/feeds/bybit/feed.js';
import { DeribitFeed } from '../../../src/feeds/deribit/feed.js';
import type { Feed } from '../../../src/feeds/feed.js';
import type { GatewayMarket } from '../../../src/gateway/types.js';
import type { InstrumentSpec, OptionSpec, PriceBand } from '../../../src/instruments/types.js';
import { impliedVol, usdFromPremium, yearFraction } from '../../../src/pricing/index.js';
import type { SimExchange, SimOrder } from '../../../src/sim/contract.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { waitUntil } from '../../support/wait.js';

export { waitUntil };

export type VenueName = 'deribit' | 'bybit';

export const START = Date.UTC(2026, 10, 20, 7, 0);

/**
 * What the gateway reads about the market, straight from the engine's events: specs from its
 * registry, marks and index from the latest tickers, IVs solved with src/pricing on the
 * ticker's forward (so an order price and the mark are measured alike).
 */
export class EngineMarket implements GatewayMarket {
  readonly #tickers = new Map<string, TickerEvent>();

  constructor(private readonly engine: MarketEngine) {
    engine.onEvent((event) => {
      if (event.kind === 'ticker') this.#tickers.set(key(event.venue, event.instrument), event);
    });
  }

  ticker(venue: string, instrument: string): TickerEvent | undefined {
    return this.#tickers.get(key(venue, instrument));
  }

  spec(venue: string, instrument: string): InstrumentSpec | undefined {
    return this.engine.market.registry(venue).get(instrument);
  }

  mark(venue: string, instrument: string): number | null {
    return this.ticker(venue, instrument)?.mark ?? null;
  }

  markIv(venue: string, instrument: string): number | null {
    const mark = this.mark(venue, instrument);
    return mark === null ? null : this.impliedVol(venue, instrument, mark);
  }

  impliedVol(venue: string, instrument: string, price: number): number | null {
    const spec = this.spec(venue, instrument);
    const ticker = this.ticker(venue, instrument);
    if (spec?.kind !== 'option' || ticker === undefined || ticker.forward === null) return null;
    const usd = usdFromPremium(price, ticker.forward, spec.settlement);
    const iv = impliedVol(
      usd,
      ticker.forward,
      spec.strike,
      yearFraction(ticker.ts, spec.expiry),
      spec.type,
    );
    return Number.isFinite(iv) ? iv : null;
  }

  priceBand(venue: string, instrument: string): PriceBand | null {
    return this.engine.market.priceBand(venue, instrument) ?? null;
  }

  usdPerCoin(venue: string, instrument: string): number | null {
    return this.ticker(venue, instrument)?.index ?? null;
  }
}

function key(venue: string, instrument: string): string {
  return `${venue}\u0000${instrument}`;
}

export interface SimVenue {
  readonly venue: VenueName;
  readonly sim: RunningSim;
  readonly engine: MarketEngine;
  readonly feed: Feed;
  readonly market: EngineMarket;
  readonly exchange: SimExchange;
  readonly accountId: string;
  /** Every order of the paper account the exchange booked, first sight of each, in order. */
  readonly booked: SimOrder[];
  /** The account's open orders at the exchange. */
  openOrders(): readonly SimOrder[];
  close(): Promise<void>;
}

export async function openVenue(
  venue: VenueName,
  options: Pick<SimServerOptions, 'faults'> = {},
): Promise<SimVenue> {
  const sim = await startSim({
    seed: 1,
    manualClock: true,
    start: START,
    currencies: ['BTC'],
    minHeartbeatSec: 1,
    ...options,
  });
  sim.advance(1000);
  const key = sim.apiKeys[venue][0];
  assert.ok(key !== undefined);
  const exchange = sim.world.exchanges[venue];
  const booked: SimOrder[] = [];
  const seen = new Set<string>();
  const unsubscribe = exchange.subscribe((event) => {
    if (event.type !== 'order' || event.accountId !== key.accountId) return;
    if (seen.has(event.order.orderId)) return;
    seen.add(event.order.orderId);
    booked.push(event.order);
  });
  const feed = venue === 'deribit' ? deribitFeed(sim, key) : bybitFeed(sim, key);
  const engine = new MarketEngine([feed]);
  const market = new EngineMarket(engine);
  try {
    await engine.start();
    // Tickers go out as they change: one model step after subscribing sends every one.
    sim.advance(1000);
    // The feed follows every option and, to hedge with, the perpetual (not dated futures).
    const listed = exchange
      .instruments()
      .filter((instrument) => instrument.spec.kind !== 'future')
      .map((instrument) => instrument.spec.name);
    const missing = (): string[] =>
      listed.filter(
        (name) =>
          market.ticker(venue, name) === undefined || market.spec(venue, name) === undefined,
      );
    await waitUntil(
      () => `every ${venue} ticker (missing ${missing().slice(0, 5).join(', ')})`,
      () =>
        listed.every(
          (name) =>
            market.ticker(venue, name) !== undefined && market.spec(venue, name) !== undefined,
        ),
    );
  } catch (error) {
    unsubscribe();
    await engine.stop();
    await sim.close();
    throw error;
  }
  return {
    venue,
    sim,
    engine,
    feed,
    market,
    exchange,
    accountId: key.accountId,
    booked,
    openOrders: () => exchange.openOrders(key.accountId),
    close: async () => {
      unsubscribe();
      await engine.stop();
      await sim.close();
    },
  };
}

function deribitFeed(sim: RunningSim, key: { key: string; secret: string }): Feed {
  return new DeribitFeed({
    wsUrl: sim.urls.deribitWs,
    currencies: ['BTC'],
    heartbeatSec: 1,
    staleAfterMs: 60_000,
    credentials: { clientId: key.key, clientSecret: key.secret },
    log: () => undefined,
  });
}

function bybitFeed(sim: RunningSim, key: { key: string; secret: string }): Feed {
  return new BybitFeed({
    urls: {
      option: sim.urls.bybitOptionWs,
      linear: sim.urls.bybitLinearWs,
      private: sim.urls.bybitPrivateWs,
      rest: sim.urls.bybitRest,
    },
    baseCoins: ['BTC'],
    pingIntervalMs: 1000,
    staleAfterMs: 60_000,
    credentials: { apiKey: key.key, apiSecret: key.secret },
    log: () => undefined,
  });
}

/** A two-sided option a week or more out, nearest the money, priced above `minMark`. */
export function atmOption(venue: SimVenue, minMark = 0): OptionSpec {
  let best: { spec: OptionSpec; distance: number } | null = null;
  for (const chain of venue.engine.market.chains(venue.venue)) {
    for (const spec of chain.options) {
      const ticker = venue.market.ticker(venue.venue, spec.name);
      if (ticker === undefined || ticker.forward === null || ticker.mark === null) continue;
      if (spec.expiry - ticker.ts < 7 * 86_400_000) continue;
      if (ticker.bid === null || ticker.ask === null || !(ticker.mark > minMark)) continue;
      if (venue.market.markIv(venue.venue, spec.name) === null) continue;
      const distance = Math.abs(spec.strike - ticker.forward);
      if (best === null || distance < best.distance) best = { spec, distance };
    }
  }
  assert.ok(best !== null, `no two-sided option a week out on ${venue.venue}`);
  return best.spec;
}
