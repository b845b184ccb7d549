import type { AccountState } from '../book/account-state.js';
import type { PositionEvent } from '../book/events.js';
import type { MarketState } from '../book/market-state.js';
import type { OptionQuote } from '../book/option-chain.js';
import type { InstrumentSpec } from '../instruments/types.js';
import type { PositionRowView, PositionTotals, PositionsView } from './types.js';

/*
 * Units. A position's size is in its instrument's amount unit (`sizeUnit`): coins of the base
 * for options and linear contracts, USD for inverse futures and perpetuals. `contractSize`
 * is what one contract holds in that same unit (the venues' amount = contracts × contract
 * size), so it is already inside the size and multiplying by it again would scale a USDC
 * perpetual with a 0.001 BTC contract a thousandfold too small.
 *
 * Inverse options' delta is the plain Black-76 forward delta per coin, the same figure the
 * chain shows. Their premium is paid in coin, so the coin account's exposure also carries the
 * premium's own value; that adjustment is the hedger's to make when it sizes a hedge, not the
 * display's.
 *
 * Totals add the known figures only: a position whose greek or PnL is unknown (NaN, shown as
 * a dash) is left out, so a total can understate; it is still the sum of the known figures,
 * never NaN. The view carries no flag for it: the UI sees the dashes in the rows and marks
 * the totals. A position in an instrument the venue no longer lists has no base and stays out
 * of every total.
 */

interface Priced {
  readonly row: PositionRowView;
  readonly spec: InstrumentSpec | undefined;
}

/**
 * Positions of one venue, options first, with live marks, PnL, greeks and per-coin totals.
 * Reads the chains as they stand: the caller settles the market state first.
 */
export function buildPositionsView(
  market: MarketState,
  account: AccountState,
  venue: string,
): PositionsView {
  const registry = market.registry(venue);
  const usd = usdPrices(market, venue);
  const priced: Priced[] = account.positions(venue).map((position) => {
    const spec = registry.get(position.instrument);
    return { row: priceRow(market, venue, position, spec, usd), spec };
  });
  priced.sort(compareRows);
  return { rows: priced.map((entry) => entry.row), totals: totalsByBase(priced) };
}

type UsdPrice = (base: string) => number;

function priceRow(
  market: MarketState,
  venue: string,
  position: PositionEvent,
  spec: InstrumentSpec | undefined,
  usd: UsdPrice,
): PositionRowView {
  const size = position.size;
  const averagePrice = position.averagePrice;
  const venuePnl = position.unrealizedPnl ?? NaN;
  if (spec === undefined) {
    return {
      instrument: position.instrument,
      kind: 'unknown',
      size,
      averagePrice,
      mark: position.markPrice ?? NaN,
      pnl: venuePnl,
      pnlCurrency: '',
      pnlUsd: NaN,
      delta: NaN,
      gamma: NaN,
      vega: NaN,
      theta: NaN,
    };
  }

  const live = spec.kind === 'option' ? optionFigures(market, venue, spec.name) : undefined;
  const liveMark = spec.kind === 'option' ? live?.mark : market.ticker(venue, spec.name)?.mark;
  const mark = firstFinite(liveMark, position.markPrice);
  const inverseAmount = spec.kind !== 'option' && spec.sizeUnit === 'usd';
  const computed = inverseAmount
    ? size * (1 / averagePrice - 1 / mark)
    : (mark - averagePrice) * size;
  const pnl = Number.isFinite(computed) ? computed : venuePnl;
  // Linear contracts settle in a dollar stablecoin, taken at par.
  const pnlUsd = spec.settlement === 'linear' ? pnl : pnl * usd(spec.base);

  if (spec.kind === 'option') {
    return {
      instrument: spec.name,
      kind: 'option',
      size,
      averagePrice,
      mark,
      pnl,
      pnlCurrency: spec.settleCurrency,
      pnlUsd,
      delta: size * finite(live?.delta),
      gamma: size * finite(live?.gamma),
      vega: size * finite(live?.vega),
      theta: size * finite(live?.theta),
    };
  }
  return {
    instrument: spec.name,
    kind: spec.kind,
    size,
    averagePrice,
    mark,
    pnl,
    pnlCurrency: spec.settleCurrency,
    pnlUsd,
    // A USD amount of an inverse contract is worth amount / price coins.
    delta: inverseAmount ? size / mark : size,
    gamma: 0,
    vega: 0,
    theta: 0,
  };
}

function optionFigures(
  market: MarketState,
  venue: string,
  instrument: string,
): OptionQuote | undefined {
  const chain = market.chains(venue).find((candidate) => candidate.has(instrument));
  return chain?.option(instrument);
}

function firstFinite(...values: (number | null | undefined)[]): number {
  for (const value of values) if (Number.isFinite(finite(value))) return value as number;
  return NaN;
}

function finite(value: number | null | undefined): number {
  return value === null || value === undefined || !Number.isFinite(value) ? NaN : value;
}

/**
 * USD per coin, looked up once per base: the venue's USD index stream (keyed `BTC/USD`),
 * else the index its option tickers carry (not every venue streams an index of its own),
 * else the base's perpetual (its index, or its mark).
 */
function usdPrices(market: MarketState, venue: string): UsdPrice {
  const cache = new Map<string, number>();
  return (base) => {
    let price = cache.get(base);
    if (price === undefined) {
      price = lookUpUsd(market, venue, base);
      cache.set(base, price);
    }
    return price;
  };
}

function lookUpUsd(market: MarketState, venue: string, base: string): number {
  const index = market.usdIndex(venue, base)?.price;
  if (positive(index)) return index;
  for (const chain of market.chains(venue)) {
    if (chain.base === base && positive(chain.index)) return chain.index;
  }
  const registry = market.registry(venue);
  const perpetual = registry.perpetualOf(base, 'USD') ?? registry.perpetualOf(base);
  const ticker = perpetual === undefined ? undefined : market.ticker(venue, perpetual.name);
  if (positive(ticker?.index)) return ticker.index;
  if (positive(ticker?.mark)) return ticker.mark;
  return NaN;
}

function positive(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && value > 0 && Number.isFinite(value);
}

const GROUP_RANK = { option: 0, future: 1, perpetual: 1, unknown: 2 } as const;

/**
 * Options first (by base, expiry, strike, call before put), then the hedge instruments (by
 * base, dated futures by expiry, perpetuals after them), then positions in instruments the
 * registry does not know; the name breaks any tie so the order never flickers.
 */
function compareRows(a: Priced, b: Priced): number {
  const group = GROUP_RANK[a.row.kind] - GROUP_RANK[b.row.kind];
  if (group !== 0) return group;
  const sa = a.spec;
  const sb = b.spec;
  if (sa !== undefined && sb !== undefined) {
    if (sa.base !== sb.base) return sa.base < sb.base ? -1 : 1;
    const expiry = (sa.expiry ?? Infinity) - (sb.expiry ?? Infinity);
    if (expiry !== 0 && !Number.isNaN(expiry)) return expiry;
    if (sa.kind === 'option' && sb.kind === 'option') {
      if (sa.strike !== sb.strike) return sa.strike - sb.strike;
      if (sa.type !== sb.type) return sa.type === 'call' ? -1 : 1;
    }
  }
  return a.row.instrument < b.row.instrument ? -1 : a.row.instrument > b.row.instrument ? 1 : 0;
}

type Sums = { -readonly [K in keyof PositionTotals]: number };

function totalsByBase(priced: readonly Priced[]): PositionsView['totals'] {
  const byBase = new Map<string, Sums>();
  for (const { row, spec } of priced) {
    if (spec === undefined) continue;
    let sums = byBase.get(spec.base);
    if (sums === undefined) {
      sums = { pnlUsd: 0, optionDelta: 0, hedgeDelta: 0, netDelta: 0, gamma: 0, vega: 0, theta: 0 };
      byBase.set(spec.base, sums);
    }
    sums.pnlUsd += known(row.pnlUsd);
    if (row.kind === 'option') sums.optionDelta += known(row.delta);
    else sums.hedgeDelta += known(row.delta);
    sums.gamma += known(row.gamma);
    sums.vega += known(row.vega);
    sums.theta += known(row.theta);
  }
  return [...byBase.keys()].sort().map((base) => {
    const sums = byBase.get(base) as Sums;
    return { base, ...sums, netDelta: sums.optionDelta + sums.hedgeDelta };
  });
}

function known(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
