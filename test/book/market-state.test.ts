import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarketEvent, TickerEvent } from '../../src/book/events.js';
import { MarketState } from '../../src/book/market-state.js';
import { deribitBookFromMessage } from '../../src/feeds/deribit/book.js';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { deribitTickerFromMessage } from '../../src/feeds/deribit/ticker.js';
import type { InstrumentSpec } from '../../src/instruments/types.js';
import { readJson, readJsonLines, recordedMessage } from '../support/fixtures.js';

const DERIBIT = 'deribit';

function instruments(): InstrumentSpec[] {
  return (['BTC', 'ETH'] as const).flatMap(
    (currency) =>
      deribitInstrumentsFromResult(readJson('deribit', `instruments-${currency}-2021-07-22.json`))
        .specs,
  );
}

function captureEvents(skipLine?: number): { line: number; event: MarketEvent }[] {
  return readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').flatMap(({ line, value }) => {
    if (line === skipLine) return [];
    const message = recordedMessage(value);
    const event = deribitBookFromMessage(message) ?? deribitTickerFromMessage(message);
    return event === null ? [] : [{ line, event }];
  });
}

function loadedState(): MarketState {
  const state = new MarketState();
  state.loadInstruments(DERIBIT, instruments(), 0);
  return state;
}

describe('MarketState on the Deribit capture', () => {
  it('builds one chain per base and premium currency from the listings', () => {
    const state = loadedState();
    assert.deepEqual(
      state
        .chains(DERIBIT)
        .map((chain) => `${chain.base}/${chain.quote}`)
        .sort(),
      ['BTC/BTC', 'ETH/ETH'],
    );
  });

  it("options take their quotes from their books, which agree with the venue's tickers", () => {
    const state = loadedState();
    const lastTicker = new Map<string, TickerEvent>();
    for (const { event } of captureEvents()) {
      state.apply(event);
      if (event.kind === 'ticker') lastTicker.set(event.instrument, event);
    }
    state.settle(Math.max(...[...lastTicker.values()].map((ticker) => ticker.ts)));
    assert.equal(lastTicker.size, 10);
    for (const [name, ticker] of lastTicker) {
      const chain = state.chain(DERIBIT, name.slice(0, 3), name.slice(0, 3))!;
      const option = chain.option(name)!;
      assert.equal(option.source, 'book', name);
      assert.equal(option.stale, false, name);
      assert.deepEqual(
        [option.bid, option.bidSize, option.ask, option.askSize],
        [ticker.bid, ticker.bidSize, ticker.ask, ticker.askSize],
        name,
      );
      assert.equal(option.mark, ticker.mark);
      assert.notEqual(option.markIv, null, name);
    }
    assert.deepEqual(state.takeResyncRequests(), []);
  });

  it('a lost change message raises one resync request and flags the option stale', () => {
    // Line 19 is a change of BTC-24SEP21-8000-P followed by further changes of that book.
    const lost = captureEvents().find(
      ({ event }) => event.kind === 'book-delta' && event.instrument === 'BTC-24SEP21-8000-P',
    )!;
    const state = loadedState();
    let resync = null;
    let staleSeen = false;
    for (const { event } of captureEvents(lost.line)) {
      const change = state.apply(event);
      if (change === 'gap') {
        const requests = state.takeResyncRequests();
        assert.equal(requests.length, 1);
        resync = requests[0];
        const option = state.chain(DERIBIT, 'BTC', 'BTC')!.option('BTC-24SEP21-8000-P')!;
        staleSeen = option.stale;
      }
    }
    assert.ok(lost.event.kind === 'book-delta');
    assert.deepEqual(resync, {
      venue: DERIBIT,
      instrument: 'BTC-24SEP21-8000-P',
      expected: lost.event.prevSequence,
      received: lost.event.sequence,
    });
    assert.equal(staleSeen, true);
    assert.deepEqual(state.takeResyncRequests(), []);
    // The venue's tickers keep supplying quotes for it, marked as such.
    const option = state.chain(DERIBIT, 'BTC', 'BTC')!.option('BTC-24SEP21-8000-P')!;
    assert.equal(option.source, 'ticker');
    assert.equal(option.stale, false);
  });

  it("a dated future's price is the forward for its expiry until the venue gives one", () => {
    const state = loadedState();
    const expiry = Date.UTC(2021, 8, 24, 8);
    state.apply({
      kind: 'book-snapshot',
      venue: DERIBIT,
      instrument: 'BTC-24SEP21',
      ts: 1,
      sequence: 1,
      bids: [32000, 1000],
      asks: [32001, 2000],
    });
    const row = state.chain(DERIBIT, 'BTC', 'BTC')!.row(expiry)!;
    assert.equal(row.forwardSource, 'future');
    assert.equal(row.forward, 32000.5);
  });

  it('listing changes: removals drop books and chain rows; expire() retires expired options', () => {
    const state = loadedState();
    for (const { event } of captureEvents()) state.apply(event);
    const all = instruments();
    const without = all.filter((spec) => spec.name !== 'BTC-24SEP21-8000-P');
    const changes = state.loadInstruments(DERIBIT, without, 2);
    assert.deepEqual(changes, [
      { kind: 'instrument-removed', venue: DERIBIT, ts: 2, instrument: 'BTC-24SEP21-8000-P' },
    ]);
    assert.equal(state.books.get(DERIBIT, 'BTC-24SEP21-8000-P'), undefined);
    const chain = state.chain(DERIBIT, 'BTC', 'BTC')!;
    assert.equal(chain.has('BTC-24SEP21-8000-P'), false);
    // Still listed, still quoted.
    assert.equal(chain.option('BTC-24SEP21-34000-P')!.source, 'book');

    const afterFirstExpiry = Date.UTC(2021, 6, 23, 8);
    const expired = state.expire(DERIBIT, afterFirstExpiry);
    assert.ok(expired.length > 0);
    assert.ok(expired.every((change) => change.kind === 'instrument-removed'));
    assert.ok(chain.rows.every((row) => row.expiry > afterFirstExpiry));
    assert.ok(
      state.chain(DERIBIT, 'ETH', 'ETH')!.rows.every((row) => row.expiry > afterFirstExpiry),
    );
  });

  it('a ticker that follows instrument-added events before any settle reaches its chain', () => {
    const state = new MarketState();
    for (const spec of instruments()) {
      state.apply({ kind: 'instrument-added', venue: DERIBIT, ts: 0, spec });
    }
    const first = captureEvents().find(({ event }) => event.kind === 'ticker')!.event;
    assert.equal(first.kind, 'ticker');
    assert.equal(state.apply(first), 'ticker');
    const base = first.instrument.slice(0, 3);
    const option = state.chain(DERIBIT, base, base)!.option(first.instrument)!;
    assert.equal(option.mark, first.mark);
    assert.equal(state.ticker(DERIBIT, first.instrument), undefined);
  });
});
