// The engine as the publisher reads it, driven by hand: listed specs, events pushed one by one,
// an empty account (the bench and the publisher's tests feed it).

import type { FeedEvent } from '../../../src/book/events.js';
import type { InstrumentSpec } from '../../../src/instruments/types.js';
import type { PublisherSource } from '../../../src/store/publisher.js';

export function handSource(
  venue: string,
  specs: readonly InstrumentSpec[],
  specOf: (name: string) => InstrumentSpec | undefined,
  now: () => number = Date.now,
): { source: PublisherSource; push: (event: FeedEvent) => void } {
  let listener: ((event: FeedEvent) => void) | null = null;
  const source: PublisherSource = {
    venue,
    onEvent: (take) => {
      listener = take;
      return () => (listener = null);
    },
    specOf,
    specs: () => specs,
    tickers: () => [],
    books: () => [],
    book: () => undefined,
    account: () => ({
      kind: 'account-snapshot',
      venue,
      ts: 0,
      orders: [],
      positions: [],
      balances: [],
    }),
    now,
  };
  return { source, push: (event) => listener?.(event) };
}
