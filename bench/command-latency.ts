// Keypress → order on the wire (issue 7): the time from the Enter key that submits `as1` on
// ivtrade's screen to the moment the simulator's exchange has the order, beside a bare
// JSON-RPC client sending the same order on its own socket to the same sim.
//
// Everything runs in this process, as `ivtrade tui --venue sim` does, minus the terminal
// (bench/command-latency-session.ts), over the sim's live market. The trader's keys go into
// the App's stdin: `a`, `s`, `1`, a pause, then the Enter key alone. t0 is taken just before
// that '\r' is written; t1 in the sim's order log hook, once the exchange has taken the place
// request (after matching it, for both contenders alike). A tap on `ws`'s send also stamps
// the moment the order's frame has been handed to the socket: the order on the wire,
// ivtrade's own part. What lies between that and t1 is loopback and the sim and, since the
// sim shares this thread, whatever the thread runs first: the app's ingestion of a market
// step's burst of tickers, say, which a remote venue would not wait for, or the sim's own
// market step (~10 ms every 250 ms). So the target (p99 ≤ 5 ms, keypress → order on
// the wire) is checked at the socket, the part that is ivtrade's; the time to the sim is
// reported beside it, with the bare client's, as the venue would see the order. (A sim in a process of its own was tried: its steps then block the order's
// arrival outright, and with the second process's scheduling both contenders' p99 came out
// at 9–14 ms.)
//
// Each order is cancelled in the exchange before the next, so nothing piles up on the book,
// and the pause before each order is random, so the keys land at every phase of the 30 fps
// frame clock and of the sim's 250 ms market steps. The contenders alternate order by order,
// each on its own paper account.

import chalk from 'chalk';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cancelAt,
  closeSession,
  GATEWAY_LIMITS,
  msBetween,
  openSession,
  PAPER_ACCOUNT,
  PEER_ACCOUNT,
  quotedCursor,
  SCREEN,
  stamp,
  statusLine,
  VENUE,
  type Place,
  type Session,
} from './command-latency-session.js';
import { latencyRows, mulberry32, type Row } from './common.js';
import { median, percentile } from './timing.js';

export interface CommandLatencyConfig {
  /** Orders timed per contender. */
  orders: number;
  /** Orders per contender sent first, untimed. */
  warmup: number;
  /** Pause before each order (each contender's), uniform in [min, max] ms. */
  pauseMs: readonly [number, number];
}

/** One contender's timed orders, in ms from the key (the peer: from building its frame). */
export interface LatencySamples {
  /** To the exchange having the order. */
  readonly total: number[];
  /** To the order's frame handed to the socket. */
  readonly wire: number[];
  /** To the end of the key's synchronous handling (the peer: of its stringify and send). */
  readonly sync: number[];
}

/** What the bench prints: its rows and notes (the child process's JSON). */
export interface CommandLatencyReport {
  rows: Row[];
  notes: string[];
}

export interface CommandLatencyResult extends CommandLatencyReport {
  ivtrade: LatencySamples;
  peer: LatencySamples;
  /** Orders still open on either account at the end (0 expected). */
  leftOpen: number;
  /** Orders the exchange did not leave resting (refused or filled); timed all the same. */
  notResting: number;
}

export const PEER_CLIENT = 'ws, bare JSON-RPC';
export const TARGET_P99_MS = 5;
/** The Deribit adapter's own request pacing (src/feeds/deribit/rpc-client.ts), for the notes. */
const ADAPTER_PACE = '20 requests/s, bursts of 40';
/** The pauses come from a fixed generator so runs are alike. */
const PAUSE_SEED = 0x5eed;

interface Sample {
  readonly total: number;
  readonly wire: number;
  readonly sync: number;
  readonly place: Place;
}

/** `as1` typed on the screen and submitted; resolves once answered and cancelled. */
async function ivtradeOrder(session: Session, pause: number): Promise<Sample> {
  const { keyboard, runner, watch, tap } = session;
  for (const key of 'as1') keyboard.press(key);
  await sleep(pause);
  const placed = watch.next(PAPER_ACCOUNT, () => statusLine(session));
  tap.arm();
  const t0 = stamp();
  keyboard.press('\r');
  const sync = msBetween(t0, stamp());
  const place = await placed;
  const wire = msBetween(t0, tap.take());
  await runner.settled();
  cancelAt(session, PAPER_ACCOUNT);
  return { total: msBetween(t0, place.at), wire, sync, place };
}

/** The same order from the bare client: post-only at the bid; answered, then cancelled. */
async function peerOrder(session: Session, pause: number, like: Place, n: number): Promise<Sample> {
  const { peer, watch, tap } = session;
  await sleep(pause);
  const bid = session.market.touch(VENUE, like.instrument).bid;
  if (bid === null) throw new Error(`${like.instrument} has no bid for the peer's order`);
  const placed = watch.next(PEER_ACCOUNT, () => `the peer's order ${n}`);
  tap.arm();
  const t0 = stamp();
  const replied = peer.call('private/buy', {
    instrument_name: like.instrument,
    amount: like.amount,
    type: 'limit',
    price: bid,
    post_only: true,
    label: `peer-${n}`,
  });
  const sync = msBetween(t0, stamp());
  const place = await placed;
  const wire = msBetween(t0, tap.take());
  await replied;
  cancelAt(session, PEER_ACCOUNT);
  return { total: msBetween(t0, place.at), wire, sync, place };
}

export async function runCommandLatency(
  cfg: CommandLatencyConfig,
  log: (s: string) => void,
): Promise<CommandLatencyResult> {
  // A terminal's 16 colours, as in the render bench: styling is part of a frame's cost.
  const level = chalk.level;
  chalk.level = process.env['NO_COLOR'] ? 0 : 1;
  try {
    const started = performance.now();
    log('commands: starting the sim, the Deribit adapter and the screen');
    const session = await openSession();
    try {
      return await measure(session, cfg, started, log);
    } finally {
      await closeSession(session);
    }
  } finally {
    chalk.level = level;
  }
}

async function measure(
  session: Session,
  cfg: CommandLatencyConfig,
  started: number,
  log: (s: string) => void,
): Promise<CommandLatencyResult> {
  const first = await quotedCursor(session);
  const setupMs = performance.now() - started;
  log(`commands: ${cfg.warmup} + ${cfg.orders} orders each, from ${first}`);
  const random = mulberry32(PAUSE_SEED);
  const [lo, hi] = cfg.pauseMs;
  const pause = (): number => lo + random() * (hi - lo);
  const ours: LatencySamples = { total: [], wire: [], sync: [] };
  const peers: LatencySamples = { total: [], wire: [], sync: [] };
  const instruments = new Set<string>();
  let notResting = 0;
  for (let i = 0; i < cfg.warmup + cfg.orders; i++) {
    // A far strike can lose its bid for a moment, and `as1` would then rightly send nothing.
    await quotedCursor(session);
    const a = await ivtradeOrder(session, pause());
    // The cursor follows the money as the index moves: the peer buys what the screen did.
    instruments.add(a.place.instrument);
    const b = await peerOrder(session, pause(), a.place, i);
    for (const [samples, one] of [
      [ours, a],
      [peers, b],
    ] as const) {
      if (!one.place.rested) notResting += 1;
      if (i < cfg.warmup) continue;
      samples.total.push(one.total);
      samples.wire.push(one.wire);
      samples.sync.push(one.sync);
    }
  }
  const runMs = performance.now() - started - setupMs;
  const exchange = session.sim.world.exchanges.deribit;
  const leftOpen =
    exchange.openOrders(PAPER_ACCOUNT).length + exchange.openOrders(PEER_ACCOUNT).length;
  return {
    rows: rowsOf(ours, peers),
    notes: notesOf(cfg, ours, peers, {
      instruments: [...instruments],
      setupMs,
      runMs,
      notResting,
      leftOpen,
    }),
    ivtrade: ours,
    peer: peers,
    leftOpen,
    notResting,
  };
}

function rowsOf(ours: LatencySamples, peers: LatencySamples): Row[] {
  return [
    ...latencyRows(
      'commands',
      'keypress → order at the sim',
      { ivtrade: ours.total, peer: peers.total },
      PEER_CLIENT,
      ['p50', 'p99', 'max'],
    ),
    ...latencyRows(
      'commands',
      'keypress → frame on the wire',
      { ivtrade: ours.wire, peer: peers.wire },
      PEER_CLIENT,
      ['p50', 'p99'],
      TARGET_P99_MS,
    ),
  ];
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;

function notesOf(
  cfg: CommandLatencyConfig,
  ours: LatencySamples,
  peers: LatencySamples,
  run: {
    instruments: readonly string[];
    setupMs: number;
    runMs: number;
    notResting: number;
    leftOpen: number;
  },
): string[] {
  const [lo, hi] = cfg.pauseMs;
  const perSecond = ((cfg.warmup + cfg.orders) / run.runMs) * 1e3;
  const after = (s: LatencySamples): number[] => s.total.map((total, i) => total - s.wire[i]!);
  return [
    'commands: the Enter key of `as1` typed on the App ' +
      `(Ink, ${SCREEN.cols}×${SCREEN.rows}, the ` +
      "session's wiring and render options, over the sim's live BTC market) until the " +
      "embedded sim's order log has the place request, all in one process; peer: " +
      `${PEER_CLIENT} (private/buy post_only at the bid on its own socket and paper account), ` +
      'from JSON.stringify. `frame sent`: until the order frame has been handed to the ' +
      `socket. ${cfg.orders} orders per contender after ${cfg.warmup} untimed, alternating, ` +
      `each after a ${lo}–${hi} ms pause and cancelled in the exchange before the next; ` +
      `both buy the option under the cursor (${run.instruments.join(', ')}) at its bid. ` +
      `ivtrade sent ${perSecond.toFixed(1)} orders/s, under the Deribit adapter's own ` +
      `request pacing (${ADAPTER_PACE}; above it orders wait for a token); the gateway's ` +
      `order-rate cap is raised to ${GATEWAY_LIMITS.maxOrdersPerSecond}/s (default 10/s). ` +
      'p99 is nearest-rank (under 100 orders, the slowest one).',
    `commands: the key's synchronous handling (Ink's input, the parse, the order plan, the ` +
      `gateway's checks) median ${ms(median(ours.sync))}, p99 ` +
      `${ms(percentile(ours.sync, 0.99))}; the adapter's send follows in a microtask. Frame ` +
      `sent → order at the sim (loopback, the sim's parse, auth and matching, and what this ` +
      `thread runs first): median ${ms(median(after(ours)))}, p99 ` +
      `${ms(percentile(after(ours), 0.99))} for ivtrade; ${ms(median(after(peers)))}, ` +
      `${ms(percentile(after(peers), 0.99))} for the peer. ${run.notResting} order(s) did ` +
      `not rest, ${run.leftOpen} left open; setup (sim, adapter, a quoted cursor) ` +
      `${(run.setupMs / 1e3).toFixed(1)} s, orders ${(run.runMs / 1e3).toFixed(1)} s.`,
  ];
}
