// Starting and stopping: a first connection that cannot be made (nothing listening, refused
// credentials) rejects start() without leaking a timer or a secret; stop() closes everything
// and nothing is emitted once it has resolved.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeribitFeed } from '../../../src/feeds/deribit/feed.js';
import { FeedProbe, openSim, simFeedOptions, startFeed, waitUntil } from './harness.js';

describe('deribit feed: start and stop', () => {
  it('rejects start() when nothing listens, and leaves nothing running', async () => {
    const sim = await openSim();
    const url = sim.urls.deribitWs;
    await sim.close();
    const feed = new DeribitFeed(simFeedOptions(sim, { wsUrl: url, log: () => undefined }));
    const probe = new FeedProbe(feed);
    await assert.rejects(feed.start(), /ECONNREFUSED|closed|connect/);
    assert.equal(probe.statuses('reconnecting').length, 0, 'a first failure is not retried');
  });

  it('rejects start() on refused credentials, naming the venue error, not the secret', async () => {
    const sim = await openSim();
    const secret = 'not-the-secret-1234';
    const logs: string[] = [];
    const feed = new DeribitFeed(
      simFeedOptions(sim, {
        credentials: { clientId: 'sim-deribit-client', clientSecret: secret },
        log: (line) => logs.push(line),
      }),
    );
    const probe = new FeedProbe(feed, logs);
    try {
      const error: unknown = await feed.start().then(
        () => assert.fail('started with a wrong secret'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof Error);
      assert.match(error.message, /13004|invalid_credentials/);
      const said = [error.message, ...logs, ...probe.events.map((e) => JSON.stringify(e))];
      for (const text of said) assert.ok(!text.includes(secret), text);
    } finally {
      await sim.close();
    }
  });

  it('emits nothing once stop() has resolved', async () => {
    const sim = await openSim();
    const probe = await startFeed(sim, { allBooks: true });
    try {
      sim.advance(1000);
      await waitUntil('data', () => probe.count('ticker') > 0);
      const stopping = probe.feed.stop();
      sim.advance(1000);
      await stopping;
      const seen = probe.events.length;
      assert.equal(probe.statuses('closed').length, 1);
      for (let step = 0; step < 3; step++) sim.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(probe.events.length, seen);
    } finally {
      await sim.close();
    }
  });
});
