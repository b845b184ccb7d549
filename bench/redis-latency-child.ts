// The Redis bench's serve → screen latency and late join, in a process of their own. What the
// other benches leave on the heap (a full run's earlier rows, the publish runs' 200,000 tickers,
// the history rows) made scavenges here 1.5–2.5 times longer, and a real serve or screen carries
// none of it. Given the Redis URL and a LatencyConfig as JSON, it prints a LatencyReport as
// JSON. It flushes the server first and writes under a prefix of its own.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { FeedEvent, TickerEvent } from '../src/book/events.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { ReadModel } from '../src/app/read-model.js';
import { publisherSource } from '../src/app/serve-session.js';
import { BusFeed } from '../src/store/bus-feed.js';
import { parseRedisUrl } from '../src/store/connect.js';
import { keySchema } from '../src/store/keys.js';
import { Publisher } from '../src/store/publisher.js';
import { BenchMarket, UpdatePump, VENUE } from './render-market.js';

export interface LatencyConfig {
  /** Seconds of measured latency per contender, at `rate` updates/s. */
  readonly latencySeconds: number;
  readonly rate: number;
  readonly joinReps: number;
}

export interface LatencyReport {
  /** Milliseconds per ticker: ivtrade's bus, and the bare PUBLISH/SUBSCRIBE floor. */
  readonly bus: number[];
  readonly floor: number[];
  /** Milliseconds per late join: ivtrade's screen, and the seed's HGETALL per instrument. */
  readonly joins: number[];
  readonly seedJoins: number[];
  /** This process's collector pauses during the bus's latency run. */
  readonly gc: GcPauses;
  /** What serve's Publisher did over the whole run. */
  readonly written: number;
  readonly flushes: number;
}

const PREFIX = 'ivt-latency';
const COIN = 'BTC';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
export interface GcPauses {
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

const tickKey = (event: TickerEvent): string => `${event.instrument}@${event.ts}`;

/**
 * Milliseconds from a ticker applied in serve's engine to the same ticker applied in the
 * attached screen's engine; a ticker superseded before it was sent is not counted (the screen
 * never sees it: it sees the newer one, timed from its own apply).
 */
async function busLatency(url: string, serve: Serve, cfg: LatencyConfig): Promise<number[]> {
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
async function pubSubLatency(url: string, serve: Serve, cfg: LatencyConfig): Promise<number[]> {
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

async function main(): Promise<void> {
  const url = process.argv[2]!;
  const cfg = JSON.parse(process.argv[3]!) as LatencyConfig;
  const client = new Redis(url);
  try {
    await client.flushall();
    const serve = await startServe(client, 41);
    const { result: bus, gc } = await withGcPauses(() => busLatency(url, serve, cfg));
    const floor = await pubSubLatency(url, serve, cfg);
    serve.pump(cfg.rate);
    const joins: number[] = [];
    const seedJoins: number[] = [];
    const names = serve.market.specs.map((spec) => spec.name);
    for (let rep = 0; rep < cfg.joinReps + 1; rep += 1) {
      const ours = await lateJoin(url, names.length + 1);
      const seed = await hgetallJoin(client, names);
      // The first pass warms up; it is not counted.
      if (rep === 0) continue;
      joins.push(ours);
      seedJoins.push(seed);
    }
    serve.halt();
    const stats = serve.publisher.stats();
    await serve.publisher.stop();
    const report: LatencyReport = {
      bus,
      floor,
      joins,
      seedJoins,
      gc,
      written: stats.written,
      flushes: stats.flushes,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    client.disconnect();
  }
}

await main();
