// Public REST: instruments-info pages (walked to the end, the union is what the exchange
// lists), linear rows, tickers, server time, and the envelope every reply comes in.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, type Json } from './support/bybit-client.js';
import { keysOf, recorded } from './support/fixture-shapes.js';
import { perpetual, startBybitSim } from './support/sim.js';

describe('bybit public REST', () => {
  let sim: RunningSim;
  let rest: BybitRest;

  before(async () => {
    sim = await startBybitSim({ currencies: ['BTC', 'ETH'] });
    rest = new BybitRest(sim.urls.bybitRest, sim.apiKeys.bybit[0]!);
  });
  after(() => sim.close());

  it('pages instruments-info by nextPageCursor until it is empty; the pages hold every listed option once', async () => {
    const exchange = sim.world.exchanges.bybit;
    const listed = exchange
      .instruments({ currency: 'BTC', kind: 'option' })
      .map((i) => i.spec.name);
    assert.ok(listed.length > 50);
    const fixture = recorded('REST GET /v5/market/instruments-info');
    const fixtureRow = ((fixture['result'] as Json)['list'] as Json[])[0]!;
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const query = `category=option&baseCoin=BTC&limit=40${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await rest.get('/v5/market/instruments-info', query);
      assert.deepEqual(keysOf(page), keysOf(fixture));
      assert.equal(page.retCode, 0);
      assert.deepEqual(keysOf(page.result), keysOf(fixture['result']));
      const rows = page.result['list'] as Json[];
      assert.ok(rows.length <= 40);
      for (const row of rows) {
        assert.deepEqual(keysOf(row), keysOf(fixtureRow));
        assert.deepEqual(keysOf(row['priceFilter']), keysOf(fixtureRow['priceFilter']));
        assert.deepEqual(keysOf(row['lotSizeFilter']), keysOf(fixtureRow['lotSizeFilter']));
        seen.push(String(row['symbol']));
      }
      cursor = String(page.result['nextPageCursor']);
      pages++;
    } while (cursor !== '' && pages < 100);
    assert.equal(cursor, '');
    assert.equal(pages, Math.ceil(listed.length / 40));
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual([...seen].sort(), [...listed].sort());

    const first = (
      await rest.get('/v5/market/instruments-info', `category=option&symbol=${listed[0]}`)
    ).result['list'] as Json[];
    const spec = exchange.instrument(listed[0]!)!.spec;
    assert.equal(first[0]!['deliveryTime'], String(spec.expiry));
    assert.equal((first[0]!['priceFilter'] as Json)['tickSize'], String(spec.tickSize));
    assert.equal((first[0]!['lotSizeFilter'] as Json)['qtyStep'], String(spec.lotSize));

    const bad = await rest.get('/v5/market/instruments-info', 'category=option&cursor=nonsense');
    assert.equal(bad.retCode, 10001);
  });

  it('lists the perpetual on the linear category with its contract fields', async () => {
    const perp = perpetual(sim.world.exchanges.bybit).spec;
    const page = await rest.get('/v5/market/instruments-info', 'category=linear');
    const rows = page.result['list'] as Json[];
    assert.deepEqual(
      rows.map((r) => r['symbol']).sort(),
      sim.world.exchanges.bybit
        .instruments({ kind: 'perpetual' })
        .map((i) => i.spec.name)
        .sort(),
    );
    const row = rows.find((r) => r['symbol'] === perp.name)!;
    assert.equal(row['contractType'], 'LinearPerpetual');
    assert.equal(row['settleCoin'], 'USDT');
    assert.equal(row['fundingInterval'], 480);
    assert.equal((row['priceFilter'] as Json)['tickSize'], String(perp.tickSize));
    assert.deepEqual(keysOf(row['lotSizeFilter']), [
      'maxMktOrderQty',
      'maxOrderQty',
      'minNotionalValue',
      'minOrderQty',
      'postOnlyMaxOrderQty',
      'qtyStep',
    ]);
    assert.ok('leverageFilter' in row && 'priceScale' in row);
  });

  it('serves option tickers by base coin, refuses an option query without one, and tells the time', async () => {
    const tickers = await rest.get('/v5/market/tickers', 'category=option&baseCoin=ETH');
    assert.equal(tickers.retCode, 0);
    const rows = tickers.result['list'] as Json[];
    assert.equal(
      rows.length,
      sim.world.exchanges.bybit.instruments({ currency: 'ETH', kind: 'option' }).length,
    );
    for (const row of rows) assert.match(String(row['symbol']), /^ETH-.*-USDT$/);
    const refused = await rest.get('/v5/market/tickers', 'category=option');
    assert.equal(refused.retCode, 10001);
    assert.deepEqual(keysOf(refused), ['result', 'retCode', 'retExtInfo', 'retMsg', 'time']);
    const before = Date.now();
    const time = await rest.get('/v5/market/time');
    const seconds = Number(time.result['timeSecond']);
    assert.ok(Math.abs(seconds * 1000 - before) < 5000);
    const missing = await fetch(`${sim.urls.bybitRest}/v5/market/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json)['retCode'], 10017);
  });
});
