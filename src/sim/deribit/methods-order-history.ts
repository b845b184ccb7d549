// Closed orders: `private/get_order_history_by_currency` and `…_by_instrument`, newest first,
// paged with count/offset. As on the venue, orders that closed without a fill (cancelled or
// rejected untouched) are left out unless `include_unfilled` is true; open orders never appear
// (they are `get_open_orders_*`'s).

import type { SimOrder } from '../contract.js';
import { accountOf, type DeribitCore, type Method, type MethodCall } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { KIND_SELECTORS, currencyMatches, kindMatches } from './kinds.js';
import { instrumentCurrency, isVenueCurrency, venueCurrencies } from './markets.js';
import { optionalBoolean, optionalEnum, optionalNumber, requireString } from './params.js';

const DEFAULT_COUNT = 20;
/** The venue's caps: 10,000 rows a page by currency, 1,000 by instrument. */
const MAX_COUNT_BY_CURRENCY = 10_000;
const MAX_COUNT_BY_INSTRUMENT = 1_000;

function page(
  core: DeribitCore,
  call: MethodCall,
  orders: readonly SimOrder[],
  maxCount: number,
): Record<string, unknown>[] {
  const count = optionalNumber(call.params, 'count') ?? DEFAULT_COUNT;
  const offset = optionalNumber(call.params, 'offset') ?? 0;
  if (!Number.isInteger(count) || count < 1 || count > maxCount) {
    throw invalidParams('count', `must be 1 to ${maxCount}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw invalidParams('offset', 'must be 0 or more');
  const includeUnfilled = optionalBoolean(call.params, 'include_unfilled') === true;
  return orders
    .filter((order) => includeUnfilled || order.filledAmount > 0)
    .slice()
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(offset, offset + count)
    .map((order) => core.views.order(order));
}

const byCurrency: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = requireString(call.params, 'currency').toUpperCase();
  if (currency !== 'ANY' && !isVenueCurrency(core.exchange, currency)) {
    const known = venueCurrencies(core.exchange).join(', ');
    throw invalidParams('currency', `must be one of ${known}, any`);
  }
  const kind = optionalEnum(call.params, 'kind', KIND_SELECTORS);
  // The core matches a coin or its settle currency; Deribit's `currency` is the settle one.
  const orders = core.exchange.orderHistory(account).filter((order) => {
    const instrument = core.catalog.get(order.instrument);
    return (
      instrument !== undefined &&
      currencyMatches(currency, instrumentCurrency(instrument)) &&
      kindMatches(kind, instrument.spec.kind)
    );
  });
  return page(core, call, orders, MAX_COUNT_BY_CURRENCY);
};

const byInstrument: Method = (core, call) => {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  if (core.catalog.get(name) === undefined) throw instrumentNotFound(name);
  const orders = core.exchange.orderHistory(account, { instrument: name });
  return page(core, call, orders, MAX_COUNT_BY_INSTRUMENT);
};

export const ORDER_HISTORY_METHODS: Readonly<Record<string, Method>> = {
  'private/get_order_history_by_currency': byCurrency,
  'private/get_order_history_by_instrument': byInstrument,
};
