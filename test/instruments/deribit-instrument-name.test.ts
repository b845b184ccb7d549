import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseDeribitOptionName,
  tryParseDeribitOptionName,
} from '../../src/feeds/deribit/instrument-name.js';
import { InstrumentNameError } from '../../src/instruments/option-symbol.js';
import { readJson } from '../support/fixtures.js';

interface DeribitInstrument {
  instrument_name: string;
  kind: string;
  base_currency: string;
  quote_currency: string;
  strike?: number;
  option_type?: string;
  expiration_timestamp: number;
}

function instruments(file: string): DeribitInstrument[] {
  const records = readJson('deribit', file);
  assert.ok(Array.isArray(records), `${file} holds a list of instruments`);
  return records as DeribitInstrument[];
}

describe('parseDeribitOptionName', () => {
  it('reads an inverse BTC option (premium in BTC)', () => {
    assert.deepEqual(parseDeribitOptionName('BTC-27DEC24-100000-C'), {
      name: 'BTC-27DEC24-100000-C',
      base: 'BTC',
      quote: 'BTC',
      settlement: 'inverse',
      expiry: Date.UTC(2024, 11, 27, 8),
      strike: 100000,
      type: 'call',
    });
  });

  it('reads a linear USDC option', () => {
    assert.deepEqual(parseDeribitOptionName('SOL_USDC-29NOV24-200-C'), {
      name: 'SOL_USDC-29NOV24-200-C',
      base: 'SOL',
      quote: 'USDC',
      settlement: 'linear',
      expiry: Date.UTC(2024, 10, 29, 8),
      strike: 200,
      type: 'call',
    });
  });

  it('reads a d-for-point strike and a one-digit day', () => {
    const contract = parseDeribitOptionName('MATIC_USDC-9MAR24-1d02-C');
    assert.equal(contract.strike, 1.02);
    assert.equal(contract.expiry, Date.UTC(2024, 2, 9, 8));
    assert.equal(contract.base, 'MATIC');
    assert.equal(contract.settlement, 'linear');
  });

  it('rejects names Deribit does not use, naming the input', () => {
    for (const name of ['BTC-25JUN27-106000-P-USDT', 'BTC_USDT-27DEC24-100000-C']) {
      assert.throws(
        () => parseDeribitOptionName(name),
        (error: unknown) =>
          error instanceof InstrumentNameError && error.message.includes(JSON.stringify(name)),
      );
      assert.equal(tryParseDeribitOptionName(name), null);
    }
  });

  for (const file of [
    'instruments-BTC-2021-07-22.json',
    'instruments-ETH-2021-07-22.json',
    'instruments-SOL-2021-07-22.json',
  ]) {
    it(`agrees with every option record of ${file}`, () => {
      const options = instruments(file).filter((record) => record.kind === 'option');
      assert.ok(options.length > 100, `${file} has options`);
      for (const record of options) {
        const contract = parseDeribitOptionName(record.instrument_name);
        const what = record.instrument_name;
        assert.equal(contract.strike, record.strike, what);
        assert.equal(contract.type, record.option_type, what);
        assert.equal(contract.expiry, record.expiration_timestamp, what);
        assert.equal(contract.base, record.base_currency, what);
        assert.equal(contract.quote, record.quote_currency, what);
        assert.equal(contract.settlement, 'inverse', what);
      }
    });
  }

  it('does not mistake futures and perpetuals for options', () => {
    const others = [
      'instruments-BTC-2021-07-22.json',
      'instruments-ETH-2021-07-22.json',
      'instruments-SOL-2021-07-22.json',
      'instruments-USDC-2021-07-22.json',
    ].flatMap((file) => instruments(file).filter((record) => record.kind !== 'option'));
    assert.ok(others.length > 20);
    for (const record of others) {
      assert.equal(tryParseDeribitOptionName(record.instrument_name), null, record.instrument_name);
    }
  });
});
