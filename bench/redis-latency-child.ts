// The Redis bench's serve → screen latency and late join, in a process of their own. What the
// other benches leave on the heap (a full run's earlier rows, the publish runs' 200,000 tickers,
// the history rows) made scavenges here 1.5–2.5 times longer, and a real serve or screen carries
// none of it. Serve's side runs on this process's main thread and the attached screen's in a
// worker thread (redis-latency-screen.ts): each has a heap and a collector of its own, as two
// processes would. Given the Redis URL and a LatencyConfig as JSON, it prints a LatencyReport as
// JSON. It flushes the server first and writes under a prefix of its own.

import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { publisherSource } from '../src/app/serve-session.js';
import { keySchema } from '../src/store/keys.js';
import { Publisher } from '../src/store/publisher.js';
import { Arrivals, gcPauses, latencies, type GcPauses } from './redis-latency-log.js';
import type { ScreenAnswer, ScreenCommand, ScreenSetup } from './redis-latency-screen.js';
import { BenchMarket, UpdatePump, VENUE } from './render-market.js';
import { waitFor } from './wait.js';

export type { GcPauses } from './redis-latency-log.js';

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
  /** The collector pauses during the bus's latency run: serve's thread, the screen's. */
  readonly serveGc: GcPauses;
  readonly screenGc: GcPauses;
  /** What serve's Publisher did over the whole run. */
  readonly written: number;
  readonly flushes: number;
}

const PREFIX = 'ivt-latency';
const COIN = 'BTC';
const CHANNEL = 'bench:tickers';
const WARMUP_MS = 500;

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

/** The screen thread's answer to one command. */
function ask(screen: Worker, command: ScreenCommand): Promise<ScreenAnswer> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    screen.once('error', fail);
    screen.once('message', (answer: ScreenAnswer) => {
      screen.off('error', fail);
      resolve(answer);
    });
    screen.postMessage(command);
  });
}

/**
 * Milliseconds from a ticker applied in serve's engine to the same ticker arriving on the
 * screen's side (`command`); `publish` also sends each ticker another way (the floor's). A
 * ticker superseded before it was sent is not counted: the screen never sees it, and sees the
 * newer one, timed from its own apply.
 */
async function latency(
  serve: Serve,
  screen: Worker,
  command: ScreenCommand,
  seconds: number,
  rate: number,
  publish?: (json: string) => void,
): Promise<{ samples: number[]; serveGc: GcPauses; screenGc: GcPauses }> {
  // Room for the screen's start, its warm-up and its window, and then some.
  const sent = new Arrivals(Math.ceil(rate * (seconds + WARMUP_MS / 1_000 + 10) * 1.5));
  const off = serve.market.engine.onEvent((event) => {
    if (event.kind !== 'ticker') return;
    sent.add(event.instrument, event.ts);
    publish?.(JSON.stringify(event));
  });
  // Serve's pauses over the screen's window, which starts after its warm-up.
  let stopPauses = (): GcPauses => ({ minor: [], other: [] });
  const started = setTimeout(() => (stopPauses = gcPauses()), WARMUP_MS);
  serve.pump(rate);
  const answer = await ask(screen, command);
  clearTimeout(started);
  const serveGc = stopPauses();
  serve.halt();
  off();
  if (answer.kind !== 'arrivals') throw new Error(`the screen answered ${answer.kind}`);
  return { samples: latencies(sent.log(), answer.log), serveGc, screenGc: answer.gc };
}

async function main(): Promise<void> {
  const url = process.argv[2]!;
  const cfg = JSON.parse(process.argv[3]!) as LatencyConfig;
  const client = new Redis(url);
  const setup: ScreenSetup = { url, prefix: PREFIX, venue: VENUE, coin: COIN };
  const screen = new Worker(new URL('./redis-latency-screen.js', import.meta.url), {
    workerData: setup,
  });
  try {
    await client.flushall();
    const serve = await startServe(client, 41);
    const seconds = cfg.latencySeconds;
    const bus = await latency(
      serve,
      screen,
      { kind: 'bus', warmupMs: WARMUP_MS, seconds },
      seconds,
      cfg.rate,
    );
    const publisher = new Redis(url);
    const floor = await latency(
      serve,
      screen,
      { kind: 'pubsub', channel: CHANNEL, warmupMs: WARMUP_MS, seconds },
      seconds,
      cfg.rate,
      (json) => void publisher.publish(CHANNEL, json),
    );
    publisher.disconnect();
    serve.pump(cfg.rate);
    const names = serve.market.specs.map((spec) => spec.name);
    const joins = await ask(screen, { kind: 'join', reps: cfg.joinReps, names });
    serve.halt();
    if (joins.kind !== 'joins') throw new Error(`the screen answered ${joins.kind}`);
    const stats = serve.publisher.stats();
    await serve.publisher.stop();
    const report: LatencyReport = {
      bus: bus.samples,
      floor: floor.samples,
      joins: joins.joins,
      seedJoins: joins.seedJoins,
      serveGc: bus.serveGc,
      screenGc: bus.screenGc,
      written: stats.written,
      flushes: stats.flushes,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    client.disconnect();
    await screen.terminate();
  }
}

await main();
