// The publisher writes numbers and commands straight into bytes (byte-text.ts, market-call.ts):
// every number must come out as the text the plain way prints (decimalText, significantText),
// and a call's bytes must be the command the script expects, on a real redis-server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { ByteText } from '../../src/store/byte-text.js';
import {
  decimalText,
  marketWrite,
  quoteFields,
  significantText,
  TEXT_RULES,
  tickerWrite,
} from '../../src/store/codec.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema, QUOTE_VALUE_FIELDS } from '../../src/store/keys.js';
import {
  callArguments,
  MarketCallEncoder,
  readRows,
  sendMarketCall,
} from '../../src/store/market-call.js';
import { writeMarket } from '../../src/store/store-writer.js';
import { sharedRedis, testPrefix } from '../support/redis.js';
import { BTC_CALL, BTC_CALL_TICKER } from './support/specs.js';

const out = new ByteText(TEXT_RULES, 16);

function decimalBytes(value: number): string {
  out.reset();
  out.decimal(value);
  return out.view().toString('latin1');
}

function significantBytes(value: number, digits: number): string {
  out.reset();
  out.significant(value, digits);
  return out.view().toString('latin1');
}

let seed = 29;
const random = (): number => {
  seed = (seed * 16_807) % 2_147_483_647;
  return seed / 2_147_483_647;
};

describe('ByteText numbers', () => {
  it('writes what decimalText prints: grid prices, sizes, times and any double', () => {
    const values: number[] = [];
    for (let n = 0; n < 100_000; n += 1) {
      // Prices on a tick grid (what venues send), then doubles of every magnitude.
      const places = Math.floor(random() * 11);
      values.push(Math.round(random() * 10 ** (3 + Math.floor(random() * 8))) / 10 ** places);
      values.push((random() < 0.5 ? -1 : 1) * random() * 10 ** Math.floor(random() * 40 - 20));
      values.push(Math.floor(random() * 2 ** 53));
    }
    values.push(0, -0, 1, -1, 0.1, 0.3, 0.1 + 0.2, 5e-324, 1e21, 1.5e300, 2 ** 53, 2 ** 53 + 2);
    values.push(1_796_648_527_734, 99_999_999, 100_000_000, 100_000_001, 0.00682677, 89_952.27);
    values.push(67_108_864.5, 90_071_992.54740991, 4.5e15 + 0.5, -0.000001, 123_456_789.123);
    for (const value of values) {
      const text = decimalBytes(value);
      assert.equal(text, decimalText(value), `${value}`);
      assert.equal(Number(text), value === 0 ? 0 : value, `${value} reads back`);
    }
  });

  it('writes what significantText prints, fast path or not', () => {
    for (let n = 0; n < 100_000; n += 1) {
      const value =
        (random() < 0.5 ? -1 : 1) * random() * 10 ** Math.floor(random() * 24 - 14) || 1;
      for (const digits of [4, 6]) {
        assert.equal(significantBytes(value, digits), significantText(value, digits), `${value}`);
      }
    }
    for (const value of [
      0.5, 0.1234565, 999_999.5, 9.999995, 1e-20, 1e20, -2.1895918632809036e-9,
    ]) {
      assert.equal(significantBytes(value, 6), significantText(value, 6), `${value}`);
    }
  });

  it('frames a RESP bulk string of any length, moving it when it is not three digits long', () => {
    for (const length of [0, 1, 9, 10, 99, 100, 999, 1000, 12_345]) {
      const text = new ByteText(TEXT_RULES, 8);
      text.byte(120);
      const start = text.beginBulk();
      text.ascii('a'.repeat(length));
      text.endBulk(start);
      text.byte(121);
      assert.equal(text.view().toString('latin1'), `x$${length}\r\n${'a'.repeat(length)}\r\ny`);
    }
  });
});

describe('market calls as bytes', () => {
  const keys = keySchema('bytes').coin('deribit', 'BTC');
  const spec = { ...BTC_CALL };
  const ticker: TickerEvent = {
    ...BTC_CALL_TICKER,
    venueGreeks: { delta: 0.41, gamma: 2.3e-7, vega: 61.2, theta: -44.5 },
    priceBand: { min: 0.0001, max: 0.2 },
    volume: 12.5,
  };

  it('a ticker written from its numbers is the call its texts make', () => {
    const index = {
      kind: 'index' as const,
      venue: 'deribit',
      base: 'BTC',
      quote: 'USD',
      ts: ticker.ts,
      price: 91_234.56,
    };
    const fromNumbers = new MarketCallEncoder(keys);
    fromNumbers.begin(1000);
    fromNumbers.addWrite(marketWrite(index, () => spec)!);
    fromNumbers.addTicker(ticker, spec);
    fromNumbers.addTicker({ ...ticker, ts: ticker.ts + 1, bid: null }, spec);
    const fromTexts = new MarketCallEncoder(keys);
    fromTexts.begin(1000);
    fromTexts.addWrite(marketWrite(index, () => spec)!);
    fromTexts.addWrite(tickerWrite(ticker, spec));
    fromTexts.addWrite(tickerWrite({ ...ticker, ts: ticker.ts + 1, bid: null }, spec));
    const a = fromNumbers.finish();
    const b = fromTexts.finish();
    assert.equal(a.updates, 3);
    assert.equal(a.bytes.toString('latin1'), b.bytes.toString('latin1'));
    const call = callArguments(a);
    // The one quote key is listed once, for both tickers.
    assert.deepEqual(call.keys, [
      keys.snapshot,
      keys.updates,
      keys.removals,
      keys.quote(spec.name),
    ]);
    const rows = readRows(call.args[1] as Buffer);
    assert.deepEqual(
      rows.map(({ op, field, ts, quoteKey }) => [op, field, ts, quoteKey]),
      [
        ['S', 'x:BTC:USD', String(ticker.ts), 0],
        ['T', `t:${spec.name}`, String(ticker.ts), 4],
        ['T', `t:${spec.name}`, String(ticker.ts + 1), 4],
      ],
    );
    // A ticker's values are its quote hash's, in QUOTE_VALUE_FIELDS order.
    const fields = quoteFields(ticker, spec);
    assert.deepEqual(
      rows[1]!.values,
      QUOTE_VALUE_FIELDS.map((field) => fields[field]),
    );
    assert.equal(rows[2]!.values[0], '');
    assert.deepEqual(rows[0]!.values, []);
    assert.deepEqual(JSON.parse(call.args[3] as string), JSON.parse(JSON.stringify(ticker)));
  });

  it('refuses a text holding a zero byte (a row ends its texts with one)', () => {
    const encoder = new MarketCallEncoder(keys);
    encoder.begin(1000);
    assert.throws(() => encoder.addTicker({ ...ticker, instrument: 'BTC\0X' }, spec), /zero byte/);
    const index = marketWrite(
      { kind: 'index', venue: 'deribit', base: 'BTC', quote: 'USD', ts: 1, price: 1 },
      () => spec,
    )!;
    assert.throws(
      () => encoder.addWrite({ ...index, field: 'x:BTC\0' } as typeof index),
      /zero byte/,
    );
    const write = tickerWrite(ticker, spec);
    assert.ok(write.op === 'set' && write.quote !== null);
    const quote = write.quote;
    // The row carries the ts once: quote values whose ts is not the update's are refused.
    const values = [...quote.values.slice(0, -1), '1'];
    assert.throws(
      () => encoder.addWrite({ ...write, quote: { ...quote, values } }),
      /not its update's/,
    );
  });

  it('refuses a length past 16 bits rather than wrap it', () => {
    const out = new ByteText(TEXT_RULES, 8);
    out.uint16(0xffff);
    assert.deepEqual([...out.view()], [0xff, 0xff]);
    assert.throws(() => out.uint16(0x10000), /65536 does not fit 16 bits/);
    assert.throws(() => out.patchUint16(0, -1), /-1 does not fit 16 bits/);
    assert.equal(out.length, 2);
  });

  describe('on a real redis-server', () => {
    let redis: Awaited<ReturnType<typeof sharedRedis>>;
    let client: RedisClient;
    before(async () => {
      redis = await sharedRedis();
      client = await openRedis(parseRedisUrl(redis.url));
    });
    after(async () => {
      client.disconnect();
      await redis.stop();
    });

    it('is run by the script, and sent again as EVAL when the server lacks it', async () => {
      const coin = keySchema(testPrefix('bytes')).coin('deribit', 'BTC');
      const specOf = (): typeof spec => spec;
      await client.script('FLUSH');
      assert.deepEqual(await writeMarket(client, coin, 'deribit', 'BTC', [ticker], { specOf }), {
        written: 1,
        dropped: 0,
      });
      const next = { ...ticker, ts: ticker.ts + 5, bid: 0.042 };
      assert.deepEqual(await writeMarket(client, coin, 'deribit', 'BTC', [next], { specOf }), {
        written: 1,
        dropped: 0,
      });
      assert.equal(await client.hget(coin.quote(spec.name), 'bid'), '0.042');
      assert.equal(await client.hget(coin.quote(spec.name), 'seq'), '2');
      assert.deepEqual(
        JSON.parse((await client.hget(coin.snapshot, `t:${spec.name}`))!),
        JSON.parse(JSON.stringify(next)),
      );
    });

    it('writes the next call in an answered call’s buffer, never in one in flight or failed', async () => {
      const coin = keySchema(testPrefix('bytes-buffers')).coin('deribit', 'BTC');
      const encoder = new MarketCallEncoder(coin);
      const call = (ts: number): ReturnType<MarketCallEncoder['finish']> => {
        encoder.begin(1000);
        encoder.addTicker({ ...ticker, ts }, spec);
        return encoder.finish();
      };
      const first = call(ticker.ts);
      assert.deepEqual(await sendMarketCall(client, first), [1, 0]);
      const second = call(ticker.ts + 1);
      assert.equal(second.buffer, first.buffer, 'an answered call’s buffer is reused');
      const answered = sendMarketCall(client, second);
      const third = call(ticker.ts + 2);
      assert.notEqual(third.buffer, second.buffer, 'a call in flight keeps its buffer');
      assert.deepEqual(await answered, [1, 0]);
      // A call that fails may still be held by the connection: its buffer is not taken again.
      const closed = await openRedis(parseRedisUrl(redis.url));
      closed.disconnect();
      await assert.rejects(sendMarketCall(closed, third));
      const fourth = call(ticker.ts + 3);
      assert.notEqual(fourth.buffer, third.buffer, 'a failed call’s buffer is left alone');
      assert.deepEqual(await sendMarketCall(client, fourth), [1, 0]);
      assert.equal(await client.hget(coin.quote(spec.name), 'ts'), String(ticker.ts + 3));
      assert.equal(await client.hget(coin.quote(spec.name), 'seq'), '3');
    });

    it('carries a value longer than a byte can count (lengths are 16-bit)', async () => {
      const coin = keySchema(testPrefix('bytes-long')).coin('deribit', 'BTC');
      const specOf = (): typeof spec => spec;
      // Never in exponent form: 1e-300 is a 302-character text.
      const tiny = { ...ticker, bid: 1e-300, bidSize: 123_456_789.123 };
      assert.ok(decimalText(tiny.bid).length > 300);
      assert.deepEqual(await writeMarket(client, coin, 'deribit', 'BTC', [tiny], { specOf }), {
        written: 1,
        dropped: 0,
      });
      const quote = await client.hgetall(coin.quote(spec.name));
      assert.equal(quote.bid, decimalText(tiny.bid));
      assert.equal(quote.bid_size, '123456789.123');
      assert.equal(quote.ask, decimalText(tiny.ask));
      assert.equal(quote.ts, String(tiny.ts));
      assert.deepEqual(
        JSON.parse((await client.hget(coin.snapshot, `t:${spec.name}`))!),
        JSON.parse(JSON.stringify(tiny)),
      );
    });
  });
});
