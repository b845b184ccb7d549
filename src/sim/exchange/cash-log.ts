// Every cash movement of every account (fills, perpetual funding, expiry deliveries) with the
// balance it left, and the rates perpetuals settled funding at. A venue's ledger (Bybit's
// transaction log) and closed-position history read them; the balances cannot be rebuilt from
// fills alone, because funding and deliveries move cash without a fill.

import type {
  SimCashEvent,
  SimFundingSettlement,
  SimHistoryFilter,
  SimInstrument,
} from '../contract.js';
import { inWindow } from './history-log.js';
import { matchesFilter } from './lookups.js';

/** Events kept per account, oldest dropped first, as for fills. */
export const CASH_EVENTS_KEPT_PER_ACCOUNT = 100_000;
/** Three funding times a day for a year per perpetual. */
const SETTLEMENTS_KEPT = 3 * 366;

interface KeptEvent {
  readonly event: SimCashEvent;
  readonly instrument: SimInstrument;
}

export class CashLog {
  private readonly byAccount = new Map<string, KeptEvent[]>();
  private readonly settlements = new Map<string, SimFundingSettlement[]>();
  private seq = 0;

  constructor(private readonly kept = CASH_EVENTS_KEPT_PER_ACCOUNT) {}

  record(event: Omit<SimCashEvent, 'seq'>, instrument: SimInstrument): void {
    let events = this.byAccount.get(event.accountId);
    if (events === undefined) {
      events = [];
      this.byAccount.set(event.accountId, events);
    }
    events.push({ event: { ...event, seq: ++this.seq }, instrument });
    if (events.length > this.kept) events.splice(0, events.length - this.kept);
  }

  /** Oldest first. */
  query(accountId: string, filter: SimHistoryFilter = {}): readonly SimCashEvent[] {
    const out: SimCashEvent[] = [];
    for (const { event, instrument } of this.byAccount.get(accountId) ?? []) {
      if (filter.orderId !== undefined && event.orderId !== filter.orderId) continue;
      if (inWindow(event.ts, filter) && matchesFilter(instrument, filter)) out.push(event);
    }
    return out;
  }

  recordSettlement(settlement: SimFundingSettlement): void {
    let list = this.settlements.get(settlement.instrument);
    if (list === undefined) {
      list = [];
      this.settlements.set(settlement.instrument, list);
    }
    list.push(settlement);
    if (list.length > SETTLEMENTS_KEPT) list.splice(0, list.length - SETTLEMENTS_KEPT);
  }

  fundingSettlements(instrument: string): readonly SimFundingSettlement[] {
    return this.settlements.get(instrument) ?? [];
  }
}
