// The feed's pure parts, each on its own: the change-id sequencer, the 08:00 schedule, the
// hedge instrument's ticker, which requests may be repeated, channel plans, and the
// malformed-frame report's rate limit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BookSequencer } from '../../../src/feeds/deribit/book-sequencer.js';
import { deribitHedgeTickerFromMessage } from '../../../src/feeds/deribit/hedge-ticker.js';
import { DailyRefresh, nextTimeOfDay } from '../../../src/feeds/deribit/instrument-refresh.js';
import { MalformedReport } from '../../../src/feeds/deribit/malformed-report.js';
import { isRepeatable } from '../../../src/feeds/deribit/rpc-client.js';
import { marketChannels } from '../../../src/feeds/deribit/subscriptions.js';
import { WireFormatError } from '../../../src/feeds/wire-fields.js';

describe('BookSequencer', () => {
  it('passes an unbroken chain and drops repeats quietly', () => {
    const books = new BookSequencer();
    assert.equal(books.change('A', 1, 2), 'awaiting-snapshot');
    assert.equal(books.snapshot('A', 10), 'first');
    assert.equal(books.change('A', 10, 11), 'apply');
    assert.equal(books.change('A', 11, 14), 'apply');
    assert.equal(books.change('A', 11, 14), 'duplicate');
    assert.equal(books.change('A', 10, 11), 'duplicate');
  });

  it('breaks on a gap, ignores the book until its snapshot, and says why it came', () => {
    const books = new BookSequencer();
    books.snapshot('A', 10);
    assert.equal(books.change('A', 12, 13), 'gap');
    assert.equal(books.isResyncing('A'), true);
    assert.equal(books.change('A', 10, 11), 'awaiting-snapshot', 'the late one is no use now');
    assert.equal(books.snapshot('A', 20), 'after-gap');
    assert.equal(books.isResyncing('A'), false);
    assert.equal(books.change('A', 20, 21), 'apply');
  });

  it('breaks an intact book on outside evidence, and only an intact one', () => {
    const books = new BookSequencer();
    assert.equal(books.markBroken('A'), false, 'nothing to break before a snapshot');
    books.snapshot('A', 10);
    assert.equal(books.markBroken('A'), true);
    assert.equal(books.markBroken('A'), false, 'already waiting for its snapshot');
    assert.equal(books.change('A', 10, 11), 'awaiting-snapshot');
    assert.equal(books.snapshot('A', 12), 'after-gap');
  });

  it('starts every book over after a lost connection', () => {
    const books = new BookSequencer();
    books.snapshot('A', 10);
    books.snapshot('B', 5);
    books.change('B', 7, 8);
    books.connectionLost();
    assert.equal(books.change('A', 10, 11), 'awaiting-snapshot');
    assert.equal(books.snapshot('A', 30), 'after-reconnect');
    assert.equal(books.snapshot('B', 30), 'after-gap', 'B broke before the drop');
    books.forget('A');
    assert.equal(books.snapshot('A', 31), 'first');
  });
});

describe('the daily refresh schedule', () => {
  const at = (iso: string): number => Date.parse(iso);

  it('falls at 08:00 UTC and again at 08:10, on the venue clock', () => {
    const times = [8 * 3_600_000, 8 * 3_600_000 + 600_000];
    assert.equal(nextTimeOfDay(at('2026-11-20T07:00:00Z'), times), at('2026-11-20T08:00:00Z'));
    assert.equal(nextTimeOfDay(at('2026-11-20T08:00:00Z'), times), at('2026-11-20T08:10:00Z'));
    assert.equal(nextTimeOfDay(at('2026-11-20T08:10:00Z'), times), at('2026-11-21T08:00:00Z'));
    assert.equal(nextTimeOfDay(at('2026-12-31T23:59:59Z'), times), at('2027-01-01T08:00:00Z'));
  });

  it('is due once when venue time passes it, until armed again', () => {
    const refresh = new DailyRefresh();
    assert.equal(refresh.due(at('2030-01-01T00:00:00Z')), false, 'not before the first load');
    refresh.arm(at('2026-11-20T07:00:00Z'));
    assert.equal(refresh.due(at('2026-11-20T07:59:59.999Z')), false);
    assert.equal(refresh.due(at('2026-11-20T08:00:00.250Z')), true);
    assert.equal(refresh.due(at('2026-11-20T08:00:01Z')), false, 'once');
    refresh.arm(at('2026-11-20T08:00:01Z'));
    assert.equal(refresh.nextAt, at('2026-11-20T08:10:00Z'));
  });
});

describe('deribitHedgeTickerFromMessage', () => {
  const perpetual = (data: Record<string, unknown>): unknown => ({
    jsonrpc: '2.0',
    method: 'subscription',
    params: {
      channel: 'ticker.BTC-PERPETUAL.100ms',
      data: {
        timestamp: 1795158002000,
        instrument_name: 'BTC-PERPETUAL',
        mark_price: 90012.5,
        index_price: 89995.17,
        best_bid_price: 90010,
        best_bid_amount: 25000,
        best_ask_price: 90015,
        best_ask_amount: 12000,
        funding_8h: 0.0001,
        ...data,
      },
    },
  });

  it('maps a perpetual top, with no forward, IVs or greeks of its own', () => {
    assert.deepEqual(deribitHedgeTickerFromMessage(perpetual({})), {
      kind: 'ticker',
      venue: 'deribit',
      instrument: 'BTC-PERPETUAL',
      ts: 1795158002000,
      bid: 90010,
      bidSize: 25000,
      ask: 90015,
      askSize: 12000,
      mark: 90012.5,
      index: 89995.17,
      forward: null,
      venueIv: { bid: null, ask: null, mark: null },
      venueGreeks: null,
    });
  });

  it('reads an empty side as null, and leaves option tickers to the option mapper', () => {
    const empty = deribitHedgeTickerFromMessage(
      perpetual({ best_ask_price: 0, best_ask_amount: 0 }),
    );
    assert.equal(empty?.ask, null);
    assert.equal(empty?.askSize, null);
    const option = {
      method: 'subscription',
      params: { channel: 'ticker.BTC-27NOV26-90000-C.raw', data: {} },
    };
    assert.equal(deribitHedgeTickerFromMessage(option), null);
    assert.equal(deribitHedgeTickerFromMessage({ method: 'heartbeat' }), null);
  });

  it('refuses a ticker missing what ivtrade relies on', () => {
    assert.throws(
      () => deribitHedgeTickerFromMessage(perpetual({ mark_price: undefined })),
      (error: unknown) => error instanceof WireFormatError && /mark_price/.test(error.message),
    );
    assert.throws(
      () => deribitHedgeTickerFromMessage(perpetual({ instrument_name: 'ETH-PERPETUAL' })),
      WireFormatError,
    );
  });
});

describe('isRepeatable', () => {
  it('repeats reads and subscriptions, never orders or a spent refresh token', () => {
    for (const method of [
      'public/subscribe',
      'public/get_instruments',
      'private/get_positions',
      'private/subscribe',
    ]) {
      assert.equal(isRepeatable(method, {}), true, method);
    }
    for (const method of [
      'private/buy',
      'private/sell',
      'private/edit',
      'private/cancel',
      'private/cancel_all',
      'private/cancel_by_label',
    ]) {
      assert.equal(isRepeatable(method, {}), false, method);
    }
    assert.equal(isRepeatable('public/auth', { grant_type: 'client_credentials' }), true);
    assert.equal(isRepeatable('public/auth', { grant_type: 'refresh_token' }), false);
  });
});

describe('marketChannels', () => {
  it('asks for raw data only on a logged-in connection', () => {
    const plan = {
      options: ['BTC-27NOV26-90000-C'],
      books: ['BTC-27NOV26-90000-C'],
      coins: ['BTC'],
      hedgeInstruments: ['BTC-PERPETUAL'],
    };
    assert.deepEqual(marketChannels({ ...plan, authenticated: false }), [
      'deribit_price_index.btc_usd',
      'trades.option.BTC.100ms',
      'ticker.BTC-PERPETUAL.100ms',
      'book.BTC-PERPETUAL.none.1.100ms',
      'ticker.BTC-27NOV26-90000-C.100ms',
      'book.BTC-27NOV26-90000-C.100ms',
    ]);
    assert.deepEqual(marketChannels({ ...plan, authenticated: true }).slice(4), [
      'ticker.BTC-27NOV26-90000-C.raw',
      'book.BTC-27NOV26-90000-C.raw',
    ]);
  });

  it("follows a linear coin's usdc index, and DVOL only where Deribit publishes one", () => {
    const plan = {
      options: [],
      books: [],
      coins: ['ETH', 'SOL'],
      hedgeInstruments: ['SOL_USDC-PERPETUAL'],
      authenticated: false,
      volatilityIndex: true,
    };
    assert.deepEqual(marketChannels(plan).slice(0, 5), [
      'deribit_price_index.eth_usd',
      'deribit_price_index.sol_usdc',
      'trades.option.ETH.100ms',
      'trades.option.USDC.100ms',
      'deribit_volatility_index.eth_usd',
    ]);
    assert.equal(marketChannels(plan)[5], 'ticker.SOL_USDC-PERPETUAL.100ms');
  });
});

describe('MalformedReport', () => {
  it('logs every frame and reports at most once per interval, with the count', async () => {
    const emitted: [number, string][] = [];
    const logged: string[] = [];
    let clock = 0;
    const report = new MalformedReport({
      emit: (count, detail) => emitted.push([count, detail]),
      log: (line) => logged.push(line),
      intervalMs: 30,
      now: () => clock,
    });
    report.report('a');
    report.report('b');
    report.report('c');
    assert.deepEqual(emitted, [[1, 'a']]);
    assert.equal(logged.length, 3);
    // The held-back count comes out when the interval's timer fires.
    while (emitted.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(emitted, [
      [1, 'a'],
      [2, 'c'],
    ]);
    clock = 1_000;
    report.report('d');
    report.stop();
    assert.deepEqual(emitted.at(-1), [1, 'd'], 'after a quiet interval the next one goes at once');
  });
});
