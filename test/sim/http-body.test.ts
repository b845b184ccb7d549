// Both venues' HTTP APIs refuse a body too large to be an API request instead of buffering it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSim } from '../../src/sim/server.js';

describe('sim HTTP bodies', () => {
  it('answers 413 to an oversized POST on either venue, and serves a normal one', async () => {
    const sim = await startSim({ manualClock: true });
    try {
      const huge = JSON.stringify({ padding: 'x'.repeat(2 << 20) });
      for (const url of [
        `${sim.urls.deribitHttp}/public/get_index_price`,
        `${sim.urls.bybitRest}/v5/order/create`,
      ]) {
        const response = await fetch(url, { method: 'POST', body: huge });
        assert.equal(response.status, 413, url);
        await response.arrayBuffer();
      }
      const normal = await fetch(`${sim.urls.deribitHttp}/public/get_index_price`, {
        method: 'POST',
        body: JSON.stringify({ index_name: 'btc_usd' }),
      });
      assert.equal(normal.status, 200);
      const reply = (await normal.json()) as { result: { index_price: number } };
      assert.ok(reply.result.index_price > 0);
    } finally {
      await sim.close();
    }
  });
});
