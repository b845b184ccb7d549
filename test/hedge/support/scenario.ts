// Option books of different shapes, held for hours of simulated market with the hedger on,
// sampled after every step; and the checks every scenario must pass.

import assert from 'node:assert/strict';
import type { HedgeLogEntry } from '../../../src/hedge/types.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import type { SimExchange, SimOrderRequest } from '../../../src/sim/contract.js';
import { openRig, type Rig, type VenueName } from './rig.js';

export interface Leg {
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
}

export type ShapeName = 'long straddle' | 'short strangle' | 'risk reversal' | 'single call';

const DAY_MS = 86_400_000;

/**
 * The expiry nearest three weeks out with quotes both sides, and in it the option of `type`
 * whose strike is nearest `moneyness` × forward.
 */
export function pickOption(
  exchange: SimExchange,
  now: number,
  type: 'call' | 'put',
  moneyness: number,
): string {
  const options = exchange
    .instruments({ currency: 'BTC', kind: 'option' })
    .map((instrument) => instrument.spec)
    .filter(
      (spec): spec is OptionSpec => spec.kind === 'option' && spec.expiry - now >= 10 * DAY_MS,
    );
  const expiries = [...new Set(options.map((spec) => spec.expiry))];
  assert.ok(expiries.length > 0, 'no option listed 10 days out');
  const fromTarget = (expiry: number): number => Math.abs(expiry - now - 21 * DAY_MS);
  const expiry = expiries.reduce((best, candidate) =>
    fromTarget(candidate) < fromTarget(best) ? candidate : best,
  );
  let best: { name: string; distance: number } | null = null;
  for (const spec of options) {
    if (spec.expiry !== expiry || spec.type !== type) continue;
    const ticker = exchange.ticker(spec.name);
    const forward = ticker?.underlyingPrice ?? null;
    if (ticker === undefined || forward === null) continue;
    if (ticker.bestBidPrice === null || ticker.bestAskPrice === null) continue;
    const distance = Math.abs(spec.strike - moneyness * forward);
    if (best === null || distance < best.distance) best = { name: spec.name, distance };
  }
  assert.ok(best !== null, `no two-sided ${type} near ${moneyness} × forward`);
  return best.name;
}

export function shapeLegs(
  shape: ShapeName,
  exchange: SimExchange,
  now: number,
  size: number,
): Leg[] {
  const pick = (type: 'call' | 'put', moneyness: number): string =>
    pickOption(exchange, now, type, moneyness);
  switch (shape) {
    case 'long straddle':
      return [
        { instrument: pick('call', 1), side: 'buy', amount: size },
        { instrument: pick('put', 1), side: 'buy', amount: size },
      ];
    case 'short strangle':
      return [
        { instrument: pick('call', 1.05), side: 'sell', amount: size },
        { instrument: pick('put', 0.95), side: 'sell', amount: size },
      ];
    case 'risk reversal':
      return [
        { instrument: pick('call', 1.05), side: 'buy', amount: size },
        { instrument: pick('put', 0.95), side: 'sell', amount: size },
      ];
    case 'single call':
      return [{ instrument: pick('call', 1), side: 'buy', amount: size }];
  }
}

export interface ScenarioPlan {
  readonly hours: number;
  /** The ordinary step: a few seconds. */
  readonly stepMs: number;
  /** Every so often the market gaps: one step this long (a jump, to the hedger). */
  readonly gapEveryMs: number;
  readonly gapMs: number;
}

export interface ScenarioResult {
  readonly steps: number;
  readonly samples: number;
  /** Samples skipped because a hedge order was in flight. */
  readonly inFlight: number;
  readonly hedges: number;
  /** Largest |net delta| (coins) at a sample with nothing in flight. */
  readonly maxAbsNet: number;
  /** Samples outside the band with nothing in flight: what the test fails on. */
  readonly outside: readonly string[];
  readonly gaps: number;
  /** Largest index move in one step, as a fraction. */
  readonly biggestMove: number;
  readonly drift: number;
}

/** Opens the legs, switches the hedger on, and steps the market for `hours`, sampling. */
export async function runScenario(
  rig: Rig,
  legs: readonly Leg[],
  plan: ScenarioPlan,
): Promise<ScenarioResult> {
  const requests: Omit<SimOrderRequest, 'type'>[] = legs.map((leg) => ({ ...leg }));
  await rig.trade(requests);
  const band = bandCoins(rig);
  const outside: string[] = [];
  let samples = 0;
  let inFlight = 0;
  let maxAbsNet = 0;
  const sample = (): void => {
    samples += 1;
    const state = rig.hedger.state();
    if (state.inFlight !== null) {
      inFlight += 1;
      return;
    }
    const net = rig.netDelta();
    maxAbsNet = Math.max(maxAbsNet, Math.abs(net));
    if (Math.abs(net) > band) {
      outside.push(
        `${new Date(rig.clock.now()).toISOString()} net ${net.toFixed(5)} > ${band} (${state.mode} ${state.reason ?? ''}; ${state.recent[0] ?? ''})`,
      );
    }
  };

  assert.match(rig.hedger.activate(), /^hedger ON/);
  await rig.settle();
  sample();

  const startIndex = rig.exchange.indexPrice('BTC');
  const end = rig.simNow() + plan.hours * 3_600_000;
  let nextGap = rig.simNow() + plan.gapEveryMs;
  let steps = 0;
  let gaps = 0;
  let biggestMove = 0;
  while (rig.simNow() < end) {
    const gap = rig.simNow() >= nextGap;
    if (gap) {
      nextGap += plan.gapEveryMs;
      gaps += 1;
    }
    const before = rig.exchange.indexPrice('BTC');
    await rig.step(gap ? plan.gapMs : plan.stepMs);
    biggestMove = Math.max(biggestMove, Math.abs(rig.exchange.indexPrice('BTC') / before - 1));
    steps += 1;
    sample();
  }
  return {
    steps,
    samples,
    inFlight,
    hedges: rig.hedger.state().hedges,
    maxAbsNet,
    outside,
    gaps,
    biggestMove,
    drift: rig.exchange.indexPrice('BTC') / startIndex - 1,
  };
}

/** The default band in coins: a fraction of one coin's value is that fraction of a coin. */
export function bandCoins(rig: Rig): number {
  const band = rig.config.band;
  assert.equal(band.kind, 'fraction', 'the scenarios run on the default band');
  return band.value;
}

/**
 * What every scenario must show beside the samples: only the hedge instrument traded, each
 * hedge on the right side and of the size the net called for, never one inside the band,
 * never two at once, and as many as the sim booked.
 */
export function checkHedges(rig: Rig, result: ScenarioResult): void {
  assert.deepEqual(result.outside, [], 'net delta outside the band with nothing in flight');

  const requests = rig.orderLog.filter((entry) => entry.action === 'place');
  for (const entry of requests) {
    const request = entry.request as SimOrderRequest;
    assert.equal(request.instrument, rig.hedgeInstrument, 'only the hedge instrument is traded');
    assert.match(request.label ?? '', /^ivt-hedge-hedge1-\d+$/);
    assert.equal(request.timeInForce, 'immediate_or_cancel');
    assert.equal(request.type, 'limit');
  }

  const hedges = rig.log.filter(
    (entry): entry is HedgeLogEntry & { label: string } =>
      entry.decision.action === 'hedge' && entry.label !== undefined,
  );
  assert.equal(hedges.length, result.hedges);
  assert.equal(requests.length, hedges.length, 'every hedge reached the exchange once');
  for (const entry of hedges) checkHedge(rig, entry, requests);

  checkOneAtATime(rig);

  // No loop: each step can call for a hedge at most once, and most must not.
  assert.ok(
    result.hedges <= result.steps / 3,
    `${result.hedges} hedges over ${result.steps} steps`,
  );
}

function checkHedge(
  rig: Rig,
  entry: HedgeLogEntry & { label: string },
  requests: readonly { request: unknown }[],
): void {
  const { inputs, measure, decision } = entry;
  assert.ok(decision.action === 'hedge');
  const net = (inputs.optionsDelta ?? NaN) + (inputs.hedgeDelta ?? NaN);
  assert.ok(Number.isFinite(net));
  assert.ok(
    Math.abs(measure.netUsd ?? 0) > (measure.bandUsd ?? Infinity),
    `${entry.label} hedged inside the band`,
  );
  assert.equal(decision.side, net > 0 ? 'sell' : 'buy', `${entry.label} side`);
  const lot = inputs.hedge.lotSize;
  const wanted =
    inputs.hedge.sizeUnit === 'usd'
      ? (Math.abs(net) * (inputs.hedge.mark ?? NaN)) / lot
      : Math.abs(net) / lot;
  const lots = Number(decision.amount) / lot;
  assert.ok(
    Math.abs(lots - Math.round(lots)) < 1e-6 && Math.abs(lots - wanted) <= 0.5 + 1e-6,
    `${entry.label}: ${decision.amount} for a net of ${net} coins (${wanted.toFixed(2)} lots)`,
  );
  const request = requests.find(
    (candidate) => (candidate.request as SimOrderRequest).label === entry.label,
  )?.request as SimOrderRequest | undefined;
  assert.ok(request !== undefined, `${entry.label} never reached the exchange`);
  assert.equal(request.side, decision.side);
  assert.equal(request.amount, Number(decision.amount));
}

export function summary(
  shape: string,
  venue: string,
  result: ScenarioResult,
  band: number,
): string {
  return (
    `${venue} ${shape}: ${result.hedges} hedges over ${result.steps} steps (${result.gaps} gaps, ` +
    `largest step move ${(result.biggestMove * 100).toFixed(2)}%, drift ${(result.drift * 100).toFixed(2)}%); ` +
    `max |net| outside flight ${result.maxAbsNet.toFixed(5)} BTC vs band ${band} BTC; ` +
    `${result.inFlight} of ${result.samples} samples in flight`
  );
}

/** Hours of the scenarios: 8-second steps, a 20-minute gap every 45 minutes. */
export const SCENARIO_PLAN: ScenarioPlan = {
  hours: 3,
  stepMs: 8_000,
  gapEveryMs: 45 * 60_000,
  gapMs: 20 * 60_000,
};

/** One shape on one venue, start to finish, with its one-line summary printed. */
export async function shapeScenario(
  venue: VenueName,
  shape: ShapeName,
  size: number,
  seed: number,
  plan: ScenarioPlan = SCENARIO_PLAN,
): Promise<void> {
  const rig = await openRig({ venue, seed });
  try {
    const legs = shapeLegs(shape, rig.exchange, rig.simNow(), size);
    const result = await runScenario(rig, legs, plan);
    console.log(summary(shape, venue, result, bandCoins(rig)));
    checkHedges(rig, result);
  } finally {
    await rig.close();
  }
}

/** One hedge order at a time: a hedge is sent only once every earlier one has finished. */
export function checkOneAtATime(rig: Rig): void {
  const open = new Set<string>();
  for (const report of rig.reports) {
    const label = report.label;
    if (label === null || !label.startsWith('ivt-hedge-')) continue;
    if (report.outcome === 'sent') {
      assert.deepEqual([...open], [], `${label} sent while ${[...open].join(', ')} in flight`);
      open.add(label);
    } else if (['filled', 'cancelled', 'rejected'].includes(report.outcome)) {
      open.delete(label);
    }
  }
}
