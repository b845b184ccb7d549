// The order gateway's and the market orders' settings as flags, shared by every command that
// can trade (the screen, and `stream --exec`).

import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_MARKET_CAP, type MarketCap } from '../app/command-runner.js';
import type { GatewayLimits } from '../gateway/types.js';

export interface OrderFlags {
  readonly maxNotional?: number | undefined;
  readonly maxOrdersPerSecond?: number | undefined;
  readonly optionDistance?: number | undefined;
  readonly futureDistance?: number | undefined;
  readonly optionDistanceTicks?: number | undefined;
  readonly capTicks?: number | undefined;
  readonly cancelOnDisconnect?: boolean | undefined;
}

export interface OrderSettings {
  readonly limits: Partial<GatewayLimits>;
  readonly marketCap: MarketCap;
}

function positive(flag: string, example: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
      throw new InvalidArgumentError(`${flag} takes a positive number, e.g. ${flag} ${example}`);
    }
    return number;
  };
}

function wholeTicks(flag: string, example: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number > 1000) {
      throw new InvalidArgumentError(
        `${flag} takes a whole number from 0 to 1000, e.g. ${flag} ${example}`,
      );
    }
    return number;
  };
}

export function addOrderOptions(command: Command): Command {
  return command
    .option(
      '--max-notional <usd>',
      'order gateway: largest order, underlying notional in USD (default 250000)',
      positive('--max-notional', '100000'),
    )
    .option(
      '--max-orders-per-second <n>',
      'order gateway: orders per rolling second, all origins (default 10)',
      positive('--max-orders-per-second', '5'),
    )
    .option(
      '--option-distance <vol>',
      'order gateway: an option limit this many vol points through the mark needs ! (default 10)',
      positive('--option-distance', '5'),
    )
    .option(
      '--option-distance-ticks <n>',
      'order gateway: ...and also this many ticks through the mark (both must be passed for ! to be needed; default 10)',
      wholeTicks('--option-distance-ticks', '20'),
    )
    .option(
      '--future-distance <pct>',
      'order gateway: a future limit this many % through the mark needs ! (default 1)',
      positive('--future-distance', '0.5'),
    )
    .option(
      '--cap-ticks <n>',
      `options: ticks beyond the touch a market order (a3, d3) may pay (default ${DEFAULT_MARKET_CAP.optionTicks})`,
      wholeTicks('--cap-ticks', '3'),
    )
    .option(
      '--cancel-on-disconnect',
      "Deribit: the venue cancels the session's open orders when its connection closes, quitting included (default: they stay open)",
    );
}

/**
 * Bybit's counterpart (Disconnect Cancel All) is an account setting Bybit switches on by
 * request, not something a session can ask for: refusing the flag there beats a promise
 * the venue would not keep.
 */
export function cancelOnDisconnectMisuse(flags: OrderFlags, venue: string): string | null {
  if (flags.cancelOnDisconnect !== true || venue === 'deribit') return null;
  return `--cancel-on-disconnect is for Deribit; on ${venue} orders stay open (Bybit's Disconnect Cancel All is an account setting Bybit enables on request)`;
}

export function orderSettingsFrom(flags: OrderFlags): OrderSettings {
  return {
    limits: {
      ...(flags.maxNotional === undefined ? {} : { maxNotionalUsd: flags.maxNotional }),
      ...(flags.maxOrdersPerSecond === undefined
        ? {}
        : { maxOrdersPerSecond: flags.maxOrdersPerSecond }),
      ...(flags.optionDistance === undefined
        ? {}
        : { optionDistance: { unit: 'vol-points', value: flags.optionDistance } as const }),
      ...(flags.futureDistance === undefined
        ? {}
        : { futureDistance: { unit: 'percent', value: flags.futureDistance } as const }),
      ...(flags.optionDistanceTicks === undefined
        ? {}
        : { optionDistanceTicks: flags.optionDistanceTicks }),
    },
    marketCap: {
      ...DEFAULT_MARKET_CAP,
      ...(flags.capTicks === undefined ? {} : { optionTicks: flags.capTicks }),
    },
  };
}
