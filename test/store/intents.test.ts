// The intents transport against a real redis-server: a request runs at most once whoever
// sends it and however often, old ones are refused, answers reach only their sender, and a
// restarted serve does not run again what the last one read.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCluster, openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import {
  IntentSender,
  IntentServer,
  newIntentId,
  type IntentHandler,
  type IntentRequest,
} from '../../src/store/intents.js';
import { hashTagOf, keySchema, type IntentKeys } from '../../src/store/keys.js';
import { sharedCluster, sharedRedis, startRedis, testPrefix } from '../support/redis.js';
import { sleep, waitUntil } from '../support/wait.js';

let redis: { url: string; stop(): Promise<void> };
let client: RedisClient;

before(async () => {
  redis = await sharedRedis();
  client = await openRedis(parseRedisUrl(redis.url), { clientName: 'intents-test' });
});
after(async () => {
  client.disconnect();
  await redis.stop();
});

/** A handler that records what it ran and answers after `delayMs`. */
function recorder(delayMs = 0): { ran: IntentRequest[]; handle: IntentHandler } {
  const ran: IntentRequest[] = [];
  return {
    ran,
    handle: async (request, channel) => {
      ran.push(request);
      channel.report({ step: 'working' });
      if (delayMs > 0) await sleep(delayMs);
      return { status: 'done', result: { echo: request.payload } };
    },
  };
}

function freshKeys(): IntentKeys {
  return keySchema(testPrefix('int')).intents('sim');
}

describe('intents over Redis', () => {
  it('runs an intent once and answers its sender, reports first, then the end', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder();
    const server = await IntentServer.start({ client, keys, handle });
    const sender = await IntentSender.open({ client, keys });
    const heard: unknown[] = [];
    sender.onReport((_id, body) => heard.push(body));
    try {
      const outcome = await sender.send('ping', { n: 1 });
      assert.deepEqual(outcome, { status: 'done', result: { echo: { n: 1 } } });
      assert.equal(ran.length, 1);
      assert.equal(ran[0]!.screen, sender.screen);
      assert.deepEqual(heard, [{ step: 'working' }]);
    } finally {
      await sender.close();
      await server.close();
    }
  });

  it('a retried id and the same id raced from two screens run exactly once', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder(200);
    const server = await IntentServer.start({ client, keys, handle });
    const first = await IntentSender.open({ client, keys });
    const second = await IntentSender.open({ client, keys });
    try {
      const id = newIntentId();
      const created = first.now();
      const outcomes = await Promise.all([
        first.send('ping', { n: 2 }, { id, created }),
        first.send('ping', { n: 2 }, { id, created }),
        second.send('ping', { n: 2 }, { id, created }),
      ]);
      assert.equal(ran.length, 1);
      assert.deepEqual(outcomes[0], { status: 'done', result: { echo: { n: 2 } } });
      assert.deepEqual(outcomes[1], outcomes[0]);
      // The other screen is told who has it, or (once it ended) how it ended: never run again.
      const other = outcomes[2];
      assert.ok(
        other.status === 'taken' || (other.status === 'done' && other.duplicate === true),
        JSON.stringify(other),
      );
      // A retry after the end is answered from the record.
      const late = await first.send('ping', { n: 2 }, { id, created });
      assert.deepEqual(late, { status: 'done', result: { echo: { n: 2 } }, duplicate: true });
      assert.equal(ran.length, 1);
    } finally {
      await first.close();
      await second.close();
      await server.close();
    }
  });

  it('two screens sending at once each get their own answer', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder(50);
    const server = await IntentServer.start({ client, keys, handle });
    const a = await IntentSender.open({ client, keys });
    const b = await IntentSender.open({ client, keys });
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    a.onReport((_id, body) => heardA.push(body));
    b.onReport((_id, body) => heardB.push(body));
    try {
      const [fromA, fromB] = await Promise.all([a.send('ping', 'A'), b.send('ping', 'B')]);
      assert.deepEqual(fromA, { status: 'done', result: { echo: 'A' } });
      assert.deepEqual(fromB, { status: 'done', result: { echo: 'B' } });
      assert.equal(ran.length, 2);
      assert.equal(heardA.length, 1);
      assert.equal(heardB.length, 1);
    } finally {
      await a.close();
      await b.close();
      await server.close();
    }
  });

  it('refuses an intent older than the max age, and does not run it', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder();
    const server = await IntentServer.start({ client, keys, handle, maxAgeMs: 2_000 });
    const sender = await IntentSender.open({ client, keys, maxAgeMs: 2_000 });
    try {
      const outcome = await sender.send('ping', {}, { created: sender.now() - 3_000 });
      assert.equal(outcome.status, 'refused');
      assert.match(outcome.status === 'refused' ? outcome.reason : '', /s old .*max 2 s.*not run/);
      assert.equal(ran.length, 0);
    } finally {
      await sender.close();
      await server.close();
    }
  });

  it('a restarted serve goes on from where the last one left, and never runs one twice', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder();
    let server = await IntentServer.start({ client, keys, handle });
    const sender = await IntentSender.open({ client, keys, timeoutMs: 3_000 });
    try {
      assert.equal((await sender.send('ping', 1)).status, 'done');
      await server.close();
      // Sent while no serve runs: the next one takes it, being young enough.
      const pending = sender.send('ping', 2);
      await sleep(200);
      server = await IntentServer.start({ client, keys, handle });
      assert.equal((await pending).status, 'done');
      assert.deepEqual(
        ran.map((request) => request.payload),
        [1, 2],
      );
      assert.ok((await client.get(keys.cursor)) !== null);
    } finally {
      await sender.close();
      await server.close();
    }
  });

  it('a request that is not one is refused to its sender, and the reader goes on', async () => {
    const keys = freshKeys();
    const { ran, handle } = recorder();
    const server = await IntentServer.start({ client, keys, handle });
    const sender = await IntentSender.open({ client, keys });
    try {
      const id = newIntentId();
      await client.xadd(keys.requests, '*', 'id', id, 'screen', sender.screen, 'kind', 'ping');
      await client.xadd(keys.requests, '*', 'id', 'x{bad}', 'screen', 'nope{', 'kind', 'ping');
      const replies = keys.replies(sender.screen);
      let ended = '';
      const deadline = Date.now() + 5_000;
      while (ended === '' && Date.now() < deadline) {
        const entries = await client.xrange(replies, '-', '+');
        ended = entries.map(([, fields]) => fields.join(' ')).join('\n');
        await sleep(20);
      }
      assert.match(ended, new RegExp(`${id} t end b .*refused.*no creation time`));
      assert.equal((await sender.send('ping', 'after')).status, 'done');
      assert.equal(ran.length, 1);
      assert.ok((await client.pttl(replies)) > 0, 'the replies stream expires');
    } finally {
      await sender.close();
      await server.close();
    }
  });
});

describe('intents through faults and on a cluster', () => {
  it('a Redis that restarts empty forgets taken ids, but serve does not run one twice', async () => {
    const own = await startRedis();
    const ownClient = await openRedis(parseRedisUrl(own.url));
    const keys = freshKeys();
    const { ran, handle } = recorder();
    const server = await IntentServer.start({ client: ownClient, keys, handle, maxAgeMs: 30_000 });
    const sender = await IntentSender.open({
      client: ownClient,
      keys,
      maxAgeMs: 30_000,
      timeoutMs: 15_000,
    });
    try {
      const id = newIntentId();
      const created = sender.now();
      assert.equal((await sender.send('ping', 'once', { id, created })).status, 'done');
      await own.restart();
      // The retry is written once Redis is back, read by the same serve, and not run again.
      const retried = await sender.send('ping', 'once', { id, created });
      assert.deepEqual(retried, { status: 'done', result: { echo: 'once' }, duplicate: true });
      assert.equal(ran.length, 1);
      // And serve still runs new intents after the restart.
      assert.equal((await sender.send('ping', 'new')).status, 'done');
      assert.equal(ran.length, 2);
    } finally {
      await sender.close();
      await server.close();
      ownClient.disconnect();
      await own.stop();
    }
  });

  it('an answer Redis could not take when the intent ended reaches its sender once Redis is back', async () => {
    const own = await startRedis();
    const ownClient = await openRedis(parseRedisUrl(own.url));
    const keys = freshKeys();
    const logged: string[] = [];
    let ran = 0;
    // The intent runs (say an order filled) and Redis dies before its answer is written.
    const handle: IntentHandler = async (request, channel) => {
      ran += 1;
      channel.report({ step: 'sent' });
      await sleep(100);
      await own.kill();
      channel.report({ step: 'filled' });
      return { status: 'done', result: { echo: request.payload } };
    };
    const server = await IntentServer.start({
      client: ownClient,
      keys,
      handle,
      log: (line) => logged.push(line),
    });
    // No resend (its max age is under the retry delay): only the lost answer can end it.
    const sender = await IntentSender.open({
      client: ownClient,
      keys,
      maxAgeMs: 1_500,
      timeoutMs: 20_000,
    });
    const heard: unknown[] = [];
    sender.onReport((_id, body) => heard.push(body));
    try {
      const sent = sender.send('order', 'buy 1');
      await sleep(1_500);
      assert.ok(server.unsentReplies() >= 1, 'the answer waits for Redis');
      await own.restart();
      assert.deepEqual(await sent, { status: 'done', result: { echo: 'buy 1' } });
      assert.equal(ran, 1);
      assert.deepEqual(heard, [{ step: 'sent' }, { step: 'filled' }], 'reports in order');
      // The sender can read the replies before serve's own pipeline call has returned and
      // struck them off: serve's count reaches 0 a moment after.
      await waitUntil(
        'serve to strike the delivered replies off',
        () => server.unsentReplies() === 0,
      );
      assert.ok(
        logged.some((line) => line.startsWith('intents: replies wait for Redis')),
        logged.join('\n'),
      );
      assert.ok(
        logged.some((line) => line.startsWith('intents: replies delivered after')),
        logged.join('\n'),
      );
    } finally {
      await sender.close();
      await server.close();
      ownClient.disconnect();
      await own.stop();
    }
  });

  it('works the same on a Redis Cluster (every key of it in one slot)', async () => {
    const cluster = await sharedCluster();
    const clusterClient = await openRedis(parseRedisUrl(cluster.url));
    const keys = freshKeys();
    const { ran, handle } = recorder(100);
    const server = await IntentServer.start({ client: clusterClient, keys, handle });
    const a = await IntentSender.open({ client: clusterClient, keys });
    const b = await IntentSender.open({ client: clusterClient, keys });
    try {
      assert.ok(isCluster(clusterClient));
      const slots = new Set(
        [keys.requests, keys.cursor, keys.taken('x'), keys.replies(a.screen)].map(hashTagOf),
      );
      assert.equal(slots.size, 1);
      const id = newIntentId();
      const created = a.now();
      const [first, second, own] = await Promise.all([
        a.send('ping', 'c', { id, created }),
        b.send('ping', 'c', { id, created }),
        b.send('ping', 'mine'),
      ]);
      assert.deepEqual(first, { status: 'done', result: { echo: 'c' } });
      assert.notEqual(second.status, 'refused');
      assert.deepEqual(own, { status: 'done', result: { echo: 'mine' } });
      assert.equal(ran.length, 2);
    } finally {
      await a.close();
      await b.close();
      await server.close();
      clusterClient.disconnect();
      await cluster.stop();
    }
  });
});
