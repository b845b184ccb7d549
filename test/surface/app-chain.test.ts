// The app's own option chain (src/book) feeds the surface: the recorded ETH chain replayed as
// ticker events into a real OptionChain, settled, each row converted by expiryFromChainRow.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TickerEvent } from '../../src/book/events.js';
import { OptionChain } from '../../src/book/option-chain.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import {
  expiryFromChainRow,
  expiryFromPrices,
  fitSurface,
  sviTotalVariance,
  type ExpiryChain,
} from '../../src/surface/index.js';
import { loadEthChain } from './eth-chain.js';

function ticker(name: string, fields: Partial<TickerEvent>, ts: number): TickerEvent {
  return {
    kind: 'ticker',
    venue: 'deribit',
    instrument: name,
    ts,
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

describe('the surface fed by the app’s OptionChain', () => {
  const eth = loadEthChain();
  const specs: OptionSpec[] = [];
  const events: TickerEvent[] = [];
  for (const e of eth.expiries) {
    for (const q of e.quotes) {
      const name = `ETH-${eth.codes.get(e.expiryMs)}-${q.strike}-${q.type === 'call' ? 'C' : 'P'}`;
      specs.push({
        kind: 'option',
        name,
        base: 'ETH',
        quote: 'ETH',
        settlement: 'inverse',
        settleCurrency: 'ETH',
        expiry: e.expiryMs,
        strike: q.strike,
        type: q.type,
        tickSize: 0.0005,
        tickSteps: [],
        lotSize: 1,
        minSize: 1,
        contractSize: 1,
        sizeUnit: 'base',
      });
      events.push(
        ticker(
          name,
          {
            bid: q.bid,
            bidSize: q.bid === null ? null : 1,
            ask: q.ask,
            askSize: q.ask === null ? null : 1,
            forward: e.forward,
          },
          eth.nowMs,
        ),
      );
    }
  }

  it('fits the same surface as the recorded prices do', () => {
    const chain = new OptionChain('deribit', 'ETH', 'ETH', specs);
    for (const ev of events) chain.applyTicker(ev);
    chain.settle(eth.nowMs);
    const fromRows = chain.rows
      .map((row) => expiryFromChainRow(row, eth.nowMs))
      .filter((x): x is ExpiryChain => x !== null);
    assert.equal(fromRows.length, 11);
    const fromCsv = eth.expiries.map((e) => expiryFromPrices(e));
    const a = fitSurface(fromRows);
    const b = fitSurface(fromCsv);
    assert.equal(a.expiries.length, 11);
    a.expiries.forEach((fa, i) => {
      const fb = b.expiries[i]!;
      assert.equal(fa.expiryMs, fb.expiryMs);
      assert.equal(fa.quality.twoSided, fb.quality.twoSided);
      const atm = (p: typeof fa): number => Math.sqrt(sviTotalVariance(p.params, 0) / p.years);
      assert.ok(Math.abs(atm(fa) - atm(fb)) < 1e-4, `${fa.expiryMs}: ${atm(fa)} vs ${atm(fb)}`);
    });
  });

  it('a row without a forward, or expired, gives nothing to fit', () => {
    const chain = new OptionChain('deribit', 'ETH', 'ETH', specs);
    const row = chain.rows[0]!;
    assert.ok(Number.isNaN(row.forward));
    assert.equal(expiryFromChainRow(row, eth.nowMs), null);
    for (const ev of events) chain.applyTicker(ev);
    chain.settle(eth.nowMs);
    assert.notEqual(expiryFromChainRow(row, eth.nowMs), null);
    assert.equal(expiryFromChainRow(row, row.expiry), null);
  });
});
