/**
 * One coin's fitted surface as `ivtrade surface` and `replay --emit surface` print it: the
 * chain's latest option tickers grouped by expiry (IVs solved by ivtrade from bid and ask at
 * each expiry's forward), the SVI fit with its quality and arbitrage flags, the constant-
 * maturity grid, read-outs per expiry and per constant maturity, and the 30-day index.
 */
import type { TickerEvent } from '../book/events.js';
import type { OptionContract } from '../instruments/types.js';
import { yearFraction } from '../pricing/index.js';
import {
  DELTA_POINTS,
  expiryFromPrices,
  expiryReadouts,
  fitSurface,
  surfaceGrid,
  volIndex,
  type DeltaConvention,
  type ExpiryChain,
  type PriceQuote,
  type SmileReadouts,
} from '../surface/index.js';
import { SURFACE_MATURITY_DAYS, type SurfaceMinute } from '../store/surface-history.js';
import type { CoinSurface } from './surface-model.js';

export interface QuotedOption {
  readonly ticker: TickerEvent;
  readonly contract: OptionContract;
}

/**
 * Each chain's expiries (keyed `base/quote`) from its options' latest tickers, valued at `nowMs`. An expiry's forward
 * is its newest ticker's (the venue prices every strike of an expiry off one forward); options
 * with no forward, and expired expiries, are left out.
 */
export function chainsByCoin(
  options: Iterable<QuotedOption>,
  nowMs: number,
): Map<string, ExpiryChain[]> {
  interface Gathering {
    forward: number;
    forwardTs: number;
    settlement: OptionContract['settlement'];
    quotes: PriceQuote[];
  }
  const byCoin = new Map<string, Map<number, Gathering>>();
  for (const { ticker, contract } of options) {
    if (ticker.forward === null || !(ticker.forward > 0)) continue;
    // A coin's inverse and linear options (BTC and BTC_USDC on Deribit) are two chains.
    const chain = `${contract.base}/${contract.quote}`;
    let expiries = byCoin.get(chain);
    if (expiries === undefined) {
      expiries = new Map<number, Gathering>();
      byCoin.set(chain, expiries);
    }
    let expiry = expiries.get(contract.expiry);
    if (expiry === undefined) {
      expiry = {
        forward: ticker.forward,
        forwardTs: ticker.ts,
        settlement: contract.settlement,
        quotes: [],
      };
      expiries.set(contract.expiry, expiry);
    }
    if (ticker.ts >= expiry.forwardTs) {
      expiry.forward = ticker.forward;
      expiry.forwardTs = ticker.ts;
    }
    expiry.quotes.push({
      strike: contract.strike,
      type: contract.type,
      bid: ticker.bid,
      ask: ticker.ask,
    });
  }
  const out = new Map<string, ExpiryChain[]>();
  for (const [chain, expiries] of byCoin) {
    const chains: ExpiryChain[] = [];
    for (const [expiryMs, e] of expiries) {
      const years = yearFraction(nowMs, expiryMs);
      if (!(years > 0)) continue;
      chains.push(
        expiryFromPrices({
          expiryMs,
          years,
          forward: e.forward,
          style: e.settlement,
          quotes: e.quotes,
        }),
      );
    }
    out.set(
      chain,
      chains.sort((a, b) => a.expiryMs - b.expiryMs),
    );
  }
  return out;
}

/**
 * One coin's surface from its expiries (built by `chainsByCoin`), in the shape the live model
 * gives the screen: a saved reply or a recording has no book health to report beyond its
 * quote count.
 */
export function coinSurfaceOf(
  venue: string,
  coin: string,
  quote: string,
  ts: number,
  chains: readonly ExpiryChain[],
  options: { deltaConvention?: DeltaConvention; previous?: CoinSurface | null } = {},
): CoinSurface {
  const conv = options.deltaConvention ?? 'forward';
  const fit = fitSurface(chains, { warmStart: options.previous?.fit ?? null });
  return {
    venue,
    coin,
    quote,
    ts,
    chainVersion: 0,
    deltaConvention: conv,
    inputs: chains,
    fit,
    grid: surfaceGrid(fit.expiries, conv),
    expiries: fit.expiries.map((expiry) => ({
      expiryMs: expiry.expiryMs,
      days: (expiry.expiryMs - ts) / 86_400_000,
      readouts: expiryReadouts(expiry, conv),
    })),
    index: volIndex(chains),
    health: {
      quoted: chains.reduce((sum, chain) => sum + chain.quotes.length, 0),
      stale: 0,
      withoutForward: 0,
    },
  };
}

/** Six significant digits: what a fitted number means; null stays null. */
function sig(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value)
    ? null
    : Number(value.toPrecision(6));
}

function readoutsJson(r: SmileReadouts): Record<string, number | null> {
  return {
    atmIv: sig(r.atmIv),
    rr25: sig(r.rr25),
    bf25: sig(r.bf25),
    rr10: sig(r.rr10),
    bf10: sig(r.bf10),
    skewSlope: sig(r.skewSlope),
  };
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The report as one JSON object (one line of `--json`): vols are decimals (0.65 = 65 %),
 * moneyness is k = ln(K/F), SVI parameters are raw SVI in total variance.
 */
export function surfaceJson(report: CoinSurface): Record<string, unknown> {
  const { fit, grid } = report;
  return {
    kind: 'surface',
    venue: report.venue,
    coin: report.coin,
    quote: report.quote,
    ts: report.ts,
    time: new Date(report.ts).toISOString(),
    deltaConvention: grid.deltaConvention,
    quotes: report.health.quoted,
    staleQuotes: report.health.stale,
    arbitrageFree: fit.arbitrageFree,
    flagged: fit.flagged,
    index30d: {
      value: sig(report.index.value),
      method: report.index.method,
      near: report.index.near === null ? null : isoDay(report.index.near.expiryMs),
      next: report.index.next === null ? null : isoDay(report.index.next.expiryMs),
    },
    expiries: fit.expiries.map((e, at) => ({
      expiry: isoDay(e.expiryMs),
      expiryMs: e.expiryMs,
      years: sig(e.years),
      forward: e.forward,
      fit: e.kind,
      svi: {
        a: sig(e.params.a),
        b: sig(e.params.b),
        rho: sig(e.params.rho),
        m: sig(e.params.m),
        sigma: sig(e.params.sigma),
      },
      quality: {
        quotes: e.quality.quotes,
        twoSided: e.quality.twoSided,
        insideSpread: e.quality.insideSpread,
        rmsOutside: sig(e.quality.rmsOutside),
        maxOutside: sig(e.quality.maxOutside),
      },
      arbitrage: e.arbitrage.map((flag) => ({
        check: flag.check,
        kFrom: sig(flag.kFrom),
        kTo: sig(flag.kTo),
        worst: sig(flag.worst),
        repaired: flag.repaired,
      })),
      ...readoutsJson(report.expiries[at]!.readouts),
    })),
    skipped: fit.skipped.map((s) => ({ expiry: isoDay(s.expiryMs), reason: s.reason })),
    grid: {
      logMoneyness: grid.logMoneyness,
      deltas: DELTA_POINTS.map((point) => point.label),
      rows: grid.rows.map((row) => ({
        days: row.days,
        byLogMoneyness: row.byLogMoneyness.map(sig),
        byDelta: row.byDelta.map(sig),
        ...readoutsJson(row.readouts),
      })),
    },
  };
}

/**
 * A chain's surface as one minute of its Redis history: the grid rows' read-outs by maturity,
 * the 30-day index, whether the fit needed repair or is still flagged, and the grid as JSON.
 */
export function surfaceMinuteOf(surface: CoinSurface): SurfaceMinute {
  const json = surfaceJson(surface);
  const rows = surface.grid.rows;
  const readouts = SURFACE_MATURITY_DAYS.map((days) => {
    const row = rows.find((r) => r.days === days);
    const r = row?.readouts;
    return {
      atm: r?.atmIv ?? null,
      rr25: r?.rr25 ?? null,
      bf25: r?.bf25 ?? null,
      rr10: r?.rr10 ?? null,
      bf10: r?.bf10 ?? null,
      skew: r?.skewSlope ?? null,
    };
  });
  return {
    quote: surface.quote,
    readouts,
    index30d: surface.index.value,
    arbitrage: !surface.fit.arbitrageFree ? 'flagged' : surface.fit.flagged ? 'repaired' : 'clean',
    delta: surface.deltaConvention,
    grid: JSON.stringify(json['grid']),
  };
}
