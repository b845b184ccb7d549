// The account's trade history: `private/get_user_trades_by_currency`, `…_by_instrument`, their
// `…_and_time` variants and `…_by_order`, from the fills the exchange core keeps per account
// (kept after expiry). Each trade is formatted by the same view as `user.trades` and
// `user.changes`, so a client that missed a notification reads back the same object.
//
// Params as documented (docs.deribit.com, api-reference/trading): `count` 1–1000, default 10;
// `sorting` asc | desc | default, where default is newest first; `start_id`/`end_id` and
// `start_seq`/`end_seq` inclusive; timestamps inclusive ms. `historical` and the older
// `include_old` are accepted and change nothing: the sim keeps one store, expired instruments'
// trades included. `has_more` says the range holds trades beyond the `count` returned.

import type { SimFill } from '../contract.js';
import { accountOf, type DeribitCore, type Method, type MethodCall } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { KIND_SELECTORS, type KindSelector } from './kinds.js';
import { isVenueCurrency, venueCurrencies } from './markets.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalNumber,
  requireNumber,
  requireString,
  type Params,
} from './params.js';

export const DEFAULT_TRADE_COUNT = 10;
export const MAX_TRADE_COUNT = 1000;
const SORTINGS = ['asc', 'desc', 'default'] as const;

/** Trade ids read `BTC-123`; the number orders them, across instruments of a currency. */
function tradeNumber(tradeId: string): number {
  const digits = /(\d+)$/.exec(tradeId)?.[1];
  return digits === undefined ? NaN : Number(digits);
}

function optionalTradeNumber(params: Params, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const number = typeof raw === 'string' || typeof raw === 'number' ? tradeNumber(`${raw}`) : NaN;
  if (!Number.isFinite(number)) throw invalidParams(name, 'must be a trade id');
  return number;
}

function countOf(params: Params): number {
  const count = optionalNumber(params, 'count') ?? DEFAULT_TRADE_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TRADE_COUNT) {
    throw invalidParams('count', `must be a whole number from 1 to ${MAX_TRADE_COUNT}`);
  }
  return count;
}

function ascending(params: Params): boolean {
  return optionalEnum(params, 'sorting', SORTINGS) === 'asc';
}

/** Checked for type only: the sim serves the same trades whatever their age. */
function acceptAgeFlags(params: Params): void {
  optionalBoolean(params, 'historical');
  optionalBoolean(params, 'include_old');
}

interface TimeRange {
  readonly since?: number;
  readonly until?: number;
}

function timeRange(params: Params, required: boolean): TimeRange {
  const read = required ? requireNumber : optionalNumber;
  const since = read(params, 'start_timestamp');
  const until = read(params, 'end_timestamp');
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

/** The first `count` in the requested order, and whether the range holds more. */
function page(
  core: DeribitCore,
  fills: readonly SimFill[],
  params: Params,
): { trades: Record<string, unknown>[]; has_more: boolean } {
  const count = countOf(params);
  const ordered = [...fills].sort((a, b) => tradeNumber(a.tradeId) - tradeNumber(b.tradeId));
  if (!ascending(params)) ordered.reverse();
  return {
    trades: ordered.slice(0, count).map((fill) => core.views.fill(fill)),
    has_more: ordered.length > count,
  };
}

function requireCurrency(core: DeribitCore, params: Params): string {
  const currency = requireString(params, 'currency').toUpperCase();
  if (currency !== 'ANY' && !isVenueCurrency(core.exchange, currency)) {
    const known = venueCurrencies(core.exchange).join(', ');
    throw invalidParams('currency', `must be one of ${known}, any`);
  }
  return currency;
}

/** Deribit files a trade under its instrument's settlement currency, which is the fee's. */
function currencyFills(core: DeribitCore, call: MethodCall, range: TimeRange): SimFill[] {
  const account = accountOf(core, call);
  const currency = requireCurrency(core, call.params);
  const kind: KindSelector = optionalEnum(call.params, 'kind', KIND_SELECTORS) ?? 'any';
  // Deribit's "future" holds the perpetuals too; the core tells the two apart.
  const coreKinds =
    kind === 'any'
      ? [undefined]
      : kind === 'option'
        ? ['option' as const]
        : ['future' as const, 'perpetual' as const];
  return coreKinds
    .flatMap((coreKind) =>
      core.exchange.fills(account, {
        ...range,
        ...(coreKind !== undefined ? { kind: coreKind } : {}),
      }),
    )
    .filter((fill) => currency === 'ANY' || fill.feeCurrency === currency);
}

function byCurrency(timeRequired: boolean): Method {
  return (core, call) => {
    acceptAgeFlags(call.params);
    // The `_and_time` variant selects by time alone.
    const startId = timeRequired ? undefined : optionalTradeNumber(call.params, 'start_id');
    const endId = timeRequired ? undefined : optionalTradeNumber(call.params, 'end_id');
    const fills = currencyFills(core, call, timeRange(call.params, timeRequired)).filter((fill) => {
      const number = tradeNumber(fill.tradeId);
      return (
        (startId === undefined || number >= startId) && (endId === undefined || number <= endId)
      );
    });
    return page(core, fills, call.params);
  };
}

function instrumentFills(
  core: DeribitCore,
  call: MethodCall,
  range: TimeRange,
): readonly SimFill[] {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  const fills = core.exchange.fills(account, { ...range, instrument: name });
  // An expired instrument is gone from the listing but its trades are still served.
  if (fills.length === 0 && core.catalog.get(name) === undefined) {
    if (core.exchange.fills(account, { instrument: name }).length === 0) {
      throw instrumentNotFound(name);
    }
  }
  return fills;
}

function byInstrument(timeRequired: boolean): Method {
  return (core, call) => {
    acceptAgeFlags(call.params);
    const startSeq = timeRequired ? undefined : optionalNumber(call.params, 'start_seq');
    const endSeq = timeRequired ? undefined : optionalNumber(call.params, 'end_seq');
    const fills = instrumentFills(core, call, timeRange(call.params, timeRequired)).filter(
      (fill) =>
        (startSeq === undefined || fill.tradeSeq >= startSeq) &&
        (endSeq === undefined || fill.tradeSeq <= endSeq),
    );
    return page(core, fills, call.params);
  };
}

/** Every trade of one order, as a bare list (no paging), as the venue answers. */
const byOrder: Method = (core, call) => {
  acceptAgeFlags(call.params);
  const account = accountOf(core, call);
  const orderId = requireString(call.params, 'order_id');
  const fills = core.exchange.fills(account, { orderId });
  const ordered = ascending(call.params) ? fills : [...fills].reverse();
  return ordered.map((fill) => core.views.fill(fill));
};

export const TRADE_HISTORY_METHODS: Readonly<Record<string, Method>> = {
  'private/get_user_trades_by_currency': byCurrency(false),
  'private/get_user_trades_by_currency_and_time': byCurrency(true),
  'private/get_user_trades_by_instrument': byInstrument(false),
  'private/get_user_trades_by_instrument_and_time': byInstrument(true),
  'private/get_user_trades_by_order': byOrder,
};
