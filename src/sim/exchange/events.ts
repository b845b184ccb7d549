// Event emission. Trades, fills, orders and positions go out as they happen; books, tickers
// and accounts are only marked dirty and published once at the end of the outermost batch, so
// each touched instrument gets at most one book event (one change id) per batch.

import type { SimEvent } from '../contract.js';
import type { ExchangeState } from './exchange-state.js';
import { orderView, type OrderRecord } from './orders.js';
import { sameTickerState, tickerState } from './views.js';

export function emit(state: ExchangeState, event: SimEvent): void {
  // A listener may unsubscribe while being called.
  for (const listener of [...state.listeners]) listener(event);
}

export function emitOrder(state: ExchangeState, order: OrderRecord): void {
  emit(state, { type: 'order', accountId: order.accountId, order: orderView(order) });
}

export function publishDirty(state: ExchangeState): void {
  const ts = state.batchTs;
  const books = [...state.dirtyBooks];
  state.dirtyBooks.clear();
  for (const name of books) {
    const listing = state.listings.get(name);
    if (listing === undefined) continue;
    const changes = listing.book.diff();
    if (changes.length === 0) continue;
    const prevChangeId = listing.book.changeId;
    listing.book.changeId = prevChangeId + 1;
    // A new touch can change the ticker even when nothing else did.
    state.dirtyTickers.add(name);
    emit(state, {
      type: 'book',
      instrument: name,
      ts,
      changeId: prevChangeId + 1,
      prevChangeId,
      changes,
    });
  }
  const tickers = [...state.dirtyTickers];
  state.dirtyTickers.clear();
  for (const name of tickers) {
    const listing = state.listings.get(name);
    if (listing === undefined) continue;
    const current = tickerState(listing);
    if (sameTickerState(current, listing.tickerState)) continue;
    listing.tickerState = current;
    emit(state, { type: 'ticker', instrument: name, ts });
  }
  const ledgers = [...state.dirtyLedgers];
  state.dirtyLedgers.clear();
  for (const ledger of ledgers) {
    emit(state, { type: 'account', accountId: ledger.accountId, currency: ledger.currency, ts });
  }
}
