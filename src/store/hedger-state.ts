/**
 * The hedger's state on the bus: `serve` SETs the venue's `hedger` key to
 * `{state, settings, ts}` JSON and PUBLISHes the same text on `<key>:changed`; a screen
 * subscribes, then reads the key (so no change falls between the two), and reads it again
 * whenever its subscription reconnects.
 */
import type { HedgerState } from '../hedge/types.js';
import { isCluster, type RedisClient } from './connect.js';

export interface HedgerRecord {
  readonly state: HedgerState;
  /** The hedger's set-up in one line (band, delta source, scope); null where none was given. */
  readonly settings: string | null;
  /** When serve wrote it (ms, serve's clock): a later record wins. */
  readonly ts: number;
}

/** How often a screen without pub/sub rights reads the hedger key instead. */
const POLL_MS = 1_000;

export function hedgerChannel(key: string): string {
  return `${key}:changed`;
}

/** Writes the record and tells subscribers; rejects when Redis does not take it. */
export async function writeHedgerState(
  client: RedisClient,
  key: string,
  record: HedgerRecord,
): Promise<void> {
  const text = JSON.stringify(record);
  await client.set(key, text);
  await client.publish(hedgerChannel(key), text);
}

/**
 * Writes the record again unchanged, so a Redis that restarted empty gets it back and a
 * screen that reconnected before it was back hears it; watchers ignore a record they have.
 */
export function refreshHedgerState(
  client: RedisClient,
  key: string,
  record: HedgerRecord,
): Promise<void> {
  return writeHedgerState(client, key, record);
}

function parseRecord(text: string | null): HedgerRecord | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<HedgerRecord>;
    if (typeof value !== 'object' || value === null) return null;
    if (typeof value.ts !== 'number' || typeof value.state !== 'object' || value.state === null) {
      return null;
    }
    return { state: value.state, settings: value.settings ?? null, ts: value.ts };
  } catch {
    return null;
  }
}

export interface HedgerWatch {
  /** The latest record seen; null while none (no serve, or a serve without a hedger). */
  latest(): HedgerRecord | null;
  close(): void;
}

/** Follows the hedger's state; `onChange` hears every newer record, once. */
export async function watchHedgerState(
  client: RedisClient,
  key: string,
  onChange: (record: HedgerRecord) => void,
): Promise<HedgerWatch> {
  let latest: HedgerRecord | null = null;
  let closed = false;
  const take = (record: HedgerRecord | null): void => {
    if (closed || record === null) return;
    if (latest !== null && record.ts <= latest.ts) return;
    latest = record;
    onChange(record);
  };
  const reread = (): void => {
    client.get(key).then(
      (text) => take(parseRecord(text)),
      () => undefined,
    );
  };
  const subscriber: RedisClient = isCluster(client) ? client.duplicate() : client.duplicate();
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, text: string) => {
    if (channel === hedgerChannel(key)) take(parseRecord(text));
  });
  // After a reconnect ioredis subscribes again by itself; what changed meanwhile is in the key.
  subscriber.on('ready', reread);
  let poll: ReturnType<typeof setInterval> | null = null;
  try {
    await subscriber.connect();
    await subscriber.subscribe(hedgerChannel(key));
  } catch (error) {
    subscriber.disconnect();
    if (!/^NOPERM\b/.test(error instanceof Error ? error.message : '')) throw error;
    // A user whose ACL has no pub/sub still sees the hedger, a little later.
    poll = setInterval(reread, POLL_MS);
    poll.unref();
  }
  take(parseRecord(await client.get(key)));
  return {
    latest: () => latest,
    close: () => {
      closed = true;
      if (poll !== null) clearInterval(poll);
      subscriber.disconnect();
    },
  };
}
