// Issue 20's "Checked by": every hedging policy over the sim, on both venues, on a virtual
// clock. A 1 BTC long straddle is held through seeded market (40 min under the bands, an hour
// under the time policy, half an hour to the band's edge) while every ten minutes the trader
// buys 0.3 of an at-the-money call or put, a jump of the net delta past any band, so every
// policy has something to answer; half an hour in, the market data goes stale for 40 s while
// the trader moves the target. After every step with nothing in flight and the hedger on:
//
// - fixed and gamma: the net is inside the policy's own band around the target;
// - time (every 10 min): right after each due time the net is back at the target, to half a
//   lot plus what the step moved it; between due times nothing is sent, however far the
//   trader's trades take the net. It starts hand-hedged: the switch-on is a due time with
//   nothing to trade, and the next due time is still an interval on;
// - gamma to the band's edge: each hedge leaves the net just inside the band, not at zero;
//
// and under each: never two hedge orders in flight, and none while stale (the hedger pauses
// with the stale reason though the net calls for a hedge, and hedges once the data is fresh).
//
// Staleness is a relay holding the venue's bytes (the socket stays up, nothing arrives): on
// Deribit its one socket, so the option data goes stale; on Bybit the linear socket only, so
// the options and the account flow on while the hedge instrument's quote goes stale.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HedgeConfig, HedgeLogEntry } from '../../src/hedge/types.js';
import { flush, openRig, type Rig, type VenueName } from './support/rig.js';
import { checkOneAtATime, pickOption, shapeLegs } from './support/scenario.js';

type PolicyName = 'fixed' | 'gamma' | 'time';

const MINUTE_MS = 60_000;
const EVERY_MS = 10 * MINUTE_MS;
/** Where the trader's trades fall: between the time policy's due times, never on one. */
const TRADE_MINUTES = [4, 14, 24, 34, 44, 54];
/** The trader's target during and after the stale spell, coins. */
const NEW_TARGET = 0.25;
/** The relay that goes quiet, and what the hedger must then say. */
const STALE: Readonly<Record<VenueName, { relay: string; reason: RegExp }>> = {
  deribit: { relay: 'ws', reason: /^option data stale: \d+\.\d s old \(limit 10\.0 s\)$/ },
  bybit: { relay: 'linear', reason: /^BTCUSDT quote stale: \d+\.\d s old \(limit 10\.0 s\)$/ },
};
const SEED: Readonly<Record<VenueName, number>> = { deribit: 71, bybit: 72 };

interface Plan {
  readonly minutes: number;
  /** Every step is checked and costs wall time (the sim publishes the whole chain's moves). */
  readonly stepMs: number;
  readonly stale: boolean;
  /** The book already hedged by hand when the hedger starts (the time policy's first due time). */
  readonly handHedged: boolean;
}

const BAND_PLAN: Plan = { minutes: 40, stepMs: 20_000, stale: true, handHedged: false };
// Nothing is checked between due times but that nothing was sent, so half-minute steps do.
const TIME_PLAN: Plan = { minutes: 60, stepMs: 30_000, stale: true, handHedged: true };
const EDGE_PLAN: Plan = { minutes: 30, stepMs: 20_000, stale: false, handHedged: false };

/** One check after a step: where the net stood against what the policy allows. */
interface Sample {
  /** Net minus target, coins, as the positions panel prices the book. */
  readonly off: number;
  /** The policy's half-width at the hedger's last decision; null for the time policy. */
  readonly band: number | null;
  /** Hedge orders sent during the step (or the trade's settling). */
  readonly sent: number;
  /** How far the step alone could have moved the net (see `moveBound`). */
  readonly move: number;
  readonly halfLot: number;
  readonly what: string;
}

interface Run {
  readonly rig: Rig;
  readonly samples: Sample[];
  /** Samples skipped: the hedger not on, or an order in flight, after settling. */
  readonly skipped: string[];
  /** When the hedger was switched on (the time policy's first due time). */
  readonly activatedAt: number;
  readonly stale: StaleSpell | null;
  /** The first log entry decided on the new target (none: Infinity). */
  readonly targetFrom: number;
  readonly steps: number;
}

interface StaleSpell {
  /** Clock time of the first decision that paused as stale, and of the release. */
  readonly from: number;
  readonly until: number;
  readonly pauses: readonly HedgeLogEntry[];
  /** The first log entry decided on the new target. */
  readonly targetFrom: number;
}

async function runPolicy(
  venue: VenueName,
  policy: PolicyName,
  config: Partial<HedgeConfig>,
  plan: Plan,
): Promise<Run> {
  const rig = await openRig({ venue, seed: SEED[venue], config, relay: true });
  try {
    await rig.trade(shapeLegs('long straddle', rig.exchange, rig.simNow(), 1));
    if (plan.handHedged) await hedgeByHand(rig);
    const activatedAt = rig.clock.now();
    assert.match(rig.hedger.activate(), /^hedger ON/);
    await rig.settle();
    await rig.catchUp();
    const samples: Sample[] = [];
    const skipped: string[] = [];
    const start = rig.simNow();
    const end = start + plan.minutes * MINUTE_MS;
    const trades = TRADE_MINUTES.filter((minute) => minute < plan.minutes).map(
      (minute) => start + minute * MINUTE_MS,
    );
    let stale: StaleSpell | null = null;
    let steps = 0;
    const sample = (what: string, sentBefore: number, indexBefore: number): void => {
      const state = rig.hedger.state();
      if (state.mode !== 'on' || state.inFlight !== null) {
        skipped.push(`${what}: ${state.mode} ${state.reason ?? ''} ${state.inFlight ?? ''}`);
        return;
      }
      const last = rig.log.at(-1);
      assert.ok(last !== undefined);
      samples.push({
        off: rig.netDelta() - (state.policy?.target ?? 0),
        band: state.policy?.bandCoins ?? null,
        sent: sentHedges(rig).length - sentBefore,
        move: moveBound(last, rig.exchange.indexPrice('BTC') - indexBefore),
        halfLot: halfLotCoins(last),
        what,
      });
    };
    while (rig.simNow() < end) {
      const sentBefore = sentHedges(rig).length;
      const indexBefore = rig.exchange.indexPrice('BTC');
      if (trades.length > 0 && rig.simNow() >= trades[0]!) {
        trades.shift();
        const type = trades.length % 2 === 0 ? 'call' : 'put';
        await rig.trade([
          { instrument: pickOption(rig.exchange, rig.simNow(), type, 1), side: 'buy', amount: 0.3 },
        ]);
        await rig.settle();
        await rig.catchUp();
        sample(`trade ${type}`, sentBefore, indexBefore);
        continue;
      }
      const holdAt = plan.stale && stale === null ? staleStart(rig, policy, start) : null;
      if (holdAt !== null && rig.clock.now() >= holdAt) {
        stale = await staleSpell(rig, policy);
        sample('after the stale spell', sentBefore, indexBefore);
        continue;
      }
      const stepMs =
        holdAt === null ? plan.stepMs : Math.min(plan.stepMs, holdAt - rig.clock.now());
      await rig.step(stepMs);
      await rig.catchUp();
      steps += 1;
      sample(`step to ${new Date(rig.clock.now()).toISOString()}`, sentBefore, indexBefore);
    }
    if (plan.stale) assert.ok(stale !== null, 'the stale spell came');
    return {
      rig,
      samples,
      skipped,
      activatedAt,
      stale,
      targetFrom: stale?.targetFrom ?? Infinity,
      steps,
    };
  } catch (error) {
    await rig.close();
    throw error;
  }
}

/**
 * When the stale spell begins, on the hedger's clock: half an hour in for the band policies;
 * for the time policy 20 s before its due time nearest half an hour, so the spell (10 s to go
 * stale, 30 s more) takes in a due time.
 */
function staleStart(rig: Rig, policy: PolicyName, start: number): number | null {
  if (policy !== 'time') return start + 30 * MINUTE_MS - 20_000;
  if (rig.clock.now() < start + 25 * MINUTE_MS) return null;
  const last = sentHedges(rig).at(-1);
  assert.ok(last !== undefined, 'the time policy hedged before half an hour');
  return last.ts + EVERY_MS - 20_000;
}

/**
 * The relay goes quiet; 15 s later the data is past the 10 s limit and the trader moves the
 * target (a hedge the band policies would send at once), and 25 s more pass (the time
 * policy's due time among them); then the data flows again.
 */
async function staleSpell(rig: Rig, policy: PolicyName): Promise<StaleSpell> {
  const { relay: relayName, reason } = STALE[rig.venue];
  const relay = rig.relays[relayName];
  assert.ok(relay !== undefined);
  assert.equal(rig.hedger.state().inFlight, null);
  const logged = rig.log.length;
  relay.hold();
  rig.mark('hold');
  const quiet = async (ms: number): Promise<void> => {
    for (let spent = 0; spent < ms; spent += 5_000) {
      await rig.advanceSim(5_000);
      await flush();
      await rig.settle();
    }
  };
  await quiet(15_000);
  let state = rig.hedger.state();
  assert.equal(state.mode, 'paused', `stale after 15 s: ${state.reason ?? ''}`);
  assert.match(state.reason ?? '', reason);
  const firstStale = rig.log.findIndex(
    (entry, index) =>
      index >= logged && entry.decision.action === 'pause' && reason.test(entry.decision.reason),
  );
  assert.ok(firstStale >= 0);
  const from = rig.log[firstStale]!.ts;
  const requests = rig.hedgeRequests().length;

  const targetFrom = rig.log.length;
  assert.match(
    rig.hedger.setTarget(String(NEW_TARGET)),
    /^hedger target \+0\.2500 BTC \(was \+0\.0000 BTC\)$/,
  );
  await flush();
  await rig.settle();
  await quiet(25_000);
  state = rig.hedger.state();
  assert.equal(state.mode, 'paused');
  assert.match(state.reason ?? '', reason);
  const until = rig.clock.now();
  const pauses = rig.log.slice(firstStale);
  // From the first stale decision on, every decision paused for staleness, none else.
  for (const entry of pauses) {
    assert.equal(entry.decision.action, 'pause', `${entry.decision.reason}`);
    assert.match(entry.decision.reason, reason);
  }
  // The first, the target change's, and a periodic check every 5 s of the last 25 s.
  assert.ok(pauses.length >= 7, `${pauses.length} stale decisions`);
  assert.equal(rig.hedgeRequests().length, requests, 'nothing reached the venue while stale');
  assert.deepEqual(
    sentHedges(rig).filter((report) => report.ts >= from),
    [],
    'no hedge sent while stale',
  );
  // Not vacuous: while paused, the policy would have hedged on what it saw.
  const wouldHedge = rig.log.slice(targetFrom).filter((entry) => calledFor(entry, policy, rig));
  assert.ok(wouldHedge.length > 0, `no stale decision found a hedge due under ${policy}`);

  relay.release();
  rig.mark('release');
  await rig.catchUp();
  await rig.settle();
  await rig.catchUp();
  state = rig.hedger.state();
  assert.equal(state.mode, 'on', `resumed: ${state.reason ?? ''}`);
  const resumed = sentHedges(rig).filter((report) => report.ts >= until);
  assert.ok(resumed.length >= 1, 'hedged once the data was fresh');
  return { from, until, pauses, targetFrom };
}

/** Whether this decision's inputs, had they been fresh, called for a hedge under `policy`. */
function calledFor(entry: HedgeLogEntry, policy: PolicyName, rig: Rig): boolean {
  const off = netOf(entry) - NEW_TARGET;
  if (policy === 'time') {
    const last = entry.inputs.lastHedgeAt ?? null;
    const due = last === null || entry.ts - last >= EVERY_MS;
    return due && Math.abs(off) > halfLotCoins(entry);
  }
  const band = entry.measure.bandUsd;
  const index = entry.inputs.indexUsd;
  assert.ok(band !== null && index !== null, `${rig.venue}: a band while stale`);
  return Math.abs(off) > band / index;
}

/**
 * The book hedged by hand in the hedge instrument, to the nearest lot: the time policy's
 * first due time (the switch-on) then finds the net on the target with nothing to trade.
 */
async function hedgeByHand(rig: Rig): Promise<void> {
  rig.hedger.status();
  const net = rig.hedger.state().measure.netDelta;
  const mark = rig.engine.market.ticker(rig.venue, rig.hedgeInstrument)?.mark ?? null;
  const spec = rig.engine.market.registry(rig.venue).get(rig.hedgeInstrument);
  assert.ok(net !== null && mark !== null && spec !== undefined);
  const perCoin = spec.sizeUnit === 'usd' ? mark : 1;
  const lots = Math.round((Math.abs(net) * perCoin) / spec.lotSize);
  assert.ok(lots > 0);
  await rig.trade([
    {
      instrument: rig.hedgeInstrument,
      side: net > 0 ? 'sell' : 'buy',
      amount: Number((lots * spec.lotSize).toFixed(8)),
    },
  ]);
  rig.hedger.status();
  const after = rig.hedger.state().measure.netDelta;
  const halfLot = spec.lotSize / perCoin / 2;
  assert.ok(after !== null && Math.abs(after) <= halfLot, `hand-hedged to ${after}`);
}

function netOf(entry: HedgeLogEntry): number {
  const net = (entry.inputs.optionsDelta ?? NaN) + (entry.inputs.hedgeDelta ?? NaN);
  assert.ok(Number.isFinite(net));
  return net;
}

/** Half the hedge instrument's lot, in coins: what rounding an order to whole lots leaves. */
function halfLotCoins(entry: HedgeLogEntry): number {
  const hedge = entry.inputs.hedge;
  const perCoin = hedge.sizeUnit === 'usd' ? (hedge.mark ?? NaN) : 1;
  return hedge.lotSize / perCoin / 2;
}

/**
 * How far a step whose index moved `indexMove` USD can carry the net, in coins: the options'
 * delta by their gamma and an inverse hedge's coin delta (−USD size / mark) by the move's
 * share of the price, doubled, plus 2e-4 coins. The options' delta also drifts with time and
 * the smile, whatever the index does: over every no-hedge step of these runs the net moved at
 * most 8.5e-5 coins more than gamma × the index move (measured when the tolerance was set),
 * so the floor covers that drift with room, and the doubling what the smile adds to a move.
 */
function moveBound(entry: HedgeLogEntry, indexMove: number): number {
  const gamma = Math.abs(entry.inputs.optionsGamma ?? NaN);
  const index = entry.inputs.indexUsd ?? NaN;
  const inverse =
    entry.inputs.hedge.sizeUnit === 'usd' ? Math.abs(entry.inputs.hedgeDelta ?? 0) : 0;
  const bound = 2 * (gamma * Math.abs(indexMove) + (inverse * Math.abs(indexMove)) / index) + 2e-4;
  assert.ok(Number.isFinite(bound));
  return bound;
}

function sentHedges(rig: Rig): { label: string; ts: number }[] {
  return rig.reports
    .filter((report) => report.outcome === 'sent' && report.label?.startsWith('ivt-hedge-'))
    .map((report) => ({ label: report.label as string, ts: report.ts }));
}

/** No hedge was decided on data older than the limit (the decision's own inputs say so). */
function checkNoneOnStaleData(rig: Rig): void {
  const limit = rig.config.staleAfterMs;
  for (const entry of rig.log) {
    if (entry.decision.action !== 'hedge') continue;
    const { marketAgeMs, hedge, now } = entry.inputs;
    assert.ok(
      marketAgeMs !== null && marketAgeMs <= limit,
      `${entry.label}: options ${marketAgeMs} ms old`,
    );
    assert.ok(hedge.quoteTs !== null && now - hedge.quoteTs <= limit, `${entry.label}: quote old`);
  }
}

/**
 * Each hedge decided traded the net (as its decision priced it) to within half a lot of the
 * target, or with `edge` to within half a lot of just inside the band's nearer edge (0.9 of
 * the half-width, on the side it left from). Returns, per hedge, the lots traded and the lots
 * a hedge all the way to the target would have traded.
 */
function checkHedgeSizes(run: Run, edge: boolean): { traded: number; toTarget: number }[] {
  const sizes: { traded: number; toTarget: number }[] = [];
  run.rig.log.forEach((entry, index) => {
    const decision = entry.decision;
    if (decision.action !== 'hedge') return;
    const { hedge, indexUsd } = entry.inputs;
    const off = netOf(entry) - (index >= run.targetFrom ? NEW_TARGET : 0);
    const perCoin = hedge.sizeUnit === 'usd' ? (hedge.mark ?? NaN) : 1;
    const lots = Number(decision.amount) / hedge.lotSize;
    const signed = decision.side === 'buy' ? 1 : -1;
    const after = off + (signed * Number(decision.amount)) / perCoin;
    // Decimal amounts over a binary lot: a whole number of lots to floating-point rounding.
    assert.ok(Math.abs(lots - Math.round(lots)) < 1e-6, `${entry.label}: ${lots} lots`);
    const half = halfLotCoins(entry) * (1 + 1e-9);
    if (edge) {
      const band = (entry.measure.bandUsd ?? NaN) / (indexUsd ?? NaN);
      const edgeAt = Math.sign(off) * 0.9 * band;
      assert.ok(Math.abs(after - edgeAt) <= half, `${entry.label}: left ${after}, edge ${edgeAt}`);
      assert.ok(Math.abs(after) < band, `${entry.label}: left ${after} outside ±${band}`);
    } else {
      assert.ok(Math.abs(after) <= half, `${entry.label}: left ${after} off the target`);
    }
    sizes.push({ traded: lots, toTarget: Math.round((Math.abs(off) * perCoin) / hedge.lotSize) });
  });
  assert.equal(sizes.length, run.rig.hedger.state().hedges, 'every hedge sent was decided so');
  return sizes;
}

/** The band policies: inside their own band at every sample, and the run-wide checks. */
function checkBandRun(run: Run): void {
  assert.deepEqual(run.skipped, [], 'the hedger on with nothing in flight at every sample');
  // The positions panel and the hedger price the book from the same quotes at the same
  // clock time: they agree to rounding, which a millionth of a coin covers.
  const outside = run.samples.filter(
    (sample) => sample.band === null || Math.abs(sample.off) > sample.band + 1e-6,
  );
  assert.deepEqual(
    outside.map((sample) => `${sample.what}: ${sample.off} vs ±${sample.band}`),
    [],
    'net outside the band with nothing in flight',
  );
  checkOneAtATime(run.rig);
  checkNoneOnStaleData(run.rig);
}

/**
 * The time policy: a hedge right after each due time and none between (the report times
 * against the interval), the net back at the target after each, and the trader's trades
 * between due times left alone.
 */
function checkTimeRun(run: Run): void {
  const { rig, stale } = run;
  assert.ok(stale !== null);
  assert.deepEqual(run.skipped, [], 'the hedger on with nothing in flight at every sample');
  // A due time is met by the first decision at or after it: a periodic one comes within
  // `periodicMs`, held at most a debounce behind a decision the market asked for.
  const late = rig.config.periodicMs + rig.config.debounceMs;
  // The switch-on was a due time (no hedge yet) and found the hand-hedged net on the
  // target: met, with nothing sent, so the next due time is an interval on.
  const first = rig.log[0];
  assert.ok(first !== undefined && first.decision.action === 'none');
  assert.match(first.decision.reason, /every 10 min: due, but under half a lot/);
  const sent = sentHedges(rig);
  let due = run.activatedAt;
  const gaps: string[] = [];
  for (const hedge of sent) {
    if (hedge.ts >= stale.until && due < stale.until) {
      // The due time fell in the stale spell: the hedge waited for fresh data, then went at
      // once (the release's own catching up, within a second of the clock).
      assert.ok(hedge.ts - stale.until <= 1_000, `resumed ${hedge.ts - stale.until} ms late`);
      const dueAt = due + EVERY_MS;
      assert.ok(
        dueAt >= stale.from && dueAt <= stale.until,
        'the due time fell in the stale spell',
      );
    } else {
      const gap = hedge.ts - due;
      if (gap < EVERY_MS || gap > EVERY_MS + late) gaps.push(`${hedge.label} ${gap} ms after`);
    }
    due = hedge.ts;
  }
  assert.deepEqual(gaps, [], 'a hedge only right after a due time');
  const end = rig.clock.now();
  assert.ok(end - due < EVERY_MS + late, 'the last due time before the end was met');
  assert.ok(sent.length >= 5, `${sent.length} hedges in the hour`);

  for (const sample of run.samples) {
    if (sample.what.startsWith('trade')) {
      // The trade left the net twenty fixed bands and more off the target (the fixed band
      // would have hedged at once), and between due times nothing went.
      assert.equal(sample.sent, 0, `${sample.what}: hedged between due times`);
      assert.ok(Math.abs(sample.off) > 0.05, `${sample.what}: net ${sample.off}`);
    } else if (sample.sent > 0) {
      assert.equal(sample.sent, 1);
      assert.ok(
        Math.abs(sample.off) <= sample.halfLot + sample.move,
        `${sample.what}: ${sample.off} off after the due hedge (±${sample.halfLot} + ${sample.move})`,
      );
    }
  }
  assert.equal(
    run.samples.filter((sample) => sample.sent > 0).length,
    sent.length,
    'every hedge was sampled after',
  );
  checkOneAtATime(rig);
  checkNoneOnStaleData(rig);
}

function tradesIn(plan: Plan): number {
  return TRADE_MINUTES.filter((minute) => minute < plan.minutes).length;
}

function summary(venue: VenueName, name: string, run: Run): string {
  const hedges = run.rig.hedger.state().hedges;
  const worst = Math.max(...run.samples.map((sample) => Math.abs(sample.off)));
  return (
    `${venue} ${name}: ${hedges} hedges over ${run.steps} steps; largest |net − target| ` +
    `at a sample ${worst.toFixed(5)} BTC` +
    (run.stale === null ? '' : `; ${run.stale.pauses.length} stale pauses, none sent`)
  );
}

async function scenario(
  venue: VenueName,
  name: string,
  policy: PolicyName,
  config: Partial<HedgeConfig>,
  plan: Plan,
  check: (run: Run) => void,
): Promise<void> {
  const wall = Date.now();
  const run = await runPolicy(venue, policy, config, plan);
  try {
    check(run);
    console.log(`${summary(venue, name, run)} (${Date.now() - wall} ms)`);
  } finally {
    await run.rig.close();
  }
}

describe('every hedging policy over the sim, both venues', () => {
  for (const venue of ['deribit', 'bybit'] as const) {
    it(`${venue}, fixed band: the net inside ±0.25 % of a coin after every step, one hedge at a time, none while stale`, async () => {
      await scenario(venue, 'fixed', 'fixed', {}, BAND_PLAN, (run) => {
        checkBandRun(run);
        checkHedgeSizes(run, false);
        // 0.25 % of one coin's value is 0.0025 coins, to the division's rounding.
        assert.ok(run.samples.every((sample) => Math.abs((sample.band ?? 0) - 0.0025) < 1e-12));
      });
    });

    it(`${venue}, gamma band (γ 1e-3/$): the net inside its own band after every step, one hedge at a time, none while stale`, async () => {
      await scenario(
        venue,
        'gamma',
        'gamma',
        { policy: 'gamma', aversion: 1e-3 },
        BAND_PLAN,
        (run) => {
          checkBandRun(run);
          const sizes = checkHedgeSizes(run, false);
          // The switch-on, each of the trader's trades, the new target: each past any band.
          assert.ok(sizes.length >= tradesIn(BAND_PLAN) + 2, `${sizes.length} hedges`);
          // Its own band, not the fixed one: wider by far where the book's gamma is, and the net
          // was let out past the fixed band and held inside its own.
          assert.ok(run.samples.every((sample) => (sample.band ?? 0) > 0.01));
          assert.ok(run.samples.some((sample) => Math.abs(sample.off) > 0.01));
        },
      );
    });

    it(`${venue}, time (every 10 min): back at the target right after each due time, nothing between, one at a time, none while stale`, async () => {
      await scenario(
        venue,
        'time',
        'time',
        { policy: 'time', everyMs: EVERY_MS },
        TIME_PLAN,
        checkTimeRun,
      );
    });

    it(`${venue}, gamma band to its edge: each hedge leaves the net just inside the band, trading less than to the target`, async () => {
      await scenario(
        venue,
        'gamma to the edge',
        'gamma',
        { policy: 'gamma', aversion: 1e-3, hedgeTo: 'edge' },
        EDGE_PLAN,
        (run) => {
          checkBandRun(run);
          const sizes = checkHedgeSizes(run, true);
          assert.ok(sizes.length >= tradesIn(EDGE_PLAN) + 1, `${sizes.length} hedges`);
          for (const size of sizes) {
            assert.ok(
              size.traded < size.toTarget,
              `${size.traded} lots vs ${size.toTarget} to the target`,
            );
          }
        },
      );
    });
  }
});
