// `ivtrade sim`: runs the embedded exchange until interrupted and says where it listens.

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { FaultSpecError, parseFaults, type FaultOptions } from '../sim/faults.js';
import { startSim, type RunningSim } from '../sim/server.js';
import { DEFAULT_FUNDING } from '../sim/world.js';
import { defaultSimOrderLogPath, simOrderLogTo } from '../app/log-file.js';
import { interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';

export interface SimFlags {
  readonly host: string;
  readonly port: number;
  readonly seed: number;
  readonly speed: number;
  readonly currencies: readonly string[];
  readonly faults: FaultOptions | undefined;
  readonly load: number;
  readonly start: number | undefined;
  readonly fund: Readonly<Record<string, number>> | undefined;
  readonly json: boolean;
}

const MAX_SPEED = 100_000;

export function addSimOptions(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port for every venue URL (0 picks a free one)', parsePort, 0)
    .option('--seed <n>', 'market model seed: the same seed replays the same market', parseSeed, 1)
    .option('--speed <x>', `sim seconds per wall second, 1 to ${MAX_SPEED}`, parseSpeed, 1)
    .option('--currencies <list>', 'coins to list, comma separated', parseCurrencies, [
      'BTC',
      'ETH',
    ])
    .option(
      '--faults <spec>',
      'inject faults, e.g. drop=1%,duplicate=0.1%,reorder=0.1%,malformed=0.1%,disconnect=60,stall=5,stall-every=30,delay=200,rate-limit=20',
      parseFaultFlag,
    )
    .option('--load <rate>', 'load mode: synthetic book changes per second per venue', parseLoad, 0)
    .option('--start <time>', 'sim start time, ISO 8601 (default now)', parseStart)
    .option(
      '--fund <balances>',
      'paper account balances, e.g. BTC=10,ETH=100,USDT=1000000 (coins fund the coin-margined venue, USDT the USDT one)',
      parseFund,
    )
    .option('--json', 'print the URLs as one JSON object', false);
}

export async function runSim(flags: SimFlags, streams: CliStreams): Promise<number> {
  const orderLogPath = defaultSimOrderLogPath();
  let sim: RunningSim;
  try {
    sim = await startSim({
      host: flags.host,
      port: flags.port,
      seed: flags.seed,
      speed: flags.speed,
      currencies: flags.currencies,
      loadRate: flags.load,
      ...(flags.faults === undefined ? {} : { faults: flags.faults }),
      ...(flags.start === undefined ? {} : { start: flags.start }),
      ...(flags.fund === undefined ? {} : { funding: fundingByVenue(flags.fund) }),
      orderLog: simOrderLogTo(orderLogPath),
    });
  } catch (error) {
    const reason = cannotListen(error, flags);
    if (reason === null) throw error;
    streams.err.write(`error: ${reason} (see 'ivtrade sim --help')\n`);
    return 2;
  }
  streams.out.write(
    flags.json
      ? `${JSON.stringify(describe(sim, flags, orderLogPath))}\n`
      : banner(sim, flags, orderLogPath),
  );
  await interrupted();
  await sim.close();
  streams.err.write('ivtrade sim: stopped\n');
  return 0;
}

/** Why the sim could not listen where asked, in one line; null for anything else. */
function cannotListen(error: unknown, flags: SimFlags): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${flags.host}:${flags.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is in use (--port 0 picks a free one)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: ${flags.host} is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${where}: no such host ${JSON.stringify(flags.host)}`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`;
    default:
      return code === undefined ? null : `cannot listen on ${where}: ${code}`;
  }
}

function describe(sim: RunningSim, flags: SimFlags, orderLog: string): Record<string, unknown> {
  return {
    urls: sim.urls,
    orderLog,
    seed: flags.seed,
    speed: flags.speed,
    currencies: flags.currencies,
    simTime: new Date(sim.world.clock.now()).toISOString(),
    // Paper keys guard nothing real; their secrets are in the README, never printed.
    clientIds: {
      deribit: sim.apiKeys.deribit.map((k) => k.key),
      bybit: sim.apiKeys.bybit.map((k) => k.key),
    },
  };
}

function banner(sim: RunningSim, flags: SimFlags, orderLog: string): string {
  const u = sim.urls;
  const count = (venue: 'deribit' | 'bybit'): number =>
    sim.world.exchanges[venue].instruments().length;
  return [
    `ivtrade sim — seed ${flags.seed}, speed ${flags.speed}×, ${flags.currencies.join(',')}, sim time ${new Date(sim.world.clock.now()).toISOString()}`,
    `  Deribit WS          ${u.deribitWs}`,
    `  Deribit HTTP        ${u.deribitHttp}`,
    `  Bybit option WS     ${u.bybitOptionWs}`,
    `  Bybit linear WS     ${u.bybitLinearWs}`,
    `  Bybit private WS    ${u.bybitPrivateWs}`,
    `  Bybit REST          ${u.bybitRest}`,
    `  instruments         Deribit ${count('deribit')}, Bybit ${count('bybit')}`,
    `  paper account keys  Deribit client_id ${sim.apiKeys.deribit[0]?.key ?? '-'}, Bybit api key ${sim.apiKeys.bybit[0]?.key ?? '-'} (secrets: see README)`,
    flags.faults === undefined
      ? '  faults              none'
      : `  faults              ${JSON.stringify(flags.faults)}`,
    `  order log           ${orderLog}`,
    'Ctrl-C stops.',
    '',
  ].join('\n');
}

function parseInteger(value: string, low: number, high: number, what: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < low || n > high) {
    throw new InvalidArgumentError(`${what} must be an integer from ${low} to ${high}`);
  }
  return n;
}

function parsePort(value: string): number {
  return parseInteger(value, 0, 65535, 'port');
}

function parseSeed(value: string): number {
  return parseInteger(value, 0, 2 ** 31 - 1, 'seed');
}

function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > MAX_SPEED) {
    throw new InvalidArgumentError(`speed must be a number from 1 to ${MAX_SPEED} (e.g. 3600)`);
  }
  return n;
}

function parseLoad(value: string): number {
  return parseInteger(value, 0, 10_000_000, 'load rate');
}

function parseCurrencies(value: string): readonly string[] {
  const coins = value.split(',').map((c) => c.trim().toUpperCase());
  if (coins.length === 0 || coins.some((c) => !/^[A-Z][A-Z0-9]{1,9}$/.test(c))) {
    throw new InvalidArgumentError('a comma-separated list of coins, e.g. BTC,ETH');
  }
  return [...new Set(coins)];
}

export function parseFaultFlag(value: string): FaultOptions {
  try {
    return parseFaults(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

const STABLECOINS = new Set(['USDT', 'USDC']);

function parseFund(value: string): Readonly<Record<string, number>> {
  const balances: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [coin = '', amount = ''] = part.trim().split('=', 2);
    const n = Number(amount);
    if (!/^[A-Z][A-Z0-9]{1,9}$/.test(coin) || amount === '' || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(
        `"${part.trim()}" is not COIN=amount, e.g. BTC=10,USDT=1000000`,
      );
    }
    balances[coin] = n;
  }
  return balances;
}

/** Coin balances go to the coin-margined venue, stablecoins to the USDT-settled one. */
function fundingByVenue(
  balances: Readonly<Record<string, number>>,
): Partial<Record<'deribit' | 'bybit', Record<string, number>>> {
  const deribit: Record<string, number> = { ...DEFAULT_FUNDING.deribit };
  const bybit: Record<string, number> = { ...DEFAULT_FUNDING.bybit };
  for (const [coin, amount] of Object.entries(balances)) {
    (STABLECOINS.has(coin) ? bybit : deribit)[coin] = amount;
  }
  return { deribit, bybit };
}

function parseStart(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError('an ISO 8601 time, e.g. 2026-11-20T07:00:00Z');
  }
  return ms;
}
