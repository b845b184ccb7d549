// Publish throughput into a local redis-server: normalized option tickers written the way
// `serve` writes them (the atomic store script: snapshot field, quote hash with ivtrade's IVs
// and greeks, sequence and stream entry, older updates dropped; batched and pipelined), against
// the two ways the tools this project grew from wrote them, in the same run on the same server:
// - a plain HSET of the top per message, one round trip each (the ticker-hash tracker);
// - one EVAL per message of a script that drops a stale top, publishes it and appends it to a
//   stream (the Lua top publisher; a stream stands in for its RedisTimeSeries append).

import type { Redis } from 'ioredis';
import type { TickerEvent } from '../src/book/events.js';
import type { InstrumentSpec } from '../src/instruments/types.js';
import { keySchema, type KeySchema } from '../src/store/keys.js';
import { writeMarket } from '../src/store/store-writer.js';
import { BenchMarket, VENUE } from './render-market.js';
import { median } from './timing.js';

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
    tickers: tickers.slice(0, count),
    specOf: (instrument) => registry.get(instrument),
  };
}

const SEED_SCRIPT = `
local last = redis.call('HGET', KEYS[1], 'ts')
if last and tonumber(last) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'bid', ARGV[2], 'ask', ARGV[3], 'bid_size', ARGV[4], 'ask_size', ARGV[5])
redis.call('PUBLISH', KEYS[2], ARGV[6])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 100000, '*', 'v', ARGV[6])
return 1`;

const text = (value: number | null): string => (value === null ? '' : String(value));

async function ivtradeRun(
  client: Redis,
  keys: KeySchema,
  inputs: PublishInputs,
  batch: number,
): Promise<number> {
  const coin = keys.coin(VENUE, 'BTC');
  const t0 = process.hrtime.bigint();
  for (let at = 0; at < inputs.tickers.length; at += batch) {
    await writeMarket(client, coin, VENUE, 'BTC', inputs.tickers.slice(at, at + batch), {
      specOf: inputs.specOf,
    });
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
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
  /** Updates/s: ivtrade, plain HSET per message, EVAL per message. */
  readonly ivtrade: number;
  readonly hset: number;
  readonly evalPerMessage: number;
  readonly updates: number;
  readonly peerUpdates: number;
}

/**
 * Median updates/s of each over `reps` alternating repetitions, each on fresh keys. The peers
 * write `peerUpdates` (they are two orders of magnitude slower, so fewer keep the run short).
 */
export async function measurePublish(
  client: Redis,
  updates: number,
  peerUpdates: number,
  reps: number,
): Promise<PublishFigures> {
  const inputs = publishInputs(updates);
  const peerTickers = inputs.tickers.slice(0, peerUpdates);
  const times = { ivtrade: [] as number[], hset: [] as number[], evalPerMessage: [] as number[] };
  for (let rep = 0; rep < reps + 1; rep += 1) {
    await client.flushall();
    const keys = keySchema(`bench${rep}`);
    // The listing first, as serve publishes it before any ticker.
    await writeMarket(
      client,
      keys.coin(VENUE, 'BTC'),
      VENUE,
      'BTC',
      inputs.specs
        .filter((spec) => spec.base === 'BTC')
        .map((spec) => ({ kind: 'instrument-added', venue: VENUE, ts: 0, spec })),
      { specOf: inputs.specOf },
    );
    const ours = await ivtradeRun(client, keys, inputs, 4_096);
    const hset = await hsetRun(client, `seedA${rep}`, peerTickers);
    const evals = await evalRun(client, `seedB${rep}`, peerTickers);
    // The first pass warms V8 and the server's script cache; it is not counted.
    if (rep === 0) continue;
    times.ivtrade.push(ours);
    times.hset.push(hset);
    times.evalPerMessage.push(evals);
  }
  return {
    ivtrade: updates / median(times.ivtrade),
    hset: peerUpdates / median(times.hset),
    evalPerMessage: peerUpdates / median(times.evalPerMessage),
    updates,
    peerUpdates,
  };
}
