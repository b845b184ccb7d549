import type { FeedEvent, PositionEvent } from '../book/events.js';
import type { OptionChain } from '../book/option-chain.js';
import {
  buildChainView,
  buildSmileView,
  buildTermView,
  chainKey,
  selectRow,
} from '../view/chain-view.js';
import {
  connectionOf,
  downConnection,
  trackQuiet,
  trackStream,
  type QuietFamilies,
  type StreamStates,
} from '../view/connection.js';
import { fmtClock, fmtExpiry } from '../view/format.js';
import { buildHeaderView } from '../view/header-view.js';
import { buildRiskScreen } from './risk-screen.js';
import { settlementOf, settlementText, type SettledPosition } from '../book/expiry-report.js';
import { buildDepthView } from './depth-view.js';
import { buildOrdersView } from '../view/orders-view.js';
import { buildPositionsView } from '../view/positions-view.js';
import { statusLine } from '../view/status-line.js';
import type { AccountState } from '../book/account-state.js';
import type {
  ChainSideView,
  ChainView,
  ConnectionView,
  Mode,
  RiskScreenView,
  RiskWhatIf,
  ScreenSnapshot,
  SmileView,
  StatusLevel,
  TermView,
  StatusLineView,
  ViewRequest,
} from '../view/types.js';
import {
  buildHeaderVol,
  buildSmileFit,
  buildSurfaceScreen,
  type HeaderVolView,
  type SmileFitView,
  type SurfaceScreenView,
} from '../view/surface-view.js';
import type { MarketEngine } from './market-engine.js';
import type { CoinSurface, SurfaceModel } from './surface-model.js';
import type { CoinVolView, VolHistory } from './vol-history.js';

export interface ReadModelOptions {
  /** The venue whose market and account are shown (the feed's venue name). */
  readonly venue: string;
  readonly mode: Mode;
  /** Coins in the order the trader asked for them; the first one's chain shows first. */
  readonly currencies: readonly string[];
  readonly logPath: string | null;
  /** An attached screen: where it reads the venue from (`redis://host:port`, no password). */
  readonly via?: string;
  /** The hedger's state in a word or two. */
  readonly hedger?: () => string;
  /** The machine's clock, which how long an answer holds the status line is measured on. */
  readonly wall?: () => number;
  /** Fits the chain on screen: the header's 30-day index, the surface view, the fitted smile. */
  readonly surfaces?: SurfaceModel;
  /** Realised vol, the venue's index and IV rank of the coins (started by the session). */
  readonly volHistory?: VolHistory | null;
}

// How often the chain on screen is refitted at most (the fit is memoised per chain change too).
const SURFACE_FIT_MS = 1_000;

interface VolFrame {
  readonly key: string;
  readonly at: number;
  readonly header: HeaderVolView;
  readonly surface: CoinSurface | null;
  readonly history: CoinVolView | null;
  readonly screens: Map<string, SurfaceScreenView | null>;
  readonly smiles: Map<number | null, SmileFitView | null>;
}

/**
 * How long the trader's latest answer holds the status line against connection chatter
 * (`fresh`, `malformed — frames skipped`, …); a newer answer replaces it at once.
 */
export const ANSWER_HOLD_MS = 10_000;

// Messages kept for the messages list.
const MESSAGE_LIMIT = 500;
const ALERT_LIMIT = 100;
/** Feed statuses that need the trader: the connection is lost or failing. */
const ALERTING: ReadonlySet<string> = new Set(['reconnecting', 'closed', 'error']);

// How often everything off screen (other expiries: the term structure, positions' greeks) is
// brought up to date; the expiry on screen is every frame.
const FULL_SETTLE_MS = 250;
/** The risk view's refresh: four a second keeps a 200-position book's matrices off every frame. */
const RISK_REFRESH_MS = 250;

// How often the smile and term structure are rebuilt.
const SURFACE_REFRESH_MS = 250;

interface SurfaceViews {
  readonly smile: SmileView | null;
  readonly term: TermView;
}

// Orders seen, for the age of those whose venue gives no creation time; bounded.
const FIRST_SEEN_LIMIT = 5_000;

/**
 * The engine's state as the screen sees it. Counts changes (`version`) as events arrive, so a
 * frame timer can skip frames in a quiet market, and builds a snapshot of only what is
 * visible on demand. Keeps no timers and never writes to the terminal.
 */
export class ReadModel {
  #version = 0;
  #settledAt = -Infinity;
  #surfaceViews: (SurfaceViews & { readonly key: string; readonly at: number }) | null = null;
  #streams: StreamStates = {};
  #quiet: QuietFamilies = {};
  #down: ConnectionView | null = null;
  /** The latest answer to the trader (a command's, an order's, a settlement). */
  #answer: StatusLineView | null = null;
  /** The latest feed status worth a line. */
  #chatter: StatusLineView | null = null;
  // When each arrived on the machine's clock: a line's own ts may be the venue's or a test's.
  #answerAt = -Infinity;
  #chatterAt = -Infinity;
  #messages: readonly StatusLineView[] = [];
  /** Alerts not yet seen in the messages list, oldest first (bounded). */
  #alerts: StatusLineView[] = [];
  readonly #firstSeen = new Map<string, number>();
  #closed = false;
  /** Retries of a delivery price the venue had not published yet. */
  readonly #deliveryTimers = new Set<NodeJS.Timeout>();
  /** Dated positions held, to report what their expiry did when they go. */
  readonly #held = new Map<string, SettledPosition>();
  /** Per base coin, the expiries listed and not yet reported settled. */
  readonly #liveExpiries = new Map<string, Set<number>>();
  readonly #unsubscribe: () => void;
  #volFrame: VolFrame | null = null;
  /** The last risk view, rebuilt at most every RISK_REFRESH_MS unless what it shows changed. */
  #risk: { key: string; at: number; view: RiskScreenView } | null = null;

  constructor(
    readonly engine: MarketEngine,
    readonly options: ReadModelOptions,
  ) {
    this.#unsubscribe = engine.onEvent((event) => this.#observe(event));
  }

  /** Bumped on every event and note: equal versions mean an identical market and account. */
  get version(): number {
    return this.#version;
  }

  close(): void {
    this.#unsubscribe();
    this.#closed = true;
    for (const timer of this.#deliveryTimers) clearTimeout(timer);
    this.#deliveryTimers.clear();
  }

  /** A line for the status bar from the app itself (a command's answer, a warning). */
  note(text: string, level: StatusLevel = 'info', now = Date.now()): void {
    this.#answer = { text, level, ts: now };
    this.#answerAt = this.#wall();
    this.#remember(this.#answer);
  }

  /** An alert the trader must see: kept on the status line until the messages are opened. */
  alert(line: StatusLineView): void {
    this.#alerts = [...this.#alerts.slice(-(ALERT_LIMIT - 1)), line];
    this.#version += 1;
  }

  /** The trader opened the messages: every alert so far has been seen. */
  alertsSeen(): void {
    if (this.#alerts.length === 0) return;
    this.#alerts = [];
    this.#version += 1;
  }

  get #wall(): () => number {
    return this.options.wall ?? Date.now;
  }

  #remember(line: StatusLineView): void {
    const kept = this.#messages.length >= MESSAGE_LIMIT ? this.#messages.slice(1) : this.#messages;
    this.#messages = [...kept, line];
    this.#version += 1;
  }

  /** What the status line shows now: see ScreenSnapshot.status. */
  #status(): StatusLineView | null {
    const answer = this.#answer;
    const chatter = this.#chatter;
    if (answer === null) return chatter;
    if (chatter === null || this.#chatterAt < this.#answerAt) return answer;
    return this.#wall() - this.#answerAt < ANSWER_HOLD_MS ? answer : chatter;
  }

  /** The venue could not be reached at all; the app retries at `retryAt`. Null once it is. */
  setDown(detail: string | null, retryAt = 0, attempt = 0): void {
    this.#down = detail === null ? null : downConnection(detail, retryAt, attempt);
    this.#version += 1;
  }

  /** The shown venue's time: what the screen's `now` must be (see VenueClock). */
  now(): number {
    return this.engine.venueNow(this.options.venue);
  }

  connection(): ConnectionView {
    if (this.#down !== null) return this.#down;
    const feed = this.engine.feed(this.options.venue);
    return connectionOf(this.#streams, feed?.roundTripMs() ?? null, this.#quiet);
  }

  /** Chains of the venue, the asked-for coins first, inverse (coin-margined) before linear. */
  chains(): OptionChain[] {
    const order = (base: string): number => {
      const at = this.options.currencies.indexOf(base);
      return at === -1 ? this.options.currencies.length : at;
    };
    return this.engine.market
      .chains(this.options.venue)
      .sort(
        (a, b) =>
          order(a.base) - order(b.base) ||
          Number(a.quote !== a.base) - Number(b.quote !== b.base) ||
          chainKey(a).localeCompare(chainKey(b)),
      );
  }

  /**
   * One frame at `now`, the venue's time (`venueNow`): time to expiry, the front expiry and
   * order ages are measured on it. An expiry it has passed is settled: dropped from the
   * chains (its options are no longer priced, never at negative time) and reported once.
   */
  snapshot(request: ViewRequest, now: number): ScreenSnapshot {
    const { market, account } = this.engine;
    const venue = this.options.venue;
    this.#settleExpired(now);
    const full = now - this.#settledAt >= FULL_SETTLE_MS || now < this.#settledAt;
    if (full) {
      market.settle(now);
      this.#settledAt = now;
    }
    const chains = this.chains();
    const chain = chains.find((candidate) => chainKey(candidate) === request.chain) ?? chains[0];
    if (!full && chain !== undefined) {
      // Between full settles only the expiry on screen is repriced: every ticker moves its
      // expiry's forward, and repricing all of them each frame is most of a frame's cost.
      const row = chain.rows[selectRow(chain, request.expiry)];
      if (row?.dirty === true) row.reprice(now);
    }
    const chainView =
      chain === undefined ? null : markOwnOrders(buildChainView(chain, request), account, venue);
    const expiry = chainView?.expiry ?? null;
    const connection = this.connection();
    const vol = chain === undefined ? null : this.#vol(chain, now, full, connection.state);
    const header = buildHeaderView(market, chain, {
      venue,
      mode: this.options.mode,
      connection,
      hedger: this.options.hedger?.() ?? 'off',
      now,
      ...(this.options.via === undefined ? {} : { via: this.options.via }),
    });
    return {
      version: this.#version,
      header: vol === null ? header : { ...header, vol: vol.header },
      chains: chains.map(chainKey),
      chain: chainView,
      ...(request.surface && chain !== undefined
        ? this.#surface(chain, expiry, now, full)
        : { smile: null, term: null }),
      positions: buildPositionsView(market, account, venue),
      orders: buildOrdersView(
        account.orders(venue),
        now,
        (id) => this.#firstSeen.get(id),
        (id) => account.orderNumber(venue, id),
      ),
      status: this.#status(),
      alerts:
        this.#alerts.length === 0
          ? null
          : { count: this.#alerts.length, latest: this.#alerts[this.#alerts.length - 1]! },
      messages: this.#messages,
      logPath: this.options.logPath,
      info: null,
      depth:
        request.depth === undefined || request.depth === null
          ? null
          : buildDepthView(market, account, venue, request.depth, now),
      risk:
        request.risk === undefined || request.risk === null || chain === undefined
          ? null
          : this.#riskView(chain.base, request.risk.whatIf, now, connection.state),
      ...(vol === null
        ? {}
        : {
            surfaceScreen:
              request.volSurface === true
                ? this.#screen(vol, request.gridAxis ?? 'delta', connection.state)
                : null,
            smileFit: request.surface ? this.#smileFit(vol, expiry) : null,
          }),
    };
  }

  /**
   * The chain's fitted surface and realised vol, refitted at most every SURFACE_FIT_MS on a
   * frame that settled everything (or at once for another chain). Between refits the same
   * objects are returned, so nothing downstream is rebuilt.
   */
  #vol(chain: OptionChain, now: number, settled: boolean, state: string): VolFrame | null {
    const surfaces = this.options.surfaces;
    if (surfaces === undefined) return null;
    const key = `${chainKey(chain)}\u0000${state}`;
    const held = this.#volFrame;
    if (held !== null && held.key === key && now >= held.at) {
      const age = now - held.at;
      if (age < SURFACE_FIT_MS || (!settled && age < 2 * SURFACE_FIT_MS)) return held;
    }
    const surface = chain.rows.some((row) => row.forward > 0) ? surfaces.surface(chain, now) : null;
    const history = this.options.volHistory?.view(chain.base, now, surface) ?? null;
    const stale = state !== 'live';
    const frame: VolFrame = {
      key,
      at: now,
      header: buildHeaderVol(surface, history, stale),
      surface,
      history,
      screens: new Map(),
      smiles: new Map(),
    };
    this.#volFrame = frame;
    return frame;
  }

  #riskView(coin: string, whatIf: RiskWhatIf | null, now: number, state: string): RiskScreenView {
    const key = `${coin}\u0000${state}\u0000${JSON.stringify(whatIf)}`;
    const held = this.#risk;
    if (held !== null && held.key === key && now >= held.at && now - held.at < RISK_REFRESH_MS) {
      return held.view;
    }
    const stale = state === 'live' ? null : `feed ${state}: marks may not be current`;
    const { market, account } = this.engine;
    const view = buildRiskScreen(market, account, this.options.venue, coin, whatIf, now, stale);
    this.#risk = { key, at: now, view };
    return view;
  }

  #screen(frame: VolFrame, axis: 'delta' | 'moneyness', state: string): SurfaceScreenView | null {
    if (!frame.screens.has(axis)) {
      const stale = state === 'live' ? null : `feed ${state}: the chain may not be current`;
      frame.screens.set(axis, buildSurfaceScreen(frame.surface, frame.history, axis, stale));
    }
    return frame.screens.get(axis) ?? null;
  }

  #smileFit(frame: VolFrame, expiry: number | null): SmileFitView | null {
    if (frame.surface === null) return null;
    if (!frame.smiles.has(expiry)) frame.smiles.set(expiry, buildSmileFit(frame.surface, expiry));
    return frame.smiles.get(expiry) ?? null;
  }

  /**
   * The smile and term structure, rebuilt at most every SURFACE_REFRESH_MS (or at once when
   * the chain or expiry shown changes). Between rebuilds the same objects are returned, so
   * the charts are not redrawn: a braille line costs the renderer far more than a row of
   * digits, and a curve that moves four times a second reads as live.
   */
  #surface(
    chain: OptionChain,
    expiry: number | null,
    now: number,
    settledNow: boolean,
  ): SurfaceViews {
    const key = `${chainKey(chain)}\u0000${expiry}`;
    const held = this.#surfaceViews;
    if (held !== null && held.key === key && now >= held.at) {
      const age = now - held.at;
      // A frame that just settled everything is already the dearest: the curves wait for the
      // next one, but never past a second refresh period (a market that only ticks four
      // times a second settles on every frame).
      if (age < SURFACE_REFRESH_MS || (settledNow && age < 2 * SURFACE_REFRESH_MS)) return held;
    }
    this.#surfaceViews = {
      key,
      at: now,
      smile: buildSmileView(chain, expiry),
      term: buildTermView(chain, now),
    };
    return this.#surfaceViews;
  }

  /**
   * Expiries the venue's clock has passed: dropped from the chains, and each reported once
   * whether this drops it or the feed's listing refresh got there first.
   */
  #settleExpired(now: number): void {
    const market = this.engine.market;
    const venue = this.options.venue;
    // Only on the venue's word: before its first timestamp, `now` may be a clock far from it.
    if (!this.engine.venueTimeKnown(venue)) return;
    let due = false;
    for (const chain of market.chains(venue)) {
      let seen = this.#liveExpiries.get(chain.base);
      if (seen === undefined) this.#liveExpiries.set(chain.base, (seen = new Set()));
      for (const row of chain.rows) {
        seen.add(row.expiry);
        if (row.expiry <= now) due = true;
      }
    }
    if (due) market.expire(venue, now);
    const settled = new Map<number, string[]>();
    for (const [base, expiries] of this.#liveExpiries) {
      for (const expiry of expiries) {
        if (expiry > now) continue;
        expiries.delete(expiry);
        settled.set(expiry, [...(settled.get(expiry) ?? []), base]);
      }
    }
    for (const [expiry, bases] of [...settled].sort(([a], [b]) => a - b)) {
      this.note(
        `${fmtExpiry(expiry)} (${bases.join(', ')}) expired at ${fmtClock(expiry)} UTC: settled, dropped from the chain`,
      );
    }
  }

  #observe(event: FeedEvent): void {
    this.#version += 1;
    if (event.venue !== this.options.venue) return;
    if (event.kind === 'status') {
      this.#streams = trackStream(this.#streams, event);
      this.#quiet = trackQuiet(this.#quiet, event);
      if (event.status === 'live') this.#down = null;
      const line = statusLine(event);
      if (line !== null) {
        this.#chatter = line;
        this.#chatterAt = this.#wall();
        this.#remember(line);
        if (ALERTING.has(event.status)) this.alert(line);
      }
    } else if (event.kind === 'order') {
      this.#firstSeenAt(event.orderId, event.ts);
    } else if (event.kind === 'account-snapshot') {
      for (const order of event.orders) this.#firstSeenAt(order.orderId, event.ts);
      const listed = new Set(event.positions.map((position) => position.instrument));
      for (const instrument of [...this.#held.keys()]) {
        if (!listed.has(instrument)) this.#positionGone(instrument, event.ts);
      }
      for (const position of event.positions) this.#holding(position);
    } else if (event.kind === 'position') {
      this.#holding(event);
    }
  }

  /** Keeps what each dated position was (spec and average price) until it goes. */
  #holding(position: PositionEvent): void {
    if (position.size === 0) {
      this.#positionGone(position.instrument, position.ts);
      return;
    }
    const spec = this.engine.market.registry(this.options.venue).get(position.instrument);
    if (spec === undefined || spec.expiry === null) return;
    this.#held.set(position.instrument, { spec, position });
  }

  /**
   * A position went: if its expiry had come, it was settled, and the trader is told at what
   * price and for what PnL (one line per expiry and coin, all its positions in it).
   */
  #positionGone(instrument: string, ts: number): void {
    const held = this.#held.get(instrument);
    this.#held.delete(instrument);
    if (held === undefined || held.spec.expiry === null || held.spec.expiry > ts) return;
    const { spec } = held;
    const expiry = spec.expiry!;
    const label = fmtExpiry(expiry);
    const index = this.engine.market.usdIndex(this.options.venue, spec.base)?.price;
    const estimated = (): void => {
      if (index === undefined || !(index > 0)) {
        this.note(`${instrument} settled at its expiry; no index to value it by yet`, 'info');
        return;
      }
      this.note(settlementText(label, index, [settlementOf(held, index)]), 'info');
    };
    const delivered = (price: number): void => {
      this.note(settlementText(label, price, [settlementOf(held, price)], 'delivery'), 'info');
    };
    const history = this.engine.feed(this.options.venue)?.history;
    if (history?.deliveryPrice === undefined) {
      estimated();
      return;
    }
    const ask = history.deliveryPrice.bind(history);
    let waits = [...DELIVERY_RETRY_MS];
    const attempt = (first: boolean): void => {
      ask(spec.base, expiry).then(
        (price) => (price !== null && price > 0 ? delivered(price) : later(first)),
        () => later(first),
      );
    };
    const later = (first: boolean): void => {
      // The index figure at once; the venue's own when it publishes it.
      if (first) estimated();
      const wait = waits[0];
      waits = waits.slice(1);
      if (wait === undefined || this.#closed) return;
      const timer = setTimeout(() => {
        this.#deliveryTimers.delete(timer);
        if (!this.#closed) attempt(false);
      }, wait);
      timer.unref();
      this.#deliveryTimers.add(timer);
    };
    attempt(true);
  }

  #firstSeenAt(orderId: string, ts: number): void {
    if (this.#firstSeen.has(orderId)) return;
    if (this.#firstSeen.size >= FIRST_SEEN_LIMIT) {
      const oldest = this.#firstSeen.keys().next().value;
      if (oldest !== undefined) this.#firstSeen.delete(oldest);
    }
    this.#firstSeen.set(orderId, ts);
  }
}

/** When the venue has not published an expiry's delivery price yet: ask again after these. */
const DELIVERY_RETRY_MS = [20_000, 60_000, 120_000];

/** Options we have an open order on, marked in the chain beside their strike. */
function markOwnOrders(
  view: ChainView | null,
  account: AccountState,
  venue: string,
): ChainView | null {
  if (view === null) return null;
  const mine = new Set(account.orders(venue).map((order) => order.instrument));
  if (mine.size === 0) return view;
  const mark = (side: ChainSideView): ChainSideView =>
    side.instrument !== null && mine.has(side.instrument) ? { ...side, own: true } : side;
  return {
    ...view,
    rows: view.rows.map((row) =>
      mine.has(row.call.instrument ?? '') || mine.has(row.put.instrument ?? '')
        ? { ...row, call: mark(row.call), put: mark(row.put) }
        : row,
    ),
  };
}
