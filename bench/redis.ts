// The Redis benchmarks, against a redis-server of their own on loopback:
// - publish: updates/s through the Publisher `serve` runs, against the seeds' ways (a plain
//   HSET per message without pipelining; one EVAL per message);
// - latency: a ticker applied in serve's engine → the attached screen's engine (BusFeed), at
//   5,000 updates/s, against a bare PUBLISH/SUBSCRIBE of the same JSON (the floor of a bus);
// - late join: a BusFeed's full snapshot of 2,000 options and its first live update, against
//   the seed's way (HGETALL of each instrument's hash, one by one);
// - memory: used_memory of the live state of 2,000 options (against the seed's plain hashes),
//   of 24 h of minute history (against one JSON string per minute per instrument in a plain
//   key), and serve's RSS while Redis is stalled (in a child of its own).

import { spawnSync } from 'node:child_process';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { FeedEvent, TickerEvent } from '../src/book/events.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { ReadModel } from '../src/app/read-model.js';
import { publisherSource } from '../src/app/serve-session.js';
import { BusFeed } from '../src/store/bus-feed.js';
import { readEntry } from '../src/store/bus-snapshot.js';
import { parseRedisUrl } from '../src/store/connect.js';
import {
  HISTORY_FIELDS,
  MINUTE_MS,
  writeHistoryMinute,
  type HistoryRow,
} from '../src/store/history.js';
import { keySchema } from '../src/store/keys.js';
import { Publisher } from '../src/store/publisher.js';
import { startRedis, type RedisServer } from '../test/support/redis.js';
import { latencyRows, mulberry32, type Row } from './common.js';
import { measurePublish, publisherRun, publishInputs } from './redis-publish.js';
import type { StallReport } from './redis-stall-child.js';
import { BenchMarket, OPTION_COUNT, UpdatePump, VENUE } from './render-market.js';
import { median } from './timing.js';

export interface RedisBenchConfig {
  /** Tickers fed to the Publisher per repetition, and written by each peer. */
  readonly publishUpdates: number;
  readonly peerUpdates: number;
  readonly reps: number;
  /** Seconds of measured latency per contender, at `rate` updates/s. */
  readonly latencySeconds: number;
  readonly rate: number;
  readonly joinReps: number;
  /** Instruments whose 24 h of minutes are written (scaled to 2,000 in the row). */
  readonly historyInstruments: number;
  /** Seconds Redis is stalled (SIGSTOP) under a publishing serve. */
  readonly stallSeconds: number;
}

const PREFIX = 'ivt';
const COIN = 'BTC';
const MINUTES_PER_DAY = 1_440;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function waitFor(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`redis bench: ${what} did not happen in ${ms} ms`);
    await sleep(1);
  }
}

/** Serve's side: the bench market's engine with the Publisher on it, pumped in wall time. */
interface Serve {
  readonly market: BenchMarket;
  readonly publisher: Publisher;
  pump(rate: number): void;
  halt(): void;
}

async function startServe(client: Redis, seed: number): Promise<Serve> {
  const now = Date.now();
  const market = new BenchMarket(seed, now);
  const publisher = new Publisher({
    client,
    keys: keySchema(PREFIX),
    source: publisherSource(market.engine, VENUE),
    meta: { currencies: COIN, mode: 'SIM' },
  });
  market.open(now);
  await publisher.start();
  await waitFor(() => publisher.stats().pendingMarket === 0, 30_000, 'the first snapshot');
  let timer: NodeJS.Timeout | null = null;
  return {
    market,
    publisher,
    pump(rate) {
      const pump = new UpdatePump(market, rate, performance.now());
      timer = setInterval(() => pump.catchUp(performance.now()), 1);
    },
    halt() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

/** The collector's pauses in this process over a stretch: scavenges, and the rest. */
interface GcPauses {
  readonly minor: number[];
  readonly other: number[];
}

/**
 * Runs `run` with the collector's pauses recorded: a sample in flight across a pause waits
 * it out, so they say how much of a latency's tail is this process's own collector.
 */
async function withGcPauses<T>(run: () => Promise<T>): Promise<{ result: T; gc: GcPauses }> {
  const gc: GcPauses = { minor: [], other: [] };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      (kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.other).push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    return { result: await run(), gc };
  } finally {
    observer.disconnect();
  }
}

const pausesText = (pauses: readonly number[]): string =>
  pauses.length === 0
    ? 'none'
    : `${pauses.length} (${pauses.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest ` +
      `${Math.max(...pauses).toFixed(1)} ms)`;

const tickKey = (event: TickerEvent): string => `${event.instrument}@${event.ts}`;

/**
 * Milliseconds from a ticker applied in serve's engine to the same ticker applied in the
 * attached screen's engine; a ticker superseded before it was sent is not counted (the screen
 * never sees it: it sees the newer one, timed from its own apply).
 */
async function busLatency(url: string, serve: Serve, cfg: RedisBenchConfig): Promise<number[]> {
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let measuring = false;
  const offServe = serve.market.engine.onEvent((event) => {
    if (event.kind === 'ticker') sent.set(tickKey(event), performance.now());
  });
  const feed = new BusFeed({ target: parseRedisUrl(url), venue: VENUE, prefix: PREFIX });
  const screen = new MarketEngine([feed]);
  const model = new ReadModel(screen, {
    venue: VENUE,
    mode: 'SIM',
    currencies: [COIN],
    logPath: null,
  });
  screen.onEvent((event) => {
    if (event.kind !== 'ticker') return;
    const at = sent.get(tickKey(event));
    if (at === undefined) return;
    sent.delete(tickKey(event));
    if (measuring) samples.push(performance.now() - at);
  });
  await screen.start();
  serve.pump(cfg.rate);
  await sleep(500);
  measuring = true;
  await sleep(cfg.latencySeconds * 1_000);
  measuring = false;
  serve.halt();
  offServe();
  await screen.stop();
  void model;
  return samples;
}

/** The same tickers' JSON over a bare PUBLISH per update and a SUBSCRIBE, parsed on arrival. */
async function pubSubLatency(url: string, serve: Serve, cfg: RedisBenchConfig): Promise<number[]> {
  const channel = 'bench:tickers';
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let measuring = false;
  const publisher = new Redis(url);
  const subscriber = new Redis(url);
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel: string, message: string) => {
    const event = JSON.parse(message) as FeedEvent;
    if (event.kind !== 'ticker') return;
    const at = sent.get(tickKey(event));
    if (at === undefined) return;
    sent.delete(tickKey(event));
    if (measuring) samples.push(performance.now() - at);
  });
  const off = serve.market.engine.onEvent((event) => {
    if (event.kind !== 'ticker') return;
    sent.set(tickKey(event), performance.now());
    void publisher.publish(channel, JSON.stringify(event));
  });
  serve.pump(cfg.rate);
  await sleep(500);
  measuring = true;
  await sleep(cfg.latencySeconds * 1_000);
  measuring = false;
  serve.halt();
  off();
  await sleep(50);
  subscriber.disconnect();
  publisher.disconnect();
  return samples;
}

/**
 * Milliseconds from a screen's start to every instrument's ticker (the options and the
 * perpetual) and then one live update.
 */
async function lateJoin(url: string, instruments: number): Promise<number> {
  const t0 = performance.now();
  const feed = new BusFeed({ target: parseRedisUrl(url), venue: VENUE, prefix: PREFIX });
  const screen = new MarketEngine([feed]);
  const seen = new Set<string>();
  let done = 0;
  screen.onEvent((event) => {
    if (event.kind !== 'ticker' || done > 0) return;
    // Every instrument known: the snapshot is in; the next ticker came from the live tail.
    if (seen.size >= instruments) done = performance.now();
    else seen.add(event.instrument);
  });
  await screen.start();
  await waitFor(() => done > 0, 10_000, 'a late join');
  await screen.stop();
  return done - t0;
}

/** The seed's late join: HGETALL of every instrument's hash, one round trip each. */
async function hgetallJoin(client: Redis, names: readonly string[]): Promise<number> {
  const coin = keySchema(PREFIX).coin(VENUE, COIN);
  const t0 = performance.now();
  for (const name of names) await client.hgetall(coin.quote(name));
  return performance.now() - t0;
}

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

function stallInChild(seconds: number): StallReport {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('./redis-stall-child.js', import.meta.url)), String(seconds)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  if (child.status !== 0) throw new Error(`redis-stall-child exited ${child.status}`);
  return JSON.parse(child.stdout) as StallReport;
}

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
    await client.flushall();
    const serve = await startServe(client, 41);
    const url = server.url;
    const { result: bus, gc } = await withGcPauses(() => busLatency(url, serve, cfg));
    const floor = await pubSubLatency(url, serve, cfg);
    serve.pump(cfg.rate);
    const joins: number[] = [];
    const seedJoins: number[] = [];
    const names = serve.market.specs.map((spec) => spec.name);
    for (let rep = 0; rep < cfg.joinReps + 1; rep += 1) {
      const ours = await lateJoin(server.url, names.length + 1);
      const seed = await hgetallJoin(client, names);
      if (rep === 0) continue;
      joins.push(ours);
      seedJoins.push(seed);
    }
    serve.halt();
    const serveStats = serve.publisher.stats();
    await serve.publisher.stop();
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
      `redis: latency in one process (serve's engine + Publisher and the screen's BusFeed + ` +
        `engine + read model), ${bus.length} and ${floor.length} samples; serve published ` +
        `${serveStats.written.toLocaleString('en-US')} updates in ${serveStats.flushes} flushes; ` +
        `its collector's pauses meanwhile: scavenges ${pausesText(gc.minor)}, others ` +
        `${pausesText(gc.other)}.`,
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
