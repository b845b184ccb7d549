import type {
  AccountEvent,
  AccountSnapshotEvent,
  BalanceEvent,
  FillEvent,
  OrderEvent,
  OrderStatus,
  PositionEvent,
} from './events.js';

/**
 * What applying one event did: which kind of state it changed, `snapshot` for a snapshot
 * taken in, `duplicate` for something already known (a fill's tradeId seen before, or a state
 * identical to the one held), `stale` for something older than what is held (ignored).
 */
export type AccountChange =
  'order' | 'fill' | 'position' | 'balance' | 'snapshot' | 'duplicate' | 'stale';

export interface AccountStateLimits {
  /** Orders no longer open (final, or missing from a snapshot) kept for lookups, per venue. */
  readonly closedOrders?: number;
  /** Fills kept for `fills()`, per venue. */
  readonly fills?: number;
  /** Trade ids remembered to drop redelivered fills, per venue; at least `fills`. */
  readonly tradeIds?: number;
}

const DEFAULT_LIMITS = { closedOrders: 1_000, fills: 1_000, tradeIds: 20_000 } as const;

const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected']);

function isFinal(order: OrderEvent): boolean {
  return FINAL_STATUSES.has(order.status);
}

/**
 * Whether `incoming` is an older state of the order than `held`. Later ts wins; at an equal
 * ts a final state outranks a non-final one and more filled outranks less (fills never
 * undo), so reordered deliveries of one order's states settle on the same last state.
 */
function isOlderOrder(incoming: OrderEvent, held: OrderEvent): boolean {
  if (incoming.ts !== held.ts) return incoming.ts < held.ts;
  const rank = Number(isFinal(incoming)) - Number(isFinal(held));
  if (rank !== 0) return rank < 0;
  return incoming.filled < held.filled;
}

/** Events are flat records of primitives, so a field-by-field comparison is equality. */
function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function compareFills(a: FillEvent, b: FillEvent): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

const orderOrder = byKey<OrderEvent>((o) => `${o.venue}\u0000${o.instrument}\u0000${o.orderId}`);
const positionOrder = byKey<PositionEvent>((p) => `${p.venue}\u0000${p.instrument}`);
const balanceOrder = byKey<BalanceEvent>((b) => `${b.venue}\u0000${b.currency}`);

/** One venue's account. */
class VenueAccount {
  /**
   * Time of the latest snapshot: anything it lists or omits is known as of then, so a
   * non-final state older than it that arrives afterwards was already superseded.
   */
  snapshotTs = -Infinity;
  /** Every known order, open or not, by orderId. */
  readonly orders = new Map<string, OrderEvent>();
  /** The ids of open and untriggered orders. */
  readonly open = new Set<string>();
  /**
   * Orders not open, oldest-closed first, for evicting beyond the limit: final ones, and
   * those a snapshot no longer listed (closed, though their final state is still to come).
   */
  readonly closed = new Set<string>();
  readonly byLabel = new Map<string, string>();
  /**
   * By instrument. A flat entry stays until the next snapshot, so that an older state
   * arriving late cannot revive the position.
   */
  readonly positions = new Map<string, PositionEvent>();
  readonly balances = new Map<string, BalanceEvent>();
  /** Sorted by (ts, tradeId), so reordered deliveries list the same history. */
  readonly fills: FillEvent[] = [];
  /** Insertion-ordered so the oldest id is dropped first. */
  readonly tradeIds = new Set<string>();
  /** Each order's short number (what `c3` and `e3` name), and back. */
  readonly numbers = new Map<string, number>();
  readonly byNumber = new Map<number, string>();
  nextNumber = 1;
}

/**
 * Our orders, positions, balances and fills per venue, from the feeds' account events and
 * the snapshots they load on every (re)connect. Deliveries may repeat or arrive out of order
 * (a reconnect replays, a snapshot races the stream): every state carries the venue's ts, the
 * later one wins, fills count once, and a snapshot replaces what it covers without undoing
 * anything newer that arrived before it. Pure: time only comes in with the events.
 */
export class AccountState {
  readonly #venues = new Map<string, VenueAccount>();
  readonly #limits: Required<AccountStateLimits>;

  constructor(limits: AccountStateLimits = {}) {
    const fills = limits.fills ?? DEFAULT_LIMITS.fills;
    this.#limits = {
      closedOrders: limits.closedOrders ?? DEFAULT_LIMITS.closedOrders,
      fills,
      tradeIds: Math.max(limits.tradeIds ?? DEFAULT_LIMITS.tradeIds, fills),
    };
  }

  apply(event: AccountEvent | AccountSnapshotEvent): AccountChange {
    const account = this.#account(event.venue);
    switch (event.kind) {
      case 'order':
        return this.#applyOrder(account, event, false);
      case 'fill':
        return this.#applyFill(account, event);
      case 'position':
        return applyKeyed(account.positions, event.instrument, event, account.snapshotTs, false);
      case 'balance':
        return applyKeyed(account.balances, event.currency, event, account.snapshotTs, false);
      case 'account-snapshot':
        return this.#applySnapshot(account, event);
    }
  }

  /** Open and untriggered orders, sorted by venue, instrument, orderId. */
  orders(venue?: string): OrderEvent[] {
    return this.#collect(venue, (account) =>
      [...account.open].map((id) => account.orders.get(id) as OrderEvent),
    ).sort(orderOrder);
  }

  /**
   * Any known order, including recently closed ones. An order that a snapshot showed to be no
   * longer open, with no final state received, is returned as last heard of (so possibly
   * `open`); `orders()` is what says which are open.
   */
  order(venue: string, orderId: string): OrderEvent | undefined {
    return this.#venues.get(venue)?.orders.get(orderId);
  }

  /**
   * The order's short number on this venue: given when the order is first seen open, counted
   * up from 1 and never given again in the session, so a number read off the screen cannot
   * come to mean another order while the trader types it.
   */
  orderNumber(venue: string, orderId: string): number | undefined {
    return this.#venues.get(venue)?.numbers.get(orderId);
  }

  /** The order a short number names, open or recently closed; undefined when none. */
  orderByNumber(venue: string, number: number): OrderEvent | undefined {
    const account = this.#venues.get(venue);
    const orderId = account?.byNumber.get(number);
    return orderId === undefined ? undefined : account?.orders.get(orderId);
  }

  orderByLabel(venue: string, label: string): OrderEvent | undefined {
    const account = this.#venues.get(venue);
    const orderId = account?.byLabel.get(label);
    return orderId === undefined ? undefined : account?.orders.get(orderId);
  }

  /** Non-flat positions, sorted by venue and instrument. */
  positions(venue?: string): PositionEvent[] {
    return this.#collect(venue, (account) =>
      [...account.positions.values()].filter((position) => position.size !== 0),
    ).sort(positionOrder);
  }

  /** The position in one instrument, undefined when flat. */
  position(venue: string, instrument: string): PositionEvent | undefined {
    const position = this.#venues.get(venue)?.positions.get(instrument);
    return position === undefined || position.size === 0 ? undefined : position;
  }

  /** Sorted by venue and currency. */
  balances(venue?: string): BalanceEvent[] {
    return this.#collect(venue, (account) => [...account.balances.values()]).sort(balanceOrder);
  }

  /** The latest fills, oldest first (by ts, then tradeId), at most `limit` of them. */
  fills(venue?: string, limit = Infinity): FillEvent[] {
    const fills =
      venue === undefined
        ? [...this.#venues.values()].flatMap((account) => account.fills).sort(compareFills)
        : [...(this.#venues.get(venue)?.fills ?? [])];
    return limit >= fills.length ? fills : fills.slice(fills.length - Math.max(0, limit));
  }

  #account(venue: string): VenueAccount {
    let account = this.#venues.get(venue);
    if (account === undefined) {
      account = new VenueAccount();
      this.#venues.set(venue, account);
    }
    return account;
  }

  #collect<T>(venue: string | undefined, pick: (account: VenueAccount) => T[]): T[] {
    if (venue !== undefined) {
      const account = this.#venues.get(venue);
      return account === undefined ? [] : pick(account);
    }
    return [...this.#venues.values()].flatMap(pick);
  }

  #applyOrder(account: VenueAccount, order: OrderEvent, fromSnapshot: boolean): AccountChange {
    const held = account.orders.get(order.orderId);
    if (held !== undefined) {
      if (sameFields(order, held)) return 'duplicate';
      // A final state is for good: no later report can reopen a filled or cancelled order.
      if (isFinal(held) && !isFinal(order)) return 'stale';
      if (isOlderOrder(order, held)) return 'stale';
    }
    if (!fromSnapshot && !isFinal(order) && order.ts < account.snapshotTs) return 'stale';

    account.orders.set(order.orderId, order);
    if (held !== undefined && held.label !== order.label) forgetLabel(account, held);
    if (order.label !== null) account.byLabel.set(order.label, order.orderId);
    if (isFinal(order)) this.#close(account, order.orderId);
    else {
      account.closed.delete(order.orderId);
      account.open.add(order.orderId);
      if (!account.numbers.has(order.orderId)) {
        account.numbers.set(order.orderId, account.nextNumber);
        account.byNumber.set(account.nextNumber, order.orderId);
        account.nextNumber += 1;
      }
    }
    return 'order';
  }

  #close(account: VenueAccount, orderId: string): void {
    account.open.delete(orderId);
    // Re-inserting moves it to the newest end of the eviction queue.
    account.closed.delete(orderId);
    account.closed.add(orderId);
    while (account.closed.size > this.#limits.closedOrders) {
      const oldest = account.closed.values().next().value as string;
      account.closed.delete(oldest);
      const evicted = account.orders.get(oldest);
      account.orders.delete(oldest);
      if (evicted !== undefined) forgetLabel(account, evicted);
      const number = account.numbers.get(oldest);
      account.numbers.delete(oldest);
      if (number !== undefined) account.byNumber.delete(number);
    }
  }

  #applyFill(account: VenueAccount, fill: FillEvent): AccountChange {
    if (account.tradeIds.has(fill.tradeId)) return 'duplicate';
    account.tradeIds.add(fill.tradeId);
    if (account.tradeIds.size > this.#limits.tradeIds) {
      account.tradeIds.delete(account.tradeIds.values().next().value as string);
    }
    insertSorted(account.fills, fill);
    if (account.fills.length > this.#limits.fills) account.fills.shift();
    return 'fill';
  }

  /**
   * Replaces the venue's open orders, positions and balances with the snapshot's, keeping
   * anything held that is newer than the snapshot (it arrived first but happened after).
   */
  #applySnapshot(account: VenueAccount, snapshot: AccountSnapshotEvent): AccountChange {
    if (snapshot.ts < account.snapshotTs) return 'stale';

    const listedOrders = new Set<string>();
    for (const order of snapshot.orders) {
      listedOrders.add(order.orderId);
      this.#applyOrder(account, order, true);
    }
    for (const orderId of [...account.open]) {
      const held = account.orders.get(orderId) as OrderEvent;
      if (listedOrders.has(orderId) || held.ts >= snapshot.ts) continue;
      this.#close(account, orderId);
    }

    replaceKeyed(
      account.positions,
      snapshot.positions,
      (position) => position.instrument,
      snapshot.ts,
    );
    replaceKeyed(account.balances, snapshot.balances, (balance) => balance.currency, snapshot.ts);
    account.snapshotTs = snapshot.ts;
    return 'snapshot';
  }
}

/**
 * Positions and balances: the full state of one key, replaced by anything not older. Outside
 * a snapshot, a state older than the last snapshot is already reflected in it.
 */
function applyKeyed<T extends PositionEvent | BalanceEvent>(
  map: Map<string, T>,
  key: string,
  state: T,
  snapshotTs: number,
  fromSnapshot: boolean,
): AccountChange {
  const held = map.get(key);
  if (held !== undefined && sameFields(state, held)) return 'duplicate';
  if (held !== undefined && state.ts < held.ts) return 'stale';
  if (!fromSnapshot && state.ts < snapshotTs) return 'stale';
  map.set(key, state);
  return state.kind;
}

/**
 * Takes a snapshot's list for positions or balances: listed keys are applied (unless what is
 * held is newer), unlisted keys held from before the snapshot are dropped (flat), as are
 * flat markers the snapshot now covers.
 */
function replaceKeyed<T extends PositionEvent | BalanceEvent>(
  map: Map<string, T>,
  listed: readonly T[],
  keyOf: (state: T) => string,
  snapshotTs: number,
): void {
  const keys = new Set<string>();
  for (const state of listed) {
    keys.add(keyOf(state));
    applyKeyed(map, keyOf(state), state, snapshotTs, true);
  }
  for (const [key, held] of map) {
    if (!keys.has(key) && held.ts < snapshotTs) map.delete(key);
  }
}

/** Unless the label has since been given to another order. */
function forgetLabel(account: VenueAccount, order: OrderEvent): void {
  if (order.label !== null && account.byLabel.get(order.label) === order.orderId) {
    account.byLabel.delete(order.label);
  }
}

function insertSorted(fills: FillEvent[], fill: FillEvent): void {
  let low = 0;
  let high = fills.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareFills(fills[middle] as FillEvent, fill) <= 0) low = middle + 1;
    else high = middle;
  }
  fills.splice(low, 0, fill);
}
