/**
 * Opening Redis from a `--redis` URL: `redis://[user[:password]@]host[:port][/db]`, or
 * `rediss://…` for TLS. Whether the server is one node or a cluster is asked of the server
 * itself (`INFO cluster`), so a desk that moves to Redis Cluster changes the URL's host and
 * nothing else. The password never appears in an error, a log line or `describe()`.
 */
import { Cluster, Redis } from 'ioredis';
import { Secret } from '../config/secret.js';

/** Either client: every command the store uses exists on both. */
export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly db: number;
  readonly username: string | null;
  readonly password: Secret | null;
}

export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

/**
 * Reads a `--redis` URL. A password in the URL or given apart (the environment, the 0600
 * config file) is kept as a Secret; the URL's wins, as the most specific.
 */
export function parseRedisUrl(
  text: string,
  fallback: { username?: string | null; password?: Secret | null } = {},
): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisUrlError(
      `not a Redis URL: ${redactUrl(text)} (e.g. redis://127.0.0.1:6379 or rediss://user@host:6380)`,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(
      `a Redis URL starts redis:// or rediss:// (TLS), not ${url.protocol}// (e.g. redis://127.0.0.1:6379)`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '')
    throw new RedisUrlError('the Redis URL has no host (e.g. redis://127.0.0.1:6379)');
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) {
    throw new RedisUrlError(`the Redis URL's database must be a number, not "${path}"`);
  }
  const username =
    url.username === '' ? (fallback.username ?? null) : decodeURIComponent(url.username);
  const password =
    url.password === ''
      ? (fallback.password ?? null)
      : new Secret(decodeURIComponent(url.password));
  return { host, port, tls: url.protocol === 'rediss:', db, username, password };
}

/** The target as it may be shown: no password, ever. */
export function describeTarget(target: RedisTarget): string {
  const scheme = target.tls ? 'rediss' : 'redis';
  const user = target.username === null ? '' : `${target.username}@`;
  const db = target.db === 0 ? '' : `/${target.db}`;
  return `${scheme}://${user}${target.host}:${target.port}${db}`;
}

/** A URL with whatever password it holds replaced, for messages about a URL that failed to parse. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1«redacted»@');
}

export interface OpenOptions {
  /**
   * Commands while disconnected fail at once instead of queueing inside ioredis: a writer
   * keeps its own bounded queue, so memory stays bounded when Redis is down (default true).
   */
  readonly failFastOffline?: boolean;
  /** A name shown by CLIENT LIST (e.g. `ivtrade-serve`). */
  readonly clientName?: string;
  /** How long to wait for the first connection (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

/** What a node connection needs beside where it is and how it retries. */
function nodeOptions(target: RedisTarget, options: OpenOptions) {
  const failFast = options.failFastOffline ?? true;
  return {
    db: target.db,
    ...(target.username === null ? {} : { username: target.username }),
    ...(target.password === null ? {} : { password: target.password.reveal() }),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    ...(options.clientName === undefined ? {} : { connectionName: options.clientName }),
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    lazyConnect: true,
    // A command in flight when the link drops fails rather than being retried behind our back:
    // the caller decides (a quote is superseded anyway; an account event is re-queued).
    maxRetriesPerRequest: failFast ? 0 : 3,
  };
}

// Left to inference: ioredis 6's declared option types do not accept themselves under
// exactOptionalPropertyTypes.
function baseOptions(target: RedisTarget, options: OpenOptions) {
  return {
    ...nodeOptions(target, options),
    host: target.host,
    port: target.port,
    enableOfflineQueue: !(options.failFastOffline ?? true),
    // Reconnect forever, quickly at first and never slower than every 2 s.
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
}

/**
 * Connects to the target, a single node or a cluster (asked of the server). Rejects with a
 * message that names the target without its password when the first connection fails.
 */
export async function openRedis(
  target: RedisTarget,
  options: OpenOptions = {},
): Promise<RedisClient> {
  // No ready check (an INFO): a viewer's ACL may deny INFO, and ioredis would print about it.
  const probe = new Redis({
    ...baseOptions(target, options),
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  // ioredis emits 'error' for every failed attempt; the rejection below carries the reason.
  probe.on('error', () => undefined);
  let clustered: boolean;
  /** A user whose ACL denies INFO (a viewer): taken for a single node, with no ready check. */
  let infoDenied = false;
  try {
    await probe.connect();
    const info = await probe.info('cluster').catch((error: unknown) => {
      if (!/^NOPERM\b/.test(error instanceof Error ? error.message : '')) throw error;
      infoDenied = true;
      return '';
    });
    clustered = /cluster_enabled:1/.test(info);
  } catch (error) {
    probe.disconnect();
    throw new Error(`cannot reach Redis at ${describeTarget(target)}: ${errorText(error, target)}`);
  }
  if (!clustered) {
    probe.disconnect();
    const client = new Redis({
      ...baseOptions(target, options),
      ...(infoDenied ? { enableReadyCheck: false } : {}),
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
  probe.disconnect();
  if (target.db !== 0) {
    throw new Error(`${describeTarget(target)} is a Redis Cluster, which has only database 0`);
  }
  // The cluster client owns host, port, retries and the offline queue for its node clients.
  const clusterOptions = {
    redisOptions: nodeOptions(target, options),
    enableOfflineQueue: !(options.failFastOffline ?? true),
    lazyConnect: true,
    clusterRetryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    // ioredis follows MOVED/ASK itself; a slot map refresh now and then catches resharding.
    slotsRefreshInterval: 10_000,
  };
  const cluster = new Cluster([{ host: target.host, port: target.port }], clusterOptions);
  cluster.on('error', () => undefined);
  await cluster.connect();
  return cluster;
}

/** Whether the client talks to a Redis Cluster. */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** An error's message with the target's password, if it crept in, taken out. */
export function errorText(error: unknown, target: RedisTarget): string {
  const text = error instanceof Error ? error.message : String(error);
  const secret = target.password?.reveal();
  return secret === undefined || secret === '' ? text : text.split(secret).join('«redacted»');
}
