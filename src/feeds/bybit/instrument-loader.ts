import type { InstrumentListResult, RejectedInstrument } from '../../instruments/list-result.js';
import type { InstrumentSpec } from '../../instruments/types.js';
import { WireFormatError } from '../wire-fields.js';
import { bybitInstrumentsFromPage } from './instruments.js';
import type { BybitQuery } from './rest.js';

const PATH = '/v5/market/instruments-info';
/** The largest page the venue serves. */
export const MAX_INSTRUMENTS_PAGE = 1000;

/** A public GET resolving the reply's `result` (the caller owns retries and rate limits). */
export type BybitGet = (path: string, query: BybitQuery) => Promise<unknown>;

export interface BybitListingRequest {
  readonly baseCoins: readonly string[];
  /** Linear contracts to list alongside the options (the hedge perpetuals). */
  readonly linearSymbols: readonly string[];
  readonly pageLimit?: number;
}

/**
 * Everything the feed follows: every option of each base coin (one query per coin returns
 * both the USDT-settled `-USDT` series and the older USDC ones, both carry that baseCoin) and
 * the linear hedge contracts, page by page along `nextPageCursor`.
 */
export async function loadBybitInstruments(
  get: BybitGet,
  request: BybitListingRequest,
): Promise<InstrumentListResult> {
  const limit = request.pageLimit ?? MAX_INSTRUMENTS_PAGE;
  const specs: InstrumentSpec[] = [];
  const rejected: RejectedInstrument[] = [];
  const seen = new Set<string>();
  const collect = (page: InstrumentListResult): void => {
    rejected.push(...page.rejected);
    for (const spec of page.specs) {
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      specs.push(spec);
    }
  };
  for (const baseCoin of request.baseCoins) {
    await eachPage(get, { category: 'option', baseCoin, limit }, collect);
  }
  for (const symbol of request.linearSymbols) {
    await eachPage(get, { category: 'linear', symbol, limit }, collect);
  }
  return { specs, rejected };
}

async function eachPage(
  get: BybitGet,
  query: BybitQuery,
  collect: (page: InstrumentListResult) => void,
): Promise<void> {
  const cursors = new Set<string>();
  let cursor = '';
  for (;;) {
    const result = await get(PATH, cursor === '' ? query : { ...query, cursor });
    // The mapper reads a whole reply; the client has already checked its retCode.
    const page = bybitInstrumentsFromPage({ retCode: 0, retMsg: 'OK', result });
    collect(page);
    cursor = page.nextPageCursor;
    if (cursor === '') return;
    // A cursor that comes round again would page forever.
    if (cursors.has(cursor)) {
      throw new WireFormatError(`${PATH}: "nextPageCursor" repeats ${JSON.stringify(cursor)}`);
    }
    cursors.add(cursor);
  }
}
