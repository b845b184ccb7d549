// A book the feed finds wrong without a gap in its chain (its top disagrees with the ticker: a
// lost last change; or its connection dropped) must be marked wherever a reader sees it: the
// engine's book stops being live at once (so the screen, the gateway and the hedger fall back to
// the ticker, flagged stale), and `stream --emit tops` prints a gap line for it. The real
// Deribit feed on the embedded exchange, on a manual clock so every run sees the same frames.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketEngine } from '../../src/app/market-engine.js';
import { StreamLines } from '../../src/app/stream-lines.js';
import type { StatusEvent } from '../../src/book/events.js';
import { DeribitFeed } from '../../src/feeds/deribit/feed.js';
import { openSim, quiet, simFeedOptions, tickersCaughtUp } from '../feeds/deribit-feed/harness.js';
import { FeedProbe } from '../support/feed-probe.js';
import { waitUntil } from '../support/wait.js';

interface GapLine {
  readonly type: string;
  readonly instrument: string;
  readonly received: number | null;
  readonly detail?: string;
}

describe('breaks found without a gap in the chain', () => {
  it('a lost last change: the engine’s book stops being live and the tops stream prints a gap', async () => {
    const sim = await openSim({ faults: { dropBookChanges: 0.2 } });
    const feed = new DeribitFeed(
      simFeedOptions(sim, { allBooks: true, topCheckAfterMs: 300, log: () => undefined }),
    );
    const engine = new MarketEngine([feed]);
    const tops = new StreamLines(['tops'], () => undefined);
    const gapLines: GapLine[] = [];
    const crossChecks: StatusEvent[] = [];
    const servedLive: string[] = [];
    engine.onEvent((event) => {
      for (const line of tops.linesFor(event)) {
        if (line.text.startsWith('{"type":"gap"')) gapLines.push(JSON.parse(line.text) as GapLine);
      }
      if (event.kind !== 'status' || event.status !== 'gap') return;
      if (!(event.detail ?? '').includes('disagreed with the ticker')) return;
      crossChecks.push(event);
      // Listeners hear an event once the engine has applied it.
      for (const name of event.instruments ?? []) {
        if (engine.market.books.get('deribit', name)?.state === 'live') servedLive.push(name);
      }
    });
    const probe = new FeedProbe(feed);
    await engine.start();
    try {
      for (let step = 0; step < 10; step++) {
        sim.advance(1000);
        await waitUntil('tickers', () => tickersCaughtUp(sim, probe));
      }
      await waitUntil(
        'a lost last change found by the ticker',
        () => crossChecks.length > 0,
        5_000,
      );
      await quiet(probe);
      assert.deepEqual(servedLive, [], 'still live in the engine after the feed said broken');
      const byTicker = gapLines.filter((line) => line.received === null);
      assert.deepEqual(
        byTicker.map((line) => line.instrument),
        crossChecks.flatMap((event) => event.instruments ?? []),
        'one gap line per book the cross-check broke',
      );
      for (const line of byTicker) assert.match(line.detail ?? '', /disagreed with the ticker/);
      // The resync brought each one back.
      for (const event of crossChecks) {
        const name = event.instruments![0]!;
        await waitUntil(`${name} live again`, () => {
          return engine.market.books.get('deribit', name)?.state === 'live';
        });
      }
    } finally {
      await engine.stop();
      await sim.close();
    }
  });

  it('a dropped connection: its books stop being live until their new snapshots', async () => {
    const sim = await openSim({
      manualClock: false,
      stepWallMs: 50,
      faults: { disconnectEverySec: 1.5 },
    });
    const feed = new DeribitFeed(
      simFeedOptions(sim, { allBooks: true, log: () => undefined, backoff: { initialMs: 300 } }),
    );
    const engine = new MarketEngine([feed]);
    const tops = new StreamLines(['tops'], () => undefined);
    const lost: StatusEvent[] = [];
    const liveWhileDown: string[] = [];
    let gapLines = 0;
    engine.onEvent((event) => {
      for (const line of tops.linesFor(event)) {
        if (line.text.startsWith('{"type":"gap"') && line.text.includes('connection was lost')) {
          gapLines += 1;
        }
      }
      if (event.kind === 'status' && event.status === 'gap' && event.detail?.includes('lost')) {
        lost.push(event);
      }
      if (event.kind === 'status' && event.status === 'reconnecting') {
        for (const book of engine.market.books.all()) {
          if (book.state === 'live' && book.venue === 'deribit')
            liveWhileDown.push(book.instrument);
        }
      }
    });
    await engine.start();
    try {
      await waitUntil('a reconnect', () => feed.counters().reconnects >= 1, 5_000);
      assert.ok(lost.length >= 1);
      assert.ok((lost[0]!.instruments?.length ?? 0) > 100, 'every followed book');
      assert.equal(
        gapLines,
        lost.reduce((sum, event) => sum + (event.instruments?.length ?? 0), 0),
        'a gap line for each',
      );
      assert.deepEqual(liveWhileDown, [], 'no book served as live while reconnecting');
      const names = lost[0]!.instruments!;
      await waitUntil('the books live again', () =>
        names.every((name) => engine.market.books.get('deribit', name)?.state === 'live'),
      );
    } finally {
      await engine.stop();
      await sim.close();
    }
  });
});
