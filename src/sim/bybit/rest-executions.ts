// `GET /v5/execution/list`: the account's executions, newest first, from the fills the exchange
// core keeps per account (kept after expiry).
//
// As documented (bybit-exchange.github.io/docs/v5/order/execution): `category` required;
// `symbol`, `orderId`, `orderLinkId`, `baseCoin`, `execType` narrow the list; with neither
// `startTime` nor `endTime` the last 7 days, with one of them 7 days from or to it, and a
// window wider than 7 days is refused; `limit` 1–100, default 50; further pages through
// `nextPageCursor`. Rows are the `execution` topic's (one formatter), without the topic's
// `category` (carried once in `result`) and `isLeverage`, plus the list's `feeCurrency` and
// `extraFees`. The sim trades only, so every row is `execType: "Trade"`.

import type { InstrumentKind } from '../../instruments/types.js';
import type { SimExchange, SimFill } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import { paramsError } from './errors.js';
import { executionRow } from './private-format.js';
import { requireCategory, type Category } from './rest-market.js';

export const EXECUTION_DEFAULT_LIMIT = 50;
export const EXECUTION_MAX_LIMIT = 100;
export const EXECUTION_WINDOW_MS = 7 * 86_400_000;

const CORE_KINDS: Readonly<Record<Category, readonly InstrumentKind[]>> = {
  option: ['option'],
  linear: ['perpetual', 'future'],
};

/** Newest first. Each kind's fills come oldest first; the sort is stable, so fills of one
 * time keep the order they traded in. */
function newestFirst(fills: readonly SimFill[]): SimFill[] {
  return [...fills].reverse().sort((a, b) => b.ts - a.ts);
}

function optionalMs(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw paramsError(`${name} invalid`);
  return value;
}

/** The inclusive window the venue reads: never wider than 7 days. */
export function executionWindow(
  query: URLSearchParams,
  now: number,
): { since: number; until: number } {
  const start = optionalMs(query, 'startTime');
  const end = optionalMs(query, 'endTime');
  if (start !== null && end !== null) {
    if (end < start) throw paramsError('endTime must not be before startTime');
    if (end - start > EXECUTION_WINDOW_MS) {
      throw paramsError('the time range between startTime and endTime cannot exceed 7 days');
    }
    return { since: start, until: end };
  }
  if (start !== null) return { since: start, until: start + EXECUTION_WINDOW_MS };
  if (end !== null) return { since: end - EXECUTION_WINDOW_MS, until: end };
  return { since: now - EXECUTION_WINDOW_MS, until: now };
}

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return EXECUTION_DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > EXECUTION_MAX_LIMIT) {
    throw paramsError(`limit must be from 1 to ${EXECUTION_MAX_LIMIT}`);
  }
  return limit;
}

/** The cursor names the last execution handed out: the next page starts below it, so fills
 * that happen between two page reads neither shift nor repeat a row. */
function pageAfter(fills: readonly SimFill[], query: URLSearchParams): readonly SimFill[] {
  const cursor = query.get('cursor');
  if (cursor === null || cursor === '') return fills;
  const at = fills.findIndex((fill) => fill.tradeId === cursor);
  if (at < 0) throw paramsError('cursor invalid');
  return fills.slice(at + 1);
}

/** A `/v5/execution/list` row: the stream's row without what the list does not carry. */
export function executionListRow(exchange: SimExchange, fill: SimFill): Record<string, unknown> {
  const row = executionRow(
    fill,
    exchange.instrument(fill.instrument),
    exchange.order(fill.accountId, fill.orderId),
  );
  delete row['category'];
  delete row['isLeverage'];
  return { ...row, feeCurrency: fill.feeCurrency, extraFees: '' };
}

export function executionList(
  exchange: SimExchange,
  key: SimApiKey,
  query: URLSearchParams,
): unknown {
  const category = requireCategory(query);
  const window = executionWindow(query, exchange.now());
  const limit = limitOf(query);
  const symbol = query.get('symbol');
  const orderId = query.get('orderId');
  const linkId = query.get('orderLinkId');
  const baseCoin = query.get('baseCoin');
  const execType = query.get('execType');
  const matching =
    execType !== null && execType !== '' && execType !== 'Trade'
      ? []
      : newestFirst(
          CORE_KINDS[category]
            .flatMap((kind) =>
              exchange.fills(key.accountId, {
                ...window,
                kind,
                ...(symbol !== null && symbol !== '' ? { instrument: symbol } : {}),
                ...(orderId !== null && orderId !== '' ? { orderId } : {}),
                ...(baseCoin !== null && baseCoin !== '' ? { currency: baseCoin } : {}),
              }),
            )
            .filter((fill) => linkId === null || linkId === '' || fill.label === linkId),
        );
  const rest = pageAfter(matching, query);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    category,
    list: page.map((fill) => executionListRow(exchange, fill)),
    nextPageCursor: rest.length > limit && last !== undefined ? last.tradeId : '',
  };
}
