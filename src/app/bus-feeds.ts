/**
 * The composition root for an attached screen (`ivtrade --redis <url>`): no venue connection,
 * one BusFeed reading what `ivtrade serve` publishes. Which venue, its mode and its coins are
 * asked of Redis before the screen is drawn.
 */
import { bybitPriceTick } from '../feeds/bybit/venue-history.js';
import { deribitPriceTick } from '../feeds/deribit/venue-history.js';
import type { VenueHistory } from '../feeds/feed.js';
import { BusFeed } from '../store/bus-feed.js';
import { readBusMeta, servedVenues } from '../store/bus-meta.js';
import {
  describeTarget,
  errorText,
  openRedis,
  RedisUrlError,
  type RedisTarget,
} from '../store/connect.js';
import { DEFAULT_PREFIX, keySchema } from '../store/keys.js';
import { ConfigError } from '../config/config-error.js';
import { redisTarget } from './redis-target.js';
import type { Mode } from '../view/types.js';
import type { OpenFeeds } from './venue-feeds.js';

const PRICE_TICKS: Readonly<Record<string, VenueHistory['priceTick']>> = {
  deribit: deribitPriceTick,
  bybit: bybitPriceTick,
};

export interface AttachPlan {
  readonly target: RedisTarget;
  readonly prefix: string;
  /** The venue as its keys name it. */
  readonly venue: string;
  readonly mode: Mode;
  readonly currencies: readonly string[];
  /** Where the screen is attached, for the header: `redis://host:port`, never a password. */
  readonly via: string;
  /** How often serve's heartbeat is read (tests shorten it). */
  readonly pollMs?: number;
}

/** Why an attached screen cannot start as asked: the CLI says it and exits 2. */
export class AttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachError';
  }
}

export interface AttachRequest {
  readonly url: string;
  /** A credentials file whose `redis` part holds the password (else the environment's). */
  readonly configPath?: string;
  readonly prefix?: string;
  /** The venue to attach to; else the one venue served under the prefix. */
  readonly venue?: string;
}

/** Asks Redis what is served and settles the venue, its mode and coins. */
export async function planAttach(request: AttachRequest): Promise<AttachPlan> {
  let target: RedisTarget;
  try {
    target = redisTarget(
      request.url,
      request.configPath === undefined ? {} : { path: request.configPath },
    );
  } catch (error) {
    if (error instanceof RedisUrlError || error instanceof ConfigError)
      throw new AttachError(error.message);
    throw error;
  }
  const prefix = request.prefix ?? DEFAULT_PREFIX;
  let keys;
  try {
    keys = keySchema(prefix);
  } catch (error) {
    throw new AttachError(`--redis-prefix: ${(error as Error).message}`);
  }
  const via = describeTarget(target);
  let client;
  try {
    client = await openRedis(target, { clientName: 'ivtrade-attach', connectTimeoutMs: 3_000 });
  } catch (error) {
    throw new AttachError(errorText(error, target));
  }
  try {
    const venues = await servedVenues(client, keys);
    let venue = request.venue;
    if (venue === undefined) {
      if (venues.length !== 1) {
        throw new AttachError(
          venues.length === 0
            ? `nothing is served under prefix ${prefix} at ${via} (start 'ivtrade serve --redis …' first)`
            : `${via} serves ${venues.join(', ')}: choose one with --venue`,
        );
      }
      venue = venues[0]!;
    } else if (!venues.includes(venue)) {
      const served = venues.length === 0 ? 'nothing' : venues.join(', ');
      throw new AttachError(
        `${venue} is not served under prefix ${prefix} at ${via} (served: ${served})`,
      );
    }
    const meta = await readBusMeta(client, keys, venue);
    if (meta === null)
      throw new AttachError(`${venue} has no meta under prefix ${prefix} at ${via}`);
    return { target, prefix, venue, mode: meta.mode, currencies: meta.currencies, via };
  } finally {
    client.disconnect();
  }
}

/** The attached screen's one feed (not yet started). */
export function openBusFeeds(
  plan: AttachPlan,
  log?: (line: string) => void,
): OpenFeeds & { readonly bus: BusFeed } {
  // The venue's own rule for which relayed price continues realised-vol bars.
  const priceTick = PRICE_TICKS[plan.venue];
  const bus = new BusFeed({
    target: plan.target,
    venue: plan.venue,
    prefix: plan.prefix,
    ...(priceTick === undefined ? {} : { priceTick }),
    ...(log === undefined ? {} : { log }),
    ...(plan.pollMs === undefined ? {} : { pollMs: plan.pollMs }),
  });
  return {
    feeds: [bus],
    sim: null,
    bus,
    coins: new Map([[plan.venue, plan.currencies]]),
    close: () => bus.stop(),
  };
}
