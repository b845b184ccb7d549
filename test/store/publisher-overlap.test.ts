// Two flushes in flight (one sent while Redis still runs the one before): when both fail, the
// newer update of a field is the one kept for the retry, whatever order the failures come in,
// and Redis ends with it once it is back.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema } from '../../src/store/keys.js';
import { Publisher } from '../../src/store/publisher.js';
import { startRedis, testPrefix, type RedisServer } from '../support/redis.js';
import { sleep, waitUntil } from '../support/wait.js';
import { handSource } from './support/hand-source.js';
import { BTC_CALL } from './support/specs.js';

const VENUE = 'deribit';

function ticker(ts: number, bid: number): TickerEvent {
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument: BTC_CALL.name,
    ts,
    bid,
    bidSize: 5,
    ask: bid + 0.001,
    askSize: 7,
    mark: bid + 0.0005,
    index: 80_000,
    forward: 81_000,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
  };
}

describe('Publisher with two flushes in flight', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedis();
  });
  after(async () => {
    await server.stop();
  });

  it('keeps the newer quote when both flushes fail, and writes it when Redis returns', async () => {
    const client: RedisClient = await openRedis(parseRedisUrl(server.url));
    const keys = keySchema(testPrefix('overlap'));
    const { source, push } = handSource(VENUE, [BTC_CALL], (name) =>
      name === BTC_CALL.name ? BTC_CALL : undefined,
    );
    const problems: string[] = [];
    // Every update is a full batch: each one is flushed at once, a second while one is out.
    const publisher = new Publisher({
      client,
      keys,
      source,
      flushAt: 1,
      onProblem: (text) => problems.push(text),
    });
    const quote = keys.coin(VENUE, 'BTC').quote(BTC_CALL.name);
    try {
      await publisher.start();
      await waitUntil('the listing written', () => publisher.stats().written >= 1);
      const t0 = Date.now();
      push(ticker(t0, 0.01));
      await waitUntil('the first quote written', () => publisher.stats().pendingMarket === 0);
      await sleep(50);
      assert.equal(await client.hget(quote, 'bid'), '0.01');

      server.pause();
      push(ticker(t0 + 1, 0.02));
      await sleep(20);
      push(ticker(t0 + 2, 0.03));
      await sleep(20);
      const held = publisher.stats();
      assert.equal(held.pendingMarket, 0, 'both quotes are in flushes sent to the hung Redis');
      assert.ok(held.flushes >= 3, `${held.flushes} flushes`);

      // Both calls fail with the connection; their answers come in the order they were sent.
      await server.kill();
      await waitUntil('both failures seen', () => publisher.stats().pendingMarket === 1, 5_000);
      await server.restart();
      const deadline = Date.now() + 10_000;
      while ((await client.hget(quote, 'bid').catch(() => null)) !== '0.03') {
        assert.ok(Date.now() < deadline, 'the newer quote was not written after the restart');
        await sleep(50);
      }
      assert.equal(publisher.stats().pendingMarket, 0);
      assert.ok(
        problems.some((text) => text.includes('BTC write failed')),
        problems.join('; '),
      );
    } finally {
      server.resume();
      await publisher.stop();
      client.disconnect();
    }
  });
});
