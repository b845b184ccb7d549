import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { OptionChain } from '../../src/book/option-chain.js';
import { OrderBook } from '../../src/book/order-book.js';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { deribitTickerFromMessage } from '../../src/feeds/deribit/ticker.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { black76Greeks, black76Price, impliedVol, yearFraction } from '../../src/pricing/index.js';
import { readJson, readJsonLines, recordedMessage } from '../support/fixtures.js';

interface RawInstrument {
  instrument_name: string;
  kind: string;
  strike?: number;
  expiration_timestamp: number;
}

function optionsOf(currency: 'BTC' | 'ETH'): { specs: OptionSpec[]; raw: RawInstrument[] } {
  const result = readJson('deribit', `instruments-${currency}-2021-07-22.json`);
  const { specs, rejected } = deribitInstrumentsFromResult(result);
  assert.deepEqual(rejected, []);
  return {
    specs: specs.filter((spec): spec is OptionSpec => spec.kind === 'option'),
    raw: (result as RawInstrument[]).filter((record) => record.kind === 'option'),
  };
}

const tickers = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl')
  .map(({ value }) => deribitTickerFromMessage(recordedMessage(value)))
  .filter((ticker): ticker is TickerEvent => ticker !== null);

function lastTickerPer(prefix: string): Map<string, TickerEvent> {
  const last = new Map<string, TickerEvent>();
  for (const ticker of tickers)
    if (ticker.instrument.startsWith(prefix)) last.set(ticker.instrument, ticker);
  return last;
}

describe('OptionChain on the 2021-07-22 Deribit instruments and capture', () => {
  for (const currency of ['BTC', 'ETH'] as const) {
    it(`${currency}: expiries and strikes are the instrument list's`, () => {
      const { specs, raw } = optionsOf(currency);
      const chain = new OptionChain('deribit', currency, currency, specs);
      const expiries = [...new Set(raw.map((record) => record.expiration_timestamp))].sort(
        (a, b) => a - b,
      );
      assert.deepEqual(
        chain.rows.map((row) => row.expiry),
        expiries,
      );
      for (const row of chain.rows) {
        const strikes = [
          ...new Set(
            raw
              .filter((record) => record.expiration_timestamp === row.expiry)
              .map((record) => record.strike!),
          ),
        ].sort((a, b) => a - b);
        assert.deepEqual([...row.strikes], strikes);
      }
      assert.equal(chain.options.length, raw.length);
    });
  }

  it("forwards are the venue's underlying prices; ATM is the nearest strike", () => {
    const { specs } = optionsOf('BTC');
    const chain = new OptionChain('deribit', 'BTC', 'BTC', specs);
    for (const ticker of tickers) chain.applyTicker(ticker);
    const last = lastTickerPer('BTC-');
    const lastByExpiry = new Map<number, TickerEvent>();
    for (const ticker of tickers) {
      const spec = specs.find((option) => option.name === ticker.instrument);
      if (spec !== undefined) lastByExpiry.set(spec.expiry, ticker);
    }
    // 31DEC21, 30JUL21, 25MAR22, 24SEP21 and 24JUN22.
    assert.equal(lastByExpiry.size, 5);
    for (const row of chain.rows) {
      const ticker = lastByExpiry.get(row.expiry);
      if (ticker === undefined) {
        assert.equal(row.forwardSource, 'none');
        assert.ok(Number.isNaN(row.forward));
        assert.equal(row.atmIndex, -1);
        continue;
      }
      assert.equal(row.forwardSource, 'venue');
      assert.equal(row.forward, ticker.forward);
      const distances = [...row.strikes].map((strike) => Math.abs(strike - ticker.forward!));
      assert.equal(row.atmIndex, distances.indexOf(Math.min(...distances)));
    }
    assert.equal(last.size, 7);
  });

  it('per-option IVs and greeks after every ticker: the pricing core at the row forward, close to the venue', () => {
    let checked = 0;
    let comparedWithVenue = 0;
    for (const currency of ['BTC', 'ETH'] as const) {
      const { specs } = optionsOf(currency);
      const chain = new OptionChain('deribit', currency, currency, specs);
      for (const ticker of tickers) {
        if (!chain.applyTicker(ticker)) continue;
        chain.settle(ticker.ts);
        const option = chain.option(ticker.instrument);
        assert.ok(option, ticker.instrument);
        const row = chain.row(option.spec.expiry)!;
        assert.equal(row.forward, ticker.forward);
        const years = yearFraction(ticker.ts, option.spec.expiry);
        const F = row.forward;
        const K = option.spec.strike;
        const type = option.spec.type;
        // Exactly what the pricing core gives for these inputs (coin premiums × F → USD).
        const expectedIv = (premium: number | null): number | null =>
          premium === null ? null : impliedVol(premium * F, F, K, years, type);
        assert.equal(option.bid, ticker.bid);
        assert.equal(option.ask, ticker.ask);
        assert.equal(option.mark, ticker.mark);
        assert.equal(option.source, 'ticker');
        assert.equal(option.bidIv, expectedIv(ticker.bid));
        assert.equal(option.askIv, expectedIv(ticker.ask));
        assert.equal(option.markIv, expectedIv(ticker.mark));
        const greeks = black76Greeks(F, K, years, option.markIv!, type);
        assert.equal(option.delta, greeks.delta);
        assert.equal(option.gamma, greeks.gamma);
        assert.equal(option.vega, greeks.vega);
        assert.equal(option.theta, greeks.theta);
        checked += 1;
        // And the venue's own: its mark IV has two decimals of a percent and its mark price
        // is rounded, so agreement is to a few hundredths of a vol point where vega is not
        // negligible (the rule and the exceptions are in the greeks acceptance test).
        const venueVega = ticker.venueGreeks!.vega;
        if (venueVega < 0.01 || venueVega < 0.001 * ticker.mark! * F) continue;
        const where = `${ticker.instrument} at ${ticker.ts}`;
        comparedWithVenue += 1;
        assert.ok(Math.abs(option.markIv! - ticker.venueIv.mark!) < 5e-4, `${where} mark IV`);
        assert.ok(Math.abs(option.delta - ticker.venueGreeks!.delta) < 2e-3, `${where} delta`);
      }
    }
    assert.equal(checked, 89);
    // 13 tickers of far-wing options have a vega too small to pin an IV on.
    assert.equal(comparedWithVenue, 76);
  });
});

// A synthetic inverse expiry priced with Black-76 at F = 30,000 and σ = 60 %.
const NOW = Date.UTC(2026, 10, 21, 8);
const EXPIRY = Date.UTC(2026, 11, 25, 8);
const STRIKES = [20000, 25000, 28000, 30000, 32000, 35000, 40000];

function syntheticSpecs(): OptionSpec[] {
  return STRIKES.flatMap((strike) =>
    (['call', 'put'] as const).map((type) => ({
      kind: 'option' as const,
      name: `BTC-25DEC26-${strike}-${type === 'call' ? 'C' : 'P'}`,
      base: 'BTC',
      quote: 'BTC',
      settlement: 'inverse' as const,
      settleCurrency: 'BTC',
      expiry: EXPIRY,
      strike,
      type,
      tickSize: 0.0005,
      tickSteps: [],
      lotSize: 0.1,
      minSize: 0.1,
      contractSize: 1,
      sizeUnit: 'base' as const,
    })),
  );
}

function coinPremium(strike: number, type: 'call' | 'put', forward = 30000): number {
  return black76Price(forward, strike, yearFraction(NOW, EXPIRY), 0.6, type) / forward;
}

function ticker(name: string, fields: Partial<TickerEvent>): TickerEvent {
  return {
    kind: 'ticker',
    venue: 'sim',
    instrument: name,
    ts: NOW,
    bid: null,
    bidSize: null,
    ask: null,
    askSize: null,
    mark: null,
    index: null,
    forward: null,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
    ...fields,
  };
}

function quotedChain(forward: number | null): OptionChain {
  const chain = new OptionChain('sim', 'BTC', 'BTC', syntheticSpecs());
  for (const spec of syntheticSpecs()) {
    const value = coinPremium(spec.strike, spec.type);
    chain.applyTicker(
      ticker(spec.name, {
        bid: value - 0.0005,
        bidSize: 1,
        ask: value + 0.0005,
        askSize: 1,
        mark: value,
        forward,
      }),
    );
  }
  return chain;
}

describe('OptionChain forwards and incremental repricing', () => {
  it('without a venue forward, put–call parity of mids recovers the forward', () => {
    const chain = quotedChain(null);
    const row = chain.rows[0]!;
    assert.equal(row.dirty, true);
    assert.equal(chain.settle(NOW), 1);
    assert.equal(row.forwardSource, 'parity');
    assert.ok(Math.abs(row.forward / 30000 - 1) < 1e-12, `forward ${row.forward}`);
    assert.equal(row.strikes[row.atmIndex], 30000);
    const atmCall = chain.option('BTC-25DEC26-30000-C')!;
    assert.ok(Math.abs(atmCall.markIv! - 0.6) < 1e-9, `mark IV ${atmCall.markIv}`);
  });

  it('a matching future beats parity; the venue forward beats both', () => {
    const chain = quotedChain(null);
    chain.applyFuturePrice(EXPIRY, 30500);
    const row = chain.rows[0]!;
    assert.equal(row.forwardSource, 'future');
    assert.equal(row.forward, 30500);
    assert.equal(row.strikes[row.atmIndex], 30000);
    chain.applyTicker(ticker('BTC-25DEC26-32000-C', { forward: 31900, mark: 0.05 }));
    assert.equal(row.forwardSource, 'venue');
    assert.equal(row.forward, 31900);
    assert.equal(row.strikes[row.atmIndex], 32000);
  });

  it('a quote change reprices one option at once; a forward move waits for settle', () => {
    const chain = quotedChain(30000);
    chain.settle(NOW);
    const row = chain.rows[0]!;
    assert.equal(row.dirty, false);
    const before = chain.option('BTC-25DEC26-35000-C')!;
    const newMark = coinPremium(35000, 'call') * 1.1;
    chain.applyTicker(ticker('BTC-25DEC26-35000-C', { mark: newMark, forward: 30000 }));
    const after = chain.option('BTC-25DEC26-35000-C')!;
    assert.ok(after.markIv! > before.markIv!);
    assert.equal(row.dirty, false);

    const untouched = chain.option('BTC-25DEC26-25000-P')!;
    chain.applyTicker(ticker('BTC-25DEC26-40000-C', { forward: 30300 }));
    assert.equal(row.dirty, true);
    assert.deepEqual(chain.option('BTC-25DEC26-25000-P'), untouched);
    assert.equal(chain.settle(NOW), 1);
    assert.equal(chain.settle(NOW), 0);
    const repriced = chain.option('BTC-25DEC26-25000-P')!;
    const years = yearFraction(NOW, EXPIRY);
    const premium = repriced.mark! * 30300;
    assert.equal(repriced.markIv, impliedVol(premium, 30300, 25000, years, 'put'));
    assert.notEqual(repriced.markIv, untouched.markIv);
  });

  it("a good book's top beats the ticker's; a broken book is flagged and the ticker takes over", () => {
    const chain = quotedChain(30000);
    const name = 'BTC-25DEC26-30000-C';
    const book = new OrderBook('sim', name);
    book.applySnapshot(1, NOW, [0.09, 2], [0.1, 3]);
    chain.applyBookTop(book, NOW);
    let option = chain.option(name)!;
    assert.deepEqual([option.bid, option.bidSize, option.ask, option.askSize], [0.09, 2, 0.1, 3]);
    assert.equal(option.source, 'book');
    chain.applyTicker(ticker(name, { bid: 0.08, bidSize: 9, ask: 0.11, askSize: 9, mark: 0.095 }));
    option = chain.option(name)!;
    assert.deepEqual([option.bid, option.ask, option.mark], [0.09, 0.1, 0.095]);

    book.applyDelta(5, 6, NOW, [0.091, 1], []);
    assert.equal(book.state, 'stale');
    chain.applyBookTop(book, NOW);
    option = chain.option(name)!;
    assert.equal(option.stale, true);
    assert.equal(option.source, 'none');

    chain.applyTicker(ticker(name, { bid: 0.08, bidSize: 9, ask: 0.11, askSize: 9, mark: 0.095 }));
    option = chain.option(name)!;
    assert.deepEqual(
      [option.bid, option.ask, option.source, option.stale],
      [0.08, 0.11, 'ticker', false],
    );

    book.applySnapshot(10, NOW, [0.092, 1], [0.099, 1]);
    chain.applyBookTop(book, NOW);
    option = chain.option(name)!;
    assert.deepEqual([option.bid, option.ask, option.source], [0.092, 0.099, 'book']);
  });

  it('relisting keeps the state of options still listed and drops the rest', () => {
    const chain = quotedChain(30000);
    chain.settle(NOW);
    const kept = chain.option('BTC-25DEC26-30000-C');
    const fewer = syntheticSpecs().filter((spec) => spec.strike !== 40000);
    chain.relist(fewer);
    assert.equal(chain.has('BTC-25DEC26-40000-C'), false);
    assert.deepEqual(chain.option('BTC-25DEC26-30000-C'), kept);
    assert.equal(chain.rows[0]!.forward, 30000);
    assert.equal(chain.rows[0]!.forwardSource, 'venue');
  });

  it('ignores options of other chains and markStale flags one option', () => {
    const chain = quotedChain(30000);
    assert.equal(chain.applyTicker(ticker('ETH-25DEC26-3000-C', { mark: 0.1 })), false);
    chain.markStale('BTC-25DEC26-30000-P');
    assert.equal(chain.option('BTC-25DEC26-30000-P')!.stale, true);
    assert.equal(chain.option('BTC-25DEC26-30000-C')!.stale, false);
  });
});

describe('OptionChain mark IVs: one per strike, from the out-of-the-money side (issue 16 #13)', () => {
  it('a zero mark has no IV and no greeks, on its own and on the strike', () => {
    const chain = quotedChain(30000);
    chain.settle(NOW);
    chain.applyTicker(ticker('BTC-25DEC26-40000-C', { mark: 0, forward: 30000 }));
    const call = chain.option('BTC-25DEC26-40000-C')!;
    assert.equal(call.mark, 0);
    assert.equal(call.markIv, null);
    assert.equal(call.delta, null);
    // Its ITM put is intrinsic plus noise there: it does not lend the strike an IV.
    assert.equal(chain.option('BTC-25DEC26-40000-P')!.markIv, null);
    // The batch path agrees with the one-slot path.
    chain.applyTicker(ticker('BTC-25DEC26-20000-C', { forward: 30100 }));
    chain.settle(NOW);
    assert.equal(chain.option('BTC-25DEC26-40000-C')!.markIv, null);
    assert.equal(chain.option('BTC-25DEC26-40000-C')!.delta, null);
  });

  it('an ITM mark off the smile does not move the strike: call and put share the OTM IV', () => {
    const chain = quotedChain(30000);
    chain.settle(NOW);
    const years = yearFraction(NOW, EXPIRY);
    // The 25000 call is ITM; its mark a tick richer than the 60 % smile says.
    const rich = coinPremium(25000, 'call') + 0.0005;
    chain.applyTicker(ticker('BTC-25DEC26-25000-C', { mark: rich, forward: 30000 }));
    for (const pass of ['one slot', 'batch'] as const) {
      if (pass === 'batch') {
        chain.applyTicker(ticker('BTC-25DEC26-20000-P', { forward: 30000.5 }));
        chain.settle(NOW);
      }
      const call = chain.option('BTC-25DEC26-25000-C')!;
      const put = chain.option('BTC-25DEC26-25000-P')!;
      const forward = chain.rows[0]!.forward;
      const otmIv = impliedVol(put.mark! * forward, forward, 25000, years, 'put');
      assert.equal(put.markIv, otmIv, pass);
      assert.equal(call.markIv, otmIv, pass);
      assert.ok(Math.abs(call.markIv - 0.6) < 1e-3, `${pass}: ${call.markIv}`);
      // Deltas from one IV: call minus put is one (forward deltas).
      assert.ok(Math.abs(call.delta! - put.delta! - 1) < 1e-12, pass);
      // At and above the forward the call is the OTM side.
      const atmPut = chain.option('BTC-25DEC26-30000-P')!;
      const atmCall = chain.option('BTC-25DEC26-30000-C')!;
      assert.equal(atmPut.markIv, atmCall.markIv, pass);
    }
  });
});
