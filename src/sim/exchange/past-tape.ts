// The tape's history from before the sim began (the model's first step carries it): recorded
// onto each instrument's tape with trade ids and sequence numbers as any print gets, so the
// live prints continue them, but published to no one and touching no account: it happened
// before anyone here could trade.

import type { ModelPastTrade, SimPublicTrade } from '../contract.js';
import type { ExchangeState } from './exchange-state.js';

export function recordPastTrades(state: ExchangeState, trades: readonly ModelPastTrade[]): void {
  for (const past of trades) {
    const listing = state.listings.get(past.instrument);
    if (listing === undefined) continue;
    const { tape } = listing;
    const trade: SimPublicTrade = {
      tradeId: `${listing.instrument.currency}-${++state.tradeNumber}`,
      tradeSeq: tape.nextSeq(),
      instrument: past.instrument,
      ts: past.ts,
      price: past.price,
      amount: past.amount,
      direction: past.direction,
      indexPrice: past.indexPrice,
      markPrice: past.markPrice,
      iv: past.iv,
      tickDirection: tape.tickDirection(past.price),
    };
    tape.record(trade);
  }
}
