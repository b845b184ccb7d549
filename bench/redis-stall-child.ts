// Serve's memory with Redis stalled: the bench market's engine and the Publisher at 5,000
// updates/s into a redis-server that is then stopped (SIGSTOP: sockets stay open, nothing is
// answered) for the given seconds and resumed. In a process of its own so its RSS is serve's
// alone. Prints a StallReport as JSON.

import { Redis } from 'ioredis';
import { publisherSource } from '../src/app/serve-session.js';
import { keySchema } from '../src/store/keys.js';
import { Publisher } from '../src/store/publisher.js';
import { startRedis } from '../test/support/redis.js';
import { BenchMarket, UpdatePump, VENUE } from './render-market.js';
import { sleep } from './wait.js';

export interface StallReport {
  /** Updates/s applied to the engine throughout. */
  readonly rate: number;
  /** Bytes: the largest RSS over the last second before the stall, during it, and after. */
  readonly rssBefore: number;
  readonly rssDuringMax: number;
  readonly rssAfter: number;
  /** The most market updates pending in the publisher during the stall. */
  readonly pendingMax: number;
  /** Whether the publisher wrote again after Redis resumed. */
  readonly recovered: boolean;
}

const RATE = 5_000;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 60);
  const server = await startRedis();
  const client = new Redis(server.url);
  client.on('error', () => undefined);
  try {
    const now = Date.now();
    const market = new BenchMarket(51, now);
    const publisher = new Publisher({
      client,
      keys: keySchema('ivt'),
      source: publisherSource(market.engine, VENUE),
      meta: { currencies: 'BTC', mode: 'SIM' },
    });
    market.open(now);
    await publisher.start();
    const pump = new UpdatePump(market, RATE, performance.now());
    const timer = setInterval(() => pump.catchUp(performance.now()), 1);
    const peak = async (ms: number, each?: () => void): Promise<number> => {
      let max = 0;
      for (const end = Date.now() + ms; Date.now() < end;) {
        await sleep(100);
        max = Math.max(max, process.memoryUsage().rss);
        each?.();
      }
      return max;
    };
    await sleep(1_000);
    const rssBefore = await peak(1_000);
    server.pause();
    let pendingMax = 0;
    const rssDuringMax = await peak(seconds * 1_000, () => {
      pendingMax = Math.max(pendingMax, publisher.stats().pendingMarket);
    });
    server.resume();
    const written = publisher.stats().written;
    const rssAfter = await peak(1_500);
    const recovered = publisher.stats().written > written;
    clearInterval(timer);
    await publisher.stop();
    const report: StallReport = {
      rate: RATE,
      rssBefore,
      rssDuringMax,
      rssAfter,
      pendingMax,
      recovered,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    client.disconnect();
    await server.stop();
  }
}

await main();
