// The attached screen's side of the Redis bench's latency and late join, in a worker thread of
// the latency child (redis-latency-child.ts): a heap and a collector of its own, as a screen in
// its own process has, while serve's side runs on the child's main thread. It answers each
// command posted to it with a ScreenAnswer.

import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import type { FeedEvent } from '../src/book/events.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { ReadModel } from '../src/app/read-model.js';
import { BusFeed } from '../src/store/bus-feed.js';
import { parseRedisUrl } from '../src/store/connect.js';
import { keySchema } from '../src/store/keys.js';
import { Arrivals, gcPauses, type ArrivalLog, type GcPauses } from './redis-latency-log.js';
import { sleep, waitFor } from './wait.js';

export interface ScreenSetup {
  readonly url: string;
  readonly prefix: string;
  readonly venue: string;
  readonly coin: string;
}

export type ScreenCommand =
  /** Tickers applied by an attached screen's engine (BusFeed + engine + read model). */
  | { readonly kind: 'bus'; readonly warmupMs: number; readonly seconds: number }
  /** Tickers parsed off a bare SUBSCRIBE to `channel`. */
  | {
      readonly kind: 'pubsub';
      readonly channel: string;
      readonly warmupMs: number;
      readonly seconds: number;
    }
  /** Late joins: a screen's start to every instrument's ticker and one live update. */
  | { readonly kind: 'join'; readonly reps: number; readonly names: readonly string[] };

export type ScreenAnswer =
  | { readonly kind: 'arrivals'; readonly log: ArrivalLog; readonly gc: GcPauses }
  | { readonly kind: 'joins'; readonly joins: number[]; readonly seedJoins: number[] };

const setup = workerData as ScreenSetup;
/** Tickers a second the arrivals' log has room for: four times the bench's 5,000. */
const MOST_PER_SECOND = 20_000;

/** The tickers that arrive over `seconds`, after a warm-up, with this isolate's pauses. */
async function recordArrivals(
  warmupMs: number,
  seconds: number,
  listen: (arrived: (event: FeedEvent) => void) => Promise<() => Promise<void>>,
): Promise<ScreenAnswer> {
  const arrivals = new Arrivals(Math.ceil(seconds * MOST_PER_SECOND));
  let recording = false;
  const stop = await listen((event) => {
    if (recording && event.kind === 'ticker') arrivals.add(event.instrument, event.ts);
  });
  await sleep(warmupMs);
  const pauses = gcPauses();
  recording = true;
  await sleep(seconds * 1_000);
  recording = false;
  const gc = pauses();
  await stop();
  return { kind: 'arrivals', log: arrivals.log(), gc };
}

async function bus(warmupMs: number, seconds: number): Promise<ScreenAnswer> {
  return recordArrivals(warmupMs, seconds, async (arrived) => {
    const feed = new BusFeed({
      target: parseRedisUrl(setup.url),
      venue: setup.venue,
      prefix: setup.prefix,
    });
    const screen = new MarketEngine([feed]);
    const model = new ReadModel(screen, {
      venue: setup.venue,
      mode: 'SIM',
      currencies: [setup.coin],
      logPath: null,
    });
    screen.onEvent(arrived);
    await screen.start();
    return async () => {
      await screen.stop();
      void model;
    };
  });
}

async function pubsub(channel: string, warmupMs: number, seconds: number): Promise<ScreenAnswer> {
  return recordArrivals(warmupMs, seconds, async (arrived) => {
    const subscriber = new Redis(setup.url);
    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, message: string) => {
      arrived(JSON.parse(message) as FeedEvent);
    });
    return async () => {
      subscriber.disconnect();
      await Promise.resolve();
    };
  });
}

/**
 * Milliseconds from a screen's start to every instrument's ticker (the options and the
 * perpetual) and then one live update.
 */
async function lateJoin(instruments: number): Promise<number> {
  const t0 = performance.now();
  const feed = new BusFeed({
    target: parseRedisUrl(setup.url),
    venue: setup.venue,
    prefix: setup.prefix,
  });
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
  const coin = keySchema(setup.prefix).coin(setup.venue, setup.coin);
  const t0 = performance.now();
  for (const name of names) await client.hgetall(coin.quote(name));
  return performance.now() - t0;
}

async function joins(reps: number, names: readonly string[]): Promise<ScreenAnswer> {
  const client = new Redis(setup.url);
  try {
    const ours: number[] = [];
    const seed: number[] = [];
    for (let rep = 0; rep < reps + 1; rep += 1) {
      const join = await lateJoin(names.length + 1);
      const seedJoin = await hgetallJoin(client, names);
      // The first pass warms up; it is not counted.
      if (rep === 0) continue;
      ours.push(join);
      seed.push(seedJoin);
    }
    return { kind: 'joins', joins: ours, seedJoins: seed };
  } finally {
    client.disconnect();
  }
}

parentPort!.on('message', (command: ScreenCommand) => {
  const answer =
    command.kind === 'bus'
      ? bus(command.warmupMs, command.seconds)
      : command.kind === 'pubsub'
        ? pubsub(command.channel, command.warmupMs, command.seconds)
        : joins(command.reps, command.names);
  answer.then(
    (value) => parentPort!.postMessage(value),
    (error: unknown) => {
      throw error;
    },
  );
});
