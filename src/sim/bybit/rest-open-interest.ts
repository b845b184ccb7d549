// GET /v5/market/open-interest (linear only, as on the venue): {category, symbol, list:
// [{openInterest, timestamp}], nextPageCursor}, newest first, one row per `intervalTime`
// bucket. The sim keeps no open-interest history, so the list holds the current bucket only,
// stamped with its start; `limit`, `startTime` and `endTime` cannot add older rows.

import type { SimExchange } from '../contract.js';
import { gridText } from './decimal-text.js';
import { paramsError } from './errors.js';

const INTERVAL_MS: Readonly<Record<string, number>> = {
  '5min': 5 * 60_000,
  '15min': 15 * 60_000,
  '30min': 30 * 60_000,
  '1h': 3_600_000,
  '4h': 4 * 3_600_000,
  '1d': 86_400_000,
};

export function openInterest(exchange: SimExchange, query: URLSearchParams): unknown {
  const category = query.get('category');
  if (category !== 'linear') throw paramsError('category only support linear or inverse');
  const symbol = query.get('symbol') ?? '';
  const instrument = exchange.instrument(symbol);
  if (instrument === undefined || instrument.spec.kind === 'option') {
    throw paramsError('symbol invalid');
  }
  const interval = INTERVAL_MS[query.get('intervalTime') ?? ''];
  if (interval === undefined) throw paramsError('intervalTime invalid');
  const ticker = exchange.ticker(symbol);
  const now = exchange.now();
  const list =
    ticker === undefined
      ? []
      : [
          {
            openInterest: gridText(ticker.openInterest, instrument.spec.lotSize),
            timestamp: String(now - (now % interval)),
          },
        ];
  return { category, symbol, list, nextPageCursor: '' };
}
