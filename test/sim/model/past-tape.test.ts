// A tape from the first second: recent prints on every perpetual and future and on nearly every
// option, from before the start, consistent with the market then and now, and nobody's fills.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FUNDING, SimWorld } from '../../../src/sim/world.js';
import { HOUR, START } from './helpers.js';

function world(seed: number): SimWorld {
  return new SimWorld({
    seed,
    start: START,
    speed: 1,
    manual: true,
    currencies: ['BTC', 'ETH'],
    funding: DEFAULT_FUNDING,
  });
}

describe('the tape at the start', () => {
  const sim = world(61);

  it('holds prints on every perpetual and future and most options, all before the start', () => {
    for (const venue of ['deribit', 'bybit'] as const) {
      const exchange = sim.exchanges[venue];
      let options = 0;
      let traded = 0;
      for (const instrument of exchange.instruments()) {
        const name = instrument.spec.name;
        const trades = exchange.recentTrades(name, 1_000);
        if (instrument.spec.kind === 'option') {
          options++;
          if (trades.length > 0) traded++;
        } else {
          assert.ok(trades.length >= 50, `${name}: ${trades.length} prints`);
        }
        for (let i = 0; i < trades.length; i++) {
          const t = trades[i]!;
          assert.ok(t.ts < START && t.ts >= instrument.listedAt, `${name} print at ${t.ts}`);
          assert.ok(t.price > 0 && t.amount >= instrument.spec.minSize, name);
          if (i > 0) {
            assert.ok(t.ts >= trades[i - 1]!.ts, `${name} out of order`);
            assert.equal(t.tradeSeq, trades[i - 1]!.tradeSeq + 1);
          }
        }
        // The ticker's last price is the tape's.
        assert.equal(exchange.ticker(name)!.lastPrice, trades.at(-1)?.price ?? null);
      }
      assert.ok(traded / options > 0.85, `${venue}: ${traded} of ${options} options traded`);
    }
  });

  it('prints near the book: the last perpetual trades at the touch, option trades near the mark IV', () => {
    const deribit = sim.exchanges.deribit;
    for (const name of ['BTC-PERPETUAL', 'ETH-PERPETUAL']) {
      const book = deribit.book(name, 1)!;
      const mid = (book.bids[0]![0] + book.asks[0]![0]) / 2;
      const last = deribit.recentTrades(name, 1)[0]!;
      assert.ok(START - last.ts < 10 * 60_000, `${name} last print ${START - last.ts} ms ago`);
      assert.ok(Math.abs(last.price / mid - 1) < 0.003, `${name} ${last.price} vs mid ${mid}`);
      // Over the day the prints follow the index, buys above it and sells below on average.
      const trades = deribit.recentTrades(name, 1_000);
      const premium = (side: 'buy' | 'sell'): number => {
        const of = trades.filter((t) => t.direction === side);
        return of.reduce((s, t) => s + t.price / t.indexPrice - 1, 0) / of.length;
      };
      assert.ok(premium('buy') > premium('sell'), name);
    }
    let checked = 0;
    for (const instrument of deribit.instruments({ currency: 'BTC', kind: 'option' })) {
      const name = instrument.spec.name;
      // Hours from expiry a spread is worth tens of vol points: judge the longer-dated.
      if (instrument.spec.expiry! - START < 2 * 86_400_000) continue;
      const ticker = deribit.ticker(name)!;
      for (const t of deribit.recentTrades(name, 1_000)) {
        if (t.ts < START - HOUR || t.iv === null || ticker.markIv === null) continue;
        // The last hour's prints: within a few vol points of today's mark.
        if (ticker.markPrice > 0.002) {
          assert.ok(
            Math.abs(t.iv - ticker.markIv) < 0.08,
            `${name} iv ${t.iv} vs ${ticker.markIv}`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 50, `${checked} option prints checked`);
  });

  it('numbers the prints before the live ones and touches no account', () => {
    const deribit = sim.exchanges.deribit;
    const before = deribit.recentTrades('BTC-PERPETUAL', 1)[0]!;
    deribit.openAccount('alice');
    assert.deepEqual(deribit.fills('alice'), []);
    assert.deepEqual(deribit.positions('alice'), []);
    const { fills } = deribit.place('alice', {
      instrument: 'BTC-PERPETUAL',
      side: 'buy',
      amount: 10,
      type: 'market',
    });
    assert.equal(fills.length, 1);
    assert.equal(fills[0]!.tradeSeq, before.tradeSeq + 1);
    const number = (id: string): number => Number(id.split('-').at(-1));
    assert.ok(number(fills[0]!.tradeId) > number(before.tradeId));
  });

  it('is the same tape for the same seed, and another for another', () => {
    const a = world(62).exchanges.bybit.recentTrades('BTCUSDT', 1_000);
    const b = world(62).exchanges.bybit.recentTrades('BTCUSDT', 1_000);
    const c = world(63).exchanges.bybit.recentTrades('BTCUSDT', 1_000);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
