// The Redis benchmarks, against a redis-server of their own on loopback:
// - publish: updates/s through the Publisher `serve` runs, against the seeds' ways (a plain
//   HSET per message without pipelining; one EVAL per message);
// - latency: a ticker applied in serve's engine → the attached screen's engine (BusFeed), at
//   5,000 updates/s, against a bare PUBLISH/SUBSCRIBE of the same JSON (the floor of a bus);
// - late join: a BusFeed's full snapshot of 2,000 options and its first live update, against
//   the seed's way (HGETALL of each instrument's hash, one by one); these two in a child of
//   their own (redis-latency-child.ts);
// - memory: used_memory of the live state of 2,000 options (against the seed's plain hashes),
//   of 24 h of minute history (against one JSON string per minute per instrument in a plain
//   key), and serve's RSS while Redis is stalled (in a child of its own).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { TickerEvent } from '../src/book/events.js';
import { readEntry } from '../src/store/bus-snapshot.js';
import {
  HISTORY_FIELDS,
  MINUTE_MS,
  writeHistoryMinute,
  type HistoryRow,
} from '../src/store/history.js';
import { keySchema } from '../src/store/keys.js';
import { startRedis, type RedisServer } from '../test/support/redis.js';
import { latencyRows, mulberry32, type Row } from './common.js';
import { measurePublish, publisherRun, publishInputs } from './redis-publish.js';
import type { LatencyConfig, LatencyReport } from './redis-latency-child.js';
import type { StallReport } from './redis-stall-child.js';
import { OPTION_COUNT, VENUE } from './render-market.js';
import { median } from './timing.js';

/** The latency child's settings (LatencyConfig), and the other rows'. */
export interface RedisBenchConfig extends LatencyConfig {
  /** Tickers fed to the Publisher per repetition, and written by each peer. */
  readonly publishUpdates: number;
  readonly peerUpdates: number;
  readonly reps: number;
  /** Instruments whose 24 h of minutes are written (scaled to 2,000 in the row). */
  readonly historyInstruments: number;
  /** Seconds Redis is stalled (SIGSTOP) under a publishing serve. */
  readonly stallSeconds: number;
}

const PREFIX = 'ivt';
const COIN = 'BTC';
const MINUTES_PER_DAY = 1_440;

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

const pausesText = (pauses: readonly number[]): string =>
  pauses.length === 0
    ? 'none'
    : `${pauses.length} (${pauses.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest ` +
      `${Math.max(...pauses).toFixed(1)} ms)`;

const text = (value: number | null): string => (value === null ? '' : String(value));

/** used_memory of the seed's plain hash per instrument (its top), one per option. */
async function seedHashesMemory(client: Redis, tickers: readonly TickerEvent[]): Promise<number> {
  await client.flushall();
  const before = await usedMemory(client);
  const pipeline = client.pipeline();
  for (const t of tickers) {
    pipeline.hset(`seed:${t.instrument}`, {
      bid: text(t.bid),
      ask: text(t.ask),
      bid_size: text(t.bidSize),
      ask_size: text(t.askSize),
      mark: text(t.mark),
      ts: String(t.ts),
    });
  }
  await pipeline.exec();
  return (await usedMemory(client)) - before;
}

/** The latest ticker of each option among `tickers`. */
function latestPerOption(tickers: readonly TickerEvent[]): TickerEvent[] {
  const latest = new Map<string, TickerEvent>();
  for (const ticker of tickers) latest.set(ticker.instrument, ticker);
  return [...latest.values()];
}

interface MemoryFigures {
  /** Bytes: listing, snapshot, quote hashes and the stream of one ticker per option. */
  live: number;
  /** Bytes after the publish run: the same with the updates stream grown by every update. */
  liveFullStream: number;
  streamUpdates: number;
  seed: number;
}

const countEvents = (fields: readonly string[]): number => readEntry(fields)?.events.length ?? 0;

async function liveMemory(client: Redis, updates: number): Promise<MemoryFigures> {
  const inputs = publishInputs(updates, 29);
  const firstRound = latestPerOption(inputs.tickers.slice(0, OPTION_COUNT));
  await client.flushall();
  let before = await usedMemory(client);
  await publisherRun(client, PREFIX, { ...inputs, tickers: firstRound });
  const live = (await usedMemory(client)) - before;
  await client.flushall();
  before = await usedMemory(client);
  await publisherRun(client, PREFIX, inputs);
  const liveFullStream = (await usedMemory(client)) - before;
  // An entry carries a call's events: what MAXLEN keeps is counted in updates.
  const stream = await client.xrange(keySchema(PREFIX).coin(VENUE, COIN).updates, '-', '+');
  const streamUpdates = stream.reduce((sum, [, fields]) => sum + countEvents(fields), 0);
  const seed = await seedHashesMemory(client, latestPerOption(inputs.tickers));
  return { live, liveFullStream, streamUpdates, seed };
}

interface HistoryFigures {
  /** Bytes per instrument for 24 h of minutes. */
  ours: number;
  peer: number;
  writeSeconds: number;
}

/** 24 h of minutes for `instruments` options, ours then the JSON-per-minute peer. */
async function historyMemory(client: Redis, instruments: number): Promise<HistoryFigures> {
  const rnd = mulberry32(24);
  const names = Array.from({ length: instruments }, (_, i) => `BTC-HIST-${i}-C`);
  // Values shaped as the recorder writes them: tick prices, full-precision IVs and greeks.
  const rowOf = (name: string): HistoryRow => {
    const values = Object.fromEntries(
      HISTORY_FIELDS.map((field) => {
        const raw = rnd();
        const value =
          field === 'bid' || field === 'ask'
            ? Math.round(raw * 500) / 10_000
            : field === 'forward' || field === 'index'
              ? 90_000 + raw * 1_000
              : raw;
        return [field, value];
      }),
    ) as HistoryRow['values'];
    return { instrument: name, values };
  };
  const day0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTES_PER_DAY * MINUTE_MS;
  const coin = keySchema(PREFIX).coin(VENUE, COIN);
  const limits = { retentionMs: 30 * MINUTES_PER_DAY * MINUTE_MS, maxEntries: 50_000 };
  await client.flushall();
  let before = await usedMemory(client);
  const t0 = performance.now();
  const rows: HistoryRow[][] = [];
  for (let m = 0; m < MINUTES_PER_DAY; m += 1) {
    const minute = names.map(rowOf);
    rows.push(minute);
    await writeHistoryMinute(client, coin, day0 + m * MINUTE_MS, minute, limits);
  }
  const writeSeconds = (performance.now() - t0) / 1_000;
  const ours = ((await usedMemory(client)) - before) / instruments;
  await client.flushall();
  before = await usedMemory(client);
  for (let m = 0; m < MINUTES_PER_DAY; m += 1) {
    const pipeline = client.pipeline();
    for (const row of rows[m]!) {
      pipeline.set(
        `seed:hist:${row.instrument}:${day0 + m * MINUTE_MS}`,
        JSON.stringify(row.values),
      );
    }
    await pipeline.exec();
  }
  const peer = ((await usedMemory(client)) - before) / instruments;
  await client.flushall();
  return { ours, peer, writeSeconds };
}

/**
 * Runs one of this bench's children (`name`.js beside this file) and returns the JSON it
 * prints. Its output can be large: the latency child prints two contenders' samples, 5,000 a
 * second each, about a megabyte.
 */
function childReport<T>(name: string, args: readonly string[]): T {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(new URL(`./${name}.js`, import.meta.url)), ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
      maxBuffer: 1 << 28,
    },
  );
  if (child.status !== 0) throw new Error(`${name} exited ${child.status}`);
  return JSON.parse(child.stdout) as T;
}

const latencyInChild = (url: string, cfg: LatencyConfig): LatencyReport =>
  childReport('redis-latency-child', [url, JSON.stringify(cfg)]);

const stallInChild = (seconds: number): StallReport =>
  childReport('redis-stall-child', [String(seconds)]);

const MB = 1024 * 1024;

export async function runRedis(
  cfg: RedisBenchConfig,
  log: (s: string) => void,
): Promise<{ rows: Row[]; notes: string[] }> {
  let server: RedisServer | null = await startRedis();
  const client = new Redis(server.url);
  try {
    log('redis: publish throughput');
    const publish = await measurePublish(client, cfg.publishUpdates, cfg.peerUpdates, cfg.reps);
    log('redis: memory of the live state');
    const memory = await liveMemory(client, cfg.publishUpdates);
    log('redis: memory of 24 h of history');
    const history = await historyMemory(client, cfg.historyInstruments);

    log('redis: end-to-end latency and late join');
    const { bus, floor, joins, seedJoins, serveGc, screenGc, ...serveStats } = latencyInChild(
      server.url,
      {
        latencySeconds: cfg.latencySeconds,
        rate: cfg.rate,
        joinReps: cfg.joinReps,
      },
    );
    client.disconnect();
    await server.stop();
    server = null;

    log(`redis: serve's RSS with Redis stalled ${cfg.stallSeconds} s`);
    const stall = stallInChild(cfg.stallSeconds);

    const scale = OPTION_COUNT;
    const publishTargets = [
      { on: 'ivtrade', op: '>=', value: 100_000 },
      { on: 'ratio', op: '>=', value: 10 },
    ] as const;
    const rows: Row[] = [
      {
        bench: 'redis',
        metric: 'publish: updates/s, Publisher (atomic script)',
        better: 'higher',
        unit: 'ops/s',
        ivtrade: publish.ivtrade,
        peer: 'redis HSET per message',
        peerValue: publish.hset,
        target: publishTargets,
      },
      {
        bench: 'redis',
        metric: 'publish: updates/s, Publisher (atomic script)',
        better: 'higher',
        unit: 'ops/s',
        ivtrade: publish.ivtrade,
        peer: 'redis EVAL per message',
        peerValue: publish.evalPerMessage,
        target: publishTargets,
      },
      ...latencyRows(
        'redis',
        `serve engine → attached screen @ ${cfg.rate / 1_000}k/s`,
        { ivtrade: bus, peer: floor },
        'redis PUBLISH/SUBSCRIBE',
        ['p50', 'p99'],
        5,
      ),
      {
        bench: 'redis',
        metric: `late join: ${OPTION_COUNT} options + first live update`,
        better: 'lower',
        unit: 'ms',
        ivtrade: median(joins),
        peer: 'redis HGETALL each',
        peerValue: median(seedJoins),
        target: { on: 'ivtrade', op: '<=', value: 200 },
      },
      {
        bench: 'redis',
        metric: `used_memory: ${OPTION_COUNT} options live`,
        better: 'lower',
        unit: 'MB',
        ivtrade: memory.live / MB,
        peer: 'redis plain hashes',
        peerValue: memory.seed / MB,
      },
      {
        bench: 'redis',
        metric: `used_memory: live + ${Math.round(memory.streamUpdates / 1_000)}k updates in stream`,
        better: 'lower',
        unit: 'MB',
        ivtrade: memory.liveFullStream / MB,
        peer: 'redis plain hashes',
        peerValue: memory.seed / MB,
      },
      {
        bench: 'redis',
        metric: `used_memory: 24 h minute history, ${OPTION_COUNT} options`,
        better: 'lower',
        unit: 'MB',
        ivtrade: (history.ours * scale) / MB,
        peer: 'redis JSON key per minute',
        peerValue: (history.peer * scale) / MB,
      },
      {
        bench: 'redis',
        metric: `serve RSS, Redis stalled ${cfg.stallSeconds} s (peer: before)`,
        better: 'lower',
        unit: 'MB',
        ivtrade: stall.rssDuringMax / MB,
        peer: 'ivtrade before the stall',
        peerValue: stall.rssBefore / MB,
      },
    ];
    const notes = [
      `redis: publish is the median of ${cfg.reps} repetitions after a warm-up, ` +
        `${cfg.publishUpdates.toLocaleString('en-US')} option tickers fed to the Publisher ` +
        `(${(publish.coalescedShare * 100).toFixed(1)} % superseded before sending; the rate ` +
        `counts updates written), ${cfg.peerUpdates.toLocaleString('en-US')} per peer; ` +
        'one redis-server on loopback, shared with this process on the same cores. CPU per ' +
        `update written: this process ${publish.processMicros.toFixed(1)} µs, redis-server ` +
        `${publish.redisMicros.toFixed(1)} µs (its INFO cpu); on two cores, at most ` +
        `${(2e3 / (publish.processMicros + publish.redisMicros)).toFixed(0)}k updates/s if ` +
        'the two overlapped perfectly.',
      `redis: latency in a process of its own, serve's engine and Publisher on its main thread, ` +
        `the screen's BusFeed, engine and read model in a worker thread (a heap each); ` +
        `${bus.length} and ${floor.length} samples; serve published ` +
        `${serveStats.written.toLocaleString('en-US')} updates in ${serveStats.flushes} flushes. ` +
        `Collector pauses over the bus's run: serve's scavenges ${pausesText(serveGc.minor)}, ` +
        `others ${pausesText(serveGc.other)}; the screen's scavenges ` +
        `${pausesText(screenGc.minor)}, others ${pausesText(screenGc.other)}.`,
      `redis: history is ${cfg.historyInstruments} options × 1,440 minutes ` +
        `(${history.writeSeconds.toFixed(1)} s to write), scaled to ${OPTION_COUNT}: ` +
        `${(history.ours / 1_024).toFixed(0)} KB per option-day vs ` +
        `${(history.peer / 1_024).toFixed(0)} KB as JSON keys.`,
      `redis: stalled serve published ${stall.rate.toLocaleString('en-US')} updates/s; RSS ` +
        `${(stall.rssBefore / MB).toFixed(1)} MB before, ${(stall.rssDuringMax / MB).toFixed(1)} MB ` +
        `max during, ${(stall.rssAfter / MB).toFixed(1)} MB after; ${stall.pendingMax} updates ` +
        `pending at most; republished after: ${stall.recovered ? 'yes' : 'NO'}.`,
    ];
    return { rows, notes };
  } finally {
    if (server !== null) {
      client.disconnect();
      await server.stop();
    }
  }
}
