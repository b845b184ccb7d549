// Throughput: Black-76 pricing and implied-vol solves per second, ivtrade
// against its npm peers on identical inputs, in one process on one thread.

import bs from 'black-scholes';
import peerIv from 'implied-volatility';
import { black76Greeks, black76Price, impliedVol } from '../src/pricing/index.js';
import { PEER_IV, PEER_PRICER, chainInputs, type OptionInputs, type Row } from './common.js';
import { race } from './timing.js';

export interface ThroughputConfig {
  reps: number;
  /** Options priced per timed repetition by ivtrade. */
  pricingN: number;
  /** The peer is ~100× slower; it gets a prefix of the same inputs. */
  pricingPeerN: number;
  ivN: number;
  ivPeerN: number;
}

export interface ThroughputResult {
  rows: Row[];
  notes: string[];
  /** Sum of everything computed; printed so that no result can be optimised away. */
  sink: number;
}

// Each kernel is its own function with a single call target, so V8 sees a
// monomorphic loop, and returns a sum of its results so the work is observable.

function greeksKernel(inp: OptionInputs, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const g = black76Greeks(inp.F[i]!, inp.K[i]!, inp.T[i]!, inp.sigma[i]!, inp.type[i]!);
    acc += g.price + g.delta + g.gamma + g.vega + g.theta;
  }
  return acc;
}

function priceKernel(inp: OptionInputs, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += black76Price(inp.F[i]!, inp.K[i]!, inp.T[i]!, inp.sigma[i]!, inp.type[i]!);
  }
  return acc;
}

function peerPriceKernel(inp: OptionInputs, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    // r = 0 and spot = forward: Black–Scholes then is Black-76.
    acc += bs.blackScholes(inp.F[i]!, inp.K[i]!, inp.T[i]!, inp.sigma[i]!, 0, inp.type[i]!);
  }
  return acc;
}

function ivKernel(inp: OptionInputs, prices: Float64Array, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += impliedVol(prices[i]!, inp.F[i]!, inp.K[i]!, inp.T[i]!, inp.type[i]!);
  }
  return acc;
}

function peerIvKernel(inp: OptionInputs, prices: Float64Array, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += peerIv.getImpliedVolatility(
      prices[i]!,
      inp.F[i]!,
      inp.K[i]!,
      inp.T[i]!,
      0,
      inp.type[i]!,
    );
  }
  return acc;
}

// Distinct seeds keep the pricing and IV samples independent of each other.
const PRICING_SEED = 0x1b76;
const IV_SEED = 0x17e5;

export function runThroughput(cfg: ThroughputConfig, log: (s: string) => void): ThroughputResult {
  const sink = { v: 0 };
  const notes: string[] = [];
  const rows: Row[] = [];

  log(`pricing: ${cfg.pricingN} options for ivtrade, first ${cfg.pricingPeerN} for ${PEER_PRICER}`);
  const pin = chainInputs(cfg.pricingN, PRICING_SEED);
  const [greeksOps, priceOps, peerPriceOps] = race(
    [
      { run: () => greeksKernel(pin, pin.n), ops: pin.n },
      { run: () => priceKernel(pin, pin.n), ops: pin.n },
      { run: () => peerPriceKernel(pin, cfg.pricingPeerN), ops: cfg.pricingPeerN },
    ],
    cfg.reps,
    sink,
  ) as [number, number, number];
  rows.push({
    bench: 'pricing',
    metric: 'black76Greeks (price+4 greeks) vs peer price, ops/s',
    better: 'higher',
    unit: 'ops/s',
    ivtrade: greeksOps,
    peer: PEER_PRICER,
    peerValue: peerPriceOps,
    target: { on: 'ratio', op: '>=', value: 50 },
  });
  rows.push({
    bench: 'pricing',
    metric: 'black76Price vs peer price, ops/s',
    better: 'higher',
    unit: 'ops/s',
    ivtrade: priceOps,
    peer: PEER_PRICER,
    peerValue: peerPriceOps,
    target: { on: 'ratio', op: '>=', value: 50 },
  });
  notes.push(
    `pricing: ${PEER_PRICER} computes the price only (no greeks); it was timed on the first ` +
      `${cfg.pricingPeerN} of the ${cfg.pricingN} options ivtrade priced per repetition.`,
  );

  log(`iv: ${cfg.ivN} solves for ivtrade, first ${cfg.ivPeerN} for ${PEER_IV}`);
  const iin = chainInputs(cfg.ivN, IV_SEED);
  const prices = new Float64Array(iin.n);
  for (let i = 0; i < iin.n; i++) {
    prices[i] = black76Price(iin.F[i]!, iin.K[i]!, iin.T[i]!, iin.sigma[i]!, iin.type[i]!);
  }
  const [ivOps, peerIvOps] = race(
    [
      { run: () => ivKernel(iin, prices, iin.n), ops: iin.n },
      { run: () => peerIvKernel(iin, prices, cfg.ivPeerN), ops: cfg.ivPeerN },
    ],
    cfg.reps,
    sink,
  ) as [number, number];
  rows.push({
    bench: 'iv',
    metric: 'implied vol solves/s',
    better: 'higher',
    unit: 'ops/s',
    ivtrade: ivOps,
    peer: PEER_IV,
    peerValue: peerIvOps,
    target: { on: 'ivtrade', op: '>=', value: 1e6 },
  });

  // Failures are judged on the peer's sample for both sides, so the counts compare.
  let ours = 0;
  let theirs = 0;
  for (let i = 0; i < cfg.ivPeerN; i++) {
    const F = iin.F[i]!;
    const K = iin.K[i]!;
    const T = iin.T[i]!;
    const sigma = iin.sigma[i]!;
    const type = iin.type[i]!;
    if (!solvedWell(impliedVol(prices[i]!, F, K, T, type), sigma)) ours++;
    if (!solvedWell(peerIv.getImpliedVolatility(prices[i]!, F, K, T, 0, type), sigma)) theirs++;
  }
  let oursAll = 0;
  for (let i = 0; i < iin.n; i++) {
    if (
      !solvedWell(
        impliedVol(prices[i]!, iin.F[i]!, iin.K[i]!, iin.T[i]!, iin.type[i]!),
        iin.sigma[i]!,
      )
    ) {
      oursAll++;
    }
  }
  rows.push({
    bench: 'iv',
    metric: 'failures on the peer sample (NaN or |error| > 1e-4)',
    better: 'lower',
    unit: 'count',
    ivtrade: ours,
    peer: PEER_IV,
    peerValue: theirs,
  });
  notes.push(
    `iv: ${PEER_IV} is a 100-step bisection (${(1e3 / peerIvOps).toFixed(1)} ms a solve), ` +
      `so it was timed on the first ${cfg.ivPeerN} of the ${cfg.ivN} prices; ` +
      `ivtrade failed ${oursAll} of all ${cfg.ivN}.`,
  );

  return { rows, notes, sink: sink.v };
}

/** 1e-4 is 0.01 vol points: a solve further off than that is useless to a trader. */
function solvedWell(iv: number, sigma: number): boolean {
  return Number.isFinite(iv) && Math.abs(iv - sigma) <= 1e-4;
}
