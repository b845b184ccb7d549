// The read models the protocol servers publish: tickers, positions and account summaries.

import type { SimAccountSummary, SimPosition, SimTicker } from '../contract.js';
import type { Ledger, PositionRecord } from './accounts.js';
import { clean } from './grid.js';
import { greeksAt, ivOfPrice } from './option-values.js';
import { leverageOf, markOf, yearsLeft, type Listing } from './listing.js';
import { valuePosition, type PositionValue } from './valuation.js';

export function tickerView(listing: Listing, now: number, indexPrice: number): SimTicker {
  const { spec, book } = listing;
  const mark = markOf(listing, indexPrice);
  const bid = book.best('bid');
  const ask = book.best('ask');
  const stats = listing.tape.stats(now);
  const option = spec.kind === 'option' ? spec : null;
  const years = yearsLeft(listing, now);
  const greeks =
    option !== null && mark.markIv !== null
      ? greeksAt(option, mark.markIv, mark.forward, years)
      : null;
  return {
    instrument: spec.name,
    ts: now,
    state: 'open',
    bestBidPrice: bid?.[0] ?? null,
    bestBidAmount: bid?.[1] ?? 0,
    bestAskPrice: ask?.[0] ?? null,
    bestAskAmount: ask?.[1] ?? 0,
    markPrice: mark.markPrice,
    indexPrice: mark.indexPrice,
    lastPrice: listing.tape.lastPrice,
    openInterest: listing.baseOpenInterest + listing.userExposure / 2,
    volume24h: clean(listing.baseVolume24h + stats.volume),
    high24h: stats.high,
    low24h: stats.low,
    markIv: option !== null ? mark.markIv : null,
    bidIv: option !== null ? ivOfPrice(option, bid?.[0] ?? null, mark.forward, years) : null,
    askIv: option !== null ? ivOfPrice(option, ask?.[0] ?? null, mark.forward, years) : null,
    underlyingPrice: option !== null ? mark.forward : null,
    underlyingName: option !== null ? mark.underlyingName : null,
    greeks:
      greeks === null
        ? null
        : {
            delta: greeks.delta,
            gamma: greeks.gamma,
            vega: greeks.vega,
            theta: greeks.theta,
            rho: 0,
          },
    fundingRate: spec.kind === 'perpetual' ? mark.fundingRate : null,
    estimatedDeliveryPrice: mark.indexPrice,
  };
}

/** Everything a ticker event is about: top of book, mark and what the greeks rest on. */
export function tickerState(listing: Listing): (number | null)[] {
  const bid = listing.book.best('bid');
  const ask = listing.book.best('ask');
  const mark = listing.mark;
  return [
    bid?.[0] ?? null,
    bid?.[1] ?? null,
    ask?.[0] ?? null,
    ask?.[1] ?? null,
    mark?.markPrice ?? null,
    mark?.markIv ?? null,
    mark?.forward ?? null,
    mark?.fundingRate ?? null,
    listing.tape.lastPrice,
    listing.userExposure,
  ];
}

export function sameTickerState(
  a: readonly (number | null)[],
  b: readonly (number | null)[],
): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function positionValue(
  listing: Listing,
  ledger: Ledger,
  position: PositionRecord,
  now: number,
  indexPrice: number,
): PositionValue {
  const mark = markOf(listing, indexPrice);
  return valuePosition(
    listing.spec,
    position.size,
    position.averagePrice,
    mark,
    yearsLeft(listing, now),
    leverageOf(listing, ledger),
  );
}

export function positionView(
  ledger: Ledger,
  listing: Listing,
  position: PositionRecord,
  now: number,
  indexPrice: number,
  markPrice = markOf(listing, indexPrice).markPrice,
): SimPosition {
  const value = positionValue(listing, ledger, position, now, indexPrice);
  return {
    accountId: ledger.accountId,
    instrument: listing.spec.name,
    kind: listing.spec.kind,
    currency: listing.instrument.currency,
    settleCurrency: listing.spec.settleCurrency,
    size: position.size,
    averagePrice: position.averagePrice,
    markPrice,
    indexPrice,
    realizedPnl: position.realizedPnl,
    unrealizedPnl: value.unrealizedPnl,
    delta: value.delta,
    gamma: value.gamma,
    vega: value.vega,
    theta: value.theta,
    initialMargin: value.initialMargin,
    maintenanceMargin: value.maintenanceMargin,
  };
}

/** Adds up a ledger: `positions` valued at mark, `orderMargin` what its open orders reserve. */
export function summaryView(
  ledger: Ledger,
  positions: readonly { readonly kind: string; readonly value: PositionValue }[],
  orderMargin: number,
): SimAccountSummary {
  let optionsValue = 0;
  let optionsPnl = 0;
  let futuresPnl = 0;
  let initialMargin = orderMargin;
  let maintenanceMargin = 0;
  let deltaTotal = 0;
  let optionsDelta = 0;
  let optionsGamma = 0;
  let optionsVega = 0;
  let optionsTheta = 0;
  for (const { kind, value } of positions) {
    initialMargin += value.initialMargin;
    maintenanceMargin += value.maintenanceMargin;
    deltaTotal += value.delta;
    if (kind === 'option') {
      optionsValue += value.optionValue;
      optionsPnl += value.unrealizedPnl;
      optionsDelta += value.delta;
      optionsGamma += value.gamma;
      optionsVega += value.vega;
      optionsTheta += value.theta;
    } else {
      futuresPnl += value.unrealizedPnl;
    }
  }
  const equity = ledger.balance + optionsValue + futuresPnl;
  return {
    accountId: ledger.accountId,
    currency: ledger.currency,
    balance: ledger.balance,
    equity,
    availableFunds: equity - initialMargin,
    initialMargin,
    maintenanceMargin,
    optionsValue,
    optionsPnl,
    futuresPnl,
    totalPnl: ledger.realizedPnl + optionsPnl + futuresPnl,
    deltaTotal,
    optionsDelta,
    optionsGamma,
    optionsVega,
    optionsTheta,
    feesPaid: ledger.feesPaid,
  };
}
