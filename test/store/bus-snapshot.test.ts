// Reading serve's hashes and stream entries back into events (pure): what is read, what is
// ignored, what is counted malformed, and the stamp of an account snapshot.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderEvent, PositionEvent, StatusEvent, TickerEvent } from '../../src/book/events.js';
import {
  parseEvent,
  positionOf,
  readCoinSnapshot,
  readEntry,
  readVenueSnapshot,
  STREAM_START,
} from '../../src/store/bus-snapshot.js';
import { BTC_PERPETUAL } from './support/specs.js';

const PERPETUAL = BTC_PERPETUAL;

const TICKER: TickerEvent = {
  kind: 'ticker',
  venue: 'deribit',
  instrument: 'BTC-PERPETUAL',
  ts: 1_000,
  bid: 90_000,
  bidSize: 10,
  ask: 90_000.5,
  askSize: 20,
  mark: 90_000.2,
  index: 89_990,
  forward: null,
  venueIv: { bid: null, ask: null, mark: null },
  venueGreeks: null,
};

function order(orderId: string, ts: number): OrderEvent {
  return {
    kind: 'order',
    venue: 'deribit',
    ts,
    orderId,
    label: null,
    instrument: 'BTC-PERPETUAL',
    side: 'buy',
    orderType: 'limit',
    status: 'open',
    price: 80_000,
    iv: null,
    triggerPrice: null,
    amount: 10,
    filled: 0,
    averagePrice: null,
    postOnly: false,
    reduceOnly: false,
    reason: null,
  };
}

describe('reading a coin snapshot', () => {
  it('lists from listing events or bare specs, then index, tickers and books', () => {
    const snapshot = readCoinSnapshot(
      {
        'i:BTC-PERPETUAL': JSON.stringify({
          kind: 'instrument-added',
          venue: 'deribit',
          ts: 500,
          spec: PERPETUAL,
        }),
        'i:BTC-OTHER': JSON.stringify({ ...PERPETUAL, name: 'BTC-OTHER' }),
        't:BTC-PERPETUAL': JSON.stringify(TICKER),
        'x:BTC:USD': JSON.stringify({
          kind: 'index',
          venue: 'deribit',
          base: 'BTC',
          quote: 'USD',
          ts: 900,
          price: 89_990,
        }),
        '~seq': '42',
        '~id': '1700000000000-3',
        '~ts:t:BTC-PERPETUAL': '1000',
        'z:later-version': 'whatever',
      },
      'deribit',
      7,
    );
    assert.deepEqual(
      snapshot.listing.map((event) => [event.spec.name, event.ts]),
      [
        ['BTC-PERPETUAL', 500],
        ['BTC-OTHER', 7],
      ],
    );
    assert.deepEqual(
      snapshot.events.map((event) => event.kind),
      ['index', 'ticker'],
    );
    assert.deepEqual(snapshot.position, { id: '1700000000000-3', seq: 42 });
    assert.equal(snapshot.malformed, 0);
  });

  it('counts fields that are not what they say and skips them', () => {
    const snapshot = readCoinSnapshot(
      {
        'i:X': '{not json',
        't:Y': JSON.stringify({ ...TICKER, kind: 'trade' }),
        'b:Z': JSON.stringify({ kind: 'book-snapshot' }),
        'i:W': JSON.stringify({ name: 'W', kind: 'swap', base: 'BTC' }),
      },
      'deribit',
      0,
    );
    assert.equal(snapshot.listing.length, 0);
    assert.equal(snapshot.events.length, 0);
    assert.equal(snapshot.malformed, 4);
    assert.deepEqual(snapshot.position, STREAM_START);
  });
});

describe('reading the venue state', () => {
  it('makes one account snapshot of o:/p:/b: and relays statuses', () => {
    const position: PositionEvent = {
      kind: 'position',
      venue: 'deribit',
      ts: 3_000,
      instrument: 'BTC-PERPETUAL',
      size: 100,
      averagePrice: 90_000,
      markPrice: null,
      unrealizedPnl: null,
      realizedPnl: null,
      venueDelta: null,
    };
    const status: StatusEvent = {
      kind: 'status',
      venue: 'deribit',
      ts: 9_999_999,
      stream: 'public',
      status: 'live',
    };
    const snapshot = readVenueSnapshot(
      {
        'o:1': JSON.stringify(order('1', 2_000)),
        'p:BTC-PERPETUAL': JSON.stringify(position),
        's:public': JSON.stringify(status),
        '~ts:@snap': '1',
      },
      'deribit',
      0,
    );
    assert.deepEqual(
      snapshot.account.orders.map((o) => o.orderId),
      ['1'],
    );
    assert.equal(snapshot.account.positions.length, 1);
    assert.equal(snapshot.account.balances.length, 0);
    // Stamped with the newest account item: a status's local clock is not the venue's.
    assert.equal(snapshot.account.ts, 3_000);
    assert.deepEqual(snapshot.statuses, [status]);
  });

  it('never stamps a snapshot before what the reader already applied', () => {
    const snapshot = readVenueSnapshot(
      { 'o:1': JSON.stringify(order('1', 2_000)) },
      'deribit',
      5_000,
    );
    assert.equal(snapshot.account.ts, 5_000);
    assert.equal(readVenueSnapshot({}, 'deribit', 0).account.ts, 0);
  });
});

describe('reading stream entries', () => {
  it('takes s and e in any order, and refuses an entry without a sequence', () => {
    const text = JSON.stringify(TICKER);
    assert.deepEqual(readEntry(['e', text, 's', '7']), { seq: 7, events: [TICKER] });
    assert.deepEqual(readEntry(['s', '7', 'e', '{}']), { seq: 7, events: [null] });
    assert.equal(readEntry(['e', text]), null);
    assert.equal(readEntry(['s', 'x', 'e', text]), null);
    assert.equal(readEntry(['s', '7']), null);
  });

  it('takes every e of an entry, in order; what is not an event is null in place', () => {
    const later = { ...TICKER, ts: TICKER.ts + 1 };
    const [first, second] = [JSON.stringify(TICKER), JSON.stringify(later)];
    assert.deepEqual(readEntry(['s', '3', 'e', first, 'e', second]), {
      seq: 3,
      events: [TICKER, later],
    });
    assert.deepEqual(readEntry(['s', '3', 'e', first, 'e', '{"kind":"x"}', 'e', '7']), {
      seq: 3,
      events: [TICKER, null, null],
    });
    // Not JSON: the entry still counts (its sequence), that event is malformed.
    assert.deepEqual(readEntry(['s', '5', 'e', '[{']), { seq: 5, events: [null] });
    // A field of another format (version 1's `b` array) is not an event of this one.
    assert.equal(readEntry(['s', '6', 'b', `[${first}]`]), null);
    assert.equal(readEntry(['e', first, 'e', second]), null);
  });

  it('parses only events of a known kind with a venue', () => {
    assert.equal(parseEvent(JSON.stringify(TICKER))?.kind, 'ticker');
    assert.equal(parseEvent(JSON.stringify({ ...TICKER, kind: 'mystery' })), null);
    assert.equal(parseEvent(JSON.stringify({ kind: 'ticker' })), null);
    assert.equal(parseEvent('[1,2]'), null);
    assert.equal(parseEvent('nope'), null);
  });

  it('starts from the beginning of a stream when nothing was written with the snapshot', () => {
    assert.deepEqual(positionOf({}), STREAM_START);
    assert.deepEqual(positionOf({ '~seq': '-1', '~id': '1-0' }), STREAM_START);
    assert.deepEqual(positionOf({ '~seq': '3', '~id': '1-0' }), { id: '1-0', seq: 3 });
  });
});
