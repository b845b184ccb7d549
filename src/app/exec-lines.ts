/**
 * Commands in a running session: the gateway and runner over a connected engine, and
 * `--exec "i BTC-PERPETUAL; m 10; as1"`, a command line run once at start-up when the venue is
 * connected and quoting (an order priced off the touch needs a touch).
 */
import { OrderGateway } from '../gateway/order-gateway.js';
import type { GatewayLimits } from '../gateway/types.js';
import { CommandRunner, type CommandOutput, type MarketCap } from './command-runner.js';
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
  /** Null without hedge settings, or when its instrument could not be found (said so). */
  readonly hedge: HedgeSession | null;
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
  if (settings.hedge !== undefined) {
    try {
      hedge = startHedger(engine, gateway, venue, settings.hedge, (line) =>
        output.note(line, /switched itself off|cannot|failed/i.test(line) ? 'error' : 'info'),
      );
    } catch (error) {
      output.note(
        `hedger not started: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
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
    hedge,
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
