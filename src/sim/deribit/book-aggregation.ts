// Book changes of the `book.{instrument}.100ms` and `.agg2` channels: the venue aggregates a
// book's events over the channel's interval and sends one change notification per interval,
// where `raw` sends every event. The merged notification spans the chain: its prev_change_id
// is the id the channel last sent and its change_id the newest merged one, so a client
// checking the chain sees no gap.
//
// A level touched several times in one interval appears once, with its net action: new then
// change is new, new then delete cancels out, delete then new is change.

import type { SimBookAction, SimLevelChange } from '../contract.js';
import type { Interval } from './channels.js';
import { clean } from './numbers.js';

/** Sim ms a channel's events are held before they go out. The venue's documentation names no
 * period for agg2 beyond "aggregated"; its name and what traders observe say two seconds. */
export const AGGREGATION_MS: Readonly<Record<Exclude<Interval, 'raw'>, number>> = {
  '100ms': 100,
  agg2: 2000,
};

interface PendingLevel {
  action: SimBookAction;
  amount: number;
}

export interface MergedChange {
  readonly prevChangeId: number;
  readonly changeId: number;
  readonly timestamp: number;
  readonly bids: [string, number, number][];
  readonly asks: [string, number, number][];
}

/** One aggregated channel's events since it last sent. */
export class PendingBookChanges {
  private prevChangeId: number | null = null;
  private changeId = 0;
  private timestamp = 0;
  private readonly bids = new Map<number, PendingLevel>();
  private readonly asks = new Map<number, PendingLevel>();
  /** Sim time the channel last sent at. */
  lastSentAt = -Infinity;

  get pending(): boolean {
    return this.prevChangeId !== null;
  }

  add(
    prevChangeId: number,
    changeId: number,
    timestamp: number,
    changes: readonly SimLevelChange[],
  ): void {
    this.prevChangeId ??= prevChangeId;
    this.changeId = changeId;
    this.timestamp = timestamp;
    for (const change of changes) {
      merge(change.side === 'bid' ? this.bids : this.asks, change);
    }
  }

  /**
   * The merged change to send, or null when nothing is due. Events that cancelled out still
   * send an empty change: the chain's ids moved, and a snapshot taken now carries the new one.
   */
  take(now: number, periodMs: number): MergedChange | null {
    if (this.prevChangeId === null || now - this.lastSentAt < periodMs) return null;
    const merged: MergedChange = {
      prevChangeId: this.prevChangeId,
      changeId: this.changeId,
      timestamp: this.timestamp,
      bids: levels(this.bids, (a, b) => b - a),
      asks: levels(this.asks, (a, b) => a - b),
    };
    this.prevChangeId = null;
    this.bids.clear();
    this.asks.clear();
    this.lastSentAt = now;
    return merged;
  }
}

function merge(side: Map<number, PendingLevel>, change: SimLevelChange): void {
  const held = side.get(change.price);
  if (held === undefined) {
    side.set(change.price, { action: change.action, amount: change.amount });
    return;
  }
  if (change.action === 'delete') {
    if (held.action === 'new') side.delete(change.price);
    else side.set(change.price, { action: 'delete', amount: 0 });
    return;
  }
  // A level that was new this interval stays new; one that was deleted and came back changed.
  const action = held.action === 'new' ? 'new' : 'change';
  side.set(change.price, { action, amount: change.amount });
}

function levels(
  side: Map<number, PendingLevel>,
  order: (a: number, b: number) => number,
): [string, number, number][] {
  return [...side]
    .sort(([a], [b]) => order(a, b))
    .map(([price, level]) => [level.action, clean(price), clean(level.amount)]);
}
