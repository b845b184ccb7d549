// What the server remembers per account beyond the exchange core: every orderLinkId ever used
// (Bybit refuses a duplicate even after the first order closed), the recent closed orders
// `GET /v5/order/realtime?openOnly=1` lists, and orders the venue creates only to cancel at
// once (a PostOnly that would take, a FOK that cannot fill), which the core never books.

import type { SimOrder } from '../contract.js';
import type { OrderNote } from './private-format.js';

const RECENT_CLOSED = 500;

export interface KnownOrder {
  readonly order: SimOrder;
  readonly note?: OrderNote;
}

class AccountOrders {
  readonly linkIds = new Set<string>();
  /** Insertion-ordered; closed ones beyond RECENT_CLOSED are forgotten oldest first. */
  readonly byId = new Map<string, KnownOrder>();
  closedCount = 0;
}

export class OrderRegistry {
  private readonly accounts = new Map<string, AccountOrders>();

  private account(accountId: string): AccountOrders {
    let account = this.accounts.get(accountId);
    if (account === undefined) {
      account = new AccountOrders();
      this.accounts.set(accountId, account);
    }
    return account;
  }

  linkIdUsed(accountId: string, linkId: string): boolean {
    return this.account(accountId).linkIds.has(linkId);
  }

  claimLinkId(accountId: string, linkId: string): void {
    if (linkId !== '') this.account(accountId).linkIds.add(linkId);
  }

  record(accountId: string, order: SimOrder, note?: OrderNote): void {
    const account = this.account(accountId);
    const previous = account.byId.get(order.orderId);
    const wasClosed = previous !== undefined && isClosed(previous.order);
    account.byId.delete(order.orderId);
    const keptNote = note ?? previous?.note;
    account.byId.set(order.orderId, keptNote === undefined ? { order } : { order, note: keptNote });
    if (order.label !== '') account.linkIds.add(order.label);
    if (isClosed(order) && !wasClosed) account.closedCount++;
    if (account.closedCount > RECENT_CLOSED) {
      for (const [id, known] of account.byId) {
        if (!isClosed(known.order)) continue;
        account.byId.delete(id);
        account.closedCount--;
        break;
      }
    }
  }

  get(accountId: string, orderId: string): KnownOrder | undefined {
    return this.account(accountId).byId.get(orderId);
  }

  byLinkId(accountId: string, linkId: string): KnownOrder | undefined {
    let found: KnownOrder | undefined;
    for (const known of this.account(accountId).byId.values()) {
      if (known.order.label === linkId) found = known;
    }
    return found;
  }

  /** Newest first. */
  list(accountId: string): KnownOrder[] {
    return [...this.account(accountId).byId.values()].reverse();
  }
}

export function isClosed(order: SimOrder): boolean {
  return order.state !== 'open' && order.state !== 'untriggered';
}
