/**
 * The instruments the feed follows and their daily refresh. Bybit's options expire and new
 * ones list at 08:00 UTC, judged on the venue's clock (its messages' timestamps), which in a
 * simulation may run faster than ours or stand still.
 */
import type { InstrumentListResult } from '../../instruments/list-result.js';
import { InstrumentRegistry, type InstrumentChange } from '../../instruments/registry.js';
import type { InstrumentSpec } from '../../instruments/types.js';
import type { FeedSink } from './feed-sink.js';

const DAY_MS = 86_400_000;
const LISTING_HOUR_MS = 8 * 3_600_000;

/** The first 08:00 UTC strictly after `ts`. */
export function nextListingTime(ts: number): number {
  return (Math.floor((ts - LISTING_HOUR_MS) / DAY_MS) + 1) * DAY_MS + LISTING_HOUR_MS;
}

export interface ListingChanges {
  readonly added: readonly InstrumentSpec[];
  readonly removed: readonly string[];
}

export class BybitListing {
  readonly registry = new InstrumentRegistry('bybit');
  readonly #load: () => Promise<InstrumentListResult>;
  readonly #sink: FeedSink;

  constructor(load: () => Promise<InstrumentListResult>, sink: FeedSink) {
    this.#load = load;
    this.#sink = sink;
  }

  /**
   * Loads the full listing and makes the registry hold exactly it, emitting what changed.
   * With `venueNow`, instruments already expired by the venue's clock are left out even if
   * the venue still lists them (it delists after settling).
   */
  async refresh(ts: number, venueNow: number | null): Promise<ListingChanges> {
    const listed = await this.#load();
    const specs =
      venueNow === null
        ? listed.specs
        : listed.specs.filter((spec) => spec.expiry === null || spec.expiry > venueNow);
    const changes: InstrumentChange[] = this.registry.sync(specs, ts);
    const added: InstrumentSpec[] = [];
    const removed: string[] = [];
    for (const change of changes) {
      this.#sink.emit(change);
      if (change.kind === 'instrument-added') added.push(change.spec);
      else removed.push(change.instrument);
    }
    for (const rejected of listed.rejected) {
      this.#sink.log(
        `bybit instruments: skipped ${rejected.name ?? `row ${rejected.index}`}: ${rejected.reason}`,
      );
    }
    const skipped = listed.rejected.length === 0 ? '' : `, ${listed.rejected.length} unreadable`;
    this.#sink.status('rest', 'instruments', {
      detail: `${this.registry.size} listed: ${added.length} added, ${removed.length} removed${skipped}`,
    });
    return { added, removed };
  }
}
