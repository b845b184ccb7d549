/**
 * Commands in a running session: the gateway and runner over a connected engine, and
 * `--exec "i BTC-PERPETUAL; m 10; as1"`, a command line run once at start-up when the venue is
 * connected and quoting (an order priced off the touch needs a touch).
 */
import { OrderGateway } from '../gateway/order-gateway.js';
import type { GatewayLimits } from '../gateway/types.js';
import { CommandRunner, type CommandOutput, type MarketCap } from './command-runner.js';
import type { StatusLevel } from '../view/types.js';
import { EngineMarket } from './gateway-market.js';
import { startHedger, type HedgeSession, type HedgeSettings } from './hedge-session.js';
import type { MarketEngine } from './market-engine.js';

export interface TradingSettings {
  readonly limits?: Partial<GatewayLimits>;
  readonly marketCap?: MarketCap;
  /** The delta hedger, sharing the gateway; none when left out. */
  readonly hedge?: HedgeSettings;
}

export interface Trading {
  readonly runner: CommandRunner;
  /** The one order gateway (what `serve` runs attached screens' intents through). */
  readonly gateway: OrderGateway;
  /** Null without hedge settings, or when it could not start (`hedgeError` says why). */
  readonly hedge: HedgeSession | null;
  /**
   * Why the hedger asked for could not start (its instrument is not listed): a session given
   * a hedger it cannot have stops at once and says so, rather than run unhedged.
   */
  readonly hedgeError: string | null;
  close(): void;
}

/**
 * The one gateway of a connected session, fed the account events; the command runner over
 * it; and, when asked for, the hedger trading through the same gateway.
 */
export function startTrading(
  engine: MarketEngine,
  venue: string,
  settings: TradingSettings,
  output: CommandOutput,
): Trading {
  // Expiries are resolved and options priced on the venue's clock (the sim's may run fast).
  const venueNow = (): number => engine.venueNow(venue);
  const market = new EngineMarket(engine.market, venueNow);
  const gateway = new OrderGateway({
    market,
    orders: (name) => engine.feed(name)?.orders ?? null,
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
  });
  const unsubscribe = engine.onEvent((event) => gateway.observe(event));
  let hedge: HedgeSession | null = null;
  let hedgeError: string | null = null;
  if (settings.hedge !== undefined) {
    try {
      hedge = startHedger(engine, gateway, venue, settings.hedge, (line) =>
        output.note(line, /switched itself off|cannot|failed/i.test(line) ? 'error' : 'info'),
      );
    } catch (error) {
      hedgeError = `hedger not started: ${error instanceof Error ? error.message : String(error)}`;
      output.note(hedgeError, 'error');
    }
  }
  const runner = new CommandRunner({
    venue,
    engine,
    market,
    gateway,
    output,
    hedger: hedge?.hedger ?? null,
    now: venueNow,
    ...(settings.marketCap === undefined ? {} : { marketCap: settings.marketCap }),
  });
  return {
    runner,
    gateway,
    hedge,
    hedgeError,
    close: () => {
      runner.close();
      hedge?.close();
      unsubscribe();
    },
  };
}

/** The gateway and command runner of a session without a hedger. */
export function startCommands(
  engine: MarketEngine,
  venue: string,
  settings: Omit<TradingSettings, 'hedge'>,
  output: CommandOutput,
): CommandRunner {
  return startTrading(engine, venue, settings, output).runner;
}

const QUOTE_WAIT_MS = 10_000;

/**
 * Whether the venue is quoting: an option chain has a price and every coin's perpetual (the
 * instrument `--exec` lines most often trade) has its ticker.
 */
function quoting(engine: MarketEngine, venue: string): boolean {
  const chains = engine.market.chains(venue);
  if (!chains.some((chain) => Number.isFinite(chain.index))) return false;
  const registry = engine.market.registry(venue);
  return registry.bases().every((base) => {
    const perpetual = registry.perpetualOf(base);
    return perpetual === undefined || engine.market.ticker(venue, perpetual.name) !== undefined;
  });
}

/** Resolves once the venue is quoting, or after `ms` regardless (the line then says what is missing). */
function whenQuoting(engine: MarketEngine, venue: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (quoting(engine, venue)) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    const unsubscribe = engine.onEvent((event) => {
      if (event.kind === 'ticker' && quoting(engine, venue)) done();
    });
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

/** Runs `line` and waits for the venue's answers to any orders it sent; false if it failed to parse. */
export async function runExec(
  engine: MarketEngine,
  runner: CommandRunner,
  venue: string,
  line: string,
  log: { write(line: string): void },
): Promise<boolean> {
  await whenQuoting(engine, venue, QUOTE_WAIT_MS);
  log.write(`--exec: ${line}`);
  const result = runner.run(line, null);
  await runner.settled();
  return result.ok;
}

/**
 * Whether a headless `--exec` line failed, for the exit code: every failure the runner can
 * meet (a line that does not parse, an instrument not found, an order refused by the gateway
 * or rejected by the venue) answers at error level, so the answers given while the line runs
 * are the witness. Answers after it has run (a later fill, the hedger) are not the line's.
 */
export class ExecVerdict {
  #errors = 0;
  #done = false;

  /** `output` with its answers counted. */
  watch(output: CommandOutput): CommandOutput {
    const count = (level: StatusLevel): void => {
      if (level === 'error' && !this.#done) this.#errors += 1;
    };
    return {
      note: (text, level) => {
        count(level);
        output.note(text, level);
      },
      ...(output.orderReport === undefined
        ? {}
        : {
            orderReport: (text: string, level: StatusLevel) => {
              count(level);
              output.orderReport?.(text, level);
            },
          }),
      info: (title, lines) => output.info(title, lines),
      help: () => output.help(),
      quit: () => output.quit(),
    };
  }

  /** Runs the line (see runExec); what is counted ends when its orders have their answers. */
  async run(
    engine: MarketEngine,
    runner: CommandRunner,
    venue: string,
    line: string,
    log: { write(line: string): void },
  ): Promise<void> {
    const ok = await runExec(engine, runner, venue, line, log);
    if (!ok && this.#errors === 0) this.#errors = 1;
    this.#done = true;
  }

  get failed(): boolean {
    return this.#errors > 0;
  }
}
