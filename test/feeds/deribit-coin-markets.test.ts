// Where each coin's options live on Deribit, checked against the venue's own instrument
// records: BTC and ETH inverse under their own currency, every other coin USDC-linear.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  belongsToCoins,
  deribitCoinMarket,
  deribitCurrenciesOf,
  optionCoinsOf,
} from '../../src/feeds/deribit/coin-markets.js';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { readJson } from '../support/fixtures.js';

const records = (currency: string): unknown[] =>
  readJson('deribit', `instruments-${currency}-2021-07-22.json`) as unknown[];

describe('deribit coin markets', () => {
  it('names the inverse and the linear markets as the venue does', () => {
    assert.deepEqual(deribitCoinMarket('btc'), {
      coin: 'BTC',
      currency: 'BTC',
      settlement: 'inverse',
      indexName: 'btc_usd',
      indexQuote: 'USD',
      perpetual: 'BTC-PERPETUAL',
      volatilityIndex: 'btc_usd',
    });
    const sol = deribitCoinMarket('SOL');
    assert.equal(sol.currency, 'USDC');
    assert.equal(sol.indexName, 'sol_usdc');
    assert.equal(sol.perpetual, 'SOL_USDC-PERPETUAL');
    assert.equal(sol.volatilityIndex, null);
    assert.deepEqual(deribitCurrenciesOf(['BTC', 'SOL', 'XRP', 'ETH']), ['BTC', 'USDC', 'ETH']);
  });

  it("keeps one coin's contracts out of the shared USDC listing (the venue's records)", () => {
    const usdc = deribitInstrumentsFromResult(records('USDC')).specs;
    assert.equal(usdc.length, 16, 'the fixture holds 16 USDC perpetuals');
    const kept = usdc.filter((spec) => belongsToCoins(spec, 'USDC', new Set(['SOL', 'BTC'])));
    // BTC_USDC-PERPETUAL is a USDC contract, not the BTC chain's.
    assert.deepEqual(
      kept.map((spec) => spec.name),
      ['SOL_USDC-PERPETUAL'],
    );
    const btc = deribitInstrumentsFromResult(records('BTC')).specs;
    assert.ok(btc.length > 100);
    assert.ok(btc.every((spec) => belongsToCoins(spec, 'BTC', new Set(['BTC']))));
  });

  it('finds the option coins of an "any" listing, and not a retired inverse chain', () => {
    const rows = [...records('BTC'), ...records('ETH'), ...records('USDC'), ...records('SOL')];
    // The 2022 inverse SOL chain settled in SOL; SOL's market today is USDC, so it is not it.
    assert.deepEqual(optionCoinsOf(rows), ['BTC', 'ETH']);
    const linear = { kind: 'option', base_currency: 'XRP', settlement_currency: 'USDC' };
    assert.deepEqual(optionCoinsOf([...rows, linear]), ['BTC', 'ETH', 'XRP']);
  });
});
