// `ivtrade sim`'s flags, apart from what it runs: main reads every command's flags, and
// loads a command's modules only when that command runs.

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { FaultSpecError, parseFaults, type FaultOptions } from '../sim/faults.js';

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

function parseStart(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError('an ISO 8601 time, e.g. 2026-11-20T07:00:00Z');
  }
  return ms;
}
