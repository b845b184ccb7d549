/**
 * The hedger's loop, kept thin: it listens to the engine's events, decides (src/hedge/decide.ts)
 * at most once per debounce interval and at least once per periodic interval, sends what the
 * decision asks for through the order gateway, follows that one order until the venue's answer
 * says how much filled (counting that fill until the position shows it, src/hedge/fill-ledger.ts),
 * and logs every decision. All rules live in the decision; the loop only knows
 * when to ask and how to carry the answer out.
 */
import type { AccountState } from '../book/account-state.js';
import type { FeedEvent } from '../book/events.js';
import type { MarketState } from '../book/market-state.js';
import type { OrderGateway } from '../gateway/order-gateway.js';
import type { GatewayReport, OrderIntent } from '../gateway/types.js';
import type { HedgeSetting } from '../commands/types.js';
import {
  bandUsd,
  parseBand,
  parseHedgeInstrument,
  parseHedgeTo,
  parsePolicy,
  parseRatio,
  parseTarget,
  ratioText,
  type InstrumentChoice,
  type PolicyChoice,
} from './config.js';
import { currentBand, decide, DEFAULT_AVERSION, DEFAULT_EVERY_MS, measure } from './decide.js';
import type { PolicyBand } from './policy.js';
import { EngineInputs } from './engine-inputs.js';
import { FillLedger, type HedgeFill } from './fill-ledger.js';
import { HedgeCosts, midOf, todayText } from './hedge-cost.js';
import { dollars, signedCoins } from './figures.js';
import type {
  HedgeConfig,
  HedgeDecision,
  HedgeInputs,
  HedgeInstrumentView,
  HedgeLogEntry,
  HedgeMeasure,
  HedgerState,
} from './types.js';

/** Whatever the injected `setTimer` returns: Node's Timeout, or a virtual clock's number. */
export type TimerHandle = object | number;

export interface HedgerOptions {
  readonly config: HedgeConfig;
  readonly market: MarketState;
  readonly account: AccountState;
  readonly gateway: Pick<OrderGateway, 'submit' | 'onReport' | 'cancelLast' | 'lookup'>;
  /** The engine's events, heard after they were applied (MarketEngine.onEvent). */
  readonly subscribe: (listener: (event: FeedEvent) => void) => () => void;
  /** The hedger's clock (ms); a virtual one in tests. */
  readonly now?: () => number;
  /** The venue's time, which the options' greeks are priced at (see EngineInputsOptions). */
  readonly venueNow?: () => number;
  /** Every decision, with its inputs (the JSONL hedge log). */
  readonly log?: (entry: HedgeLogEntry) => void;
  /** Timers on the hedger's clock, so a virtual clock can drive debounce and timeouts. */
  readonly setTimer?: (callback: () => void, ms: number) => TimerHandle;
  readonly clearTimer?: (handle: TimerHandle) => void;
  /** Told once, loudly, whenever the hedger switches itself off. */
  readonly alert?: (line: string) => void;
}

/** One hedge order, from its sending until the venue's final answer says how much filled. */
interface Flight {
  readonly label: string;
  /** When the time policy's due time was last met before this hedge (restored if it fails). */
  readonly dueBefore: number | undefined;
  readonly side: OrderIntent['side'];
  /** The position the hedger decided on (the venue's plus fills it does not show yet). */
  readonly before: number;
  readonly sentAt: number;
  orderId: string | null;
  outcome: GatewayReport['outcome'];
  timer: TimerHandle | null;
  /** The venue's cancel is on its way after a timeout. */
  cancelling: boolean;
  /** Past its timeout with no final answer: waited for, never decided around. */
  waiting: boolean;
}

type RecentKind = 'none' | 'pause' | 'other';

/** Per expiry, one bucket as the panel shows it. */
interface BucketFigure {
  readonly instrument: string;
  readonly netUsd: number | null;
  readonly bandUsd: number | null;
}

/** Kept for the panel; older lines go to the log only. */
const RECENT_LINES = 20;
const MINUTE_MS = 60_000;
/**
 * After a rejection the next decision waits this long: the gateway's rate window is a
 * second, so a sooner retry would only meet the same refusal and spend a strike.
 */
const REJECT_BACKOFF_MS = 1_000;
/** Labels of our orders remembered, to tell late reports of them apart from others'. */
const KEEP_LABELS = 100;
const SOON = Symbol('soon');

const MODE_WORD: Readonly<Record<HedgerState['mode'], string>> = {
  on: 'ON',
  off: 'OFF',
  paused: 'PAUSED',
};

export class Hedger {
  #config: HedgeConfig;
  readonly #market: MarketState;
  readonly #account: AccountState;
  readonly #gateway: HedgerOptions['gateway'];
  readonly #inputs: EngineInputs;
  readonly #now: () => number;
  readonly #log: (entry: HedgeLogEntry) => void;
  readonly #setTimer: (callback: () => void, ms: number) => TimerHandle;
  readonly #clearTimer: (handle: TimerHandle) => void;
  readonly #alert: (line: string) => void;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #listeners = new Set<(state: HedgerState) => void>();

  #mode: HedgerState['mode'] = 'off';
  #reason: string | null = null;
  #measure: HedgeMeasure = { netDelta: null, netUsd: null, bandUsd: null };
  /** The policy's band at the last measure, with why it is what it is. */
  #band: PolicyBand | null = null;
  #hedges = 0;
  #recent: string[] = [];
  #recentKind: RecentKind = 'other';
  #state: HedgerState;
  #closed = false;

  #flight: Flight | null = null;
  readonly #ledger = new FillLedger();
  /** Today's hedges and what their fills cost. */
  readonly #costs: HedgeCosts;
  /** Labels already told about, so a long wait raises its alert once. */
  readonly #overdue = new Set<string>();
  /** Send times of the last minute's orders. */
  #sent: number[] = [];
  /** When the last hedge order went (the panel shows it). */
  #lastHedgeAt: number | null = null;
  /**
   * What the time policy counts from: the last hedge order, or the last due decision that
   * found nothing to trade (the net already on the target). Counted from orders alone, a due
   * time met with nothing to do left the policy due, and it hedged the moment the net strayed
   * half a lot: between its times.
   */
  #dueMetAt = new Map<string, number>();
  /** What `hinst` names: the instrument traded, or per expiry the one of the rest. */
  #home: string;
  /** Per expiry, each bucket's net and band at the last choice. */
  #buckets: BucketFigure[] | null = null;
  #rejects = 0;
  readonly #ours = new Set<string>();
  /** The label of the gateway's latest submission, ours or not: what `cancelLast` would hit. */
  #lastSubmitted: string | null = null;
  /** While `submit` runs: the reports it emits synchronously (its 'sent' or 'refused'). */
  #capture: GatewayReport[] | null = null;

  #pending: TimerHandle | typeof SOON | null = null;
  #periodic: TimerHandle | null = null;
  /** No market-triggered decision before this time (the debounce). */
  #debounceUntil = -Infinity;
  /** No decision at all before this time (the back-off after a rejection). */
  #backoffUntil = -Infinity;

  constructor(options: HedgerOptions) {
    this.#config = options.config;
    this.#home = options.config.instrument;
    this.#market = options.market;
    this.#account = options.account;
    this.#gateway = options.gateway;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => undefined);
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#alert = options.alert ?? (() => undefined);
    this.#costs = new HedgeCosts(options.config.currency, this.#now());
    this.#inputs = new EngineInputs({
      config: options.config,
      market: options.market,
      account: options.account,
      ...(options.venueNow === undefined ? {} : { pricingNow: options.venueNow }),
    });
    this.#state = this.#snapshot();
    this.#unsubscribe.push(
      options.subscribe((event) => this.#guard(() => this.#onEvent(event))),
      this.#gateway.onReport((report) => this.#guard(() => this.#onReport(report))),
    );
  }

  /** The configuration in force (the band may have changed since the start: `hb`). */
  get config(): HedgeConfig {
    return this.#config;
  }

  /** `hon`: starts hedging; a hedger that switched itself off starts with a clean slate. */
  activate(): string {
    if (this.#closed) return 'hedger closed';
    if (this.#mode !== 'off') return `hedger already ${MODE_WORD[this.#mode]}: ${this.#summary()}`;
    this.#mode = 'on';
    this.#reason = null;
    this.#rejects = 0;
    // The trader switched it back on after being told a fill was missing from the position
    // past the long bound: having looked at the venue, the position is taken as it stands.
    const overdue = this.#overdueFills(this.#now());
    if (overdue.length > 0) {
      this.#ledger.drop(overdue);
      this.#line('other', `no longer counting ${overdue.map((fill) => fill.label).join(', ')}`);
    }
    // The first decision comes at once, not after a refresh of the header that was pending.
    this.#cancelPending();
    this.#debounceUntil = -Infinity;
    this.#backoffUntil = -Infinity;
    this.#line('other', 'ON by the trader');
    this.#armPeriodic();
    this.#changed();
    this.#trigger();
    const { currency, instrument, deltaSource, convention } = this.#config;
    const source = deltaSource === 'model' ? 'ivtrade greeks at mark IV' : "the venue's delta";
    return (
      `hedger ON: ${currency} options' net delta hedged in ${instrument} within ${this.#bandText()}; ` +
      `delta from ${source}, ${convention}; ` +
      (this.#config.futures === 'net'
        ? `net of every ${currency} future held`
        : this.#config.futures === 'expiry'
          ? `each expiry in its own ${currency} future where followed`
          : `other ${currency} futures are ignored`)
    );
  }

  /** `hoff`: no further decisions; an order already sent is still followed to its end. */
  deactivate(): string {
    if (this.#closed) return 'hedger closed';
    if (this.#mode === 'off') return `hedger already OFF: ${this.#summary()}`;
    this.#switchOff(null);
    this.#line('other', 'OFF by the trader');
    this.#changed();
    const flying = this.#flight === null ? '' : `; ${this.#flight.label} still in flight`;
    return `hedger OFF (${this.#hedges} hedge${this.#hedges === 1 ? '' : 's'} this session${flying})`;
  }

  /**
   * `hb 0.5%`, `hb $200`: a new band, in force from the next decision (taken at once when
   * on); `hb` alone says the band. Confirmed, logged and shown in the panel.
   */
  setBand(text: string | null): string {
    return this.#adjust(
      text,
      'band',
      'band',
      parseBand,
      () => this.#bandText(),
      (band) => ({
        band,
      }),
    );
  }

  /**
   * `hmode gamma 1e-3`, `hmode time 15`, `hmode fixed`: the policy from the next decision;
   * `hmode` alone says it.
   */
  setPolicy(text: string | null): string {
    return this.#adjust(
      text,
      'policy',
      'policy',
      parsePolicy,
      () => this.#policyText(),
      (choice: PolicyChoice) => choice,
    );
  }

  /** `htarget -0.5`: the net delta to hold, in coins; `htarget` alone says it. */
  setTarget(text: string | null): string {
    return this.#adjust(
      text,
      'target',
      'target',
      parseTarget,
      () => `${signedCoins(this.#config.target ?? 0)} ${this.#config.currency}`,
      (target) => ({ target }),
    );
  }

  /** `hto edge`, `hto zero`: where a hedge trades to; `hto` alone says it. */
  setHedgeTo(text: string | null): string {
    return this.#adjust(
      text,
      'hedges to',
      'hedge-to',
      parseHedgeTo,
      () => this.#toText(),
      (hedgeTo) => ({ hedgeTo }),
    );
  }

  /** `hratio 0.8`: the share of the distance to the target a hedge trades; alone says it. */
  setRatio(text: string | null): string {
    return this.#adjust(
      text,
      'ratio',
      'ratio',
      parseRatio,
      () => ratioText(this.#config.ratio ?? 1),
      (ratio) => ({ ratio }),
    );
  }

  /**
   * One setting from its text: `read` parses it (its RangeError says why not, and nothing
   * changes), `show` says the setting, `apply` is what changes in the configuration.
   */
  #adjust<T>(
    text: string | null,
    what: string,
    refused: string,
    read: (text: string) => T,
    show: () => string,
    apply: (value: T) => Partial<HedgeConfig>,
  ): string {
    if (this.#closed) return 'hedger closed';
    if (text === null) return `hedger ${what} ${show()}`;
    let value: T;
    try {
      value = read(text);
    } catch (error) {
      return `${refused} not changed: ${error instanceof Error ? error.message : String(error)}`;
    }
    const was = show();
    this.#config = { ...this.#config, ...apply(value) };
    return this.#changedSetting(what, was, show());
  }

  /** Any setting by name, as a command or an attached screen's intent names it. */
  set(setting: HedgeSetting, text: string | null): string {
    switch (setting) {
      case 'band':
        return this.setBand(text);
      case 'policy':
        return this.setPolicy(text);
      case 'target':
        return this.setTarget(text);
      case 'to':
        return this.setHedgeTo(text);
      case 'ratio':
        return this.setRatio(text);
      case 'inst':
        return this.setInstrument(text);
    }
  }

  /**
   * `hinst net`: count every future and perpetual of the coin in the net; `hinst only`: the
   * hedge instrument's position alone; `hinst expiry`: each expiry's options in its own
   * future; `hinst BTC-27MAR26`: hedge in that future from now (per expiry: the rest in it).
   * Moving what is traded waits until no hedge is in flight or unreconciled: its fills are
   * followed by instrument, and a hedge half-followed in the old one must not be lost.
   */
  setInstrument(text: string | null): string {
    if (this.#closed) return 'hedger closed';
    if (text === null) return `hedger instrument ${this.#instrumentText()}`;
    let choice: InstrumentChoice;
    try {
      choice = parseHedgeInstrument(text);
    } catch (error) {
      return `instrument not changed: ${error instanceof Error ? error.message : String(error)}`;
    }
    const was = this.#instrumentText();
    const { venue, currency, instrument } = this.#config;
    let home = this.#home;
    if ('instrument' in choice) {
      const spec = this.#market.registry(venue).get(choice.instrument);
      if (spec === undefined || spec.kind === 'option' || spec.base !== currency) {
        return `instrument not changed: ${choice.instrument} is not a ${currency} future or perpetual listed on ${venue}`;
      }
      if (choice.instrument === home) return `hedger instrument ${was} (unchanged)`;
      const mark = this.#market.ticker(venue, choice.instrument)?.mark;
      if (mark === null || mark === undefined || !(mark > 0)) {
        // No ticker, no mark: the gateway could check no order in it.
        return (
          `instrument not changed: ${choice.instrument} is not followed as a hedge (no mark): ` +
          `start with --hedge-instrument ${choice.instrument} to hedge in it`
        );
      }
      home = choice.instrument;
    }
    const futures = 'futures' in choice ? choice.futures : (this.#config.futures ?? 'only');
    // Per expiry the bucket traded is chosen at each decision; otherwise it is the home one.
    const traded = futures === 'expiry' ? instrument : home;
    if (traded !== instrument && (this.#flight !== null || this.#ledger.pending.length > 0)) {
      const label = this.#flight?.label ?? this.#ledger.pending[0]?.label ?? '';
      return `instrument not changed: hedge ${label} in ${instrument} is not reconciled yet`;
    }
    this.#home = home;
    this.#config = { ...this.#config, futures, instrument: traded };
    this.#inputs.retarget(this.#config, home);
    return this.#changedSetting('instrument', was, this.#instrumentText());
  }

  #instrumentText(): string {
    const { instrument, currency, futures } = this.#config;
    if (futures === 'expiry') {
      return (
        `per expiry: each expiry's options in its own future where followed, the rest in ` +
        `${this.#home}` +
        (instrument === this.#home ? '' : ` (trading ${instrument} now)`)
      );
    }
    return futures === 'net'
      ? `${instrument}, net of every ${currency} future held`
      : `${instrument} only (other ${currency} futures ignored)`;
  }

  /**
   * Per expiry, the bucket to decide on: with nothing in flight or unreconciled, the one
   * furthest outside its own band (each bucket's net against its band, as the policy sets it);
   * else the one in flight, which must be followed to its end first.
   */
  #chooseBucket(now: number): void {
    if (this.#config.futures !== 'expiry') return;
    if (this.#flight !== null || this.#ledger.pending.length > 0) return;
    let best: { instrument: string; score: number } | null = null;
    const figures: BucketFigure[] = [];
    for (const instrument of this.#inputs.bucketInstruments()) {
      this.#inputs.retarget({ ...this.#config, instrument });
      const config = this.#decideConfig({ ...this.#config, instrument });
      const inputs = this.#gather(now);
      const m = measure(inputs, config);
      const index = inputs.indexUsd;
      const target = (config.target ?? 0) * (index ?? 0);
      // Unknown figures go first: deciding on that bucket says why it cannot be hedged.
      const score =
        m.netUsd === null || m.bandUsd === null || !(m.bandUsd > 0)
          ? Infinity
          : Math.abs(m.netUsd - target) / m.bandUsd;
      figures.push({ instrument, netUsd: m.netUsd, bandUsd: m.bandUsd });
      if (best === null || score > best.score) best = { instrument, score };
    }
    this.#buckets = figures;
    const chosen = best?.instrument ?? this.#home;
    this.#config = { ...this.#config, instrument: chosen };
    this.#inputs.retarget(this.#config);
  }

  /** The target is the book's, held in the home instrument; another bucket is hedged to zero. */
  #decideConfig(config: HedgeConfig = this.#config): HedgeConfig {
    return config.futures === 'expiry' && config.instrument !== this.#home
      ? { ...config, target: 0 }
      : config;
  }

  #toText(): string {
    if (this.#config.policy === 'time') return 'the target (the time policy has no band)';
    return this.#config.hedgeTo === 'edge' ? "the band's edge" : 'the target';
  }

  #changedSetting(what: string, was: string, now: string): string {
    this.#line('other', `${what} ${now} (was ${was}) by the trader`);
    this.#refreshMeasure();
    this.#changed();
    if (this.#mode !== 'off') {
      this.#cancelPending();
      this.#debounceUntil = -Infinity;
      this.#trigger();
    }
    return `hedger ${what} ${now} (was ${was})`;
  }

  #policyText(): string {
    const { policy = 'fixed', aversion, everyMs } = this.#config;
    if (policy === 'gamma') return `gamma (γ ${(aversion ?? DEFAULT_AVERSION).toExponential(0)}/$)`;
    if (policy === 'time') return `time (every ${(everyMs ?? DEFAULT_EVERY_MS) / 60_000} min)`;
    return `fixed (${this.#bandText()})`;
  }

  /** `hs`: one line. */
  status(): string {
    if (this.#mode === 'off') this.#refreshMeasure();
    return `hedger ${this.#summary()}`;
  }

  state(): HedgerState {
    return this.#state;
  }

  onState(listener: (state: HedgerState) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Stops listening and clears every timer; an order in flight is no longer followed. */
  close(): void {
    if (this.#closed) return;
    this.#switchOff(null);
    this.#closed = true;
    const timer = this.#flight?.timer ?? null;
    if (timer !== null) this.#clearTimer(timer);
    this.#flight = null;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#changed();
    this.#listeners.clear();
  }

  // ——— when to decide ———

  #onEvent(event: FeedEvent): void {
    if (this.#closed || event.venue !== this.#config.venue) return;
    const connection = this.#inputs.observe(event, this.#now());
    const hedgeInstrument = 'instrument' in event && event.instrument === this.#config.instrument;
    switch (event.kind) {
      case 'position':
      case 'fill':
      case 'account-snapshot':
        if (event.kind === 'fill' && hedgeInstrument) {
          this.#ledger.noteFill(event);
          if (this.#costs.fill(event, this.#now())) this.#changed();
        }
        if (event.kind === 'position' && hedgeInstrument) this.#ledger.notePosition();
        this.#reconcile();
        // The book itself changed (a fill, most often the trader's): decided at once, not
        // after the market's debounce, which bounds how often price noise is re-decided.
        this.#trigger(true);
        return;
      case 'order':
        this.#trigger();
        return;
      case 'ticker':
        if (this.#inputs.moves(event.instrument)) this.#trigger();
        return;
      case 'status':
        if (connection) this.#trigger();
        return;
      default:
        return;
    }
  }

  /**
   * Asks for a decision: at once (after the current event burst, so a frame's order, fill
   * and position are all in) when the last one is old enough, else when it will be. An
   * urgent ask (the account changed) skips the debounce, never a rejection's back-off, and
   * brings forward a decision that was waiting on the debounce. Other asks while one is
   * coming are absorbed by it.
   */
  #trigger(urgent = false): void {
    if (this.#closed) return;
    const until = urgent ? this.#backoffUntil : Math.max(this.#debounceUntil, this.#backoffUntil);
    const wait = until - this.#now();
    if (this.#pending !== null) {
      if (!urgent || this.#pending === SOON || wait > 0) return;
      this.#clearTimer(this.#pending);
      this.#pending = null;
    }
    if (wait <= 0) {
      this.#pending = SOON;
      queueMicrotask(() => {
        if (this.#pending === SOON) this.#guard(() => this.#run());
      });
    } else {
      this.#pending = this.#setTimer(() => this.#guard(() => this.#run()), wait);
    }
  }

  #armPeriodic(): void {
    if (this.#periodic !== null) this.#clearTimer(this.#periodic);
    this.#periodic = this.#setTimer(
      () =>
        this.#guard(() => {
          this.#periodic = null;
          if (this.#mode === 'off' || this.#closed) return;
          this.#armPeriodic();
          this.#trigger();
        }),
      this.#config.periodicMs,
    );
  }

  #run(): void {
    this.#pending = null;
    if (this.#closed) return;
    const now = this.#now();
    // A rejection since this was scheduled pushed the next decision back.
    if (now < this.#backoffUntil) {
      this.#trigger();
      return;
    }
    this.#debounceUntil = now + this.#config.debounceMs;
    // Off: nothing is decided, but the header still shows the book's net delta.
    if (this.#mode === 'off') {
      this.#refreshMeasure();
      this.#changed();
      return;
    }
    this.#decide(now);
  }

  // ——— deciding ———

  #gather(now: number): HedgeInputs {
    this.#sent = this.#sent.filter((ts) => ts > now - MINUTE_MS);
    return this.#inputs.gather(now, {
      inFlight: this.#flight !== null,
      hedgesLastMinute: this.#sent.length,
      consecutiveRejects: this.#rejects,
      unreflected: this.#ledger.unreflected,
      lastHedgeAt: this.#dueMetAt.get(this.#config.instrument) ?? null,
    });
  }

  #refreshMeasure(): void {
    this.#chooseBucket(this.#now());
    const inputs = this.#gather(this.#now());
    this.#measure = measure(inputs, this.#decideConfig());
    this.#band = currentBand(inputs, this.#decideConfig());
  }

  #decide(now: number): void {
    this.#chooseBucket(now);
    const config = this.#decideConfig();
    const inputs = this.#gather(now);
    this.#measure = measure(inputs, config);
    this.#band = currentBand(inputs, config);
    const decided = decide(inputs, config);
    // Switching off and pausing for the market keep their precedence; only an order or a
    // trade would be held back by what is not reconciled yet.
    const decision =
      decided.action === 'hedge' || decided.action === 'none'
        ? (this.#unreconciled(now) ?? decided)
        : decided;
    // A due time that found nothing to trade is met as one that traded (an order in flight
    // or a fill not yet in the position is no answer on the net: those stay due).
    const due = this.#band?.due === true && !inputs.inFlight;
    if (due && decision === decided && decided.action === 'none') {
      this.#dueMetAt.set(this.#config.instrument, now);
    }
    let label: string | undefined;
    switch (decision.action) {
      case 'off':
        this.#switchOff(decision.reason);
        this.#line('other', `OFF: ${decision.reason}`);
        break;
      case 'pause':
        this.#mode = 'paused';
        this.#reason = decision.reason;
        this.#line('pause', `PAUSED: ${decision.reason}`);
        break;
      case 'none':
        this.#mode = 'on';
        this.#reason = null;
        this.#line('none', decision.reason);
        break;
      case 'hedge':
        this.#mode = 'on';
        this.#reason = null;
        label = this.#send(decision, now, inputs.hedge);
        break;
    }
    this.#write({
      ts: now,
      state: this.#mode,
      inputs,
      measure: this.#measure,
      decision,
      ...(label === undefined ? {} : { label }),
    });
    this.#changed();
    if (decision.action === 'off') this.#alert(`hedger OFF: ${decision.reason}`);
  }

  #write(entry: HedgeLogEntry): void {
    try {
      this.#log(entry);
    } catch {
      // The log is a record of the loop, never a reason for the loop to stop.
    }
  }

  // ——— sending and following ———

  /**
   * Sends the decision's order; returns its label, or undefined when the gateway refused.
   * `hedge`: the instrument as the decision saw it, whose mid the fills' cost is measured from.
   */
  #send(
    decision: Extract<HedgeDecision, { action: 'hedge' }>,
    now: number,
    hedge: HedgeInstrumentView,
  ): string | undefined {
    // Decide never hedges while an order is in flight; this keeps it so whatever changes.
    if (this.#flight !== null) return undefined;
    const { venue, instrument } = this.#config;
    const order = { venue, instrument, side: decision.side, amount: decision.amount } as const;
    const intent: OrderIntent =
      decision.price === undefined
        ? { ...order, kind: 'market', origin: 'hedge' }
        : { ...order, kind: 'limit', price: decision.price, timeInForce: 'ioc', origin: 'hedge' };
    const before =
      (this.#account.position(venue, instrument)?.size ?? 0) + this.#ledger.unreflected;
    const captured: GatewayReport[] = [];
    this.#capture = captured;
    try {
      // Resolves once the venue answered; the reports on the way are what the loop follows.
      void this.#gateway.submit([intent]);
    } finally {
      this.#capture = null;
    }
    const first = captured[0];
    if (first === undefined || first.label === null || first.outcome === 'refused') {
      const why = first?.message ?? 'the gateway gave no answer';
      this.#rejected(now);
      this.#line('other', `REFUSED: ${decision.reason}: ${why}`);
      // The decision after the back-off counts this strike (and turns off at the limit).
      this.#trigger();
      return undefined;
    }
    const label = first.label;
    this.#lastSubmitted = label;
    this.#remember(label);
    this.#hedges += 1;
    this.#sent.push(now);
    this.#lastHedgeAt = now;
    this.#costs.sent({
      label,
      orderId: first.orderId,
      sentAt: now,
      mid: midOf(hedge),
      sizeUnit: hedge.sizeUnit,
    });
    const dueBefore = this.#dueMetAt.get(this.#config.instrument);
    this.#dueMetAt.set(this.#config.instrument, now);
    const flight: Flight = {
      label,
      dueBefore,
      side: decision.side,
      before,
      sentAt: now,
      orderId: first.orderId,
      outcome: first.outcome,
      timer: null,
      cancelling: false,
      waiting: false,
    };
    flight.timer = this.#setTimer(
      () => this.#guard(() => this.#timedOut(flight)),
      this.#config.orderTimeoutMs,
    );
    this.#flight = flight;
    this.#line('other', `HEDGE ${label}: ${decision.reason}`);
    return label;
  }

  #onReport(report: GatewayReport): void {
    if (this.#capture !== null) {
      this.#capture.push(report);
      return;
    }
    if (report.outcome === 'sent' && report.label !== null) this.#lastSubmitted = report.label;
    if (report.label === null || !this.#ours.has(report.label)) return;
    const flight = this.#flight;
    if (flight === null || flight.label !== report.label) {
      // A late word on an order the loop stopped following: worth a line, nothing more.
      this.#line('other', `late: ${report.message}`);
      this.#changed();
      this.#trigger();
      return;
    }
    flight.outcome = report.outcome;
    if (report.orderId !== null) {
      flight.orderId = report.orderId;
      this.#costs.identify(flight.label, report.orderId);
    }
    switch (report.outcome) {
      case 'accepted':
      case 'partially-filled':
        // The venue took it: the order path works, whatever the fill.
        this.#rejects = 0;
        return;
      case 'filled':
      case 'cancelled':
        this.#rejects = 0;
        this.#line('other', report.message);
        this.#finish(flight, report.filled);
        return;
      case 'rejected':
        this.#rejected(this.#now());
        this.#line('other', `REJECTED: ${report.message}`);
        this.#finish(flight, report.filled);
        return;
      case 'unknown':
        this.#line('other', report.message);
        this.#changed();
        return;
      default:
        return;
    }
  }

  #rejected(now: number): void {
    this.#rejects += 1;
    this.#backoffUntil = Math.max(this.#backoffUntil, now + REJECT_BACKOFF_MS);
  }

  /**
   * The venue's final answer: the order is done with, and what it filled is counted on top of
   * the position until the position shows it. The next decision may come at once: it sees
   * the hedge, whether or not the position stream has caught up.
   */
  #finish(flight: Flight, filled: number): void {
    if (this.#flight !== flight) return;
    if (flight.timer !== null) this.#clearTimer(flight.timer);
    this.#flight = null;
    // A hedge that traded nothing (rejected, or an IOC with no fill) met no due time: the time
    // policy stays due and retries after the back-off, instead of waiting a whole interval.
    if (filled === 0) {
      const instrument = this.#config.instrument;
      if (flight.dueBefore === undefined) this.#dueMetAt.delete(instrument);
      else this.#dueMetAt.set(instrument, flight.dueBefore);
    }
    this.#overdue.delete(flight.label);
    this.#ledger.add({
      label: flight.label,
      orderId: flight.orderId,
      signed: flight.side === 'buy' ? filled : -filled,
      before: flight.before,
      since: this.#now(),
    });
    this.#reconcile();
    this.#changed();
    this.#trigger();
  }

  /** Drops the hedge fills the position now shows. */
  #reconcile(): void {
    const { venue, instrument } = this.#config;
    const size = this.#account.position(venue, instrument)?.size ?? 0;
    const lot = this.#lotSize();
    const done = this.#ledger.reconcile(size, lot > 0 ? lot / 2 : 1e-9);
    for (const label of done) this.#overdue.delete(label);
    if (done.length > 0) this.#changed();
  }

  /**
   * No final answer within the timeout. The order is cancelled if it is the gateway's latest
   * (an IOC rests nowhere, so this only makes sure; when another order came after ours, ours
   * cannot be singled out). Then it is waited for: its outcome comes from the venue (the
   * order on the stream, or the venue asked at the long bound), never from a fresh decision
   * on a position that may not show it.
   */
  #timedOut(flight: Flight): void {
    if (this.#flight !== flight || this.#closed) return;
    flight.timer = null;
    if (this.#lastSubmitted !== flight.label) {
      this.#line(
        'other',
        `${flight.label}: no answer in time; not the latest order, not cancelled`,
      );
      this.#wait(flight);
      return;
    }
    flight.cancelling = true;
    this.#line('other', `${flight.label}: no answer in time: cancelling`);
    this.#changed();
    void this.#gateway.cancelLast().then((outcome) =>
      this.#guard(() => {
        if (this.#closed) return;
        this.#line('other', `${flight.label}: ${outcome.message}`);
        flight.cancelling = false;
        this.#wait(flight);
      }),
    );
  }

  /** Waits on an unanswered order until the long bound, then asks the venue about it. */
  #wait(flight: Flight): void {
    if (this.#flight !== flight) {
      this.#changed();
      return;
    }
    flight.waiting = true;
    this.#line('other', `waiting for hedge ${flight.label} to reconcile`);
    const left = flight.sentAt + this.#config.reconcileAfterMs - this.#now();
    flight.timer = this.#setTimer(
      () => this.#guard(() => this.#overdueFlight(flight)),
      Math.max(0, left),
    );
    this.#changed();
  }

  /**
   * The long bound: the venue is asked what became of the order (Deribit by label, Bybit by
   * orderLinkId); its answer finishes the flight through the gateway's report. Should the
   * venue not answer either, the order is still never resent: the trader is told once, and
   * the venue asked again after another bound.
   */
  #overdueFlight(flight: Flight): void {
    if (this.#flight !== flight || this.#closed) return;
    flight.timer = null;
    const after = Math.round((this.#now() - flight.sentAt) / 1000);
    this.#line('other', `${flight.label}: no outcome after ${after} s: asking the venue`);
    this.#changed();
    void this.#gateway.lookup(flight.label).then((answer) =>
      this.#guard(() => {
        if (this.#closed) return;
        this.#line('other', `${flight.label}: ${answer}`);
        if (this.#flight !== flight) {
          this.#changed();
          return;
        }
        if (!this.#overdue.has(flight.label)) {
          this.#overdue.add(flight.label);
          this.#alert(
            `hedge ${flight.label}: no outcome after ${after} s (${answer}); ` +
              `nothing else is sent in ${this.#config.instrument} until it is known`,
          );
        }
        flight.timer = this.#setTimer(
          () => this.#guard(() => this.#overdueFlight(flight)),
          this.#config.reconcileAfterMs,
        );
        this.#changed();
      }),
    );
  }

  /**
   * A pause the decision cannot see: an order whose outcome is unknown is waited for (decide
   * already holds back while one is in flight; this names it), and a fill the position has not
   * shown past the long bound stops trust in the position until it does.
   */
  #unreconciled(now: number): HedgeDecision | null {
    const flight = this.#flight;
    if (flight?.waiting === true) {
      return { action: 'none', reason: `waiting for hedge ${flight.label} to reconcile` };
    }
    const overdue = this.#overdueFills(now);
    if (overdue.length === 0) return null;
    const labels = overdue.map((fill) => fill.label).join(', ');
    for (const fill of overdue) {
      if (this.#overdue.has(fill.label)) continue;
      this.#overdue.add(fill.label);
      this.#alert(
        `hedger PAUSED: ${fill.label} filled but the ${this.#config.instrument} position has not shown it ` +
          `for ${Math.round(this.#config.reconcileAfterMs / 1000)} s; hoff then hon once the venue is checked`,
      );
    }
    return {
      action: 'pause',
      reason: `position does not show the fill of ${labels} after ${Math.round(this.#config.reconcileAfterMs / 1000)} s`,
    };
  }

  #overdueFills(now: number): readonly HedgeFill[] {
    return this.#ledger.pending.filter((fill) => now - fill.since >= this.#config.reconcileAfterMs);
  }

  #lotSize(): number {
    const { venue, instrument } = this.#config;
    return this.#market.registry(venue).get(instrument)?.lotSize ?? 0;
  }

  #remember(label: string): void {
    this.#ours.add(label);
    if (this.#ours.size > KEEP_LABELS) {
      const oldest = this.#ours.values().next().value as string;
      this.#ours.delete(oldest);
    }
  }

  /**
   * Runs one turn of the loop. A bug in it must neither reach whoever called (an engine
   * listener that throws stops the engine's other listeners hearing the event) nor leave the
   * hedger running on a state it did not finish updating: it switches off and says why.
   */
  #guard(turn: () => void): void {
    try {
      turn();
    } catch (error) {
      const why = `internal error: ${error instanceof Error ? error.message : String(error)}`;
      try {
        this.#switchOff(why);
        this.#line('other', `OFF: ${why}`);
        this.#changed();
        this.#alert(`hedger OFF: ${why}`);
      } catch {
        // Nothing further can be done from here; the hedger is off.
      }
    }
  }

  // ——— state ———

  #switchOff(reason: string | null): void {
    this.#mode = 'off';
    this.#reason = reason;
    this.#cancelPending();
    if (this.#periodic !== null) this.#clearTimer(this.#periodic);
    this.#periodic = null;
  }

  #cancelPending(): void {
    if (this.#pending !== null && this.#pending !== SOON) this.#clearTimer(this.#pending);
    this.#pending = null;
  }

  /** Adds a panel line; a run of 'none' (or of pauses) keeps only its latest line. */
  #line(kind: RecentKind, text: string): void {
    const line = `${clock(this.#now())} ${text}`;
    if (kind !== 'other' && kind === this.#recentKind && this.#recent.length > 0) {
      this.#recent = [line, ...this.#recent.slice(1)];
    } else {
      this.#recent = [line, ...this.#recent].slice(0, RECENT_LINES);
    }
    this.#recentKind = kind;
  }

  #changed(): void {
    this.#state = this.#snapshot();
    for (const listener of this.#listeners) {
      try {
        listener(this.#state);
      } catch {
        // A listener's failure is its own; the loop and the other listeners carry on.
      }
    }
  }

  #snapshot(): HedgerState {
    return {
      mode: this.#mode,
      reason: this.#reason,
      instrument: this.#config.instrument,
      measure: this.#measure,
      hedges: this.#hedges,
      inFlight: this.#flight?.label ?? null,
      reconciling: this.#reconcilingText(),
      recent: this.#recent,
      policy: {
        name: this.#config.policy ?? 'fixed',
        why: this.#band?.why ?? null,
        bandCoins:
          this.#band === null || !Number.isFinite(this.#band.coins) ? null : this.#band.coins,
        target: this.#config.target ?? 0,
        lastHedgeAt: this.#lastHedgeAt,
      },
      today: this.#costs.today(this.#now()),
      ...(this.#config.futures === 'expiry' && this.#buckets !== null
        ? { buckets: this.#buckets }
        : {}),
    };
  }

  #reconcilingText(): string | null {
    const flight = this.#flight;
    if (flight?.waiting === true) return `waiting for hedge ${flight.label} to reconcile`;
    const pending = this.#ledger.pending;
    if (pending.length === 0) return null;
    const fills = pending.map(
      (fill) => `${fill.label} ${fill.signed > 0 ? '+' : ''}${fill.signed}`,
    );
    return `counting ${fills.join(', ')}: not in the position yet`;
  }

  #summary(): string {
    const mode = MODE_WORD[this.#mode];
    const why = this.#reason === null ? '' : ` (${this.#reason})`;
    const { netDelta, netUsd, bandUsd: band } = this.#measure;
    const net =
      netDelta === null
        ? 'net delta unknown'
        : `net ${signedCoins(netDelta)} ${this.#config.currency}` +
          (netUsd === null ? '' : ` (${dollars(netUsd)})`) +
          (band === null ? '' : ` vs band ±${dollars(band)}`);
    const waiting = this.#reconcilingText();
    const flying =
      waiting !== null
        ? ` · ${waiting}`
        : this.#flight === null
          ? ''
          : ` · ${this.#flight.label} in flight`;
    const today = todayText(this.#costs.today(this.#now()));
    return `${mode}${why} · ${this.#config.instrument} · ${net} · ${this.#hedges} hedge${this.#hedges === 1 ? '' : 's'}${flying} · ${today}`;
  }

  #bandText(): string {
    const band = this.#config.band;
    if (band.kind === 'usd') return `±${dollars(band.value)}`;
    const usd = bandUsd(band, this.#gather(this.#now()).indexUsd);
    const percent = `${Number((band.value * 100).toPrecision(12))}% of one coin`;
    return usd === null ? `±${percent}` : `±${dollars(usd)} (${percent})`;
  }
}

/** UTC time of day for a panel line. */
function clock(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}
