/**
 * The one door every order leaves through. A submission is checked whole before anything is
 * sent: rounded to tick and lot, sized against the minimum, priced against the mark, capped
 * in notional and in orders per second. If any order of it is refused, none is sent. What
 * passes is labelled and handed to the venue at once, in the caller's tick, and then followed
 * (by the venue's reply and by the private stream, matched on the label) until it is done.
 */
import type { FeedEvent, OrderEvent } from '../book/events.js';
import type { OrderApi, OrderRequest, OrderResult } from '../feeds/feed.js';
import { VenueOrderError } from '../feeds/feed.js';
import {
  batchRefusal,
  checkIntent,
  type Checked,
  type Ready,
  type Refusal,
} from './intent-check.js';
import type { InstrumentSpec } from '../instruments/types.js';
import { LabelMaker } from './labels.js';
import { packageLegIntents } from './package-intents.js';
import { DecimalTextError, exactDecimal } from './rounding.js';
import { resolveLimits } from './limits.js';
import { RateLimiter } from './rate-limiter.js';
import { noCredentials, numberText, orderText, outcomeSummary } from './report-text.js';
import type {
  OrderAmend,
  OrderChangeOutcome,
  OrderToCancel,
  CancelOutcome,
  GatewayLimits,
  GatewayListener,
  GatewayMarket,
  GatewayOutcome,
  GatewayReport,
  OrderDoor,
  OrderIntent,
  PackageIntent,
} from './types.js';

export { DEFAULT_LIMITS } from './limits.js';

/** Deribit's combos hold at most four legs. */
export const MAX_COMBO_LEGS = 4;

/** The package as the one order it is on the venue's books: what its reports speak of. */
function packageAsIntent(pkg: PackageIntent, price: string): OrderIntent {
  return {
    venue: pkg.venue,
    instrument: pkg.name,
    side: pkg.side,
    amount: pkg.amount,
    kind: 'limit',
    price,
    timeInForce: pkg.timeInForce,
    origin: pkg.origin,
  };
}

/**
 * The net price on the finest tick of its legs, the trader's way: a buy down, a sell up.
 * Signed: a package bought for a credit has a negative price.
 */
function roundNet(pkg: PackageIntent, specs: readonly InstrumentSpec[]): string {
  const credit = pkg.price.startsWith('-');
  const magnitude = exactDecimal(credit ? pkg.price.slice(1) : pkg.price, 'price');
  const net = credit ? magnitude.neg() : magnitude;
  const tick = exactDecimal(numberText(Math.min(...specs.map((spec) => spec.tickSize))), 'tick');
  const steps = net.div(tick);
  const whole = pkg.side === 'buy' ? steps.floor() : steps.ceil();
  return whole.times(tick).toFixed();
}
export type { CancelOutcome } from './types.js';

export interface OrderGatewayOptions {
  readonly market: GatewayMarket;
  /** A venue's order entry; null where no trading credentials are configured. */
  readonly orders: (venue: string) => OrderApi | null;
  readonly limits?: Partial<GatewayLimits>;
  /** The label's session part (6 characters of 0-9 a-z); random per process when left out. */
  readonly session?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

/** An order the gateway sent and still follows. */
interface Tracked {
  readonly label: string;
  readonly venue: string;
  readonly instrument: string;
  readonly side: OrderIntent['side'];
  // An amend moves these.
  amount: string;
  price: string | null;
  /** How the price reads in a line (`priceText`). */
  at: string;
  orderId: string | null;
  outcome: GatewayOutcome;
  filled: number;
  report: GatewayReport;
}

type TrackedState = Omit<Tracked, 'report'>;

/** One submission that sent something: its orders (a paced one fills in wave by wave). */
interface Submission {
  readonly tracked: Tracked[];
  /** Its waves still to send, while paced; a cancel of it stops them. */
  pacing: { stopped: boolean } | null;
}

export interface SubmitOptions {
  /**
   * Who sent it (an attached screen): `cancelLastOf(owner)` cancels the owner's last
   * submission, not whoever's came last.
   */
  readonly owner?: string;
}

const TERMINAL: ReadonlySet<GatewayOutcome> = new Set([
  'refused',
  'filled',
  'cancelled',
  'rejected',
]);
/** Finished orders kept for matching late stream events; older ones are forgotten. */
const KEEP_TRACKED = 5_000;
/** Owners whose last submission is remembered for `cancelLastOf`; the longest idle go first. */
const KEEP_OWNERS = 1_000;

export class OrderGateway implements OrderDoor {
  readonly session: string;
  readonly limits: GatewayLimits;
  readonly #market: GatewayMarket;
  readonly #orders: (venue: string) => OrderApi | null;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #labels: LabelMaker;
  readonly #rate: RateLimiter;
  readonly #listeners = new Set<GatewayListener>();
  readonly #byLabel = new Map<string, Tracked>();
  /** The last submission that sent anything: what `cancelLast` cancels. */
  #lastSubmission: Submission | null = null;
  /** Each owner's last submission that sent anything: what `cancelLastOf(owner)` cancels. */
  readonly #lastByOwner = new Map<string, Submission>();
  /** The paced submission still sending its waves, if any; a cancel stops it. */
  #pacing: { stopped: boolean } | null = null;

  constructor(options: OrderGatewayOptions) {
    this.limits = resolveLimits(options.limits);
    this.#market = options.market;
    this.#orders = options.orders;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => undefined);
    this.#labels = new LabelMaker(options.session);
    this.session = this.#labels.session;
    this.#rate = new RateLimiter(this.limits.maxOrdersPerSecond);
  }

  /** Adds a listener for every report (refusals, sends, venue answers, later changes). */
  onReport(listener: GatewayListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Checks every intent, then sends them all or none. Nothing is awaited before the first
   * order goes out. Resolves, once every venue has answered, with each order's state then
   * (one report per intent, in order); never rejects.
   */
  submit(
    intents: readonly OrderIntent[],
    options: SubmitOptions = {},
  ): Promise<readonly GatewayReport[]> {
    if (intents.length === 0) return Promise.resolve([]);
    const context = { market: this.#market, orders: this.#orders, limits: this.limits };
    const checked = intents.map((intent) => checkIntent(intent, context));
    const ready = checked.filter((c): c is Ready => c.refusal === null);
    const paced = ready.length === checked.length && checked.length > this.#rate.maxPerWindow;
    const refusal =
      ready.length < checked.length
        ? batchRefusal(checked)
        : paced
          ? null
          : this.#rateRefusal(checked.length);
    if (refusal !== null) {
      const reports = checked.map((c, i) => this.#refused(c, refusal(c, i)));
      // One line says why the whole submission was refused, not one per order.
      const first = checked.findIndex((c) => c.refusal !== null);
      this.#emit(reports[Math.max(0, first)]!);
      return Promise.resolve(reports);
    }
    if (paced) return this.#sendPaced(ready, options.owner);

    const sent = this.#send(ready);
    this.#remember({ tracked: sent.tracked, pacing: null }, options.owner);
    this.#pacing = null;
    return sent.answered.then(() => sent.tracked.map((tracked) => tracked.report));
  }

  #send(ready: readonly Ready[]): { tracked: Tracked[]; answered: Promise<unknown> } {
    const tracked: Tracked[] = [];
    const answers: Promise<void>[] = [];
    for (const c of ready) {
      const label = this.#labels.next(c.intent.origin);
      const one = this.#track(c, label);
      tracked.push(one);
      answers.push(this.#place(c.api, { ...c.request, label }, one));
    }
    for (const one of tracked) this.#emit(one.report);
    return { tracked, answered: Promise.all(answers) };
  }

  /**
   * More orders than the cap allows in a second (a ladder of 50): checked whole like any
   * submission, then sent in waves as the cap frees slots, first wave at once. `cancelLast`
   * and `cancelAll` stop the waves not yet sent (they are reported refused, never sent).
   */
  async #sendPaced(
    ready: readonly Ready[],
    owner: string | undefined,
  ): Promise<readonly GatewayReport[]> {
    const pacing = { stopped: false };
    this.#pacing = pacing;
    const sent: Tracked[] = [];
    const submission: Submission = { tracked: sent, pacing };
    this.#remember(submission, owner);
    const answers: Promise<unknown>[] = [];
    let next = 0;
    while (next < ready.length && !pacing.stopped) {
      const now = this.#now();
      const free = this.#rate.maxPerWindow - this.#rate.used(now);
      const size = Math.min(free, ready.length - next);
      if (size <= 0 || !this.#rate.tryTake(size, now)) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, this.#rate.waitMs(1, now))));
        continue;
      }
      const wave = this.#send(ready.slice(next, next + size));
      sent.push(...wave.tracked);
      answers.push(wave.answered);
      next += size;
    }
    if (this.#pacing === pacing) this.#pacing = null;
    submission.pacing = null;
    await Promise.all(answers);
    const left = ready
      .slice(next)
      .map((c) =>
        this.#refused(
          c,
          `not sent: the paced orders after ${next} of ${ready.length} were stopped by a cancel`,
        ),
      );
    if (left[0] !== undefined) this.#emit(left[0]);
    return [...sent.map((tracked) => tracked.report), ...left];
  }

  /**
   * Every check `submit` makes before sending, but the rate cap (a submission over it is paced,
   * one under it waits for nothing but the cap): null when `intents` would go, else the one
   * line `submit` would refuse them with. Sends nothing, spends nothing.
   */
  check(intents: readonly OrderIntent[]): string | null {
    const context = { market: this.#market, orders: this.#orders, limits: this.limits };
    const checked = intents.map((intent) => checkIntent(intent, context));
    const first = checked.findIndex((c) => c.refusal !== null);
    if (first < 0) return null;
    return batchRefusal(checked)(checked[first]!, first);
  }

  /** True when the venue takes combo orders (a package goes as one order there). */
  hasCombos(venue: string): boolean {
    return this.#orders(venue)?.placeCombo !== undefined;
  }

  /**
   * Every check `submitPackage` makes, but the rate cap: null when the package would go, else
   * the line it would be refused with. Sends nothing.
   */
  checkPackage(pkg: PackageIntent): string | null {
    const checked = this.#checkPackage(pkg);
    return checked.ok ? null : checked.message;
  }

  /**
   * A package as one combo order: each leg checked as the order it amounts to (tick and lot,
   * the mark distance of its share of the price, notional), all or none, then the net price
   * rounded to the tick (a buy down, a sell up) and sent once. Never rejects.
   */
  submitPackage(pkg: PackageIntent, options: SubmitOptions = {}): Promise<GatewayReport> {
    const checked = this.#checkPackage(pkg);
    const refusal = checked.ok ? this.#rateRefusal(1) : null;
    if (!checked.ok || refusal !== null) {
      const message = checked.ok ? refusal!(checked.ready, 0) : checked.message;
      const intent = packageAsIntent(pkg, pkg.price);
      const report = this.#refused(
        { intent, amount: pkg.amount, price: pkg.price, refusal: message },
        message,
      );
      this.#emit(report);
      return Promise.resolve(report);
    }
    const sent = this.#send([checked.ready]);
    this.#remember({ tracked: sent.tracked, pacing: null }, options.owner);
    return sent.answered.then(() => sent.tracked[0]!.report);
  }

  #checkPackage(pkg: PackageIntent): { ok: true; ready: Ready } | { ok: false; message: string } {
    const api = this.#orders(pkg.venue);
    if (api === null) return { ok: false, message: noCredentials(pkg.venue) };
    if (api.placeCombo === undefined) {
      return {
        ok: false,
        message: `${pkg.venue} has no combo orders: the ${pkg.name} can only go as separate legs`,
      };
    }
    if (pkg.legs.length < 2 || pkg.legs.length > MAX_COMBO_LEGS) {
      return {
        ok: false,
        message: `a package has 2 to ${MAX_COMBO_LEGS} legs, not ${pkg.legs.length}`,
      };
    }
    const context = { market: this.#market, orders: this.#orders, limits: this.limits };
    const legIntents = packageLegIntents(pkg);
    const checked = legIntents.map((intent) => checkIntent(intent, context));
    const ready: Ready[] = [];
    for (const [index, leg] of checked.entries()) {
      if (leg.refusal !== null) {
        const share =
          pkg.legs[index]?.capFrom === undefined ? 'its share of the package price' : 'capped';
        return {
          ok: false,
          message:
            `leg ${index + 1} of ${checked.length} (${leg.intent.side} ${leg.amount} ${leg.intent.instrument} ` +
            `at ${leg.intent.price ?? ''}, ${share}): ${leg.refusal}`,
        };
      }
      ready.push(leg);
    }
    let price: string;
    try {
      price = roundNet(
        pkg,
        ready.map((leg) => this.#market.spec(pkg.venue, leg.intent.instrument)!),
      );
    } catch (error) {
      if (error instanceof DecimalTextError) return { ok: false, message: error.message };
      throw error;
    }
    const request: Omit<OrderRequest, 'label'> = {
      instrument: pkg.name,
      side: pkg.side,
      kind: 'limit',
      amount: pkg.amount,
      price,
      timeInForce: pkg.timeInForce,
    };
    const legs = ready.map((leg) => ({
      instrument: leg.intent.instrument,
      side: leg.intent.side,
      amount: leg.amount,
    }));
    const comboApi: OrderApi = {
      place: (sent) =>
        api.placeCombo!({
          legs,
          side: sent.side,
          amount: sent.amount,
          price: sent.price ?? price,
          timeInForce: sent.timeInForce ?? pkg.timeInForce,
          label: sent.label,
        }),
      edit: (edit) => api.edit(edit),
      cancel: (orderId) => api.cancel(orderId),
      cancelAll: (scope) => api.cancelAll(scope),
      cancelByLabel: (label) => api.cancelByLabel(label),
      orderByLabel: (label, instrument) => api.orderByLabel(label, instrument),
    };
    const intent = packageAsIntent(pkg, price);
    return {
      ok: true,
      ready: {
        intent,
        amount: pkg.amount,
        price,
        refusal: null,
        api: comboApi,
        request,
        at: `${price} net`,
      },
    };
  }

  /**
   * Order and fill events from the engine: our orders' later lives (a resting order filled,
   * cancelled, an unknown outcome resolved). Each change is reported once, however many
   * times the reply and the stream tell it.
   */
  observe(event: FeedEvent): void {
    switch (event.kind) {
      case 'order':
        this.#observeOrder(event);
        return;
      case 'fill': {
        const tracked = event.label === null ? undefined : this.#byLabel.get(event.label);
        if (tracked !== undefined && tracked.orderId === null) tracked.orderId = event.orderId;
        return;
      }
      case 'account-snapshot':
        for (const order of event.orders) this.#observeOrder(order);
        return;
      default:
        return;
    }
  }

  /**
   * Cancels what is still open of the last submission that sent anything (a ladder is one
   * submission): by order id, or by label while the id is not known yet. Never rejects; the
   * message says what was done, and why not where it was not.
   */
  cancelLast(): Promise<CancelOutcome> {
    const last = this.#lastSubmission;
    if (last === null) {
      return Promise.resolve({ message: 'nothing sent in this session to cancel', reports: [] });
    }
    this.#stopPacing();
    return this.#cancelSubmission(last.tracked);
  }

  /**
   * `cancelLast` for one owner (an attached screen): what is open of the last submission that
   * owner sent, and the waves of it still to send; others' orders are left alone.
   */
  cancelLastOf(owner: string): Promise<CancelOutcome> {
    const last = this.#lastByOwner.get(owner);
    if (last === undefined) {
      return Promise.resolve({ message: 'nothing sent from this screen to cancel', reports: [] });
    }
    if (last.pacing !== null) {
      last.pacing.stopped = true;
      if (this.#pacing === last.pacing) this.#pacing = null;
      last.pacing = null;
    }
    return this.#cancelSubmission(last.tracked);
  }

  #remember(submission: Submission, owner: string | undefined): void {
    this.#lastSubmission = submission;
    if (owner === undefined) return;
    this.#lastByOwner.delete(owner);
    this.#lastByOwner.set(owner, submission);
    if (this.#lastByOwner.size > KEEP_OWNERS) {
      const oldest = this.#lastByOwner.keys().next().value;
      if (oldest !== undefined) this.#lastByOwner.delete(oldest);
    }
  }

  async #cancelSubmission(last: readonly Tracked[]): Promise<CancelOutcome> {
    const open = last.filter((tracked) => !TERMINAL.has(tracked.outcome));
    const what = last.length === 1 ? 'the last order' : `the last ${last.length} orders`;
    if (open.length === 0) {
      return {
        message: `nothing of ${what} is open: ${outcomeSummary(last.map((tracked) => tracked.outcome))}`,
        reports: [],
      };
    }
    const results = await Promise.all(open.map((tracked) => this.#cancel(tracked)));
    const cancelled = results.filter((result) => result === null).length;
    const problems = results.filter((result): result is string => result !== null);
    const message =
      `cancelled ${cancelled} of ${open.length} open of ${what}` +
      (problems.length === 0 ? '' : `; ${problems.join('; ')}`);
    return { message, reports: open.map((tracked) => tracked.report) };
  }

  /**
   * Asks the venue about one of our orders whose outcome is unknown (no final reply, nothing
   * on the stream) and reports what it says; resolves to that report's line. An order the
   * venue does not know never reached it (the question follows the order on the same path):
   * reported cancelled with nothing filled, so whoever waits on it can go on. Never rejects.
   */
  async lookup(label: string): Promise<string> {
    const tracked = this.#byLabel.get(label);
    if (tracked === undefined) return `${label}: not an order this session follows`;
    if (TERMINAL.has(tracked.outcome)) return tracked.report.message;
    const api = this.#orders(tracked.venue);
    if (api === null) return `${label}: ${noCredentials(tracked.venue)}`;
    try {
      const order = await api.orderByLabel(label, tracked.instrument);
      if (order !== null) {
        this.#applyOrder(tracked, order);
      } else {
        this.#advance(
          tracked,
          'cancelled',
          0,
          `${orderText(tracked)}: ${tracked.venue} has no order ${label}; it never arrived, nothing filled`,
        );
      }
      return tracked.report.message;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return `${label}: ${tracked.venue} could not say what became of it: ${why}`;
    }
  }

  /**
   * Cancels every order at the venue, ours or not; resolves to how many the venue cancelled.
   * Our orders' 'cancelled' reports follow from the stream (`observe`). Rejects with the
   * reason when there are no credentials for the venue or the venue refuses.
   */
  async cancelAll(venue: string): Promise<number> {
    const api = this.#orders(venue);
    if (api === null) throw new Error(noCredentials(venue));
    this.#stopPacing();
    const count = await api.cancelAll();
    this.#log(`cancel all on ${venue}: ${count} order${count === 1 ? '' : 's'} cancelled`);
    return count;
  }

  /**
   * Cancels one order at the venue, ours or not (a trader's pick in the orders panel). Never
   * rejects: the outcome's line says what the venue did, or that the order had already closed.
   */
  async cancelOrder(order: OrderToCancel): Promise<OrderChangeOutcome> {
    const api = this.#orders(order.venue);
    if (api === null)
      return changeFailed(`${order.name} not cancelled: ${noCredentials(order.venue)}`);
    const tracked = this.#trackedOf(order);
    try {
      const result = await api.cancel(order.orderId);
      if (tracked !== undefined) this.#applyOrder(tracked, result);
      if (result.status === 'cancelled') {
        const part = result.filled > 0 ? ` after ${numberText(result.filled)} filled` : '';
        return {
          ok: true,
          closed: false,
          message: `${order.name} cancelled${part}: ${wordsOf(result)}`,
        };
      }
      return {
        ok: false,
        closed: true,
        message: `${order.name} was ${result.status}: ${wordsOf(result)}`,
      };
    } catch (error) {
      return this.#changeError(error, order, 'cancelled');
    }
  }

  /**
   * Moves one open limit order's price and/or size. The new figures are checked as a new
   * order's would be (tick and lot, mark distance, notional, rate cap) and refused here if
   * they fail; the edit goes once, and a lost answer is said, never retried.
   */
  async amend(change: OrderAmend): Promise<OrderChangeOutcome> {
    const intent: OrderIntent = {
      venue: change.venue,
      instrument: change.instrument,
      side: change.side,
      amount: change.amount,
      kind: 'limit',
      ...(change.price === undefined ? {} : { price: change.price }),
      ...(change.iv === undefined ? {} : { iv: change.iv }),
      ...(change.force === true ? { force: true } : {}),
      origin: 'manual',
    };
    const context = { market: this.#market, orders: this.#orders, limits: this.limits };
    const checked = checkIntent(intent, context);
    if (checked.refusal !== null) {
      return changeFailed(`${change.name} not amended: ${checked.refusal}`);
    }
    const rate = this.#rateRefusal(1);
    if (rate !== null) return changeFailed(`${change.name} not amended: ${rate(checked, 0)}`);
    const { request, api } = checked;
    const tracked = this.#trackedOf(change);
    try {
      const result = await api.edit({
        orderId: change.orderId,
        amount: request.amount,
        ...(request.price === undefined ? {} : { price: request.price }),
        ...(request.iv === undefined ? {} : { iv: request.iv }),
      });
      const words = orderText({ ...request, at: checked.at });
      if (tracked !== undefined) {
        tracked.amount = request.amount;
        tracked.price = request.price ?? null;
        tracked.at = checked.at;
        this.#applyOrder(tracked, result.order);
      }
      this.#log(`${change.name} (${change.orderId}) amended: ${words}`);
      const status = result.order.status;
      if (status === 'open' || status === 'untriggered') {
        return { ok: true, closed: false, message: `${change.name} amended: ${words}` };
      }
      return {
        ok: true,
        closed: true,
        message: `${change.name} amended to ${words}, and is ${status}`,
      };
    } catch (error) {
      return this.#changeError(error, change, 'amended');
    }
  }

  #trackedOf(order: OrderToCancel): Tracked | undefined {
    return order.label === null ? undefined : this.#byLabel.get(order.label);
  }

  #changeError(
    error: unknown,
    order: OrderToCancel,
    done: 'cancelled' | 'amended',
  ): OrderChangeOutcome {
    const nothing = done === 'cancelled' ? 'nothing to cancel' : 'nothing amended';
    if (
      error instanceof VenueOrderError &&
      (error.reason === 'not-open' || error.reason === 'not-found')
    ) {
      return {
        ok: false,
        closed: true,
        message: `${order.name} is no longer open at ${order.venue} (filled or cancelled meanwhile): ${nothing}`,
      };
    }
    const why = error instanceof Error ? error.message : String(error);
    if (error instanceof VenueOrderError && !error.outcomeUnknown) {
      return changeFailed(`${order.name} not ${done}: ${why}`);
    }
    // A lost answer: it may have happened. Never sent again; the stream will tell.
    return changeFailed(
      `${order.name}: no answer from ${order.venue} (${why}); not resent, look at the orders panel`,
    );
  }

  #stopPacing(): void {
    if (this.#pacing !== null) this.#pacing.stopped = true;
    this.#pacing = null;
  }

  // ——— refusing ———

  #rateRefusal(count: number): Refusal | null {
    const now = this.#now();
    if (this.#rate.tryTake(count, now)) return null;
    const max = this.#rate.maxPerWindow;
    const message =
      `rate cap: ${count} more order${count === 1 ? '' : 's'} would make ` +
      `${this.#rate.used(now) + count} in one second (max ${max}): ` +
      `try again in ${Math.ceil(this.#rate.waitMs(count, now))} ms`;
    return () => message;
  }

  #refused(checked: Checked, message: string): GatewayReport {
    const { intent } = checked;
    return {
      outcome: 'refused',
      label: null,
      venue: intent.venue,
      instrument: intent.instrument,
      side: intent.side,
      amount: checked.amount,
      price: checked.price,
      orderId: null,
      filled: 0,
      message,
      ts: this.#now(),
    };
  }

  // ——— following ———

  #track(checked: Ready, label: string): Tracked {
    const { intent } = checked;
    const state: TrackedState = {
      label,
      venue: intent.venue,
      instrument: intent.instrument,
      side: intent.side,
      amount: checked.amount,
      price: checked.price,
      at: checked.at,
      orderId: null,
      outcome: 'sent',
      filled: 0,
    };
    const tracked: Tracked = Object.assign(state, {
      report: this.#report(state, `sent ${orderText(state)} as ${label}`),
    });
    this.#byLabel.set(label, tracked);
    if (this.#byLabel.size > KEEP_TRACKED) this.#forgetFinished();
    return tracked;
  }

  #place(api: OrderApi, request: OrderRequest, tracked: Tracked): Promise<void> {
    let placing: Promise<OrderResult>;
    try {
      placing = api.place(request);
    } catch (error) {
      // An adapter that throws before its promise exists still gets an answer reported.
      return Promise.resolve().then(() => this.#placeFailed(tracked, error));
    }
    return placing.then(
      (result) => this.#applyOrder(tracked, result.order),
      (error: unknown) => this.#placeFailed(tracked, error),
    );
  }

  #placeFailed(tracked: Tracked, error: unknown): void {
    // The stream already showed the order: the venue has it, whatever the reply said.
    if (tracked.outcome !== 'sent') {
      this.#log(
        `${tracked.label}: the venue's reply failed after its order was seen: ${String(error)}`,
      );
      return;
    }
    if (error instanceof VenueOrderError && !error.outcomeUnknown) {
      // The adapter's sentence says what to do about it; the venue's own words go with it.
      const words = error.venueMessage;
      const why =
        words === null || error.message.includes(words)
          ? error.message
          : `${error.message} (${words})`;
      this.#advance(
        tracked,
        'rejected',
        0,
        `${orderText(tracked)} rejected by ${tracked.venue}: ${why}`,
      );
      return;
    }
    // A lost reply, or a failure we cannot read: it may have landed. Never resent; the label
    // finds it on the stream if it did.
    const why = error instanceof Error ? error.message : String(error);
    this.#advance(
      tracked,
      'unknown',
      0,
      `${orderText(tracked)}: no answer from ${tracked.venue} (${why}); not resent, watching ${tracked.label}`,
    );
  }

  #observeOrder(order: OrderEvent): void {
    if (order.label === null) return;
    const tracked = this.#byLabel.get(order.label);
    if (tracked !== undefined) this.#applyOrder(tracked, order);
  }

  #applyOrder(tracked: Tracked, order: OrderEvent): void {
    if (tracked.orderId === null) tracked.orderId = order.orderId;
    const filled = order.filled;
    const average = order.averagePrice === null ? '' : ` at ${numberText(order.averagePrice)}`;
    const what = orderText(tracked);
    switch (order.status) {
      case 'open':
      case 'untriggered':
        if (filled > 0) {
          this.#advance(
            tracked,
            'partially-filled',
            filled,
            `${what}: ${numberText(filled)} filled${average}, the rest open (${tracked.label})`,
          );
        } else {
          const waiting = order.status === 'untriggered' ? 'waiting for its trigger' : 'resting';
          this.#advance(tracked, 'accepted', 0, `${what} accepted, ${waiting} (${tracked.label})`);
        }
        return;
      case 'filled':
        this.#advance(
          tracked,
          'filled',
          filled,
          `${tracked.side === 'buy' ? 'bought' : 'sold'} ${numberText(filled)} ${tracked.instrument}` +
            `${average} (${tracked.label})`,
        );
        return;
      case 'cancelled': {
        const part = filled > 0 ? ` after ${numberText(filled)} filled${average}` : '';
        const why = order.reason === null ? '' : `: ${order.reason}`;
        this.#advance(
          tracked,
          'cancelled',
          filled,
          `${what} cancelled${part}${why} (${tracked.label})`,
        );
        return;
      }
      case 'rejected':
        this.#advance(
          tracked,
          'rejected',
          filled,
          `${what} rejected by ${tracked.venue}: ${order.reason ?? 'no reason given'}`,
        );
        return;
    }
  }

  /**
   * Moves an order forward and reports it, once per change. The reply and the stream tell the
   * same story in either order, so anything older than what is known is ignored: a finished
   * order stays finished, and the filled amount never goes back.
   */
  #advance(tracked: Tracked, outcome: GatewayOutcome, filled: number, message: string): void {
    if (TERMINAL.has(tracked.outcome)) return;
    if (filled < tracked.filled) return;
    if (outcome === 'accepted' && tracked.outcome === 'partially-filled') return;
    if (outcome === 'unknown' && tracked.outcome !== 'sent') return;
    if (outcome === tracked.outcome && filled === tracked.filled) return;
    tracked.outcome = outcome;
    tracked.filled = filled;
    tracked.report = this.#report(tracked, message);
    this.#emit(tracked.report);
  }

  /** Cancels one open order; null when it is no longer open, else what went wrong. */
  async #cancel(tracked: Tracked): Promise<string | null> {
    const api = this.#orders(tracked.venue);
    if (api === null) return `${tracked.label}: ${noCredentials(tracked.venue)}`;
    try {
      if (tracked.orderId !== null) {
        this.#applyOrder(tracked, await api.cancel(tracked.orderId));
        return tracked.outcome === 'cancelled' ? null : `${tracked.label} was ${tracked.outcome}`;
      }
      const count = await api.cancelByLabel(tracked.label);
      if (count > 0) {
        this.#advance(
          tracked,
          'cancelled',
          tracked.filled,
          `${orderText(tracked)} cancelled (${tracked.label})`,
        );
        return null;
      }
      return `${tracked.label} was not open at ${tracked.venue}`;
    } catch (error) {
      // The stream may have told the story while the reply was failing.
      if (tracked.outcome === 'cancelled') return null;
      if (
        error instanceof VenueOrderError &&
        (error.reason === 'not-open' || error.reason === 'not-found')
      ) {
        return `${tracked.label} had already closed`;
      }
      if (error instanceof VenueOrderError && error.outcomeUnknown) {
        return `${tracked.label} may or may not be cancelled: ${error.message}`;
      }
      const why = error instanceof Error ? error.message : String(error);
      return `${tracked.label} not cancelled: ${why}`;
    }
  }

  #report(tracked: TrackedState, message: string): GatewayReport {
    return {
      outcome: tracked.outcome,
      label: tracked.label,
      venue: tracked.venue,
      instrument: tracked.instrument,
      side: tracked.side,
      amount: tracked.amount,
      price: tracked.price,
      orderId: tracked.orderId,
      filled: tracked.filled,
      message,
      ts: this.#now(),
    };
  }

  #emit(report: GatewayReport): void {
    for (const listener of this.#listeners) {
      try {
        listener(report);
      } catch (error) {
        // A listener's bug must not stop the others hearing, or the order flow behind them.
        this.#log(`a gateway report listener failed: ${String(error)}`);
      }
    }
  }

  #forgetFinished(): void {
    const last = new Set([
      ...(this.#lastSubmission?.tracked ?? []),
      ...[...this.#lastByOwner.values()].flatMap((submission) => submission.tracked),
    ]);
    for (const [label, tracked] of this.#byLabel) {
      if (this.#byLabel.size <= KEEP_TRACKED) return;
      if (TERMINAL.has(tracked.outcome) && !last.has(tracked)) this.#byLabel.delete(label);
    }
  }
}

function changeFailed(message: string): OrderChangeOutcome {
  return { ok: false, closed: false, message };
}

/** "buy 1 BTC-… at 0.0125, 0.4 filled". */
function wordsOf(order: OrderEvent): string {
  const at = order.price === null ? 'market' : numberText(order.price);
  return `${order.side} ${numberText(order.amount)} ${order.instrument} at ${at}`;
}
