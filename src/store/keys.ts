/**
 * The Redis key schema, version 2. Every key starts with the prefix (default `ivt`) and a hash
 * tag, so every key a script touches at once lands in one cluster slot:
 *
 * - `{venue:COIN}` — one coin's market on one venue: latest state, its update stream, history;
 * - `{venue:@venue}` — the venue as a whole: account, connection status, hedger, heartbeat;
 * - `{venue:@intents}` — what attached screens ask `serve` to do, and the answers.
 *
 * Coins are upper-case letters, so `@venue` and `@intents` can never be a coin. The version
 * follows the tag: a reader of another version finds nothing rather than misreads.
 */

export const SCHEMA_VERSION = 2;
/**
 * The minute histories' own version: their format has not changed since version 1, so an
 * upgrade keeps the history it has. (Version 2 changed the update streams' entries, `s` then an
 * `e` per event where version 1 put a batch in one `b` array, and how a removal is kept.)
 */
export const HISTORY_SCHEMA_VERSION = 1;
export const DEFAULT_PREFIX = 'ivt';

/** Default stream length kept (MAXLEN ~): minutes of a busy coin's updates for a slow reader. */
export const DEFAULT_STREAM_MAXLEN = 100_000;

/**
 * Fields of an instrument's latest-state hash (`…:q:<instrument>`), readable with `HMGET`.
 * Numbers as decimal text; an empty string where there is none (an empty side, no IV).
 * IVs are decimals (0.6321 = 63.21 %); greeks are ivtrade's own, in USD (vega per vol
 * point, theta per calendar day), at the mark IV.
 */
export const QUOTE_FIELDS = [
  'bid',
  'ask',
  'bid_size',
  'ask_size',
  'mark',
  'bid_iv',
  'ask_iv',
  'mark_iv',
  'delta',
  'gamma',
  'vega',
  'theta',
  'forward',
  'index',
  'volume',
  'open_interest',
  /** The venue's timestamp of the update (ms). */
  'ts',
  /** The coin stream's sequence number of the entry that carried this update. */
  'seq',
] as const;

export type QuoteField = (typeof QUOTE_FIELDS)[number];

/** The quote fields a ticker's write carries as values, in this order; the script adds seq. */
export const QUOTE_VALUE_FIELDS = QUOTE_FIELDS.filter(
  (field): field is Exclude<QuoteField, 'seq'> => field !== 'seq',
);

/**
 * The quote hash's field holding the instrument's listing (the event JSON of its `i:` field),
 * written with the listing. Besides giving a shell user the spec next to the quote, its length
 * (over Redis's default hash-max-listpack-value, 64 bytes) makes the hash a hashtable from its
 * first write: a ticker rewrites 18 fields, which a listpack finds by scanning (about twice
 * the cost per write).
 */
export const QUOTE_LISTING_FIELD = 'listing';

/** Keys of one coin's market on one venue (all in the slot of `{venue:COIN}`). */
export interface CoinKeys {
  readonly tag: string;
  /**
   * Hash: the coin's snapshot for late joiners. Fields: `i:<instrument>` spec JSON,
   * `t:<instrument>` latest ticker event JSON, `b:<instrument>` latest book event JSON,
   * `x:<base>:<quote>` latest index event JSON, `~seq` and `~id` (the sequence and stream id
   * of the last entry written with it). One HGETALL is a consistent snapshot.
   */
  readonly snapshot: string;
  /**
   * Stream of updates, MAXLEN ~ (counted in updates); one entry per publisher call: `s`
   * (sequence, +1 per entry), then one `e` (an event's JSON) per event, in order.
   */
  readonly updates: string;
  /**
   * Sorted set: instruments removed, by the removal's ts, until their marks in the snapshot
   * are pruned (see the store scripts).
   */
  readonly removals: string;
  /** Hash per instrument: the latest state, fields QUOTE_FIELDS, and QUOTE_LISTING_FIELD. */
  quote(instrument: string): string;
  /** Stream per instrument, one entry per minute with id `<minute ms>-0`. */
  history(instrument: string): string;
  /**
   * Stream per option chain (its premium currency: the coin itself for inverse options, USDC
   * or USDT for linear ones), one entry per minute: the fitted surface's read-outs and grid.
   */
  surfaceHistory(quote: string): string;
}

/** Keys of a venue as a whole (all in the slot of `{venue:@venue}`). */
export interface VenueKeys {
  readonly tag: string;
  /**
   * Hash: the account and the session. Fields: `o:<orderId>`, `p:<instrument>`,
   * `b:<currency>` (latest order/position/balance event JSON), `~seq`, `~id`.
   */
  readonly state: string;
  /** Stream of account events, connection statuses and hedger changes; MAXLEN ~. */
  readonly updates: string;
  /** Hash: who serves this venue (coins, mode, limits, started, host, pid). */
  readonly meta: string;
  /** String with a short TTL, refreshed by `serve` while it runs: its absence means no serve. */
  readonly alive: string;
  /** String: the hedger's latest state JSON. */
  readonly hedger: string;
  /**
   * Sorted set: books screens ask serve to follow, member `<instrument> <screen>`, score the
   * lease's end (ms on Redis's clock). See book-requests.ts.
   */
  readonly books: string;
}

/** Keys of the order path from screens to `serve` (all in the slot of `{venue:@intents}`). */
export interface IntentKeys {
  readonly tag: string;
  /** Stream of intents from screens; `serve` reads it. */
  readonly requests: string;
  /**
   * String: the id of the last request `serve` read, so a restarted `serve` goes on from
   * there rather than reading old requests again.
   */
  readonly cursor: string;
  /** Set-once key per intent id: the proof an intent was taken (at most once). */
  taken(intentId: string): string;
  /** Stream of answers to one screen. */
  replies(screenId: string): string;
}

export interface KeySchema {
  readonly prefix: string;
  coin(venue: string, coin: string): CoinKeys;
  venue(venue: string): VenueKeys;
  intents(venue: string): IntentKeys;
  /** Set of the venues served under this prefix (its own slot; one-key commands only). */
  readonly venues: string;
  /** A SCAN/`--pattern` match for every key of this schema version under the prefix. */
  readonly everything: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkName(what: string, value: string): void {
  // A brace or colon in a name would move keys to another slot or into another key's space.
  if (!NAME.test(value))
    throw new Error(`invalid ${what} for a Redis key: ${JSON.stringify(value)}`);
}

/** The schema under `prefix` (letters, digits, `.`, `_`, `-`; default `ivt`). */
export function keySchema(prefix: string = DEFAULT_PREFIX): KeySchema {
  checkName('prefix', prefix);
  const v = SCHEMA_VERSION;
  return {
    prefix,
    coin(venue, coin) {
      checkName('venue', venue);
      checkName('coin', coin);
      const tag = `{${venue}:${coin}}`;
      const base = `${prefix}:${tag}:${v}`;
      const kept = `${prefix}:${tag}:${HISTORY_SCHEMA_VERSION}`;
      return {
        tag,
        snapshot: `${base}:snap`,
        updates: `${base}:updates`,
        removals: `${base}:removals`,
        quote: (instrument) => `${base}:q:${instrument}`,
        history: (instrument) => `${kept}:hist:${instrument}`,
        surfaceHistory: (quote) => `${kept}:surf:${quote}`,
      };
    },
    venue(venue) {
      checkName('venue', venue);
      const tag = `{${venue}:@venue}`;
      const base = `${prefix}:${tag}:${v}`;
      return {
        tag,
        state: `${base}:state`,
        updates: `${base}:updates`,
        meta: `${base}:meta`,
        alive: `${base}:alive`,
        hedger: `${base}:hedger`,
        books: `${base}:books`,
      };
    },
    intents(venue) {
      checkName('venue', venue);
      const tag = `{${venue}:@intents}`;
      const base = `${prefix}:${tag}:${v}`;
      return {
        tag,
        requests: `${base}:requests`,
        cursor: `${base}:cursor`,
        taken: (intentId) => `${base}:taken:${intentId}`,
        replies: (screenId) => `${base}:replies:${screenId}`,
      };
    },
    venues: `${prefix}:${v}:venues`,
    everything: `${prefix}:*`,
  };
}

/** The hash tag of a key (what Redis Cluster hashes), or the whole key when it has none. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
