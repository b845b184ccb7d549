import { SessionPnl, type PnlInstrument } from '../book/session-pnl.js';
import { AccountState } from '../book/account-state.js';
import type { FeedEvent, PositionEvent } from '../book/events.js';
import { MarketState } from '../book/market-state.js';
import { VenueClock } from '../book/venue-clock.js';
import type { Feed, FeedListener } from '../feeds/feed.js';

const VENUE_STAMPED: ReadonlySet<FeedEvent['kind']> = new Set([
  'ticker',
  'book-snapshot',
  'book-delta',
  'trade',
  'index',
]);

/**
 * Books screens may have followed on request at once, per venue: a screen that asks for a
 * whole chain by mistake must not make serve subscribe to hundreds of books.
 */
export const MAX_REQUESTED_BOOKS = 50;

/**
 * The feeds of one process and the state they keep current: market (books, chains, index,
 * hedge tickers) and account (orders, fills, positions, balances). Listeners hear each event
 * after it has been applied, so whatever they read is already up to date.
 */
export class MarketEngine {
  readonly market = new MarketState();
  readonly account = new AccountState();
  readonly feeds: readonly Feed[];
  readonly #listeners = new Set<FeedListener>();
  readonly #unsubscribe: (() => void)[] = [];
  /** Instruments whose books were asked for because a position is held in them. */
  readonly #heldBooks = new Set<string>();
  readonly #sessionPnl = new Map<string, SessionPnl>();
  /** Each venue's positions as the account first loaded: where session PnL counts from. */
  readonly #startPositions = new Map<string, readonly PositionEvent[]>();
  /** Instruments whose books screens ask for (serve: attached screens' leases), per venue. */
  readonly #requestedBooks = new Map<string, ReadonlySet<string>>();
  /** Venues whose screens ask for more books than MAX_REQUESTED_BOOKS (said once). */
  readonly #overAsked = new Set<string>();
  readonly #clocks = new Map<string, VenueClock>();
  readonly #wall: () => number;

  /** `wall`: the machine's clock, which venue clocks run on between messages. */
  constructor(feeds: readonly Feed[], wall: () => number = Date.now) {
    this.feeds = feeds;
    this.#wall = wall;
    for (const feed of feeds) this.#unsubscribe.push(feed.onEvent((event) => this.apply(event)));
  }

  /** Starts every feed; if one cannot start, the others are stopped and the error rethrown. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.feeds.map((feed) => feed.start()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await this.stop();
      throw failed.reason;
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.feeds.map((feed) => feed.stop()));
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  onEvent(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The venue's time: what time to expiry and settlement are measured on (see VenueClock).
   * The machine's clock until the venue has sent a timestamp.
   */
  venueNow(venue: string): number {
    return this.#clock(venue).now();
  }

  /** Whether the venue has sent a timestamp yet (before, `venueNow` is the machine's clock). */
  venueTimeKnown(venue: string): boolean {
    return this.#clock(venue).known;
  }

  #clock(venue: string): VenueClock {
    let clock = this.#clocks.get(venue);
    if (clock === undefined) {
      clock = new VenueClock(this.#wall);
      this.#clocks.set(venue, clock);
    }
    return clock;
  }

  feed(venue: string): Feed | undefined {
    return this.feeds.find((feed) => feed.venue === venue);
  }

  /** What a trader holds, they watch: its L2 book is followed from the first position on. */
  #followHeld(venue: string, positions: readonly PositionEvent[]): void {
    const feed = this.feed(venue);
    if (feed === undefined || feed.followsHeldBooks === true) return;
    const fresh = positions
      .filter((p) => p.size !== 0 && !this.#heldBooks.has(`${venue}\u0000${p.instrument}`))
      .map((p) => p.instrument);
    if (fresh.length === 0) return;
    for (const instrument of fresh) this.#heldBooks.add(`${venue}\u0000${instrument}`);
    feed.watchBooks(fresh).catch((error: unknown) => {
      for (const instrument of fresh) this.#heldBooks.delete(`${venue}\u0000${instrument}`);
      this.#emitStatusError(
        venue,
        `could not follow the books of ${fresh.join(', ')}: ${String(error)}`,
      );
    });
  }

  /**
   * The books screens ask for on a venue, as a whole set: the ones newly asked are followed,
   * the ones no longer asked are left (unless held) and marked broken on every screen, since
   * nothing keeps them current any more. A name the venue does not list is ignored: a screen's
   * typo or an expired instrument must not become a subscription.
   */
  /** The venue's realised PnL and fees since this engine started, from our fills. */
  sessionPnl(venue: string): SessionPnl {
    let pnl = this.#sessionPnl.get(venue);
    if (pnl === undefined) {
      pnl = new SessionPnl(this.#pnlSpecs(venue));
      this.#sessionPnl.set(venue, pnl);
    }
    return pnl;
  }

  /**
   * Realised PnL and fees from `since` on: the session's fills replayed from the account as
   * first loaded, counted from that time (the fills the account keeps: its latest 1,000).
   */
  pnlSince(venue: string, since: number): SessionPnl {
    const pnl = new SessionPnl(this.#pnlSpecs(venue), since);
    pnl.startFrom(this.#startPositions.get(venue) ?? []);
    for (const fill of this.account.fills(venue)) pnl.applyFill(fill);
    return pnl;
  }

  /** What PnL needs of an instrument: its settlement currency, and whether it is USD-sized. */
  #pnlSpecs(venue: string): (instrument: string) => PnlInstrument | undefined {
    const registry = this.market.registry(venue);
    return (instrument) => {
      const spec = registry.get(instrument);
      return spec === undefined
        ? undefined
        : { settleCurrency: spec.settleCurrency, usdSized: spec.sizeUnit === 'usd' };
    };
  }

  requestBooks(venue: string, asked: ReadonlySet<string>): void {
    const feed = this.feed(venue);
    if (feed === undefined) return;
    const registry = this.market.registry(venue);
    const listed = [...asked].filter((name) => registry.get(name) !== undefined).sort();
    const instruments = new Set(listed.slice(0, MAX_REQUESTED_BOOKS));
    if (listed.length > MAX_REQUESTED_BOOKS && !this.#overAsked.has(venue)) {
      this.#overAsked.add(venue);
      this.#emitStatusError(
        venue,
        `screens ask for ${listed.length} books; following ${MAX_REQUESTED_BOOKS} (the first by name)`,
      );
    } else if (listed.length <= MAX_REQUESTED_BOOKS) {
      this.#overAsked.delete(venue);
    }
    const before = this.#requestedBooks.get(venue) ?? new Set<string>();
    this.#requestedBooks.set(venue, instruments);
    const held = (name: string): boolean => this.#heldBooks.has(`${venue}\u0000${name}`);
    const fresh = [...instruments].filter((name) => !before.has(name) && !held(name));
    const gone = [...before].filter((name) => !instruments.has(name) && !held(name));
    if (fresh.length > 0) {
      feed.watchBooks(fresh).catch((error: unknown) => {
        this.#emitStatusError(
          venue,
          `could not follow the books of ${fresh.join(', ')}: ${String(error)}`,
        );
      });
    }
    if (gone.length > 0) {
      feed.unwatchBooks(gone).catch(() => undefined);
      this.apply({
        kind: 'status',
        venue,
        ts: this.#wall(),
        stream: 'engine',
        status: 'gap',
        instruments: gone,
        detail: 'no longer followed: no screen asks for its book',
      });
    }
  }

  #emitStatusError(venue: string, detail: string): void {
    const event: FeedEvent = {
      kind: 'status',
      venue,
      ts: Date.now(),
      stream: 'engine',
      status: 'error',
      detail,
    };
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Applies one event as if a feed had sent it: how the feeds' events arrive, and how a
   * benchmark or a replay drives the engine without sockets.
   */
  apply(event: FeedEvent): void {
    // Market data is stamped by the venue; statuses, listings and some account events are
    // stamped with our clock (or the gateway's) and must not move the venue's.
    if (VENUE_STAMPED.has(event.kind)) this.#clock(event.venue).observe(event.ts);
    switch (event.kind) {
      case 'position':
        this.account.apply(event);
        this.#followHeld(event.venue, [event]);
        break;
      case 'account-snapshot':
        this.account.apply(event);
        this.sessionPnl(event.venue).startFrom(event.positions);
        if (!this.#startPositions.has(event.venue)) {
          this.#startPositions.set(event.venue, event.positions);
        }
        this.#followHeld(event.venue, event.positions);
        break;
      case 'fill':
        this.account.apply(event);
        this.sessionPnl(event.venue).applyFill(event);
        break;
      case 'order':
      case 'balance':
        this.account.apply(event);
        break;
      case 'status':
        if (event.status === 'stale' && event.instruments !== undefined) {
          this.market.markStale(event.venue, event.instruments);
        } else if (event.status === 'gap' && event.instruments !== undefined) {
          this.market.breakBooks(event.venue, event.instruments, event.ts);
        }
        break;
      default:
        // The feed resynchronises broken books itself; the state's own requests are spare.
        if (this.market.apply(event) === 'gap') this.market.takeResyncRequests();
    }
    for (const listener of this.#listeners) listener(event);
  }
}
