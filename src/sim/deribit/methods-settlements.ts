// Settlement events: `public/get_last_settlements_by_instrument` / `_by_currency` and the
// account's `private/get_settlement_history_by_instrument` / `_by_currency`, as
// {settlements: [...], continuation}, newest first.
//
// Of the venue's three event types the sim has one: `delivery`, when a dated instrument
// expires (the exchange core's deliveries, kept from the sim's start). It has no `settlement`
// (the venue's daily session settlement of futures PnL at 08:00; the sim realises PnL at fills,
// expiry and funding) and no `bankruptcy` (nothing is liquidated), so those types list nothing.
// A public row carries the instrument, time and delivery price (as mark_price and
// index_price); the venue's platform-wide PnL aggregates are not modelled and left out. A
// private row adds the account's position at delivery, from its fills in the instrument (only
// trades and delivery change a position). `continuation` is the timestamp the next page starts
// before, or "none" when the list is complete.

import type { SimDelivery, SimExchange } from '../contract.js';
import { accountOf, type DeribitCore, type Method } from './core.js';
import { instrumentNotFound, invalidParams } from './errors.js';
import { instrumentCurrency, isVenueCurrency, venueCurrencies } from './markets.js';
import { clean, round } from './numbers.js';
import {
  optionalEnum,
  optionalNumber,
  optionalString,
  requireString,
  type Params,
} from './params.js';

const TYPES = ['settlement', 'delivery', 'bankruptcy'] as const;
const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;
export const NO_CONTINUATION = 'none';

interface Query {
  readonly type: (typeof TYPES)[number] | undefined;
  readonly count: number;
  /** Rows strictly older than this. */
  readonly before: number;
  /** Rows no older than this. */
  readonly since: number;
}

function queryOf(params: Params): Query {
  const type = optionalEnum(params, 'type', TYPES);
  const count = optionalNumber(params, 'count') ?? DEFAULT_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw invalidParams('count', `must be a whole number from 1 to ${MAX_COUNT}`);
  }
  const continuation = optionalString(params, 'continuation');
  let before = Infinity;
  if (continuation !== undefined && continuation !== '' && continuation !== NO_CONTINUATION) {
    before = Number(continuation);
    if (!Number.isInteger(before)) throw invalidParams('continuation', 'not a continuation');
  }
  const since = optionalNumber(params, 'search_start_timestamp') ?? -Infinity;
  return { type, count, before, since };
}

function deliveriesOf(exchange: SimExchange, query: Query, keep: (d: SimDelivery) => boolean) {
  if (query.type !== undefined && query.type !== 'delivery') return [];
  return exchange
    .deliveries()
    .filter((d) => keep(d) && d.ts < query.before && d.ts >= query.since)
    .sort((a, b) => b.ts - a.ts);
}

function page<T extends SimDelivery>(
  rows: readonly T[],
  query: Query,
  format: (delivery: T) => Record<string, unknown>,
): { settlements: Record<string, unknown>[]; continuation: string } {
  const shown = rows.slice(0, query.count);
  const more = rows.length > shown.length;
  return {
    settlements: shown.map(format),
    continuation: more ? String(shown[shown.length - 1]!.ts) : NO_CONTINUATION,
  };
}

/** Delivery prices are index levels, quoted to the cent as the venue's index is. */
function publicRow(delivery: SimDelivery): Record<string, unknown> {
  const price = round(delivery.price, 2);
  return {
    type: 'delivery',
    timestamp: delivery.ts,
    instrument_name: delivery.instrument,
    mark_price: price,
    index_price: price,
  };
}

/** An instrument the sim lists or has delivered. */
function knownInstrument(core: DeribitCore, name: string): void {
  if (core.exchange.instrument(name) !== undefined) return;
  if (core.exchange.deliveries().some((d) => d.instrument === name)) return;
  throw instrumentNotFound(name);
}

function currencyOf(core: DeribitCore, params: Params): string {
  const currency = requireString(params, 'currency').toUpperCase();
  if (!isVenueCurrency(core.exchange, currency)) {
    throw invalidParams('currency', `must be one of ${venueCurrencies(core.exchange).join(', ')}`);
  }
  return currency;
}

/** A delivered instrument's settlement currency, from the catalog that remembers it. */
function settledIn(core: DeribitCore, delivery: SimDelivery): string | null {
  const instrument = core.catalog.get(delivery.instrument);
  return instrument === undefined ? null : instrumentCurrency(instrument);
}

const lastByInstrument: Method = (core, { params }) => {
  const name = requireString(params, 'instrument_name');
  knownInstrument(core, name);
  const query = queryOf(params);
  return page(
    deliveriesOf(core.exchange, query, (d) => d.instrument === name),
    query,
    publicRow,
  );
};

const lastByCurrency: Method = (core, { params }) => {
  const currency = currencyOf(core, params);
  const query = queryOf(params);
  return page(
    deliveriesOf(core.exchange, query, (d) => settledIn(core, d) === currency),
    query,
    publicRow,
  );
};

/** The account's deliveries: those of instruments it held at expiry. */
function accountRows(
  core: DeribitCore,
  account: string,
  deliveries: readonly SimDelivery[],
): (SimDelivery & { position: number })[] {
  return deliveries.flatMap((delivery) => {
    const fills = core.exchange.fills(account, { instrument: delivery.instrument });
    const position = fills.reduce(
      (sum, fill) => sum + (fill.side === 'buy' ? fill.amount : -fill.amount),
      0,
    );
    return position === 0 ? [] : [{ ...delivery, position: clean(position) }];
  });
}

function privateRow(delivery: SimDelivery & { position: number }): Record<string, unknown> {
  return { ...publicRow(delivery), position: delivery.position };
}

const historyByInstrument: Method = (core, call) => {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  knownInstrument(core, name);
  const query = queryOf(call.params);
  const deliveries = deliveriesOf(core.exchange, query, (d) => d.instrument === name);
  return page(accountRows(core, account, deliveries), query, privateRow);
};

const historyByCurrency: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = currencyOf(core, call.params);
  const query = queryOf(call.params);
  const deliveries = deliveriesOf(core.exchange, query, (d) => settledIn(core, d) === currency);
  return page(accountRows(core, account, deliveries), query, privateRow);
};

export const SETTLEMENT_METHODS: Readonly<Record<string, Method>> = {
  'public/get_last_settlements_by_instrument': lastByInstrument,
  'public/get_last_settlements_by_currency': lastByCurrency,
  'private/get_settlement_history_by_instrument': historyByInstrument,
  'private/get_settlement_history_by_currency': historyByCurrency,
};
