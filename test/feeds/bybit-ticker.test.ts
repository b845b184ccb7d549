import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BybitTickerMerger } from '../../src/feeds/bybit/ticker.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const shapes = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const TOPIC = 'tickers.BTC-25JUN27-106000-P-USDT';

function tickerMessage(type: 'snapshot' | 'delta'): Record<string, unknown> {
  const found = shapes.find(
    (message) => field(message, 'topic') === TOPIC && field(message, 'type') === type,
  );
  assert.ok(found, `the fixture has a ${type}`);
  return structuredClone(found) as Record<string, unknown>;
}

describe('BybitTickerMerger', () => {
  it('maps a snapshot, parsing the string fields', () => {
    const event = new BybitTickerMerger().accept(tickerMessage('snapshot'));
    assert.deepEqual(event, {
      kind: 'ticker',
      venue: 'bybit',
      instrument: 'BTC-25JUN27-106000-P-USDT',
      ts: 1790373953406,
      bid: 22915,
      bidSize: 18.55,
      ask: 26205,
      askSize: 18.55,
      mark: 24465,
      index: 83885,
      forward: 86977.1,
      venueIv: { bid: 0.3285, ask: 0.4489, mark: 0.3868 },
      venueGreeks: { delta: -0.5, gamma: 0.00001, vega: 100, theta: -40 },
      // Nothing traded and nothing open: zero is a count here, not a missing value.
      volume: 0,
      openInterest: 0,
    });
  });

  it('reads the 24 h volume and open interest as contracts, carried through deltas', () => {
    const merger = new BybitTickerMerger();
    const snapshot = tickerMessage('snapshot');
    const data = snapshot['data'] as Record<string, unknown>;
    data['volume24h'] = '12.5';
    data['openInterest'] = '340.25';
    const event = merger.accept(snapshot);
    assert.equal(event?.volume, 12.5);
    assert.equal(event?.openInterest, 340.25);
    const merged = merger.accept(tickerMessage('delta'));
    assert.equal(merged?.volume, 12.5);
    assert.equal(merged?.openInterest, 340.25);
  });

  it('leaves volume and open interest out where the ticker does not carry them', () => {
    const snapshot = tickerMessage('snapshot');
    const data = snapshot['data'] as Record<string, unknown>;
    delete data['volume24h'];
    delete data['openInterest'];
    const event = new BybitTickerMerger().accept(snapshot);
    assert.ok(event);
    assert.equal('volume' in event, false);
    assert.equal('openInterest' in event, false);
  });

  it('refuses a volume that is not a decimal', () => {
    const snapshot = tickerMessage('snapshot');
    (snapshot['data'] as Record<string, unknown>)['volume24h'] = 'lots';
    assert.throws(() => new BybitTickerMerger().accept(snapshot), /"volume24h".*"lots"/);
  });

  it('merges a delta into the last snapshot, carrying unchanged fields forward', () => {
    const merger = new BybitTickerMerger();
    const snapshot = merger.accept(tickerMessage('snapshot'));
    const merged = merger.accept(tickerMessage('delta'));
    assert.ok(snapshot && merged);
    assert.equal(merged.ts, 1790373954406);
    assert.equal(merged.ask, 26200);
    assert.equal(merged.askSize, 20);
    assert.equal(merged.venueIv.ask, 0.448);
    assert.equal(merged.bid, 22915);
    assert.equal(merged.bidSize, 18.55);
    assert.equal(merged.forward, 86977.1);
    assert.deepEqual(merged.venueGreeks, snapshot.venueGreeks);
  });

  it('keeps merging from the merged state, and a new snapshot replaces it', () => {
    const merger = new BybitTickerMerger();
    merger.accept(tickerMessage('snapshot'));
    merger.accept(tickerMessage('delta'));
    const second = tickerMessage('delta');
    second['data'] = { symbol: 'BTC-25JUN27-106000-P-USDT', bidPrice: '22900' };
    const event = merger.accept(second);
    assert.equal(event?.bid, 22900);
    assert.equal(event?.ask, 26200);
    assert.equal(merger.accept(tickerMessage('snapshot'))?.ask, 26205);
  });

  it('refuses a delta that arrives before any snapshot', () => {
    assert.throws(
      () => new BybitTickerMerger().accept(tickerMessage('delta')),
      /tickers\.BTC-25JUN27-106000-P-USDT: delta arrived before any snapshot/,
    );
  });

  it('forgets everything on clear()', () => {
    const merger = new BybitTickerMerger();
    merger.accept(tickerMessage('snapshot'));
    merger.clear();
    assert.throws(() => merger.accept(tickerMessage('delta')), /before any snapshot/);
  });

  it('reads "0" and "" prices as an empty side, and a zero IV as none', () => {
    const message = tickerMessage('snapshot');
    const data = message['data'] as Record<string, unknown>;
    Object.assign(data, { bidPrice: '0', bidSize: '0', bidIv: '0', askPrice: '', askSize: '' });
    const event = new BybitTickerMerger().accept(message);
    assert.ok(event);
    assert.deepEqual(
      [event.bid, event.bidSize, event.ask, event.askSize],
      [null, null, null, null],
    );
    assert.equal(event.venueIv.bid, null);
  });

  it('rejects a malformed ticker and keeps the last good state', () => {
    const merger = new BybitTickerMerger();
    merger.accept(tickerMessage('snapshot'));
    const bad = tickerMessage('delta');
    bad['data'] = { askPrice: 'lots' };
    assert.throws(() => merger.accept(bad), /Bybit tickers\.BTC-.*"askPrice" .*"lots"/);
    assert.equal(merger.accept(tickerMessage('delta'))?.ask, 26200);
    const noTs = tickerMessage('snapshot');
    delete noTs['ts'];
    assert.throws(() => merger.accept(noTs), /"ts" must be a number/);
    const oddType = tickerMessage('snapshot');
    oddType['type'] = 'full';
    assert.throws(() => merger.accept(oddType), /"type" must be snapshot or delta/);
  });

  it('ignores everything in the recordings that is not an option ticker', () => {
    const merger = new BybitTickerMerger();
    const others = [
      ...shapes.filter((message) => field(message, 'topic') !== TOPIC),
      ...readJsonLines('bybit', 'v5-option-stream-2023-04-05.jsonl').map(({ value }) =>
        recordedMessage(value),
      ),
      { op: 'pong' },
      null,
    ];
    assert.ok(others.some((message) => field(message, 'topic') === 'tickers.BTCUSD'));
    for (const message of others) assert.equal(merger.accept(message), null);
  });
});
