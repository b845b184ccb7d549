// Publish throughput into a local redis-server: normalized option tickers written by the
// Publisher `serve` runs (coalescing per field, its flush loop, the atomic store script:
// snapshot field, quote hash with ivtrade's IVs and greeks, sequence and stream entry, older
// updates dropped; batched, each call sent while the next is encoded), against
// the two ways the tools this project grew from wrote them, in the same run on the same server:
// - a plain HSET of the top per message, one round trip each (the ticker-hash tracker);
// - one EVAL per message of a script that drops a stale top, publishes it and appends it to a
//   stream (the Lua top publisher; a stream stands in for its RedisTimeSeries append).

import type { Redis } from 'ioredis';
import type { TickerEvent } from '../src/book/events.js';
import type { InstrumentSpec } from '../src/instruments/types.js';
import { keySchema } from '../src/store/keys.js';
import { Publisher, type PublisherStats } from '../src/store/publisher.js';
import { handSource } from '../test/store/support/hand-source.js';
import { BenchMarket, VENUE } from './render-market.js';
import { median } from './timing.js';
import { waitFor } from './wait.js';

export interface PublishInputs {
  readonly specs: readonly InstrumentSpec[];
  readonly tickers: readonly TickerEvent[];
  readonly specOf: (instrument: string) => InstrumentSpec | undefined;
}

/** `count` option tickers over the 2,000-option bench listing, time moving forward. */
export function publishInputs(count: number, seed = 17): PublishInputs {
  const start = Date.now();
  const market = new BenchMarket(seed, start);
  market.open(start);
  const tickers: TickerEvent[] = [];
  market.engine.onEvent((event) => {
    if (
      event.kind === 'ticker' &&
      event.instrument.endsWith('-C') !== event.instrument.endsWith('-P')
    )
      tickers.push(event);
  });
  for (let ms = 1; tickers.length < count; ms += 1) market.update(500, start + ms);
  const registry = market.engine.market.registry(VENUE);
  return {
    specs: [...registry.all()],
    tickers: inRounds(tickers.slice(0, count)),
    specOf: (instrument) => registry.get(instrument),
  };
}

/**
 * Reordered so each instrument comes at most once per round (its own tickers stay in order):
 * a chain's tickers as a busy venue sends them, every option moving, so that the publisher's
 * pending map holds distinct instruments and what it writes is what it was given.
 */
function inRounds(tickers: readonly TickerEvent[]): TickerEvent[] {
  const rounds: TickerEvent[][] = [];
  const seen = new Map<string, number>();
  for (const ticker of tickers) {
    const round = seen.get(ticker.instrument) ?? 0;
    seen.set(ticker.instrument, round + 1);
    (rounds[round] ??= []).push(ticker);
  }
  return rounds.flat();
}

const SEED_SCRIPT = `
local last = redis.call('HGET', KEYS[1], 'ts')
if last and tonumber(last) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'bid', ARGV[2], 'ask', ARGV[3], 'bid_size', ARGV[4], 'ask_size', ARGV[5])
redis.call('PUBLISH', KEYS[2], ARGV[6])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 100000, '*', 'v', ARGV[6])
return 1`;

const text = (value: number | null): string => (value === null ? '' : String(value));

/**
 * Updates the feeder keeps pending: a flush in flight always has the next batch waiting, and
 * (fewer than the chain's instruments, fed in rounds) none of them supersedes another.
 */
const PENDING_CAP = 1_024;

const settled = (stats: PublisherStats): number =>
  stats.written + stats.coalesced + stats.staleDropped + stats.marketFailed;

export interface PublisherRun {
  readonly seconds: number;
  /** CPU per update written, in µs: this process's, and redis-server's (its INFO cpu). */
  readonly processMicros: number;
  readonly redisMicros: number;
  /** Updates written to Redis (each with its stream entry and quote hash). */
  readonly written: number;
  /** Updates superseded in the pending map by a newer one of the same instrument. */
  readonly coalesced: number;
}

/**
 * The Publisher as serve runs it, fed the tickers as fast as it takes them: the feeder keeps
 * PENDING_CAP updates pending, so every flush finds a full batch (Redis slower than the
 * feed). Timed from the first ticker to the last one settled (written or superseded).
 */
export async function publisherRun(
  client: Redis,
  prefix: string,
  inputs: PublishInputs,
): Promise<PublisherRun> {
  const { source, push: take } = handSource(VENUE, inputs.specs, inputs.specOf, () => 0);
  const publisher = new Publisher({
    client,
    keys: keySchema(prefix),
    source,
    meta: { currencies: 'BTC', mode: 'SIM' },
  });
  // The listing first, as serve publishes it at start before any ticker.
  await publisher.start();
  const listed = inputs.specs.length + 1;
  await waitFor(
    () => publisher.stats().written >= listed && publisher.stats().pendingMarket === 0,
    120_000,
    'the listing written',
  );
  const start = publisher.stats();
  const tickers = inputs.tickers;
  const redisCpu0 = await redisCpuSeconds(client);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  while (next < tickers.length) {
    const room = PENDING_CAP - publisher.stats().pendingMarket;
    for (let n = 0; n < room && next < tickers.length; n += 1) take(tickers[next++]!);
    await new Promise((resolve) => (room > 0 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
  await waitFor(
    () => settled(publisher.stats()) - settled(start) >= tickers.length,
    120_000,
    'the publisher drained',
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const redisCpu = (await redisCpuSeconds(client)) - redisCpu0;
  const end = publisher.stats();
  await publisher.stop();
  const written = end.written - start.written;
  return {
    seconds,
    processMicros: (cpu.user + cpu.system) / written,
    redisMicros: (redisCpu * 1e6) / written,
    written,
    coalesced: end.coalesced - start.coalesced,
  };
}

/** redis-server's own CPU time so far (user + system), from INFO cpu. */
async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function hsetRun(
  client: Redis,
  prefix: string,
  tickers: readonly TickerEvent[],
): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (const t of tickers) {
    await client.hset(`${prefix}:${t.instrument}`, {
      bid: text(t.bid),
      ask: text(t.ask),
      bid_size: text(t.bidSize),
      ask_size: text(t.askSize),
      mark: text(t.mark),
      ts: String(t.ts),
    });
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function evalRun(
  client: Redis,
  prefix: string,
  tickers: readonly TickerEvent[],
): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (const t of tickers) {
    const top = JSON.stringify({ i: t.instrument, b: t.bid, a: t.ask, ts: t.ts });
    await client.eval(
      SEED_SCRIPT,
      3,
      `${prefix}:{${t.instrument}}:top`,
      `${prefix}:{${t.instrument}}:chan`,
      `${prefix}:{${t.instrument}}:ts`,
      t.ts,
      text(t.bid),
      text(t.ask),
      text(t.bidSize),
      text(t.askSize),
      top,
    );
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export interface PublishFigures {
  /** Updates/s: ivtrade's Publisher, plain HSET per message, EVAL per message. */
  readonly ivtrade: number;
  readonly hset: number;
  readonly evalPerMessage: number;
  /** Tickers fed to the Publisher per repetition, and the share it superseded. */
  readonly updates: number;
  readonly coalescedShare: number;
  /** CPU per update written (medians, µs): this process, and redis-server. */
  readonly processMicros: number;
  readonly redisMicros: number;
  readonly peerUpdates: number;
}

/**
 * Median updates/s of each over `reps` alternating repetitions, each on fresh keys. The peers
 * write `peerUpdates` (a round trip each, so fewer keep the run short).
 */
export async function measurePublish(
  client: Redis,
  updates: number,
  peerUpdates: number,
  reps: number,
): Promise<PublishFigures> {
  const inputs = publishInputs(updates);
  const peerTickers = inputs.tickers.slice(0, peerUpdates);
  const rates = { ivtrade: [] as number[], hset: [] as number[], evalPerMessage: [] as number[] };
  const coalesced: number[] = [];
  const processMicros: number[] = [];
  const redisMicros: number[] = [];
  for (let rep = 0; rep < reps + 1; rep += 1) {
    await client.flushall();
    const ours = await publisherRun(client, `bench${rep}`, inputs);
    const hset = await hsetRun(client, `seedA${rep}`, peerTickers);
    const evals = await evalRun(client, `seedB${rep}`, peerTickers);
    // The first pass warms V8 and the server's script cache; it is not counted.
    if (rep === 0) continue;
    rates.ivtrade.push(ours.written / ours.seconds);
    coalesced.push(ours.coalesced / updates);
    processMicros.push(ours.processMicros);
    redisMicros.push(ours.redisMicros);
    rates.hset.push(peerUpdates / hset);
    rates.evalPerMessage.push(peerUpdates / evals);
  }
  return {
    ivtrade: median(rates.ivtrade),
    hset: median(rates.hset),
    evalPerMessage: median(rates.evalPerMessage),
    updates,
    coalescedShare: median(coalesced),
    processMicros: median(processMicros),
    redisMicros: median(redisMicros),
    peerUpdates,
  };
}
