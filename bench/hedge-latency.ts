// Fill → hedge order on the wire (issue 8): the time from the engine applying the fill of the
// trader's own option trade to the moment the hedger's order frame for the perpetual has been
// handed to the socket, beside the order gateway alone sending an order of the same size.
//
// Everything runs in this process, as `ivtrade hedge --venue sim` does: the embedded sim on
// loopback with its clock running (speed 1), the Deribit adapter with the paper keys,
// MarketEngine, and the session's trading wiring (src/app/exec-lines.ts `startTrading` and
// src/app/hedge-session.ts `startHedger`, rebuilt here piece for piece: one OrderGateway fed the
// engine's events, the CommandRunner and the Hedger on it, the JSONL hedge log in a temporary
// directory). Besides the gateway's order-rate cap, raised out of the way, only the hedger's
// pacing differs from its defaults, which `startHedger` gives no way to change: its debounce
// (250 ms) would hold a fill landing soon after the previous decision, and the perpetual's
// ticker asks for one every market step, so the figure would be that wait rather than the
// decision path; and its 6 hedges a minute would allow a sample every 10 s. The decision
// itself, its inputs, the log line and the order path are the real ones.
//
// Each sample: `a1` (or `d1` when long) on a near-the-money call, an IOC at the far touch of
// 0.1 BTC, through the runner as typed. t0 is the first fill (or position) event of that
// option the engine applies, heard by a listener registered before the hedger's; t1 the
// moment the hedge's `private/buy` or `private/sell` frame on the perpetual has been handed to
// the socket (a tap on `ws`'s send for the run). Once the hedge has filled and the position
// shows it, the peer: `OrderGateway.submit` of an intent of the hedge's side and size, timed
// from the call to its frame on the socket, the floor under the hedger's own work. Its price
// is just off the own-side touch so it is cancelled unfilled and leaves the hedge position
// alone.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { CommandRunner, type CommandOutput } from '../src/app/command-runner.js';
import { EngineMarket } from '../src/app/gateway-market.js';
import { MarketEngine } from '../src/app/market-engine.js';
import type { FeedEvent } from '../src/book/events.js';
import { DeribitFeed } from '../src/feeds/deribit/feed.js';
import { OrderGateway } from '../src/gateway/order-gateway.js';
import type { OrderIntent } from '../src/gateway/types.js';
import { DEFAULT_HEDGE_CONFIG } from '../src/hedge/config.js';
import { openHedgeLog, type HedgeLog } from '../src/hedge/hedge-log.js';
import { Hedger } from '../src/hedge/hedger.js';
import type { HedgeConfig, HedgeDecision, HedgeLogEntry } from '../src/hedge/types.js';
import { DEFAULT_SIM_KEYS, startSim, type RunningSim } from '../src/sim/server.js';
import { latencyRows, mulberry32, type Row } from './common.js';
import { median, percentile } from './timing.js';

export interface HedgeLatencyConfig {
  /** Hedges timed (and as many peer orders). */
  samples: number;
  /** Samples run first, untimed. */
  warmup: number;
  /** Pause before each order (trade and peer alike), uniform in [min, max] ms. */
  pauseMs: readonly [number, number];
}

/** One contender's timed orders, in ms. */
export interface HedgeSamples {
  /** From t0 (the fill; the peer: the submit call) to the frame handed to the socket. */
  readonly wire: number[];
  /** From t0 to the end of the synchronous part: the hedge's log line; the peer's submit. */
  readonly sync: number[];
}

/** What the bench prints: its rows and notes (the child process's JSON). */
export interface HedgeLatencyReport {
  rows: Row[];
  notes: string[];
}

export interface HedgeLatencyResult extends HedgeLatencyReport {
  ivtrade: HedgeSamples;
  peer: HedgeSamples;
  /** The option traded. */
  option: string;
  /** Hedge orders the hedger sent in the whole run (warm-up, samples and any re-hedge). */
  hedges: number;
  /** Trades the IOC left unfilled (the touch moved): no fill, no sample. */
  unfilled: number;
  /** Samples dropped because a hedge of the market's own drift beat the fill to the wire. */
  raced: number;
  /** Hedger decisions logged (every one, inside the band or not). */
  decisions: number;
  /** The run's first hedge (untimed), fill → frame in ms: the decision path on cold code. */
  coldMs: number;
  /** Whether the hedge log file was written without failure. */
  logOk: boolean;
}

export const PEER_GATEWAY = 'OrderGateway.submit alone';
export const TARGET_P99_MS = 5;

const VENUE = 'deribit';
const CURRENCY = 'BTC';
const PERPETUAL = 'BTC-PERPETUAL';
const SIM_SEED = 1;
const PAPER = DEFAULT_SIM_KEYS.deribit[0]!;
/** The gateway's order-rate cap (default 10/s) raised out of the bench's way. */
export const GATEWAY_LIMITS = { maxOrdersPerSecond: 1_000 } as const;
/** The hedger's pacing out of the way of the samples; see the top of the file. */
export const HEDGER_PACE = { maxHedgesPerMinute: 10_000 } as const;
/** Options between these many days from expiry: no daily's steep gamma, no far wing. */
const EXPIRY_DAYS = [3, 60] as const;
const DAY_MS = 86_400_000;
const READY_TIMEOUT_MS = 15_000;
/** A sample's fill, hedge or landing not seen in this long: the bench stops and says why. */
const STEP_TIMEOUT_MS = 3_000;
/** How far off its own touch the peer's order sits: unfilled, and far inside the gateway's 1 %. */
const PEER_OFFSET = 0.001;
/** The pauses come from a fixed generator so runs are alike. */
const PAUSE_SEED = 0x8ed9e;
/** The Deribit adapter's own request pacing (src/feeds/deribit/rpc-client.ts), for the notes. */
const ADAPTER_PACE = '20 requests/s, bursts of 40';

const now = (): number => performance.now();

/**
 * Stamps the first order frame on the perpetual (`private/buy` or `private/sell`) sent on any
 * `ws` socket after `arm()`, as its send returns. On the prototype for the run only.
 */
class WireTap {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to each socket below
  readonly #original = WebSocket.prototype.send;
  #waiting: ((at: number) => void) | null = null;

  install(): void {
    const original = this.#original;
    const seen = (data: unknown): void => {
      if (this.#waiting === null || typeof data !== 'string') return;
      if (!data.includes(`"${PERPETUAL}"`)) return;
      if (!data.includes('"private/buy"') && !data.includes('"private/sell"')) return;
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve(now());
    };
    WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]): void {
      Reflect.apply(original, this, args);
      seen(args[0]);
    } as WebSocket['send'];
  }

  uninstall(): void {
    this.#waiting = null;
    WebSocket.prototype.send = this.#original;
  }

  /** The stamp of the next perpetual order frame; null if none leaves within `ms`. */
  next(ms: number): Promise<number | null> {
    return new Promise((resolve) => {
      const waiter = (at: number): void => {
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => {
        if (this.#waiting === waiter) this.#waiting = null;
        resolve(null);
      }, ms);
      this.#waiting = waiter;
    });
  }
}

/** t0: the first fill or position event of the armed option that the engine applied. */
class FillProbe {
  #instrument: string | null = null;
  #at: number | null = null;

  readonly listener = (event: FeedEvent): void => {
    if (this.#instrument === null || this.#at !== null) return;
    if (event.kind !== 'fill' && event.kind !== 'position') return;
    if (event.instrument !== this.#instrument) return;
    this.#at = now();
  };

  arm(instrument: string): void {
    this.#instrument = instrument;
    this.#at = null;
  }

  take(): number | null {
    this.#instrument = null;
    return this.#at;
  }
}

/** The hedge decisions as the hedger logs them, stamped as the line is written. */
class DecisionWatch {
  count = 0;
  /** The hedger's mode after the latest decision. */
  state: HedgeLogEntry['state'] | null = null;
  last: {
    readonly at: number;
    readonly decision: Extract<HedgeDecision, { action: 'hedge' }>;
  } | null = null;

  constructor(readonly file: HedgeLog) {}

  readonly write = (entry: HedgeLogEntry): void => {
    this.file.write(entry);
    this.count += 1;
    this.state = entry.state;
    if (entry.decision.action === 'hedge' && entry.label !== undefined) {
      this.last = { at: now(), decision: entry.decision };
    }
  };
}

interface Bench {
  readonly sim: RunningSim;
  readonly engine: MarketEngine;
  readonly gateway: OrderGateway;
  readonly runner: CommandRunner;
  readonly hedger: Hedger;
  readonly decisions: DecisionWatch;
  readonly probe: FillProbe;
  readonly tap: WireTap;
  readonly market: EngineMarket;
  readonly close: () => Promise<void>;
}

const QUIET: CommandOutput = {
  note: () => undefined,
  info: () => undefined,
  help: () => undefined,
  quit: () => undefined,
};

async function open(logDir: string): Promise<Bench> {
  const sim = await startSim({
    seed: SIM_SEED,
    speed: 1,
    currencies: [CURRENCY],
    apiKeys: { deribit: [PAPER] },
  });
  // What openFeeds builds for `ivtrade hedge --venue sim` (no books asked for).
  const engine = new MarketEngine([
    new DeribitFeed({
      wsUrl: sim.urls.deribitWs,
      currencies: [CURRENCY],
      credentials: { clientId: PAPER.key, clientSecret: PAPER.secret },
      allBooks: false,
      books: [],
      log: () => undefined,
    }),
  ]);
  const closers: (() => void | Promise<void>)[] = [() => sim.close(), () => engine.stop()];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    await engine.start();
    await poll(() => engine.market.ticker(VENUE, PERPETUAL), `${PERPETUAL} ticker`);
    // startTrading's wiring: the gateway hears the engine first, then the hedger (and, between
    // them, the probe, so t0 is stamped before the hedger reacts).
    const market = new EngineMarket(engine.market);
    const gateway = new OrderGateway({
      market,
      orders: (name) => engine.feed(name)?.orders ?? null,
      limits: GATEWAY_LIMITS,
    });
    closers.push(engine.onEvent((event) => gateway.observe(event)));
    const probe = new FillProbe();
    closers.push(engine.onEvent(probe.listener));
    // startHedger's: its config, its log, the same gateway as the command line.
    const config: HedgeConfig = {
      ...DEFAULT_HEDGE_CONFIG(VENUE, CURRENCY, PERPETUAL),
      ...HEDGER_PACE,
    };
    const file = openHedgeLog(join(logDir, 'hedge.jsonl'));
    closers.push(() => file.close());
    const decisions = new DecisionWatch(file);
    const hedger = new Hedger({
      config,
      market: engine.market,
      account: engine.account,
      gateway,
      subscribe: (listener) => engine.onEvent(listener),
      log: decisions.write,
    });
    closers.push(() => hedger.close());
    const runner = new CommandRunner({
      venue: VENUE,
      engine,
      market,
      gateway,
      output: QUIET,
      hedger,
    });
    closers.push(() => runner.close());
    const tap = new WireTap();
    tap.install();
    closers.push(() => tap.uninstall());
    return { sim, engine, gateway, runner, hedger, decisions, probe, tap, market, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls until `get` has something, for at most the ready timeout. */
async function poll<T>(get: () => T | null | undefined, what: string): Promise<T> {
  const deadline = now() + READY_TIMEOUT_MS;
  for (;;) {
    const value = get();
    if (value !== null && value !== undefined) return value;
    if (now() > deadline) throw new Error(`no ${what} after ${READY_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}

/** The call nearest 0.5 delta, 3–60 days out, with both sides quoted; null while none is. */
function nearestCall(bench: Bench): string | null {
  const at = Date.now();
  let best: { name: string; distance: number } | null = null;
  for (const chain of bench.engine.market.chains(VENUE)) {
    if (chain.base !== CURRENCY) continue;
    chain.settle(at);
    for (const spec of chain.options) {
      const days = (spec.expiry - at) / DAY_MS;
      if (spec.type !== 'call' || days < EXPIRY_DAYS[0] || days > EXPIRY_DAYS[1]) continue;
      const quote = chain.option(spec.name);
      if (quote === undefined || quote.delta === null || quote.bid === null || quote.ask === null)
        continue;
      const distance = Math.abs(quote.delta - 0.5);
      if (best === null || distance < best.distance) best = { name: spec.name, distance };
    }
  }
  return best?.name ?? null;
}

function position(bench: Bench, instrument: string): number {
  return bench.engine.account.position(VENUE, instrument)?.size ?? 0;
}

/** Resolves once no hedge is in flight; rejects after the step timeout. */
function hedgerIdle(hedger: Hedger): Promise<void> {
  if (hedger.state().inFlight === null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the hedge did not land: hedger ${hedger.status()}`));
    }, STEP_TIMEOUT_MS);
    const stop = hedger.onState((state) => {
      if (state.inFlight !== null) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

type TradeOutcome =
  | { readonly kind: 'sample'; readonly wire: number; readonly sync: number }
  | { readonly kind: 'unfilled' | 'raced' };

/** One option trade through the runner, and the hedge it sets off. */
async function tradeAndHedge(bench: Bench, option: string): Promise<TradeOutcome> {
  const { runner, probe, tap, decisions, hedger } = bench;
  await hedgerIdle(hedger);
  const line = position(bench, option) > 0 ? 'd1' : 'a1';
  probe.arm(option);
  const frame = tap.next(STEP_TIMEOUT_MS);
  const before = decisions.last;
  runner.run(line, null);
  const t1 = await frame;
  await runner.settled();
  const t0 = probe.take();
  if (t0 === null) {
    if (t1 !== null) return { kind: 'raced' };
    // The IOC met no liquidity at its cap: nothing filled, nothing to hedge.
    return { kind: 'unfilled' };
  }
  if (t1 === null) {
    throw new Error(`${option} filled (${line}) but no hedge left: hedger ${hedger.status()}`);
  }
  const decided = decisions.last;
  if (t1 < t0 || decided === null || decided === before || decided.at < t0) {
    return { kind: 'raced' };
  }
  await hedgerIdle(hedger);
  return { kind: 'sample', wire: t1 - t0, sync: decided.at - t0 };
}

/** The gateway alone: an intent of the last hedge's side and size, just off its own touch. */
async function peerOrder(bench: Bench): Promise<{ wire: number; sync: number }> {
  const hedge = bench.decisions.last?.decision;
  if (hedge === undefined) throw new Error('no hedge yet to size the peer order by');
  const touch = bench.market.touch(VENUE, PERPETUAL);
  const own = hedge.side === 'buy' ? touch.bid : touch.ask;
  if (own === null) throw new Error(`${PERPETUAL} has no ${hedge.side === 'buy' ? 'bid' : 'ask'}`);
  const intent: OrderIntent = {
    venue: VENUE,
    instrument: PERPETUAL,
    side: hedge.side,
    amount: hedge.amount,
    kind: 'limit',
    price: String(own * (hedge.side === 'buy' ? 1 - PEER_OFFSET : 1 + PEER_OFFSET)),
    timeInForce: 'ioc',
    origin: 'hedge',
  };
  const frame = bench.tap.next(STEP_TIMEOUT_MS);
  const t0 = now();
  const answered = bench.gateway.submit([intent]);
  const sync = now() - t0;
  const t1 = await frame;
  const [report] = await answered;
  if (t1 === null) throw new Error(`the peer's order did not leave: ${report?.message ?? '?'}`);
  return { wire: t1 - t0, sync };
}

export async function runHedgeLatency(
  cfg: HedgeLatencyConfig,
  log: (s: string) => void,
): Promise<HedgeLatencyResult> {
  const started = now();
  log('hedge: starting the sim, the Deribit adapter and the hedger');
  const logDir = mkdtempSync(join(tmpdir(), 'ivtrade-bench-hedge-'));
  try {
    const bench = await open(logDir);
    try {
      return await measure(bench, cfg, started, log);
    } finally {
      await bench.close();
    }
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function measure(
  bench: Bench,
  cfg: HedgeLatencyConfig,
  started: number,
  log: (s: string) => void,
): Promise<HedgeLatencyResult> {
  const chosen = await poll(() => nearestCall(bench), 'quoted call near 0.5 delta');
  bench.runner.run(`i ${chosen}`, null);
  bench.hedger.activate();
  // Built just now, it pauses until it has heard a quote of the perpetual: not a decision's cost.
  await poll(() => (bench.decisions.state === 'on' ? true : null), 'decision with the hedger ON');
  const setupMs = now() - started;
  log(`hedge: ${cfg.warmup} + ${cfg.samples} hedges, trading ${chosen}`);
  const random = mulberry32(PAUSE_SEED);
  const [lo, hi] = cfg.pauseMs;
  const pause = (): Promise<void> => sleep(lo + random() * (hi - lo));
  const ours: HedgeSamples = { wire: [], sync: [] };
  const peers: HedgeSamples = { wire: [], sync: [] };
  let unfilled = 0;
  let raced = 0;
  let done = 0;
  let coldMs = NaN;
  let tries = 0;
  const maxTries = 3 * (cfg.warmup + cfg.samples);
  while (done < cfg.warmup + cfg.samples) {
    if (++tries > maxTries) {
      throw new Error(`only ${done} hedges timed in ${maxTries} trades (${unfilled} unfilled)`);
    }
    await pause();
    const outcome = await tradeAndHedge(bench, chosen);
    if (outcome.kind !== 'sample') {
      if (outcome.kind === 'unfilled') unfilled += 1;
      else raced += 1;
      continue;
    }
    await pause();
    const peer = await peerOrder(bench);
    if (done === 0) coldMs = outcome.wire;
    const timed = done >= cfg.warmup;
    done += 1;
    if (!timed) continue;
    ours.wire.push(outcome.wire);
    ours.sync.push(outcome.sync);
    peers.wire.push(peer.wire);
    peers.sync.push(peer.sync);
  }
  const runMs = now() - started - setupMs;
  const hedges = bench.hedger.state().hedges;
  const decisions = bench.decisions.count;
  const logOk = bench.decisions.file.error() === null;
  const run = {
    option: chosen,
    setupMs,
    runMs,
    unfilled,
    raced,
    hedges,
    decisions,
    orders: tries + hedges + done,
    coldMs,
  };
  return {
    rows: rowsOf(ours, peers),
    notes: notesOf(cfg, ours, peers, run),
    ivtrade: ours,
    peer: peers,
    option: chosen,
    hedges,
    unfilled,
    raced,
    decisions,
    coldMs,
    logOk,
  };
}

function rowsOf(ours: HedgeSamples, peers: HedgeSamples): Row[] {
  return latencyRows(
    'hedge',
    'fill → hedge frame on the wire',
    { ivtrade: ours.wire, peer: peers.wire },
    PEER_GATEWAY,
    ['p50', 'p99', 'max'],
    TARGET_P99_MS,
  );
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;

function notesOf(
  cfg: HedgeLatencyConfig,
  ours: HedgeSamples,
  peers: HedgeSamples,
  run: {
    option: string;
    setupMs: number;
    runMs: number;
    unfilled: number;
    raced: number;
    hedges: number;
    decisions: number;
    orders: number;
    coldMs: number;
  },
): string[] {
  const [lo, hi] = cfg.pauseMs;
  const perSecond = (run.orders / run.runMs) * 1e3;
  return [
    `hedge: ${cfg.samples} hedges timed after ${cfg.warmup} untimed, each set off by the ` +
      `trader's own 0.1 BTC IOC on ${run.option} (\`a1\` / \`d1\` through the command runner, ` +
      'alternating so the book stays within one trade of flat; each moves the net delta ~20× ' +
      "past the ±0.25 % band), in one process with the embedded sim's live BTC market " +
      '(speed 1), the Deribit adapter and the session wiring (gateway, runner, hedger, JSONL ' +
      "log). From the engine applying the trade's first fill event to the hedger's " +
      `${PERPETUAL} order frame handed to the socket. Peer: ${PEER_GATEWAY} (an IOC of the ` +
      "hedge's side and size just off its own touch, so it cancels unfilled), from the call " +
      `to its frame. Each order after a ${lo}–${hi} ms pause; ~${perSecond.toFixed(1)} ` +
      `orders/s (trades, hedges and the peer's), under the adapter's own pacing (${ADAPTER_PACE}). ` +
      'p99 is nearest-rank (under 100 samples, the slowest one).',
    `hedge: the hedger keeps its default 250 ms debounce (a fill is decided at once; the ` +
      `debounce paces market moves) but its cap is raised to ${HEDGER_PACE.maxHedgesPerMinute} ` +
      'hedges/min instead of 6, which would allow one sample per 10 s. ' +
      "The gateway's order-rate cap is raised to " +
      `${GATEWAY_LIMITS.maxOrdersPerSecond}/s (default 10/s). Fill → the hedge decision's log ` +
      `line written (decided and submitted; the adapter's send follows in a microtask): median ` +
      `${ms(median(ours.sync))}, p99 ${ms(percentile(ours.sync, 0.99))}; the peer's submit ` +
      `call ${ms(median(peers.sync))}, ${ms(percentile(peers.sync, 0.99))}. ${run.hedges} ` +
      `hedges and ${run.decisions} logged decisions in all; ${run.unfilled} trade(s) unfilled, ` +
      `${run.raced} dropped (a hedge of the market's drift went first). The run's first ` +
      `hedge (untimed: the first pass through the decision, the gateway and the adapter) ` +
      `${ms(run.coldMs)}. Setup ` +
      `${(run.setupMs / 1e3).toFixed(1)} s, samples ${(run.runMs / 1e3).toFixed(1)} s.`,
  ];
}
