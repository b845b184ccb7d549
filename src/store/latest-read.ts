/**
 * Reading what `serve` published, for scripts and one-shot commands (`scan`, `export`,
 * `history`): which venues and coins are there, every instrument's spec and latest state.
 * Keys are found with SCAN (on a cluster, on every master: each holds its own slots), and a
 * coin's hashes are read in one pipeline, since they share the coin's slot.
 */
import type { InstrumentSpec } from '../instruments/types.js';
import { isCluster, type RedisClient } from './connect.js';
import { scanFields } from './hash-scan.js';
import { hashTagOf, QUOTE_FIELDS, type KeySchema, type QuoteField } from './keys.js';

export type QuoteHash = Readonly<Record<QuoteField, string>>;

/** One instrument as the store has it: its spec and its latest-state hash (null if none yet). */
export interface StoredInstrument {
  readonly venue: string;
  readonly coin: string;
  readonly spec: InstrumentSpec;
  readonly quote: QuoteHash | null;
}

const SPEC_FIELD = 'i:';
const PROBE_COIN = 'COIN';

/** The venues `serve` says it serves under this prefix (SMEMBERS of keys.venues), sorted. */
export async function servedVenues(client: RedisClient, keys: KeySchema): Promise<string[]> {
  return (await client.smembers(keys.venues)).sort();
}

/** Every key matching `pattern`, on every master of a cluster. */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  const found = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const key of batch) found.add(key);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...found].sort();
}

/** The coins that have a snapshot hash under `venue`, sorted. */
export async function storedCoins(
  client: RedisClient,
  keys: KeySchema,
  venue: string,
): Promise<string[]> {
  const probe = keys.coin(venue, PROBE_COIN);
  // The schema's own key with the coin as a wildcard; names hold no glob characters.
  const pattern = probe.snapshot.replace(probe.tag, `{${venue}:*}`);
  const coins = new Set<string>();
  for (const key of await scanKeys(client, pattern)) {
    const tag = hashTagOf(key);
    const coin = tag.slice(venue.length + 1);
    // Only coins (upper-case letters and digits), never `@venue`, and only this exact shape.
    if (tag.startsWith(`${venue}:`) && keys.coin(venue, coin).snapshot === key) coins.add(coin);
  }
  return [...coins].sort();
}

/** Every spec (`i:<instrument>` field) in a coin's snapshot, read without the rest of it. */
export async function storedSpecs(
  client: RedisClient,
  keys: KeySchema,
  venue: string,
  coin: string,
): Promise<InstrumentSpec[]> {
  const snapshot = keys.coin(venue, coin).snapshot;
  const specs: InstrumentSpec[] = [];
  await scanFields(client, snapshot, SPEC_FIELD, (page) => {
    for (const [, value] of page) {
      const spec = parseSpec(value);
      if (spec !== null) specs.push(spec);
    }
  });
  return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One coin's instruments with their latest state, in one pipeline of HMGETs. */
export async function readCoin(
  client: RedisClient,
  keys: KeySchema,
  venue: string,
  coin: string,
): Promise<StoredInstrument[]> {
  const specs = await storedSpecs(client, keys, venue, coin);
  if (specs.length === 0) return [];
  const coinKeys = keys.coin(venue, coin);
  const pipeline = client.pipeline();
  for (const spec of specs) pipeline.hmget(coinKeys.quote(spec.name), ...QUOTE_FIELDS);
  const replies = (await pipeline.exec()) ?? [];
  return specs.map((spec, i) => {
    const [error, values] = replies[i] ?? [null, null];
    if (error !== null) throw error;
    return { venue, coin, spec, quote: quoteOf(values as (string | null)[] | null) };
  });
}

function quoteOf(values: readonly (string | null)[] | null): QuoteHash | null {
  // HMGET of a missing key answers nulls: no state has been published for it yet.
  if (values === null || values.every((value) => value === null)) return null;
  return Object.fromEntries(QUOTE_FIELDS.map((name, i) => [name, values[i] ?? ''])) as Record<
    QuoteField,
    string
  >;
}

/**
 * A spec field: the InstrumentSpec JSON the wire format names, or the instrument-added event
 * that carries it (what the publisher's codec writes at the time of writing); null if neither.
 */
function parseSpec(text: string): InstrumentSpec | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A field another writer mangled is not worth failing a whole scan over.
    return null;
  }
  if (isRecord(value) && value['kind'] === 'instrument-added') value = value['spec'];
  if (!isRecord(value)) return null;
  if (typeof value['name'] !== 'string' || typeof value['base'] !== 'string') return null;
  const kind = value['kind'];
  if (kind !== 'option' && kind !== 'future' && kind !== 'perpetual') return null;
  return value as unknown as InstrumentSpec;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where an instrument's data lives: the venue and coin whose snapshot lists it. */
export interface InstrumentHome {
  readonly venue: string;
  readonly coin: string;
}

/**
 * Finds the venue(s) and coin holding an instrument: its spec in a coin's snapshot, or else
 * (a delisted instrument whose history outlives its listing) its history stream.
 */
export async function findInstrument(
  client: RedisClient,
  keys: KeySchema,
  venues: readonly string[],
  instrument: string,
): Promise<InstrumentHome[]> {
  const homes: InstrumentHome[] = [];
  const candidates: InstrumentHome[] = [];
  for (const venue of venues) {
    for (const coin of await storedCoins(client, keys, venue)) candidates.push({ venue, coin });
  }
  for (const home of candidates) {
    const coinKeys = keys.coin(home.venue, home.coin);
    if ((await client.hexists(coinKeys.snapshot, `${SPEC_FIELD}${instrument}`)) === 1) {
      homes.push(home);
    }
  }
  if (homes.length > 0) return homes;
  for (const home of candidates) {
    if ((await client.exists(keys.coin(home.venue, home.coin).history(instrument))) === 1) {
      homes.push(home);
    }
  }
  return homes;
}
