/**
 * Trading on an attached screen: the same command runner as a direct screen, whose orders and
 * hedger switches travel as intents to the one gateway in `serve`. The screen checks an order
 * here first, with the limits serve publishes, over the market it shows (so a typo is refused
 * at once, as on a direct screen), but never sends from here; serve checks it again and its
 * reports come back to this screen's status line. Nothing is sent while serve is not running
 * or the bus is down, or when the Redis user may not write intents (a read-only screen).
 */
import {
  CommandRunner,
  type CommandOutput,
  type HedgerControl,
  type MarketCap,
} from './command-runner.js';
import { isHedgeSetting } from '../commands/types.js';
import { OrderGateway } from '../gateway/order-gateway.js';
import type {
  CancelOutcome,
  GatewayLimits,
  GatewayListener,
  GatewayReport,
  OrderAmend,
  OrderChangeOutcome,
  OrderDoor,
  OrderIntent,
  OrderToCancel,
  PackageIntent,
} from '../gateway/types.js';
import { VENUES_WITH_COMBOS, type OrderApi } from '../feeds/feed.js';
import type { HedgerState } from '../hedge/types.js';
import type { RedisClient } from '../store/connect.js';
import { watchHedgerState, type HedgerRecord, type HedgerWatch } from '../store/hedger-state.js';
import { IntentSender, type IntentOutcome } from '../store/intents.js';
import type { KeySchema } from '../store/keys.js';
import { EngineMarket } from './gateway-market.js';
import type {
  CancelAllResult,
  CancelLastResult,
  HedgeAction,
  HedgeResult,
  IntentPayload,
  OrderChangeResult,
  OrdersResult,
  PackageResult,
} from './intent-kinds.js';
import type { MarketEngine } from './market-engine.js';

/** Whether an intent may go now; `reason` says why not ("serve not running", "bus down"). */
export type SendCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface RemoteTradingOptions {
  /** The attached engine (fed from Redis): the market orders are planned and checked on. */
  readonly engine: MarketEngine;
  readonly venue: string;
  readonly redis: RedisClient;
  readonly keys: KeySchema;
  /** The Redis user this screen connects as (null: `default`), for the ACL check. */
  readonly username: string | null;
  /** The gateway limits serve publishes (meta `limits`); the defaults where it gave none. */
  readonly limits?: Partial<GatewayLimits>;
  readonly marketCap?: MarketCap;
  /** Asked before each intent: serve alive, the bus up (the BusFeed's view). */
  readonly canSend: () => SendCheck;
  readonly output: CommandOutput;
  /** Serve's `--intent-max-age`, so a request is not retried past it (default 5 s). */
  readonly maxAgeMs?: number;
  /** How long to wait for serve's answer (default 10 s). */
  readonly timeoutMs?: number;
}

/** Shaped like `Trading` (startTrading): the runner and the close, plus what is remote. */
export interface RemoteTrading {
  readonly runner: CommandRunner;
  readonly door: RemoteDoor;
  readonly hedger: HedgerControl;
  /** No hedger runs here: serve's is watched instead. */
  readonly hedge: null;
  readonly hedgeError: null;
  /** Serve's hedger as last published; null while none (no serve, or one without a hedger). */
  hedgerState(): HedgerState | null;
  hedgerSettings(): string | null;
  /** Called on each newer hedger record (the screen redraws). */
  onHedgerChange(listener: (record: HedgerRecord) => void): () => void;
  /** Why this screen may not send anything, or null when it may. */
  readOnly(): string | null;
  close(): void;
}

/** The local gateway only checks: an order that somehow reached this would not leave. */
const NEVER_SENDS: OrderApi = {
  place: () => Promise.reject(new Error('an attached screen sends orders through serve')),
  edit: () => Promise.reject(new Error('an attached screen sends orders through serve')),
  cancel: () => Promise.reject(new Error('an attached screen sends orders through serve')),
  cancelAll: () => Promise.reject(new Error('an attached screen sends orders through serve')),
  cancelByLabel: () => Promise.reject(new Error('an attached screen sends orders through serve')),
  orderByLabel: () => Promise.reject(new Error('an attached screen sends orders through serve')),
};
/** The same, for a venue with combos: packages are checked here as serve will check them. */
const NEVER_SENDS_COMBOS: OrderApi = {
  ...NEVER_SENDS,
  placeCombo: () => Promise.reject(new Error('an attached screen sends orders through serve')),
};

/**
 * Whether the Redis user may write the intents stream, asked of Redis without writing
 * (ACL DRYRUN, Redis 7): null when it may; the reason when it may not; undefined when Redis
 * cannot say (older Redis, or a user not allowed to ask), found out at the first send instead.
 */
export async function intentsWritable(
  redis: RedisClient,
  username: string | null,
  requestsKey: string,
): Promise<string | null | undefined> {
  try {
    const answer = await redis.call(
      'ACL',
      'DRYRUN',
      username ?? 'default',
      'XADD',
      requestsKey,
      '*',
      'a',
      'b',
    );
    return answer === 'OK' ? null : String(answer);
  } catch {
    return undefined;
  }
}

/**
 * The runner's door on an attached screen: checks here, sends to serve, and hands on serve's
 * reports as its own.
 */
export class RemoteDoor implements OrderDoor {
  readonly limits: GatewayLimits;
  readonly #local: OrderGateway;
  readonly #sender: IntentSender;
  readonly #canSend: () => SendCheck;
  readonly #listeners = new Set<GatewayListener>();
  #readOnly: string | null;
  readonly #user: string;

  constructor(options: {
    local: OrderGateway;
    sender: IntentSender;
    canSend: () => SendCheck;
    readOnly: string | null;
    user: string;
  }) {
    this.#local = options.local;
    this.limits = options.local.limits;
    this.#sender = options.sender;
    this.#canSend = options.canSend;
    this.#readOnly = options.readOnly;
    this.#user = options.user;
    this.#sender.onReport((_id, body) => this.#emit(body as GatewayReport));
  }

  /** Why nothing can be sent now (read-only, serve or bus down), as "<why>: <what> not sent". */
  blocked(what: string): string | null {
    if (this.#readOnly !== null) {
      return `read-only connection: ${what} not sent (${this.#readOnly})`;
    }
    const check = this.#canSend();
    return check.ok ? null : `${check.reason}: ${what} not sent`;
  }

  get readOnly(): string | null {
    return this.#readOnly;
  }

  onReport(listener: GatewayListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  check(intents: readonly OrderIntent[]): string | null {
    return this.blocked(ordersWord(intents)) ?? this.#local.check(intents);
  }

  async submit(intents: readonly OrderIntent[]): Promise<readonly GatewayReport[]> {
    if (intents.length === 0) return [];
    const what = ordersWord(intents);
    const blocked = this.blocked(what);
    if (blocked !== null) return this.#refuse(intents, blocked);
    const outcome = await this.ask({ kind: 'orders', orders: intents });
    if (outcome.status === 'forbidden') return this.#refuse(intents, this.blocked(what) ?? what);
    if (outcome.status === 'done') {
      const { reports } = outcome.result as Partial<OrdersResult>;
      if (reports !== undefined && reports.length === intents.length) return reports;
      return this.#refuse(intents, `serve answered ${what} with something else`, 'unknown');
    }
    const unknown = outcome.status === 'timeout' || outcome.status === 'failed';
    return this.#refuse(
      intents,
      `${this.#why(outcome)}: ${what} ${unknown ? 'may or may not have been sent: look at open orders' : 'not sent'}`,
      unknown ? 'unknown' : 'refused',
    );
  }

  async cancelAll(venue: string): Promise<number> {
    const blocked = this.blocked('cancel all');
    if (blocked !== null) throw new Error(blocked);
    const outcome = await this.ask({ kind: 'cancel-all', venue });
    if (outcome.status !== 'done') throw new Error(this.#why(outcome, 'cancel all'));
    const result = outcome.result as CancelAllResult;
    if ('error' in result) throw new Error(result.error);
    return result.count;
  }

  async cancelLast(): Promise<CancelOutcome> {
    const blocked = this.blocked('cancel');
    if (blocked !== null) return { message: blocked, reports: [] };
    const outcome = await this.ask({ kind: 'cancel-last' });
    if (outcome.status !== 'done') {
      return { message: `cancel: ${this.#why(outcome, 'cancel')}`, reports: [] };
    }
    return { message: (outcome.result as CancelLastResult).message, reports: [] };
  }

  hasCombos(venue: string): boolean {
    return this.#local.hasCombos(venue);
  }

  checkPackage(pkg: PackageIntent): string | null {
    return this.blocked(`the ${pkg.name}`) ?? this.#local.checkPackage(pkg);
  }

  async submitPackage(pkg: PackageIntent): Promise<GatewayReport> {
    const what = `the ${pkg.name}`;
    const refuse = (message: string, outcome: 'refused' | 'unknown' = 'refused'): GatewayReport => {
      const report: GatewayReport = {
        outcome,
        label: null,
        venue: pkg.venue,
        instrument: pkg.name,
        side: pkg.side,
        amount: pkg.amount,
        price: pkg.price,
        orderId: null,
        filled: 0,
        message,
        ts: Date.now(),
      };
      this.#emit(report);
      return report;
    };
    const blocked = this.blocked(what);
    if (blocked !== null) return refuse(blocked);
    const outcome = await this.ask({ kind: 'package', package: pkg });
    if (outcome.status === 'forbidden') return refuse(this.blocked(what) ?? what);
    if (outcome.status === 'done') {
      const { report } = outcome.result as Partial<PackageResult>;
      return report ?? refuse(`serve answered ${what} with something else`, 'unknown');
    }
    const unknown = outcome.status === 'timeout' || outcome.status === 'failed';
    return refuse(
      `${this.#why(outcome)}: ${what} ${unknown ? 'may or may not have been sent: look at open orders' : 'not sent'}`,
      unknown ? 'unknown' : 'refused',
    );
  }

  cancelOrder(order: OrderToCancel): Promise<OrderChangeOutcome> {
    return this.#changeOne({ kind: 'cancel-order', order }, order.name, 'cancel');
  }

  amend(change: OrderAmend): Promise<OrderChangeOutcome> {
    return this.#changeOne({ kind: 'amend-order', change }, change.name, 'amend');
  }

  async #changeOne(
    intent: IntentPayload,
    name: string,
    verb: 'cancel' | 'amend',
  ): Promise<OrderChangeOutcome> {
    const what = `${verb} ${name}`;
    const failed = (message: string): OrderChangeOutcome => ({ ok: false, closed: false, message });
    const blocked = this.blocked(what);
    if (blocked !== null) return failed(blocked);
    const outcome = await this.ask(intent);
    if (outcome.status === 'done') {
      const result = outcome.result as Partial<OrderChangeResult>;
      return typeof result.message === 'string' && typeof result.ok === 'boolean'
        ? { ok: result.ok, closed: result.closed === true, message: result.message }
        : failed(`serve answered ${what} with something else`);
    }
    const unknown = outcome.status === 'timeout' || outcome.status === 'failed';
    return failed(
      `${what}: ${this.#why(outcome, what)}${unknown ? ' (it may or may not have been done: look at the orders panel)' : ''}`,
    );
  }

  async hedge(action: HedgeAction, band: string | null = null): Promise<string> {
    const what = action === 'status' ? 'hedger status' : `hedger ${action}`;
    const blocked = this.blocked(what);
    if (blocked !== null) return blocked;
    const outcome = await this.ask(
      isHedgeSetting(action) ? { kind: 'hedge', action, band } : { kind: 'hedge', action },
    );
    if (outcome.status !== 'done') return `${what}: ${this.#why(outcome, what)}`;
    return (outcome.result as HedgeResult).text;
  }

  /** Sends an intent; a send Redis refuses for lack of rights makes this screen read-only. */
  async ask(intent: IntentPayload): Promise<IntentOutcome> {
    const { kind, ...payload } = intent;
    const outcome = await this.#sender.send(kind, payload);
    if (outcome.status === 'forbidden') {
      this.#readOnly = `Redis user ${this.#user} may not write intents`;
    }
    return outcome;
  }

  #why(outcome: IntentOutcome, what = 'order'): string {
    switch (outcome.status) {
      case 'done':
        return 'done';
      case 'forbidden':
        return this.blocked(what) ?? 'read-only connection';
      case 'refused':
        return `serve refused it: ${outcome.reason}`;
      default:
        return outcome.reason;
    }
  }

  #refuse(
    intents: readonly OrderIntent[],
    message: string,
    outcome: 'refused' | 'unknown' = 'refused',
  ): GatewayReport[] {
    const reports = intents.map((intent): GatewayReport => ({
      outcome,
      label: null,
      venue: intent.venue,
      instrument: intent.instrument,
      side: intent.side,
      amount: intent.amount,
      price: intent.price ?? null,
      orderId: null,
      filled: 0,
      message,
      ts: Date.now(),
    }));
    // One line for the whole submission, as the gateway says a refusal.
    this.#emit(reports[0]!);
    return reports;
  }

  #emit(report: GatewayReport): void {
    for (const listener of this.#listeners) {
      try {
        listener(report);
      } catch {
        // One listener's bug must not keep the report from the others.
      }
    }
  }
}

function ordersWord(intents: readonly OrderIntent[]): string {
  return intents.length === 1 ? 'order' : `${intents.length} orders`;
}

/**
 * Trading for an attached screen: the runner over a door to serve, the hedger's switch in
 * serve, and serve's hedger state as it is published.
 */
export async function startRemoteTrading(options: RemoteTradingOptions): Promise<RemoteTrading> {
  const { engine, venue, redis, keys } = options;
  const intentKeys = keys.intents(venue);
  const venueNow = (): number => engine.venueNow(venue);
  const market = new EngineMarket(engine.market, venueNow);
  const local = new OrderGateway({
    market,
    orders: (named) => (VENUES_WITH_COMBOS.has(named) ? NEVER_SENDS_COMBOS : NEVER_SENDS),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const user = options.username ?? 'default';
  const writable = await intentsWritable(redis, options.username, intentKeys.requests);
  const readOnly =
    writable === null || writable === undefined ? null : `Redis user ${user} may not write intents`;
  const sender = await IntentSender.open({
    client: redis,
    keys: intentKeys,
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const door = new RemoteDoor({ local, sender, canSend: options.canSend, readOnly, user });
  const hedger: HedgerControl = {
    activate: () => door.hedge('on'),
    deactivate: () => door.hedge('off'),
    set: (setting, value) => door.hedge(setting, value),
    status: () => door.hedge('status'),
  };
  const hedgerListeners = new Set<(record: HedgerRecord) => void>();
  let watch: HedgerWatch;
  try {
    watch = await watchHedgerState(redis, keys.venue(venue).hedger, (record) => {
      for (const listener of hedgerListeners) listener(record);
    });
  } catch (error) {
    await sender.close();
    throw error;
  }
  const runner = new CommandRunner({
    venue,
    engine,
    market,
    gateway: door,
    output: options.output,
    hedger,
    now: venueNow,
    ...(options.marketCap === undefined ? {} : { marketCap: options.marketCap }),
  });
  return {
    runner,
    door,
    hedger,
    hedge: null,
    hedgeError: null,
    hedgerState: () => watch.latest()?.state ?? null,
    hedgerSettings: () => watch.latest()?.settings ?? null,
    onHedgerChange: (listener) => {
      hedgerListeners.add(listener);
      return () => {
        hedgerListeners.delete(listener);
      };
    },
    readOnly: () => door.readOnly,
    close: () => {
      runner.close();
      watch.close();
      void sender.close();
    },
  };
}
