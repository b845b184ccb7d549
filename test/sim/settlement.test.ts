// Settlement at 08:00 UTC seen end to end: positions opened over the wire are cash-settled
// against the index at expiry, the instruments disappear and the next listings appear.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimEvent } from '../../src/sim/contract.js';
import { authedClient, ok, openSim } from './deribit/harness.js';

interface Summary {
  balance: number;
  equity: number;
}
interface Instrument {
  instrument_name: string;
  kind: string;
  option_type?: string;
  strike?: number;
  expiration_timestamp: number;
}
interface Placed {
  order: { order_state: string; filled_amount: number; average_price: number };
  trades: { fee: number }[];
}

const EXPIRY = Date.UTC(2026, 10, 20, 8, 0);

describe('sim settlement at expiry', () => {
  it('cash-settles a long ITM call and a short ITM put at the 08:00 index and delists them', async () => {
    const sim = await openSim();
    const client = await authedClient(sim);
    const settlements = new Map<string, number>();
    sim.world.exchanges.deribit.subscribe((event: SimEvent) => {
      if (event.type === 'settlement') settlements.set(event.instrument, event.price);
    });
    try {
      const listed = ok<Instrument[]>(
        await client.call('public/get_instruments', { currency: 'BTC', kind: 'option' }),
      );
      const expiring = listed.filter((i) => i.expiration_timestamp === EXPIRY);
      assert.ok(expiring.length > 10, `${expiring.length} options expire at 08:00`);
      const index = ok<{ index_price: number }>(
        await client.call('public/get_index_price', { index_name: 'btc_usd' }),
      ).index_price;
      const pick = (type: string, wanted: (k: number) => boolean): Instrument => {
        const found = expiring
          .filter((i) => i.option_type === type && wanted(i.strike ?? 0))
          .sort((a, b) => Math.abs((a.strike ?? 0) - index) - Math.abs((b.strike ?? 0) - index))[0];
        assert.ok(found !== undefined, `no ${type}`);
        return found;
      };
      // Deep enough that an hour of index moves cannot change which side of the strike it ends.
      const call = pick('call', (k) => k < index * 0.97);
      const put = pick('put', (k) => k > index * 1.03);
      const before = ok<Summary>(
        await client.call('private/get_account_summary', { currency: 'BTC' }),
      );

      const bought = ok<Placed>(
        await client.call('private/buy', {
          instrument_name: call.instrument_name,
          amount: 1,
          type: 'market',
        }),
      );
      assert.equal(bought.order.filled_amount, 1);
      const sold = ok<Placed>(
        await client.call('private/sell', {
          instrument_name: put.instrument_name,
          amount: 1,
          type: 'market',
        }),
      );
      assert.equal(sold.order.filled_amount, 1);
      const fees = [...bought.trades, ...sold.trades].reduce((sum, t) => sum + t.fee, 0);
      const afterTrades = ok<Summary>(
        await client.call('private/get_account_summary', { currency: 'BTC' }),
      );
      const premiumFlow = -bought.order.average_price + sold.order.average_price;
      assert.ok(
        Math.abs(afterTrades.balance - (before.balance + premiumFlow - fees)) < 2e-8, // the venue prints balances to 8 decimals
        `balance ${afterTrades.balance} vs ${before.balance} + ${premiumFlow} − ${fees}`,
      );

      for (let t = sim.world.clock.now(); t < EXPIRY + 60_000; t = sim.world.clock.now()) {
        sim.advance(5 * 60_000);
      }
      const settledAt = settlements.get(call.instrument_name);
      assert.ok(settledAt !== undefined, 'the call settled');
      assert.equal(settlements.get(put.instrument_name), settledAt);

      const payoff = Math.max(settledAt - (call.strike ?? 0), 0) / settledAt;
      const putPayoff = Math.max((put.strike ?? 0) - settledAt, 0) / settledAt;
      assert.ok(payoff > 0.01, `call ${call.instrument_name} is in the money at ${settledAt}`);
      assert.ok(putPayoff > 0.01, `put ${put.instrument_name} is in the money at ${settledAt}`);
      const after = ok<Summary>(
        await client.call('private/get_account_summary', { currency: 'BTC' }),
      );
      assert.ok(
        Math.abs(after.balance - (afterTrades.balance + payoff - putPayoff)) < 2e-8, // the venue prints balances to 8 decimals
        `settled balance ${after.balance}, expected ${afterTrades.balance} + ${payoff} − ${putPayoff}`,
      );
      const positions = ok<{ instrument_name: string; size: number }[]>(
        await client.call('private/get_positions', { currency: 'BTC', kind: 'option' }),
      );
      assert.equal(positions.filter((p) => p.size !== 0).length, 0, JSON.stringify(positions));

      const relisted = ok<Instrument[]>(
        await client.call('public/get_instruments', { currency: 'BTC', kind: 'option' }),
      );
      const names = new Set(relisted.map((i) => i.instrument_name));
      assert.equal(names.has(call.instrument_name), false);
      assert.equal(names.has(put.instrument_name), false);
      assert.ok(relisted.every((i) => i.expiration_timestamp > EXPIRY));
      const before08 = new Set(listed.map((i) => i.instrument_name));
      const fresh = relisted.filter((i) => !before08.has(i.instrument_name));
      assert.ok(fresh.length > 10, `${fresh.length} new listings after 08:00`);
      const reply = await client.call('public/ticker', { instrument_name: call.instrument_name });
      assert.ok(reply.error !== undefined, 'the expired instrument no longer has a ticker');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
