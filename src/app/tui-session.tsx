import { render } from 'ink';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '../ui/app.js';
import { colorFromEnv } from '../ui/palette.js';
import type { ColumnId } from '../ui/chain-columns.js';
import type { Mode, StatusLevel } from '../view/types.js';
import type { GatewayLimits } from '../gateway/types.js';
import { CommandHistory } from './command-history.js';
import type { MarketCap } from './command-runner.js';
import { runExec, startTrading } from './exec-lines.js';
import type { HedgeSettings } from './hedge-session.js';
import { openLogFile, type LogFile } from './log-file.js';
import { TuiCommands } from './tui-commands.js';
import { MarketEngine } from './market-engine.js';
import { ordersLeft, type OrdersLeft } from './orders-left.js';
import { SurfaceModel } from './surface-model.js';
import { VolHistory } from './vol-history.js';
import { ReadModel } from './read-model.js';
import { SessionSource } from './session-source.js';
import { openFeeds, type FeedPlan, type OpenFeeds } from './venue-feeds.js';
import { attachedTrading, type SessionTrading } from './attached-trading.js';
import { BusFeed } from '../store/bus-feed.js';
import { openBusFeeds, type AttachPlan } from './bus-feeds.js';

export interface TuiOptions {
  /** The venue directly, or (`--redis`) what `ivtrade serve` publishes of it. */
  readonly plan: FeedPlan | AttachPlan;
  /** The venue shown (the feed's name). */
  readonly venue: string;
  readonly mode: Mode;
  readonly logPath: string;
  readonly columns?: readonly ColumnId[];
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Command history file; null keeps history only for this run. */
  readonly historyPath?: string | null;
  /** `--exec`: a command line run once the venue is connected and quoting. */
  readonly exec?: string;
  /** Gateway limits (`--max-notional`, `--max-orders-per-second`, …). */
  readonly limits?: Partial<GatewayLimits>;
  /** How far beyond the touch a market order may pay (`--cap-ticks`). */
  readonly marketCap?: MarketCap;
  /** The delta hedger (off unless `--hedge`); none when left out. */
  readonly hedge?: HedgeSettings;
}

export interface TuiResult {
  /**
   * Orders still open on the venue when the trader quit, and how many of them the venue
   * cancels as the connection closes (`--cancel-on-disconnect`, or an account setting the
   * venue reported); the rest stay open.
   */
  readonly ordersLeft: OrdersLeft;
  /** Why the session stopped by itself (the hedger asked for could not start); else null. */
  readonly failure: string | null;
}

interface Running {
  readonly opened: OpenFeeds;
  readonly engine: MarketEngine;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;
const STOP_TIMEOUT_MS = 3_000;
// Switches to the terminal's alternate screen and back, so quitting leaves the shell as it was.
const ALT_SCREEN_ON = '\u001b[?1049h';
const ALT_SCREEN_OFF = '\u001b[?1049l';

/**
 * The TUI session: the screen first (so there is never a blank terminal), then the venue,
 * retried with backoff until it answers. Resolves when the trader quits (Ctrl-C, SIGTERM,
 * SIGHUP) with the terminal restored and the feeds stopped.
 */
export async function runTui(options: TuiOptions): Promise<TuiResult> {
  const stdout = options.stdout ?? process.stdout;
  // no-color.org: set and not empty means no colour, and only colour (bold, dim, inverse and
  // underline stay). Chalk (and so Ink) does not check it: the screen drops its colours.
  const color = colorFromEnv(options.env ?? process.env);
  const stdin = options.stdin ?? process.stdin;
  const log = openLogFile(options.logPath);
  const attached = isAttach(options.plan) ? options.plan : null;
  const open = (): Promise<OpenFeeds> =>
    isAttach(options.plan)
      ? Promise.resolve(openBusFeeds(options.plan, (line) => log.write(line)))
      : openFeeds({ ...options.plan, log: (line) => log.write(line) });
  const currencies = options.plan.currencies;
  // One surface model for the session: the fit of a chain is warm-started from its last one.
  const surfaces = new SurfaceModel();
  const modelFor = (engine: MarketEngine): ReadModel =>
    new ReadModel(engine, {
      venue: options.venue,
      mode: options.mode,
      currencies,
      logPath: log.path,
      ...(attached === null ? {} : { via: attached.via }),
      surfaces,
      volHistory: new VolHistory(engine, options.venue, currencies),
    });
  const source = new SessionSource(modelFor(new MarketEngine([])));
  const commands = new TuiCommands(CommandHistory.open(options.historyPath ?? null), source);
  // Building the feeds checks the configuration (URLs, credentials): a mistake there is the
  // caller's ConfigError before any screen is drawn, not a retry loop.
  const first = await open();

  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  // Ctrl-C arrives as a key in raw mode; SIGINT only from outside (kill -INT), quit all the same.
  const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
  // `on`, not `once`: a hang-up often comes twice (the terminal, then the shell passing it on).
  for (const signal of signals) process.on(signal, quit);

  log.write(
    `session start: ${options.mode} ${options.venue} ${currencies.join(',')}` +
      (attached === null ? '' : ` via ${attached.via}`),
  );
  stdout.write(ALT_SCREEN_ON);
  const ink = render(
    <App
      source={source}
      commands={commands}
      onQuit={quit}
      color={color}
      {...(options.columns ? { columns: options.columns } : {})}
    />,
    { stdout, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
  );
  const abort = new AbortController();
  // Set once connected; an object so the closure's assignment is visible after the await.
  const session: { trading: SessionTrading | null; failure: string | null } = {
    trading: null,
    failure: null,
  };
  const connecting = connect(first, open, source, modelFor, log, abort.signal).then(
    async (running) => {
      if (running !== null) {
        const settings = {
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(options.marketCap === undefined ? {} : { marketCap: options.marketCap }),
          ...(options.hedge === undefined ? {} : { hedge: options.hedge }),
        };
        const output = {
          note: (text: string, level: StatusLevel) => {
            source.note(text, level);
            log.write(`command: ${text}`);
          },
          orderReport: (text: string, level: StatusLevel) => {
            source.orderReport(text, level);
            log.write(`command: ${text}`);
          },
          info: (title: string, lines: readonly string[]) => source.showInfo(title, lines),
          help: () => commands.askHelp(),
          quit,
        };
        // An attached screen's orders and hedger are serve's: one door, in one place.
        const bus = running.engine.feeds.find((feed) => feed instanceof BusFeed);
        const trading: SessionTrading =
          attached === null || bus === undefined
            ? startTrading(running.engine, options.venue, settings, output)
            : await attachedTrading(running.engine, attached, bus, output);
        if (abort.signal.aborted) {
          trading.close();
          return running;
        }
        session.trading = trading;
        if (trading.hedgeError !== null) {
          // Asked for a hedger it cannot have: stop rather than trade unhedged unawares.
          session.failure = trading.hedgeError;
          log.write(trading.hedgeError);
          quit();
          return running;
        }
        const { runner, hedge, remote } = trading;
        if (remote !== undefined) {
          // Serve's hedger, as it publishes it: the header and panel show it like a local one.
          const showHedger = (): void => {
            source.useHedger(() => remote.hedgerState(), remote.hedgerSettings());
            source.hedgerChanged();
          };
          if (remote.hedgerState() !== null) showHedger();
          remote.onHedgerChange(showHedger);
        }
        if (hedge !== null) {
          source.useHedger(
            () => hedge.hedger.state(),
            () => hedge.settings,
          );
          hedge.hedger.onState(() => source.hedgerChanged());
          log.write(`hedge log: ${hedge.log.path}`);
        }
        commands.attach(runner);
        if (options.exec !== undefined)
          void runExec(running.engine, runner, options.venue, options.exec, log);
      }
      return running;
    },
  );
  try {
    await quitting;
  } finally {
    abort.abort();
    ink.unmount();
    ink.cleanup();
    stdout.write(ALT_SCREEN_OFF);
    for (const signal of signals) process.off(signal, quit);
  }
  const running = await connecting;
  session.trading?.close();
  const left =
    running === null ? { open: 0, cancelledByVenue: 0 } : ordersLeft(running.engine, options.venue);
  if (running !== null) await stopWithin(running, STOP_TIMEOUT_MS, log);
  log.write(
    `session end: ${left.open} open orders on ${options.venue}, ` +
      `${left.cancelledByVenue} of them cancelled by the venue on disconnect`,
  );
  return { ordersLeft: left, failure: session.failure };
}

/** Connects, retrying a venue that cannot be reached with backoff; null if the trader quit. */
async function connect(
  first: OpenFeeds,
  open: () => Promise<OpenFeeds>,
  source: SessionSource,
  modelFor: (engine: MarketEngine) => ReadModel,
  log: LogFile,
  signal: AbortSignal,
): Promise<Running | null> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    const opened = attempt === 1 ? first : await open();
    const engine = new MarketEngine(opened.feeds);
    const model = modelFor(engine);
    source.use(model);
    try {
      await engine.start();
      if (signal.aborted) {
        await stopWithin({ opened, engine }, STOP_TIMEOUT_MS, log);
        return null;
      }
      log.write(`connected after ${attempt} attempt(s)`);
      // Realised vol and the venue's index history load in the background: the screen shows
      // "loading" for them meanwhile, and a venue that refuses says why in the surface view.
      const history = model.options.volHistory;
      if (history !== undefined && history !== null) {
        void history.start(engine.venueNow(model.options.venue)).then(
          () => log.write('volatility history loaded'),
          (error: unknown) => log.write(`volatility history: ${String(error)}`),
        );
      }
      return { opened, engine };
    } catch (error) {
      await opened.close().catch(() => undefined);
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (attempt - 1));
      const reason = error instanceof Error ? error.message : String(error);
      log.write(`connect attempt ${attempt} failed: ${reason}; retry in ${delay} ms`);
      model.setDown(reason, Date.now() + delay, attempt + 1);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }
  return null;
}

function isAttach(plan: FeedPlan | AttachPlan): plan is AttachPlan {
  return 'target' in plan;
}

async function stopWithin(running: Running, ms: number, log: LogFile): Promise<void> {
  const stop = (async () => {
    await running.engine.stop();
    await running.opened.close();
  })();
  const cancel = new AbortController();
  const timer = sleep(ms, 'timeout' as const, { signal: cancel.signal }).catch(
    () => 'stopped' as const,
  );
  const outcome = await Promise.race([stop.then(() => 'stopped' as const), timer]);
  cancel.abort();
  if (outcome === 'timeout') log.write(`feeds did not stop within ${ms} ms; leaving anyway`);
}
