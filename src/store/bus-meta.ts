/**
 * What `serve` says about itself in Redis: which venues it serves under a prefix, and per
 * venue its coins and mode (the `meta` hash) and whether it still runs (the `alive` key).
 */
import type { RedisClient } from './connect.js';
import type { KeySchema } from './keys.js';
import type { GatewayLimits } from '../gateway/types.js';

export type ServedMode = 'SIM' | 'LIVE' | 'TESTNET';

export interface BusMeta {
  /** The venue's name as its events carry it. */
  readonly venue: string;
  readonly currencies: readonly string[];
  readonly mode: ServedMode;
  readonly started: number | null;
  readonly host: string | null;
  /** Serve's gateway limits, so a screen refuses at once what serve would refuse. */
  readonly limits: Partial<GatewayLimits> | null;
  /** How far beyond the touch serve lets a market order pay (the command runner's MarketCap). */
  readonly marketCap: { readonly optionTicks: number; readonly futurePercent: number } | null;
}

export interface AliveInfo {
  readonly ts: number;
  readonly roundTripMs: number | null;
}

/** Venue names served under the schema's prefix, sorted. */
export async function servedVenues(client: RedisClient, keys: KeySchema): Promise<string[]> {
  return (await client.smembers(keys.venues)).sort();
}

/** The venue's meta hash, or null when nothing serves (or served) it under this prefix. */
export async function readBusMeta(
  client: RedisClient,
  keys: KeySchema,
  venue: string,
): Promise<BusMeta | null> {
  const hash = await client.hgetall(keys.venue(venue).meta);
  return metaOf(hash, venue);
}

export function metaOf(hash: Readonly<Record<string, string>>, venue: string): BusMeta | null {
  if (Object.keys(hash).length === 0) return null;
  const currencies = (hash.currencies ?? '')
    .split(',')
    .map((coin) => coin.trim())
    .filter((coin) => coin !== '');
  const started = Number(hash.started);
  return {
    venue: hash.venue === undefined || hash.venue === '' ? venue : hash.venue,
    currencies,
    // A mode it does not know is shown as LIVE: the badge that makes a trader careful.
    mode: hash.mode === 'SIM' || hash.mode === 'TESTNET' ? hash.mode : 'LIVE',
    started: Number.isFinite(started) && started > 0 ? started : null,
    host: hash.host === undefined || hash.host === '' ? null : hash.host,
    limits: jsonObject<Partial<GatewayLimits>>(hash.limits),
    marketCap: jsonObject<{ optionTicks: number; futurePercent: number }>(hash.marketCap),
  };
}

/** A JSON object field; null when absent or not an object (a screen then uses its defaults). */
function jsonObject<T>(text: string | undefined): T | null {
  if (text === undefined || text === '') return null;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as T)
      : null;
  } catch {
    return null;
  }
}

/** The `alive` key's value, or null when it is absent (no serve) or unreadable. */
export function aliveOf(text: string | null): AliveInfo | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { ts?: unknown; roundTripMs?: unknown };
    const ts = typeof value.ts === 'number' ? value.ts : 0;
    const rtt = typeof value.roundTripMs === 'number' ? value.roundTripMs : null;
    return { ts, roundTripMs: rtt };
  } catch {
    // Present but not JSON: serve runs (it set the key), its figures are unreadable.
    return { ts: 0, roundTripMs: null };
  }
}
