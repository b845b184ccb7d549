// A record of everything a feed emitted, in order, applied to a MarketState and an
// AccountState exactly as the engine applies them.

import { AccountState } from '../../src/book/account-state.js';
import type { FeedEvent, FeedStatus, StatusEvent, TickerEvent } from '../../src/book/events.js';
import { MarketState } from '../../src/book/market-state.js';
import type { Feed } from '../../src/feeds/feed.js';

export interface RawFrame {
  readonly frame: string;
  readonly stream: string;
}

export class FeedProbe<F extends Feed = Feed> {
  readonly events: FeedEvent[] = [];
  /** Local wall time each event arrived, by index. */
  readonly arrivals: number[] = [];
  readonly raw: RawFrame[] = [];
  readonly market = new MarketState();
  readonly account = new AccountState();
  /** Latest ticker per instrument. */
  readonly tickers = new Map<string, TickerEvent>();

  constructor(
    readonly feed: F,
    readonly logs: string[] = [],
  ) {
    feed.onEvent((event) => {
      this.events.push(event);
      this.arrivals.push(Date.now());
      switch (event.kind) {
        case 'status':
          return;
        case 'order':
        case 'fill':
        case 'position':
        case 'balance':
        case 'account-snapshot':
          this.account.apply(event);
          return;
        case 'ticker':
          this.tickers.set(event.instrument, event);
          this.market.apply(event);
          return;
        default:
          this.market.apply(event);
      }
    });
    feed.onRawFrame((frame, stream) => this.raw.push({ frame, stream }));
  }

  get rawFrames(): string[] {
    return this.raw.map((raw) => raw.frame);
  }

  statuses(status?: FeedStatus, stream?: string): StatusEvent[] {
    return this.events.filter(
      (event): event is StatusEvent =>
        event.kind === 'status' &&
        (status === undefined || event.status === status) &&
        (stream === undefined || event.stream === stream),
    );
  }

  /** Local arrival time of the last event of `kind` before local time `ts`. */
  lastArrival(kind: FeedEvent['kind'], ts: number): number {
    let last = NaN;
    this.events.forEach((event, index) => {
      const at = this.arrivals[index] ?? NaN;
      if (event.kind === kind && at <= ts) last = at;
    });
    return last;
  }

  count(kind: FeedEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }
}
