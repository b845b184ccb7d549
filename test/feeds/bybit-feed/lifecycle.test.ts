// Starting and stopping: a first connection that cannot be made rejects start() (and leaves
// nothing running), refused credentials are reported without the secret, and nothing is
// emitted once stop() has resolved.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BybitFeed } from '../../../src/feeds/bybit/feed.js';
import { credentialsOf, feedOptions, FeedProbe, openSim, sleep } from './harness.js';

describe('bybit feed: start and stop', () => {
  it('rejects start() when the venue cannot be reached', async () => {
    const sim = await openSim();
    const options = feedOptions(sim);
    await sim.close();
    const feed = new BybitFeed(options);
    await assert.rejects(feed.start(), /ECONNREFUSED|fetch failed|connect/i);
  });

  it('rejects start() when a socket cannot connect, and closes the others', async () => {
    const sim = await openSim();
    try {
      const options = feedOptions(sim);
      const feed = new BybitFeed({
        ...options,
        urls: { ...options.urls, linear: options.urls.linear.replace('linear', 'nowhere') },
      });
      const probe = new FeedProbe(feed, []);
      await assert.rejects(feed.start(), /linear/);
      const option = probe.statuses(undefined, 'option').map((s) => s.status);
      assert.equal(option.at(-1), 'closed', 'the option socket was closed again');
    } finally {
      await sim.close();
    }
  });

  it('reports refused credentials without the secret, and does not start', async () => {
    const sim = await openSim();
    try {
      const credentials = { ...credentialsOf(sim), apiSecret: 'not-the-secret-at-all' };
      const logs: string[] = [];
      const feed = new BybitFeed(feedOptions(sim, { credentials, log: (l) => logs.push(l) }));
      const probe = new FeedProbe(feed, logs);
      const error = await feed.start().then(
        () => null,
        (reason: unknown) => reason,
      );
      assert.ok(error instanceof Error);
      assert.match(error.message, /authentication refused/);
      assert.ok(!error.message.includes(credentials.apiSecret));
      const refused = probe.statuses('error', 'private');
      assert.equal(refused.length, 1);
      for (const text of [...logs, ...probe.statuses().map((s) => s.detail ?? '')]) {
        assert.ok(!text.includes(credentials.apiSecret));
      }
    } finally {
      await sim.close();
    }
  });

  it('emits nothing after stop() resolves, and reports each socket closed', async () => {
    const sim = await openSim();
    try {
      const feed = new BybitFeed(feedOptions(sim, { credentials: credentialsOf(sim) }));
      const probe = new FeedProbe(feed, []);
      await feed.start();
      sim.advance(1000);
      await feed.stop();
      const closed = probe.statuses('closed').map((s) => s.stream);
      assert.deepEqual(closed.sort(), ['linear', 'option', 'private']);
      const seen = probe.events.length;
      const frames = probe.raw.length;
      for (let step = 0; step < 3; step++) sim.advance(1000);
      await sleep(100);
      assert.equal(probe.events.length, seen);
      assert.equal(probe.raw.length, frames);
    } finally {
      await sim.close();
    }
  });
});
