// The hedger as it runs for real, on the sim: a venue's real adapter over loopback (optionally
// through relays the test can cut or hold), a MarketEngine, the order gateway and the Hedger,
// all on one virtual clock that follows the sim's manual clock. Records what every party
// said: the hedger's log, the gateway's reports, the sim's order log (every order request
// that reached the exchange), and a trace of connection, snapshot and hedger changes.

import assert from 'node:assert/strict';
import { EngineMarket } from '../../../src/app/gateway-market.js';
import { MarketEngine } from '../../../src/app/market-engine.js';
import type { FeedEvent } from '../../../src/book/events.js';
import { BybitFeed } from '../../../src/feeds/bybit/feed.js';
import { DeribitFeed } from '../../../src/feeds/deribit/feed.js';
import type { Feed, OrderApi } from '../../../src/feeds/feed.js';
import { OrderGateway } from '../../../src/gateway/order-gateway.js';
import type { GatewayReport } from '../../../src/gateway/types.js';
import { DEFAULT_HEDGE_CONFIG } from '../../../src/hedge/config.js';
import { Hedger } from '../../../src/hedge/hedger.js';
import type { HedgeConfig, HedgeLogEntry } from '../../../src/hedge/types.js';
import type { SimExchange, SimOrderRequest } from '../../../src/sim/contract.js';
import type { SimOrderLogEntry } from '../../../src/sim/order-log.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { buildPositionsView } from '../../../src/view/positions-view.js';
import { Relay } from './relay.js';
import { VirtualClock } from './virtual-clock.js';

export type VenueName = 'deribit' | 'bybit';

/** 09:00 UTC: hours of stepping stay clear of the 08:00 expiry and listing. */
export const START = Date.UTC(2026, 10, 20, 9, 0);
export const HEDGE_INSTRUMENT: Readonly<Record<VenueName, string>> = {
  deribit: 'BTC-PERPETUAL',
  bybit: 'BTCUSDT',
};
export const CURRENCY = 'BTC';
const SESSION = 'hedge1';
/** A decision due within this is waited for before a sample (debounce, reject back-off). */
const SETTLE_WINDOW_MS = 1_000;

export interface RigOptions {
  readonly venue: VenueName;
  readonly seed?: number;
  readonly start?: number;
  readonly funding?: SimServerOptions['funding'];
  /** The sim's own faults (on the wall clock, per connection from its start). */
  readonly faults?: SimServerOptions['faults'];
  /** Route the feed's sockets through relays (Deribit: `ws`; Bybit: `option`, `linear`, `private`). */
  readonly relay?: boolean;
  readonly config?: Partial<HedgeConfig>;
  /** Extra hedge log sink (the JSONL writer, in the log tests). */
  readonly log?: (entry: HedgeLogEntry) => void;
  /** The feed follows every dated future as a hedge (Deribit's `hedgeFutures`). */
  readonly hedgeFutures?: boolean;
  /** Futures the feed follows as hedges beside the perpetual, from the sim's listing. */
  readonly hedgeInstruments?: (exchange: SimExchange) => readonly string[];
  /** The gateway's venue lookup, in place of the engine's feeds'. */
  readonly orders?: (venue: string) => OrderApi | null;
}

export class Rig {
  readonly config: HedgeConfig;
  readonly log: HedgeLogEntry[] = [];
  readonly reports: GatewayReport[] = [];
  readonly orderLog: SimOrderLogEntry[];
  /** Connection changes, snapshots, hedge reports, hedger modes and the test's marks, in order. */
  readonly trace: string[] = [];
  /** What the hedger raised when it switched itself off. */
  readonly alerts: string[] = [];
  readonly hedger: Hedger;
  readonly gateway: OrderGateway;
  /** Venue time of the latest ticker the engine applied, per instrument. */
  readonly #tickerTs = new Map<string, number>();
  readonly #waiters = new Set<() => void>();
  #waking = false;
  #lastMode = 'off';

  constructor(
    readonly venue: VenueName,
    readonly sim: RunningSim,
    readonly exchange: SimExchange,
    readonly accountId: string,
    readonly clock: VirtualClock,
    readonly engine: MarketEngine,
    readonly relays: Readonly<Record<string, Relay>>,
    orderLog: SimOrderLogEntry[],
    options: RigOptions,
  ) {
    this.orderLog = orderLog;
    this.config = {
      ...DEFAULT_HEDGE_CONFIG(venue, CURRENCY, HEDGE_INSTRUMENT[venue]),
      ...options.config,
    };
    this.gateway = new OrderGateway({
      market: new EngineMarket(engine.market, clock.now),
      orders: options.orders ?? ((name) => engine.feed(name)?.orders ?? null),
      session: SESSION,
      now: clock.now,
    });
    engine.onEvent((event) => {
      this.gateway.observe(event);
      this.#note(event);
    });
    this.gateway.onReport((report) => {
      this.reports.push(report);
      if (report.label?.startsWith('ivt-hedge-') === true) {
        this.mark(`report ${report.outcome} ${report.label}`);
      }
      this.#wakeSoon();
    });
    const extra = options.log;
    this.hedger = new Hedger({
      config: this.config,
      market: engine.market,
      account: engine.account,
      gateway: this.gateway,
      subscribe: (listener) => engine.onEvent(listener),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      alert: (line) => this.alerts.push(line),
      log: (entry) => {
        this.log.push(entry);
        extra?.(entry);
      },
    });
    // After the hedger's own listeners, so a waiter sees what the event did to it.
    engine.onEvent(() => this.#wakeSoon());
    this.hedger.onState((state) => {
      this.#wakeSoon();
      const last = this.#lastMode;
      if (state.mode !== last) {
        this.mark(`mode ${state.mode} ${state.reason ?? ''}`);
        this.#lastMode = state.mode;
      }
    });
  }

  /** Puts the test's own step into the trace, between what the parties did. */
  mark(what: string): void {
    this.trace.push(what);
  }

  /** Where `what` first appears in the trace at or after `from`; -1 if nowhere. */
  find(what: string | RegExp, from = 0): number {
    return this.trace.findIndex(
      (entry, index) =>
        index >= from && (typeof what === 'string' ? entry === what : what.test(entry)),
    );
  }

  get hedgeInstrument(): string {
    return this.config.instrument;
  }

  simNow(): number {
    return this.sim.world.clock.now();
  }

  /** Hedge orders that reached the exchange (requests, whatever became of them). */
  hedgeRequests(): SimOrderLogEntry[] {
    return this.orderLog.filter(
      (entry) =>
        entry.action === 'place' &&
        ((entry.request as SimOrderRequest).label ?? '').startsWith('ivt-hedge-'),
    );
  }

  /**
   * Moves the market one step and the hedger's clock with it (its timers due meanwhile run,
   * on what the feed had before the step); does not wait for the step's messages.
   */
  async advanceSim(ms: number): Promise<void> {
    this.sim.advance(ms);
    await this.clock.advanceTo(Math.max(this.clock.now(), this.simNow()));
  }

  /** One step: the market moves, the feed catches up, the hedger has its say. */
  async step(ms: number): Promise<void> {
    await this.advanceSim(ms);
    await flush();
    await this.catchUp();
    await this.settle();
  }

  /**
   * Until the engine holds the sim's current tickers of the hedge instrument and every held
   * option, and the sim's positions.
   */
  async catchUp(timeoutMs = 5_000): Promise<void> {
    if (await this.until(() => this.#behind() === null, timeoutMs)) return;
    assert.fail(`the feed did not catch up: ${this.#behind() ?? 'it just did'}`);
  }

  /** Whether the engine holds the sim's current quotes and positions within `timeoutMs`. */
  caughtUp(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.#behind() === null, timeoutMs);
  }

  /**
   * Whether `done` comes true within `timeoutMs` of wall time; checked at once and again after
   * every event the engine applies, every gateway report and every hedger state change.
   */
  until(done: () => boolean, timeoutMs = 5_000): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        if (!done()) return;
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(done());
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Once per turn of the event loop, after the frames of that turn are all applied. */
  #wakeSoon(): void {
    if (this.#waking || this.#waiters.size === 0) return;
    this.#waking = true;
    setImmediate(() => {
      this.#waking = false;
      for (const waiter of [...this.#waiters]) waiter();
    });
  }

  #behind(): string | null {
    const truth = this.exchange.positions(this.accountId).filter((p) => p.size !== 0);
    const names = [
      this.hedgeInstrument,
      ...truth.filter((p) => p.kind === 'option').map((p) => p.instrument),
    ];
    for (const name of names) {
      const want = this.exchange.ticker(name)?.ts;
      if (want !== undefined && this.#tickerTs.get(name) !== want) {
        return `${name} ticker ${this.#tickerTs.get(name)} vs ${want}`;
      }
    }
    const held = new Map(
      this.engine.account.positions(this.venue).map((p) => [p.instrument, p.size]),
    );
    for (const position of truth) {
      const size = held.get(position.instrument) ?? 0;
      if (Math.abs(size - position.size) > 1e-9) {
        return `${position.instrument} position ${size} vs ${position.size}`;
      }
      held.delete(position.instrument);
    }
    for (const [instrument, size] of held) {
      if (size !== 0) return `${instrument} position ${size} the sim no longer holds`;
    }
    return null;
  }

  /**
   * Lets the hedger finish reacting: every decision due within a second is run, every order
   * it sends is waited for until its fill shows (on the wall clock: the sim answers at once),
   * and an order that gets no answer lets the clock run to its timeout.
   */
  async settle(): Promise<void> {
    for (let round = 0; round < 200; round += 1) {
      await flush();
      if (this.hedger.state().inFlight !== null) {
        if (await this.until(() => this.hedger.state().inFlight === null, 2_000)) continue;
        const due = this.clock.nextDue();
        assert.ok(due !== null, 'an order in flight with no timeout pending');
        await this.clock.advanceTo(due);
        continue;
      }
      const due = this.clock.nextDue();
      if (due === null || due > this.clock.now() + SETTLE_WINDOW_MS) return;
      await this.clock.advanceTo(due);
    }
    assert.fail('the hedger did not settle in 200 rounds');
  }

  /** Net delta of the BTC book in coins, as the positions panel computes it. */
  netDelta(): number {
    for (const chain of this.engine.market.chains(this.venue)) chain.settle(this.clock.now());
    const totals = buildPositionsView(this.engine.market, this.engine.account, this.venue).totals;
    return totals.find((total) => total.base === CURRENCY)?.netDelta ?? 0;
  }

  /** Opens positions with plain market orders on the paper account, and waits to see them. */
  async trade(orders: readonly Omit<SimOrderRequest, 'type'>[]): Promise<void> {
    for (const order of orders) {
      const result = this.exchange.place(this.accountId, { ...order, type: 'market' });
      assert.equal(
        result.order.state,
        'filled',
        `${order.side} ${order.amount} ${order.instrument}`,
      );
    }
    await this.catchUp();
  }

  #note(event: FeedEvent): void {
    if (event.kind === 'ticker') this.#tickerTs.set(event.instrument, event.ts);
    else if (event.kind === 'account-snapshot') {
      this.mark('account-snapshot');
    } else if (
      event.kind === 'status' &&
      ['live', 'reconnecting', 'closed', 'connecting'].includes(event.status)
    ) {
      this.mark(`status ${event.stream} ${event.status}`);
    }
  }

  async close(): Promise<void> {
    this.hedger.close();
    await this.engine.stop();
    await Promise.all(Object.values(this.relays).map((relay) => relay.close()));
    await this.sim.close();
  }
}

export async function openRig(options: RigOptions): Promise<Rig> {
  const orderLog: SimOrderLogEntry[] = [];
  const sim = await startSim({
    seed: options.seed ?? 1,
    manualClock: true,
    start: options.start ?? START,
    currencies: [CURRENCY],
    venues: [options.venue],
    ...(options.funding === undefined ? {} : { funding: options.funding }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    orderLog: (entry) => orderLog.push(entry),
  });
  const relays: Record<string, Relay> = {};
  let engine: MarketEngine | null = null;
  try {
    sim.advance(1000);
    const key = sim.apiKeys[options.venue][0];
    assert.ok(key !== undefined);
    const through = async (name: string, url: string): Promise<string> => {
      if (options.relay !== true) return url;
      const relay = await Relay.open(sim.port);
      relays[name] = relay;
      return relay.url(url);
    };
    const more = options.hedgeInstruments?.(sim.world.exchanges[options.venue]);
    const hedges = {
      ...(more === undefined ? {} : { moreHedgeInstruments: more }),
      ...(options.hedgeFutures === true ? { hedgeFutures: true } : {}),
    };
    const feed: Feed =
      options.venue === 'deribit'
        ? new DeribitFeed({
            ...hedges,
            wsUrl: await through('ws', sim.urls.deribitWs),
            currencies: [CURRENCY],
            credentials: { clientId: key.key, clientSecret: key.secret },
            staleAfterMs: 60_000,
            backoff: { initialMs: 20, maxMs: 100 },
            log: () => undefined,
          })
        : new BybitFeed({
            ...hedges,
            urls: {
              option: await through('option', sim.urls.bybitOptionWs),
              linear: await through('linear', sim.urls.bybitLinearWs),
              private: await through('private', sim.urls.bybitPrivateWs),
              rest: sim.urls.bybitRest,
            },
            baseCoins: [CURRENCY],
            credentials: { apiKey: key.key, apiSecret: key.secret },
            staleAfterMs: 60_000,
            backoff: { initialMs: 20, maxMs: 100 },
            log: () => undefined,
          });
    engine = new MarketEngine([feed]);
    const clock = new VirtualClock(sim.world.clock.now());
    const rig = new Rig(
      options.venue,
      sim,
      sim.world.exchanges[options.venue],
      key.accountId,
      clock,
      engine,
      relays,
      orderLog,
      options,
    );
    await engine.start();
    // Tickers go out as they change: one step after subscribing sends every one.
    await rig.advanceSim(1000);
    await rig.catchUp();
    return rig;
  } catch (error) {
    await engine?.stop();
    await Promise.all(Object.values(relays).map((relay) => relay.close()));
    await sim.close();
    throw error;
  }
}

/** Lets pending I/O callbacks and microtasks run. */
export async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}
