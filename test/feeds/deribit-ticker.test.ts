import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deribitTickerFromMessage } from '../../src/feeds/deribit/ticker.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const capture = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ line, value }) => ({
  line,
  message: recordedMessage(value),
}));

function channelOf(message: unknown): string | undefined {
  return field(message, 'params', 'channel') as string | undefined;
}

/** A fresh copy of the first ticker of the capture, for editing into bad shapes. */
function firstTicker(): { message: unknown; data: Record<string, unknown> } {
  const recorded = capture.find(({ message }) => channelOf(message)?.startsWith('ticker.'));
  assert.ok(recorded);
  const message = structuredClone(recorded.message);
  return { message, data: field(message, 'params', 'data') as Record<string, unknown> };
}

describe('deribitTickerFromMessage', () => {
  it('maps line 2 of the capture exactly', () => {
    const line2 = capture.find(({ line }) => line === 2);
    assert.ok(line2);
    assert.deepEqual(deribitTickerFromMessage(line2.message), {
      kind: 'ticker',
      venue: 'deribit',
      instrument: 'ETH-30JUL21-2800-C',
      ts: 1626993723632,
      bid: 0.0015,
      bidSize: 4714,
      ask: 0.0025,
      askSize: 873,
      mark: 0.001972,
      index: 2006.72,
      forward: 2003.61,
      venueIv: { bid: 1.1562, ask: 1.2563, mark: 1.2074 },
      venueGreeks: { delta: 0.03127, gamma: 0.0002, vega: 0.20072, theta: -1.64029 },
      // The venue's order price band, which the gateway holds orders to.
      priceBand: { min: 0.0001, max: 0.025 },
      // stats.volume and open_interest, in contracts.
      volume: 869,
      openInterest: 12685,
    });
  });

  it('reads a null stats.volume (no trade in 24 h) as null, not zero', () => {
    const nulls = capture.filter(
      ({ message }) =>
        channelOf(message)?.startsWith('ticker.') &&
        field(message, 'params', 'data', 'stats', 'volume') === null,
    );
    assert.ok(nulls.length > 0, 'the capture has a ticker without volume');
    for (const { line, message } of nulls) {
      const event = deribitTickerFromMessage(message);
      assert.equal(event?.volume, null, `line ${line}`);
      assert.equal(
        event?.openInterest,
        field(message, 'params', 'data', 'open_interest'),
        `line ${line}`,
      );
    }
  });

  it('leaves volume and open interest out where the ticker does not carry them', () => {
    const { message, data } = firstTicker();
    delete data['stats'];
    delete data['open_interest'];
    const event = deribitTickerFromMessage(message);
    assert.ok(event);
    assert.equal('volume' in event, false);
    assert.equal('openInterest' in event, false);
  });

  it('maps every ticker line and nothing else', () => {
    let tickers = 0;
    for (const { line, message } of capture) {
      const channel = channelOf(message);
      const event = deribitTickerFromMessage(message);
      if (channel?.startsWith('ticker.')) {
        tickers += 1;
        assert.ok(event, `line ${line}`);
        assert.equal(`ticker.${event.instrument}.raw`, channel, `line ${line}`);
        assert.equal(event.ts, field(message, 'params', 'data', 'timestamp'), `line ${line}`);
      } else {
        assert.equal(event, null, `line ${line} (${channel ?? 'no channel'})`);
      }
    }
    assert.equal(tickers, 89);
  });

  it('turns an empty book side and a zero IV into null', () => {
    const line3 = capture.find(({ line }) => line === 3);
    assert.ok(line3);
    const event = deribitTickerFromMessage(line3.message);
    assert.ok(event);
    assert.equal(event.instrument, 'ETH-27AUG21-4000-P');
    assert.deepEqual(
      [event.bid, event.bidSize, event.ask, event.askSize],
      [null, null, null, null],
    );
    assert.deepEqual(event.venueIv, { bid: null, ask: null, mark: 1.172 });
  });

  it('treats the documented null best price as an empty side', () => {
    const { message, data } = firstTicker();
    data['best_ask_price'] = null;
    data['best_ask_amount'] = null;
    const event = deribitTickerFromMessage(message);
    assert.equal(event?.ask, null);
    assert.equal(event?.askSize, null);
    assert.equal(event?.bid, 0.0015);
  });

  it('ignores messages that are not option tickers', () => {
    const others: unknown[] = [
      null,
      42,
      'ticker.BTC-27DEC24-100000-C.raw',
      {},
      { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } },
      { jsonrpc: '2.0', id: 7, result: ['ticker.BTC-27DEC24-100000-C.raw'] },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'book.BTC-PERPETUAL.raw' } },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'ticker.BTC-PERPETUAL.raw' } },
      { jsonrpc: '2.0', method: 'subscription', params: { channel: 'ticker.BTC-27DEC24.100ms' } },
    ];
    for (const message of others) assert.equal(deribitTickerFromMessage(message), null);
  });

  const breakages: [what: string, edit: (data: Record<string, unknown>) => void, says: RegExp][] = [
    ['a missing mark price', (data) => delete data['mark_price'], /"mark_price" .* missing/],
    ['a text timestamp', (data) => (data['timestamp'] = 'soon'), /"timestamp" .*"soon"/],
    ['a missing forward', (data) => delete data['underlying_price'], /"underlying_price"/],
    ['missing greeks', (data) => delete data['greeks'], /"greeks" must be an object/],
    ['a NaN-ish greek', (data) => (data['greeks'] = { delta: 'x' }), /greeks: "delta"/],
    ['a text bid', (data) => (data['best_bid_price'] = '0.1'), /"best_bid_price"/],
    ['another instrument', (data) => (data['instrument_name'] = 'X'), /data is for "X"/],
    ['a text volume', (data) => (data['stats'] = { volume: '9' }), /stats: "volume"/],
    ['a text open interest', (data) => (data['open_interest'] = '9'), /"open_interest"/],
  ];
  for (const [what, edit, says] of breakages) {
    it(`throws, naming the channel, on ${what}`, () => {
      const { message, data } = firstTicker();
      edit(data);
      assert.throws(
        () => deribitTickerFromMessage(message),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.match(error.message, /^Deribit ticker\.ETH-30JUL21-2800-C\.raw[: ]/);
          assert.match(error.message, says);
          return true;
        },
      );
    });
  }

  it('throws when a ticker notification has no data', () => {
    const message = {
      jsonrpc: '2.0',
      method: 'subscription',
      params: { channel: 'ticker.BTC-27DEC24-100000-C.100ms' },
    };
    assert.throws(() => deribitTickerFromMessage(message), /"data" must be an object/);
  });
});
