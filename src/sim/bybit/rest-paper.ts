// Routes about money a paper account never moves: deposits, withdrawals, transfers, convert,
// spot-margin borrowing, delivery records. Reads answer as the venue does for an account with
// none (empty pages, each in the shape its v5 page documents: `rows` for the deposit and
// withdrawal records, `list` elsewhere). Writes are refused with 10005, what Bybit answers a key
// without the Wallet / Exchange / Spot permissions; /v5/user/query-api shows the key has none.

import { BybitError, paramsError } from './errors.js';

type Query = URLSearchParams;

const PERMISSION_DENIED = 10005;
const PERMISSION_MESSAGE = 'Permission denied, please check your API key permissions.';

function emptyRows(): unknown {
  return { rows: [], nextPageCursor: '' };
}

function emptyCursorList(): unknown {
  return { list: [], nextPageCursor: '' };
}

/** `category` echoed, as the category-scoped history pages do. */
function emptyCategoryList(query: Query): unknown {
  const category = query.get('category');
  if (category === null) throw paramsError('category is required');
  return { category, list: [], nextPageCursor: '' };
}

function denied(): never {
  throw new BybitError(PERMISSION_DENIED, PERMISSION_MESSAGE);
}

/** Private GETs answered with nothing. */
export const PAPER_GETS: ReadonlyMap<string, (query: Query) => unknown> = new Map([
  ['/v5/asset/deposit/query-record', () => emptyRows()],
  ['/v5/asset/withdraw/query-record', () => emptyRows()],
  ['/v5/asset/transfer/query-inter-transfer-list', () => emptyCursorList()],
  ['/v5/asset/delivery-record', (q: Query) => emptyCategoryList(q)],
  ['/v5/asset/deposit/query-address', () => denied()],
  ['/v5/asset/exchange/query-coin-list', () => denied()],
  ['/v5/asset/exchange/order-record', () => denied()],
  ['/v5/asset/exchange/convert-result-query', () => denied()],
  ['/v5/asset/exchange/query-convert-history', () => denied()],
  ['/v5/spot-cross-margin-trade/account', () => denied()],
  ['/v5/spot-margin-trade/interest-rate-history', () => denied()],
]);

/** Private POSTs refused. */
export const PAPER_POSTS: readonly string[] = [
  '/v5/asset/transfer/inter-transfer',
  '/v5/asset/transfer/universal-transfer',
  '/v5/asset/withdraw/create',
  '/v5/asset/exchange/quote-apply',
  '/v5/asset/exchange/convert-execute',
  '/v5/spot-cross-margin-trade/loan',
  '/v5/spot-cross-margin-trade/repay',
  '/v5/account/borrow',
  '/v5/account/repay',
  '/v5/account/no-convert-repay',
];

export function refusePaperPost(): never {
  return denied();
}
