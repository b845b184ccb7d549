// The engine over both venues of the embedded exchange: state kept current from the feeds,
// and the books of whatever the account comes to hold followed without being asked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedEvent } from '../../src/book/events.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import { openFeeds } from '../../src/app/venue-feeds.js';

function until(
  engine: MarketEngine,
  test: (event: FeedEvent) => boolean,
  ms: number,
): Promise<FeedEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`nothing matched within ${ms} ms`));
    }, ms);
    const stop = engine.onEvent((event) => {
      if (!test(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

describe('MarketEngine', () => {
  it('keeps market and account state, and follows the book of every instrument held', async () => {
    const opened = await openFeeds({
      venue: 'sim',
      currencies: ['BTC'],
      testnet: false,
      urlOverrides: [],
      books: [],
      private: true,
      sim: { seed: 11, speed: 1 },
      log: () => undefined,
    });
    const engine = new MarketEngine(opened.feeds);
    try {
      await engine.start();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Readers settle first: forwards moved, and expiries are repriced in one batch.
      engine.market.settle(Date.now());
      for (const feed of engine.feeds) {
        // A liquid call a week or more out: the ticker has an ask for a market buy to take.
        const chain = engine.market.chains(feed.venue)[0]!;
        const weekOut = Date.now() + 7 * 86_400_000;
        const option = chain.options
          .filter((o) => o.type === 'call' && o.expiry > weekOut)
          .map((o) => chain.option(o.name)!)
          .filter((q) => q.ask !== null && (q.askSize ?? 0) >= 1 && (q.delta ?? 0) > 0.3)
          .sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0))[0]!;
        const instrument = option.spec.name;
        assert.equal(engine.market.books.get(feed.venue, instrument), undefined, instrument);
        const bookArrives = until(
          engine,
          (e) =>
            e.kind === 'book-snapshot' && e.venue === feed.venue && e.instrument === instrument,
          5_000,
        );
        const result = await feed.orders!.place({
          instrument,
          side: 'buy',
          kind: 'market',
          amount: feed.venue === 'deribit' ? '0.1' : '0.01',
          label: `engine-${feed.venue}`,
        });
        assert.equal(result.order.instrument, instrument);
        await bookArrives;
        assert.equal(engine.market.books.get(feed.venue, instrument)?.state, 'live');
        const position = engine.account.position(feed.venue, instrument);
        assert.ok(position !== undefined && position.size > 0, `${feed.venue} position`);
      }
      // Option tickers keep the chains priced.
      const chain = engine.market.chains('deribit')[0]!;
      engine.market.settle(Date.now());
      const priced = chain.options.filter((o) =>
        Number.isFinite(chain.option(o.name)?.markIv ?? NaN),
      );
      assert.ok(priced.length > chain.options.length / 2, `${priced.length} priced`);
    } finally {
      await engine.stop();
      await opened.close();
    }
  });
});
