// Bybit's four product categories. The sim lists options and linear contracts only; a client
// that asks about spot or inverse (ccxt asks about every category when it loads markets or
// positions) gets what the venue answers for an account and a market with nothing there: an
// empty list, not an error.

import { paramsError } from './errors.js';

export type AnyCategory = 'spot' | 'linear' | 'inverse' | 'option';
export type ListedCategory = 'option' | 'linear';

const CATEGORIES: readonly string[] = ['spot', 'linear', 'inverse', 'option'];

export function requireAnyCategory(query: URLSearchParams): AnyCategory {
  const category = query.get('category');
  if (category !== null && CATEGORIES.includes(category)) return category as AnyCategory;
  throw paramsError(`category ${category === null ? 'is required' : 'invalid'}`);
}

export function isListed(category: AnyCategory): category is ListedCategory {
  return category === 'option' || category === 'linear';
}

/** A paginated list's empty answer for a category the sim lists nothing in; null when it does. */
export function emptyPage(query: URLSearchParams): unknown {
  const category = requireAnyCategory(query);
  return isListed(category) ? null : { category, list: [], nextPageCursor: '' };
}

/** The same without a cursor (tickers, recent trades). */
export function emptyList(query: URLSearchParams): unknown {
  const category = requireAnyCategory(query);
  return isListed(category) ? null : { category, list: [] };
}

/** Option symbols carry dashes (BTC-27NOV26-90000-C-USDT); linear ones do not (BTCUSDT). Works
 * for expired symbols too, which the exchange no longer lists. */
export function categoryOfSymbol(symbol: string): ListedCategory {
  return symbol.includes('-') ? 'option' : 'linear';
}

/** BTC for BTC-27NOV26-90000-C-USDT and for BTCUSDT. */
export function baseOfSymbol(symbol: string): string {
  return categoryOfSymbol(symbol) === 'option'
    ? (symbol.split('-')[0] ?? '')
    : symbol.replace(/USDT$/, '');
}
