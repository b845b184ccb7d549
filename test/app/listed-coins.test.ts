// With no coin named, the feeds follow every coin each venue lists options on, asked of the
// venue: Deribit in one `get_instruments` over every currency, Bybit coin by coin.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openFeeds } from '../../src/app/venue-feeds.js';
import { loadBybitOptionCoins } from '../../src/feeds/bybit/option-coins.js';
import { BybitRestClient } from '../../src/feeds/bybit/rest.js';
import { DeribitHttpCaller } from '../../src/feeds/deribit/http-caller.js';
import { loadDeribitOptionCoins } from '../../src/feeds/deribit/option-coins.js';
import { startSim } from '../../src/sim/server.js';

describe('the coins a venue lists options on', () => {
  it('asks each venue of the embedded exchange, and follows what they answer', async () => {
    const opened = await openFeeds({
      venue: 'sim',
      currencies: ['BTC', 'SOL'],
      listedCoins: true,
      testnet: false,
      urlOverrides: [],
      books: [],
      private: false,
      sim: { seed: 3, speed: 1 },
    });
    try {
      assert.deepEqual(opened.coins.get('deribit'), ['BTC', 'SOL']);
      assert.deepEqual(opened.coins.get('bybit'), ['BTC', 'SOL']);
    } finally {
      await opened.close();
    }
  });

  it('finds a coin off the candidate list only when named, and an unlisted one never', async () => {
    const sim = await startSim({ seed: 3, currencies: ['ETH', 'AVAX'] });
    try {
      const deribit = await loadDeribitOptionCoins(new DeribitHttpCaller(sim.urls.deribitHttp));
      assert.deepEqual(deribit, ['ETH', 'AVAX']);
      const rest = new BybitRestClient({ baseUrl: sim.urls.bybitRest });
      const get = (path: string, query: Record<string, string | number | undefined>) =>
        rest.get(path, query);
      assert.deepEqual(await loadBybitOptionCoins(get), ['ETH']);
      assert.deepEqual(await loadBybitOptionCoins(get, ['AVAX', 'BTC', 'ETH']), ['AVAX', 'ETH']);
    } finally {
      await sim.close();
    }
  });
});
