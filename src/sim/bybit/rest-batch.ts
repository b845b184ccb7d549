// /v5/order/create-batch, amend-batch and cancel-batch: `{category, request:[…]}`, each item
// the single-order body without its category, run one by one through the same TradingRoutes
// handler as the single-order route. Bybit answers retCode 0 for the batch, one `result.list`
// row per item ({category, symbol, orderId, orderLinkId}, plus `createAt` on create) and one
// `retExtInfo.list` entry per item ({code, msg}); a failed item has empty ids and its error
// code there. Up to 20 items per batch (v5 docs, batch-place: options and linear).

import type { SimApiKey } from '../venue-server.js';
import { paramsError, toBybitError } from './errors.js';
import { bodyCategory, type Body } from './order-requests.js';

const MAX_BATCH = 20;

/** A result whose envelope carries its own retExtInfo. */
export class WithExtInfo {
  constructor(
    readonly result: unknown,
    readonly retExtInfo: unknown,
  ) {}
}

type Single = (key: SimApiKey, body: Body) => unknown;

export function runBatch(
  single: Single,
  withCreateAt: boolean,
  now: () => number,
  key: SimApiKey,
  body: Body,
): WithExtInfo {
  const category = bodyCategory(body);
  const items = body['request'];
  if (!Array.isArray(items) || items.length === 0) throw paramsError('request is required');
  if (items.length > MAX_BATCH) throw paramsError(`request supports at most ${MAX_BATCH} orders`);
  const list: Record<string, unknown>[] = [];
  const codes: { code: number; msg: string }[] = [];
  for (const raw of items) {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
    const symbol = typeof item['symbol'] === 'string' ? item['symbol'] : '';
    let ids = { orderId: '', orderLinkId: '' };
    try {
      ids = single(key, { ...item, category }) as typeof ids;
      codes.push({ code: 0, msg: 'OK' });
    } catch (error) {
      const failure = toBybitError(error);
      codes.push({ code: failure.retCode, msg: failure.retMsg });
    }
    list.push({
      category,
      symbol,
      orderId: ids.orderId,
      orderLinkId: ids.orderLinkId,
      ...(withCreateAt ? { createAt: ids.orderId === '' ? '' : String(now()) } : {}),
    });
  }
  return new WithExtInfo({ list }, { list: codes });
}
