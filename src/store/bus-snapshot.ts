/**
 * Reading what `serve` keeps in Redis back into normalized events (pure: hashes and stream
 * entries in, events out), so an attached screen's engine is fed exactly what a venue feed
 * would have fed it. The wire format: a snapshot hash of `<letter>:<name>` fields holding
 * event JSON plus `~seq`/`~id`; stream entries of `s` (sequence), then one `e` (an event's
 * JSON) per event, in order.
 */
import type {
  AccountSnapshotEvent,
  FeedEvent,
  InstrumentAddedEvent,
  StatusEvent,
} from '../book/events.js';
import type { InstrumentSpec } from '../instruments/types.js';

/** Where a stream's tail continues after a snapshot: its last entry's id and sequence. */
export interface StreamPosition {
  readonly id: string;
  readonly seq: number;
}

/** Before anything was written: every entry of the stream is new, the first one is 1. */
export const STREAM_START: StreamPosition = { id: '0-0', seq: 0 };

export interface CoinSnapshot {
  /** The listing, as instrument-added events. */
  readonly listing: readonly InstrumentAddedEvent[];
  /** Tickers, indexes and books, in that order (a book's options exist by then). */
  readonly events: readonly FeedEvent[];
  readonly position: StreamPosition;
  /** Fields that were not JSON of the promised shape: skipped. */
  readonly malformed: number;
}

export interface VenueSnapshot {
  readonly account: AccountSnapshotEvent;
  /** The latest status of each of serve's venue connections. */
  readonly statuses: readonly StatusEvent[];
  readonly position: StreamPosition;
  readonly malformed: number;
}

const EVENT_KINDS: ReadonlySet<string> = new Set<FeedEvent['kind']>([
  'ticker',
  'book-snapshot',
  'book-delta',
  'trade',
  'index',
  'volatility-index',
  'instrument-added',
  'instrument-removed',
  'order',
  'fill',
  'position',
  'balance',
  'account-snapshot',
  'status',
]);

/** An event from its JSON, or null when it is not one (not JSON, no known kind, no venue). */
export function parseEvent(text: string): FeedEvent | null {
  return eventOf(parseJson(text));
}

/** A parsed value as an event, or null when it is not one. */
function eventOf(value: unknown): FeedEvent | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { kind, venue } = value as { kind?: unknown; venue?: unknown };
  if (typeof kind !== 'string' || !EVENT_KINDS.has(kind) || typeof venue !== 'string') return null;
  return value as FeedEvent;
}

function parseJson(text: string): object | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function isSpec(value: unknown): value is InstrumentSpec {
  const spec = value as Partial<InstrumentSpec> | null;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.name === 'string' &&
    typeof spec.base === 'string' &&
    (spec.kind === 'option' || spec.kind === 'future' || spec.kind === 'perpetual')
  );
}

/**
 * A listing field: the instrument-added event that listed it, or its bare spec (stamped
 * `ts`); both are the wire format's, depending on who wrote the field.
 */
function parseListing(text: string, venue: string, ts: number): InstrumentAddedEvent | null {
  const value = parseJson(text);
  if (value === null) return null;
  const event = value as Partial<InstrumentAddedEvent>;
  if (event.kind === 'instrument-added') {
    return isSpec(event.spec) && typeof event.ts === 'number'
      ? (value as InstrumentAddedEvent)
      : null;
  }
  return isSpec(value) ? { kind: 'instrument-added', venue, ts, spec: value } : null;
}

/** The hash's `~seq`/`~id`; the stream's start when nothing was written with it yet. */
export function positionOf(hash: Readonly<Record<string, string>>): StreamPosition {
  const seq = Number(hash['~seq']);
  const id = hash['~id'];
  if (!Number.isSafeInteger(seq) || seq < 0 || id === undefined || id === '') return STREAM_START;
  return { id, seq };
}

type EventOf<K extends FeedEvent['kind']> = Extract<FeedEvent, { kind: K }>;

/**
 * A state hash's fields read by their two-letter prefix: each prefix names the one event kind
 * its fields must hold. Fields of other prefixes (`~…` bookkeeping, fields of a later version)
 * are not ours to read; a field that is not JSON of its kind is counted, not read.
 */
function eventsByPrefix<K extends FeedEvent['kind']>(
  hash: Readonly<Record<string, string>>,
  kinds: Readonly<Record<string, K>>,
): { events: Map<K, EventOf<K>[]>; malformed: number } {
  const events = new Map<K, EventOf<K>[]>();
  let malformed = 0;
  for (const [field, text] of Object.entries(hash)) {
    const want = kinds[field.slice(0, 2)];
    if (want === undefined) continue;
    const event = parseEvent(text);
    if (event?.kind !== want) {
      malformed += 1;
      continue;
    }
    const list = events.get(want) ?? [];
    list.push(event as EventOf<K>);
    events.set(want, list);
  }
  return { events, malformed };
}

/** One coin's snapshot hash (HGETALL) as events; `ts` stamps bare specs. */
export function readCoinSnapshot(
  hash: Readonly<Record<string, string>>,
  venue: string,
  ts: number,
): CoinSnapshot {
  const listing: InstrumentAddedEvent[] = [];
  let malformed = 0;
  for (const [field, text] of Object.entries(hash)) {
    if (!field.startsWith('i:')) continue;
    const added = parseListing(text, venue, ts);
    if (added === null) malformed += 1;
    else listing.push(added);
  }
  const read = eventsByPrefix(hash, {
    't:': 'ticker',
    'x:': 'index',
    'v:': 'volatility-index',
    'b:': 'book-snapshot',
  });
  const of = <K extends 'ticker' | 'index' | 'volatility-index' | 'book-snapshot'>(
    kind: K,
  ): EventOf<K>[] => (read.events.get(kind) ?? []) as EventOf<K>[];
  return {
    listing,
    events: [...of('index'), ...of('volatility-index'), ...of('ticker'), ...of('book-snapshot')],
    position: positionOf(hash),
    malformed: malformed + read.malformed,
  };
}

/**
 * The venue's state hash (HGETALL) as one account snapshot and the connections' statuses.
 * The snapshot is stamped with the latest venue time it or `floorTs` (the reader's latest
 * account event) holds: everything the reader held before is replaced by it, as a venue's
 * own snapshot replaces what a reconnecting feed held, and no venue time runs backwards.
 */
export function readVenueSnapshot(
  hash: Readonly<Record<string, string>>,
  venue: string,
  floorTs: number,
): VenueSnapshot {
  const read = eventsByPrefix(hash, {
    'o:': 'order',
    'p:': 'position',
    'b:': 'balance',
    's:': 'status',
  });
  const of = <K extends 'order' | 'position' | 'balance' | 'status'>(kind: K): EventOf<K>[] =>
    (read.events.get(kind) ?? []) as EventOf<K>[];
  const orders = of('order');
  const positions = of('position');
  const balances = of('balance');
  const ts = Math.max(floorTs, ...[...orders, ...positions, ...balances].map((event) => event.ts));
  return {
    account: { kind: 'account-snapshot', venue, ts, orders, positions, balances },
    statuses: of('status'),
    position: positionOf(hash),
    malformed: read.malformed,
  };
}

/**
 * A stream entry's sequence and events: `s`, then one `e` per event JSON (a publisher's call,
 * in the order written); null when the entry is not what the format promises (no sequence,
 * or no event). An event that is not one is null in the list: the entry's sequence still
 * counts, its other events still apply.
 */
export function readEntry(
  fields: readonly string[],
): { seq: number; events: (FeedEvent | null)[] } | null {
  let seq: number | null = null;
  const events: (FeedEvent | null)[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === 's') seq = Number(fields[i + 1]);
    else if (name === 'e') events.push(parseEvent(fields[i + 1]!));
  }
  if (seq === null || !Number.isSafeInteger(seq) || events.length === 0) return null;
  return { seq, events };
}
