/**
 * `serve`'s side of attached screens' orders: each intent read from Redis runs through the one
 * gateway of the session (the same rounding, fat-finger checks, rate cap and labels as any
 * order), and every report on its orders goes back to the screen that sent it, also those that
 * come later (a resting order filled). The hedger's switch works the same way, and its state
 * is published for every screen on each change.
 */
import type { OrderGateway } from '../gateway/order-gateway.js';
import type { GatewayReport, PackageIntent } from '../gateway/types.js';
import type { HedgerState } from '../hedge/types.js';
import type { RedisClient } from '../store/connect.js';
import { refreshHedgerState, writeHedgerState, type HedgerRecord } from '../store/hedger-state.js';
import {
  IntentServer,
  type IntentOutcome,
  type IntentRequest,
  type ReplyChannel,
} from '../store/intents.js';
import type { KeySchema } from '../store/keys.js';
import type { HedgeSession } from './hedge-session.js';
import {
  parseIntent,
  type CancelAllResult,
  type CancelLastResult,
  type HedgeResult,
  type OrdersResult,
  type PackageResult,
} from './intent-kinds.js';

export interface IntentExecutorOptions {
  readonly venue: string;
  /** Serve's trading: its one gateway, and its hedger when it runs one. */
  readonly trading: { readonly gateway: OrderGateway; readonly hedge: HedgeSession | null };
  readonly redis: RedisClient;
  readonly keys: KeySchema;
  /** `--intent-max-age` in ms (default 5,000). */
  readonly maxAgeMs?: number;
  readonly log?: (line: string) => void;
}

export interface IntentExecutor {
  close(): Promise<void>;
}

/** Labels of screens' orders still followed; the oldest are forgotten past this. */
const KEEP_LABELS = 10_000;
const FINAL: ReadonlySet<GatewayReport['outcome']> = new Set([
  'refused',
  'filled',
  'cancelled',
  'rejected',
]);

/** Sends each report on screens' orders to the screen it belongs to. */
class ReportRouter {
  /** Open orders' labels, to the channel of the intent that sent them. */
  readonly #byLabel = new Map<string, ReplyChannel>();
  /** While `submit` runs (its first reports come synchronously): whose they are. */
  #capturing: ReplyChannel | null = null;
  /** A paced submission sends later waves on its own: its new labels are its sender's. */
  readonly #paced: ReplyChannel[] = [];

  hear(report: GatewayReport): void {
    const channel =
      this.#capturing ??
      (report.label === null ? undefined : this.#byLabel.get(report.label)) ??
      this.#pacedOwner(report);
    if (channel === undefined) return;
    channel.report(report);
    if (report.label === null) return;
    if (FINAL.has(report.outcome)) {
      this.#byLabel.delete(report.label);
      return;
    }
    this.#byLabel.set(report.label, channel);
    if (this.#byLabel.size > KEEP_LABELS) {
      const oldest = this.#byLabel.keys().next().value;
      if (oldest !== undefined) this.#byLabel.delete(oldest);
    }
  }

  #pacedOwner(report: GatewayReport): ReplyChannel | undefined {
    // Only a wave's first word about a new order; the hedger's labels are never a screen's.
    if (report.outcome !== 'sent' || report.label === null) return undefined;
    if (report.label.startsWith('ivt-hedge-')) return undefined;
    return this.#paced.at(-1);
  }

  /** A package: its reports (one label) go to the screen that sent it, as an order's do. */
  async submitPackage(
    gateway: OrderGateway,
    request: IntentRequest,
    channel: ReplyChannel,
    pkg: PackageIntent,
  ): Promise<GatewayReport> {
    this.#capturing = channel;
    let submitted: Promise<GatewayReport>;
    try {
      submitted = gateway.submitPackage(pkg, { owner: request.screen });
    } finally {
      this.#capturing = null;
    }
    return submitted;
  }

  async submit(
    gateway: OrderGateway,
    request: IntentRequest,
    channel: ReplyChannel,
    orders: Parameters<OrderGateway['submit']>[0],
  ): Promise<readonly GatewayReport[]> {
    const paced = orders.length > gateway.limits.maxOrdersPerSecond;
    if (paced) this.#paced.push(channel);
    this.#capturing = channel;
    let submitted: Promise<readonly GatewayReport[]>;
    try {
      submitted = gateway.submit(orders, { owner: request.screen });
    } finally {
      this.#capturing = null;
    }
    try {
      return await submitted;
    } finally {
      if (paced) this.#paced.splice(this.#paced.indexOf(channel), 1);
    }
  }
}

/** What an intent asks for, done; the outcome its sender hears. */
async function execute(
  request: IntentRequest,
  channel: ReplyChannel,
  options: IntentExecutorOptions,
  router: ReportRouter,
): Promise<IntentOutcome> {
  const { venue, trading } = options;
  const intent = parseIntent(request.kind, request.payload, venue);
  if (typeof intent === 'string') return { status: 'refused', reason: intent };
  switch (intent.kind) {
    case 'orders': {
      const reports = await router.submit(trading.gateway, request, channel, intent.orders);
      const result: OrdersResult = { reports };
      return { status: 'done', result };
    }
    case 'cancel-all': {
      let result: CancelAllResult;
      try {
        result = { count: await trading.gateway.cancelAll(intent.venue) };
      } catch (error) {
        result = { error: error instanceof Error ? error.message : String(error) };
      }
      return { status: 'done', result };
    }
    case 'cancel-last': {
      const outcome = await trading.gateway.cancelLastOf(request.screen);
      const result: CancelLastResult = { message: outcome.message };
      return { status: 'done', result };
    }
    case 'cancel-order':
      return { status: 'done', result: await trading.gateway.cancelOrder(intent.order) };
    case 'amend-order':
      return { status: 'done', result: await trading.gateway.amend(intent.change) };
    case 'package': {
      const report = await router.submitPackage(trading.gateway, request, channel, intent.package);
      const result: PackageResult = { report };
      return { status: 'done', result };
    }
    case 'hedge': {
      const hedger = trading.hedge?.hedger ?? null;
      const text =
        hedger === null
          ? 'no hedger in serve (start serve with --hedge)'
          : intent.action === 'on'
            ? hedger.activate()
            : intent.action === 'off'
              ? hedger.deactivate()
              : intent.action === 'status'
                ? hedger.status()
                : hedger.set(intent.action, intent.band ?? null);
      const result: HedgeResult = { text };
      return { status: 'done', result };
    }
  }
}

/** How often the hedger key is written again unasked: a Redis that restarted empty gets it back. */
const HEDGER_REFRESH_MS = 5_000;

/**
 * Publishes the hedger's state on every change (the `hedger` key and its `:changed`
 * message), and rewrites the key now and then. Returns the stop.
 */
export function publishHedger(
  redis: RedisClient,
  key: string,
  hedge: HedgeSession,
  log: (line: string) => void = () => undefined,
): () => void {
  const record = (state: HedgerState): HedgerRecord => ({
    state,
    settings: hedge.settings,
    ts: Date.now(),
  });
  let latest = record(hedge.hedger.state());
  let failing = false;
  const said = (error: unknown): void => {
    // Once per outage, not per change: the bus being down is said elsewhere too.
    if (failing) return;
    failing = true;
    log(`hedger state not published: ${error instanceof Error ? error.message : String(error)}`);
  };
  const write = (): void => {
    writeHedgerState(redis, key, latest).then(() => (failing = false), said);
  };
  write();
  const unsubscribe = hedge.hedger.onState((state) => {
    latest = record(state);
    write();
  });
  const timer = setInterval(() => {
    refreshHedgerState(redis, key, latest).then(() => (failing = false), said);
  }, HEDGER_REFRESH_MS);
  timer.unref();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}

/** Starts reading intents for `venue` and, with a hedger, publishing its state. */
export async function startIntentExecutor(options: IntentExecutorOptions): Promise<IntentExecutor> {
  const { trading, venue, redis, keys } = options;
  const log = options.log ?? (() => undefined);
  const router = new ReportRouter();
  const unsubscribe = trading.gateway.onReport((report) => router.hear(report));
  const server = await IntentServer.start({
    client: redis,
    keys: keys.intents(venue),
    handle: (request, channel) => execute(request, channel, options, router),
    log,
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  });
  const stopHedger =
    trading.hedge === null
      ? () => undefined
      : publishHedger(redis, keys.venue(venue).hedger, trading.hedge, log);
  return {
    close: async () => {
      stopHedger();
      await server.close();
      unsubscribe();
    },
  };
}
