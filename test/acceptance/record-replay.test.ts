// `record` then `replay` reproduces the tops a live session printed: the recorder and the
// live tops read the same feeds over real sockets from the embedded exchange, with book
// changes dropped on the wire and the connections closed under the feeds, so gaps, resyncs and
// the breaks only the feed can see (a dropped connection) are part of what must be reproduced.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Recorder } from '../../src/app/recorder.js';
import { replayFile } from '../../src/app/replay.js';
import { StreamLines } from '../../src/app/stream-lines.js';
import { openFeeds } from '../../src/app/venue-feeds.js';

class Collect extends Writable {
  readonly lines: string[] = [];
  #partial = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    const text = this.#partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts);
    done();
  }
}

describe('record then replay', () => {
  it('reproduces the live tops line for line, gaps and breaks included, for both venues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivtrade-record-'));
    const file = join(dir, 'session.jsonl');
    const opened = await openFeeds({
      venue: 'sim',
      currencies: ['BTC'],
      testnet: false,
      urlOverrides: [],
      books: 'all',
      private: false,
      sim: { seed: 5, speed: 30, faults: { dropBookChanges: 0.02, disconnectEverySec: 1.5 } },
      log: () => undefined,
    });
    const recorder = await Recorder.open(file);
    const live: string[] = [];
    const tops = new StreamLines(['tops'], () => undefined);
    for (const feed of opened.feeds) {
      recorder.attach(feed);
      feed.onEvent((event) => {
        for (const line of tops.linesFor(event)) live.push(line.text);
      });
    }
    try {
      await Promise.all(opened.feeds.map((feed) => feed.start()));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      await opened.close();
      await recorder.close();
    }
    const out = new Collect();
    const err = new Collect();
    const summary = await replayFile(file, { emit: 'tops', compare: false }, { out, err });
    await rm(dir, { recursive: true, force: true });

    assert.equal(summary.malformed, 0, err.lines.join('\n'));
    assert.ok(live.length > 500, `only ${live.length} live tops`);
    const venues = new Set(live.map((line) => (JSON.parse(line) as { venue?: string }).venue));
    assert.deepEqual([...venues].sort(), ['bybit', 'deribit']);
    assert.ok(
      live.some((line) => line.startsWith('{"type":"gap"')),
      'dropped changes should have produced at least one gap',
    );
    assert.ok(
      live.some((line) => line.includes('"received":null,"detail":"the connection was lost"')),
      'a dropped connection should have broken the books',
    );
    assert.deepEqual(out.lines, live);
  });

  it('writes nothing private even when the feeds are authenticated and trading', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivtrade-record-'));
    const file = join(dir, 'private.jsonl');
    const opened = await openFeeds({
      venue: 'sim',
      currencies: ['BTC'],
      testnet: false,
      urlOverrides: [],
      books: [],
      private: true,
      sim: { seed: 6, speed: 1 },
      log: () => undefined,
    });
    const recorder = await Recorder.open(file);
    for (const feed of opened.feeds) recorder.attach(feed);
    const fills: string[] = [];
    try {
      await Promise.all(opened.feeds.map((feed) => feed.start()));
      for (const feed of opened.feeds) {
        feed.onEvent((event) => {
          if (event.kind === 'fill') fills.push(event.venue);
        });
        const perp = feed.venue === 'deribit' ? 'BTC-PERPETUAL' : 'BTCUSDT';
        const amount = feed.venue === 'deribit' ? '10' : '0.001';
        await feed.orders!.place({
          instrument: perp,
          side: 'buy',
          kind: 'market',
          amount,
          label: `rec-${feed.venue}-1`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await opened.close();
      await recorder.close();
    }
    const text = await readFile(file, 'utf8');
    await rm(dir, { recursive: true, force: true });
    const sim = ['sim-deribit-secret', 'sim-bybit-secret'];
    assert.ok(recorder.frames > 0);
    assert.deepEqual(fills.sort(), ['bybit', 'deribit'], 'both orders filled');
    for (const forbidden of [
      ...sim,
      'access_token',
      'refresh_token',
      '"user.',
      'rec-deribit',
      'rec-bybit',
    ]) {
      assert.equal(text.includes(forbidden), false, `recording contains ${forbidden}`);
    }
  });
});
