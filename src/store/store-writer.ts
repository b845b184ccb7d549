/**
 * A typed door to the store scripts: a coin's market events or a venue's account and status
 * events in, script calls out (pipelined when a batch is split). Nothing is retried here: the
 * publisher decides what a failed write means.
 */
import type { MarketEvent } from '../book/events.js';
import type { InstrumentSpec } from '../instruments/types.js';
import {
  coinOfMarketEvent,
  marketWrite,
  venueWrite,
  type MarketWrite,
  type VenueEvent,
  type VenueWrite,
} from './codec.js';
import type { RedisClient } from './connect.js';
import { scanFields } from './hash-scan.js';
import { callArguments, MarketCallEncoder, sendMarketCall } from './market-call.js';
import { DEFAULT_STREAM_MAXLEN, type CoinKeys, type VenueKeys } from './keys.js';
import { countOf, scriptPipeline, type WriteCount } from './scripts.js';

/** Updates per script call: keeps one call short, so other clients are not held up by it. */
export const UPDATES_PER_CALL = 256;

export { DEFAULT_STREAM_MAXLEN };

export interface WriteOptions {
  /** The updates stream's MAXLEN ~ (default DEFAULT_STREAM_MAXLEN). */
  readonly maxlen?: number;
  /** Specs of listed instruments, for an option ticker's IVs and greeks. */
  readonly specOf?: (instrument: string) => InstrumentSpec | undefined;
}

const noSpec = (): undefined => undefined;

/** The coins' encoders, by snapshot key (an encoder keeps its buffers between calls). */
const encoders = new Map<string, MarketCallEncoder>();
/** Encoders kept; past this the cache starts again. */
const ENCODERS_KEPT = 1_000;

function encoderFor(keys: CoinKeys): MarketCallEncoder {
  let encoder = encoders.get(keys.snapshot);
  if (encoder === undefined) {
    if (encoders.size >= ENCODERS_KEPT) encoders.clear();
    encoder = new MarketCallEncoder(keys);
    encoders.set(keys.snapshot, encoder);
  }
  return encoder;
}

/**
 * The script arguments of one call: keys (snapshot, stream, removals, then the quote hashes),
 * then ARGV (maxlen, the updates' rows as one binary argument, then each update's event JSON),
 * read back from the bytes the publisher sends (market-call.ts): for driving the script by
 * hand.
 */
export function marketCallArgs(
  keys: CoinKeys,
  writes: readonly MarketWrite[],
  maxlen: number,
): { keys: string[]; args: (string | Buffer)[] } {
  const encoder = new MarketCallEncoder(keys);
  encoder.begin(maxlen);
  for (const write of writes) encoder.addWrite(write);
  return callArguments(encoder.finish());
}

export function venueCallArgs(
  keys: VenueKeys,
  writes: readonly VenueWrite[],
  maxlen: number,
): { keys: string[]; args: (string | number)[] } {
  const args: (string | number)[] = [maxlen];
  for (const write of writes) {
    switch (write.op) {
      case 'set':
      case 'delete':
        args.push(write.op === 'set' ? 'S' : 'D', write.field, write.ts, write.json, 0);
        break;
      case 'stream':
        args.push('E', '', write.ts, write.json, 0);
        break;
      case 'account':
        args.push('A', '', write.ts, write.json, write.items.length);
        for (const item of write.items) args.push(item.field, item.ts, item.json);
        break;
    }
  }
  return { keys: [keys.state, keys.updates], args };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/**
 * A batch failed part way: the first `done` events were written (their calls answered), the
 * rest are not known to be. A call whose answer was lost with the connection may have run:
 * the caller that sends the rest again may write those twice (the clock check makes a state
 * written twice the same state; a fill's second stream entry has the same tradeId).
 */
export class PartialWriteError extends Error {
  constructor(
    readonly done: number,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'PartialWriteError';
  }
}

async function execCounts(
  pipeline: ReturnType<typeof scriptPipeline>,
  sizes: readonly number[],
): Promise<WriteCount> {
  const total: WriteCount = { written: 0, dropped: 0 };
  if (sizes.length === 0) return total;
  let results: [Error | null, unknown][];
  try {
    results = (await pipeline.exec()) ?? [];
  } catch (error) {
    throw new PartialWriteError(0, error);
  }
  let done = 0;
  for (const [index, [error, reply]] of results.entries()) {
    if (error !== null) throw new PartialWriteError(done, error);
    const count = countOf(reply);
    total.written += count.written;
    total.dropped += count.dropped;
    done += sizes[index] ?? 0;
  }
  return total;
}

/**
 * The counts of calls sent one by one on one connection (so run in the order sent), as
 * `execCounts` gives them for a pipeline: a failed call makes the answer a PartialWriteError
 * counting the updates of the calls before it.
 */
async function settleCounts(
  calls: readonly Promise<unknown>[],
  sizes: readonly number[],
): Promise<WriteCount> {
  const results = await Promise.allSettled(calls);
  const total: WriteCount = { written: 0, dropped: 0 };
  let done = 0;
  for (const [index, result] of results.entries()) {
    if (result.status === 'rejected') throw new PartialWriteError(done, result.reason);
    const count = countOf(result.value);
    total.written += count.written;
    total.dropped += count.dropped;
    done += sizes[index] ?? 0;
  }
  return total;
}

/**
 * Writes one coin's market events in order (its instruments' specs, tickers, books of
 * followed instruments, index, listings, trades). Book deltas are not carried: pass
 * book-snapshot events of the top levels instead. Every key is in the coin's slot.
 */
export async function writeMarket(
  client: RedisClient,
  keys: CoinKeys,
  venue: string,
  coin: string,
  events: readonly MarketEvent[],
  options: WriteOptions = {},
): Promise<WriteCount> {
  const specOf = options.specOf ?? noSpec;
  const maxlen = options.maxlen ?? DEFAULT_STREAM_MAXLEN;
  const encoder = encoderFor(keys);
  const calls: Promise<unknown>[] = [];
  const sizes: number[] = [];
  const send = (): void => {
    const call = encoder.finish();
    // Sent as soon as it is encoded: Redis runs this call while the next one is encoded.
    calls.push(sendMarketCall(client, call));
    sizes.push(call.updates);
    encoder.begin(maxlen);
  };
  // Checked whole before anything is sent: a wrong batch writes nothing.
  for (const event of events) {
    if (event.venue !== venue) throw new Error(`a ${event.venue} event in ${venue}'s batch`);
    const eventCoin = coinOfMarketEvent(event, specOf);
    if (eventCoin !== undefined && eventCoin !== coin) {
      throw new Error(`a ${eventCoin} event in ${coin}'s batch`);
    }
  }
  encoder.begin(maxlen);
  for (const event of events) {
    if (event.kind === 'ticker') encoder.addTicker(event, specOf(event.instrument));
    else {
      const write = marketWrite(event, specOf);
      if (write === null) continue;
      encoder.addWrite(write);
    }
    if (encoder.updates === UPDATES_PER_CALL) send();
  }
  if (encoder.updates > 0) send();
  return settleCounts(calls, sizes);
}

/** Writes a venue's account and status events in order; every key is in the venue's slot. */
export async function writeVenue(
  client: RedisClient,
  keys: VenueKeys,
  venue: string,
  events: readonly VenueEvent[],
  options: Pick<WriteOptions, 'maxlen'> = {},
): Promise<WriteCount> {
  const writes = events.map((event) => {
    if (event.venue !== venue) throw new Error(`a ${event.venue} event in ${venue}'s batch`);
    return venueWrite(event);
  });
  const pipeline = scriptPipeline(client);
  const batches = chunks(writes, UPDATES_PER_CALL);
  for (const batch of batches) {
    const call = venueCallArgs(keys, batch, options.maxlen ?? DEFAULT_STREAM_MAXLEN);
    pipeline.ivtWriteVenue(call.keys.length, ...call.keys, ...call.args);
  }
  return execCounts(
    pipeline,
    batches.map((batch) => batch.length),
  );
}

const REMOVAL_MARK = '~ts:i:';

/**
 * Puts into the coin's `removals` set every removal mark its snapshot holds (a negative
 * `~ts:i:` field), so the market script prunes marks written before removals were indexed as
 * it prunes the rest. Idempotent (ZADD NX), read in HSCAN pages; resolves to the marks added.
 * A mark pruned or a listing renewed meanwhile leaves an entry the next prune drops.
 */
export async function indexRemovalMarks(client: RedisClient, keys: CoinKeys): Promise<number> {
  let added = 0;
  await scanFields(client, keys.snapshot, REMOVAL_MARK, async (page) => {
    const members: string[] = [];
    for (const [field, value] of page) {
      const ts = Number(value);
      if (ts < 0) members.push(String(-ts), field.slice(REMOVAL_MARK.length));
    }
    if (members.length > 0) added += await client.zadd(keys.removals, 'NX', ...members);
  });
  return added;
}
