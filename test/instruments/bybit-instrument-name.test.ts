import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseBybitOptionName,
  tryParseBybitOptionName,
} from '../../src/feeds/bybit/instrument-name.js';
import { InstrumentNameError } from '../../src/instruments/option-symbol.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

interface BybitInstrumentRow {
  symbol: string;
  baseCoin: string;
  settleCoin: string;
  optionsType: string;
  deliveryTime: string;
}

describe('parseBybitOptionName', () => {
  it('reads an unsuffixed name as a USDC-settled linear option', () => {
    assert.deepEqual(parseBybitOptionName('BTC-29NOV24-100000-C'), {
      name: 'BTC-29NOV24-100000-C',
      base: 'BTC',
      quote: 'USDC',
      settlement: 'linear',
      expiry: Date.UTC(2024, 10, 29, 8),
      strike: 100000,
      type: 'call',
    });
  });

  it('reads a -USDT suffix as a USDT-settled linear option', () => {
    assert.deepEqual(parseBybitOptionName('BTC-25JUN27-106000-P-USDT'), {
      name: 'BTC-25JUN27-106000-P-USDT',
      base: 'BTC',
      quote: 'USDT',
      settlement: 'linear',
      expiry: Date.UTC(2027, 5, 25, 8),
      strike: 106000,
      type: 'put',
    });
  });

  it('reads a decimal strike', () => {
    const contract = parseBybitOptionName('XRP-30OCT26-0.4-P-USDT');
    assert.equal(contract.strike, 0.4);
    assert.equal(contract.base, 'XRP');
    assert.equal(contract.quote, 'USDT');
  });

  it('rejects names Bybit does not use, naming the input', () => {
    for (const name of ['SOL_USDC-29NOV24-200-C', 'BTC-25JUN27-106000-P-EUR', 'BTCUSDT']) {
      assert.throws(
        () => parseBybitOptionName(name),
        (error: unknown) =>
          error instanceof InstrumentNameError && error.message.includes(JSON.stringify(name)),
      );
      assert.equal(tryParseBybitOptionName(name), null);
    }
  });

  it('agrees with every row of the recorded instruments page', () => {
    const page = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl')
      .map(({ value }) => recordedMessage(value))
      .find((message) => field(message, 'result') !== undefined);
    const rows = field(page, 'result', 'list') as BybitInstrumentRow[];
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const contract = parseBybitOptionName(row.symbol);
      assert.equal(contract.expiry, Number(row.deliveryTime), row.symbol);
      assert.equal(contract.type, row.optionsType.toLowerCase(), row.symbol);
      assert.equal(contract.base, row.baseCoin, row.symbol);
      assert.equal(contract.quote, row.settleCoin, row.symbol);
    }
  });

  it('reads the symbols of the 2023 recording (pre-USDT series)', () => {
    const symbols = new Set(
      readJsonLines('bybit', 'v5-option-stream-2023-04-05.jsonl').flatMap(({ value }) => {
        const data = field(recordedMessage(value), 'data');
        return Array.isArray(data) ? data.map((row) => field(row, 's')) : [field(data, 's')];
      }),
    );
    assert.ok(symbols.size >= 3);
    for (const symbol of symbols) {
      assert.equal(typeof symbol, 'string');
      assert.equal(parseBybitOptionName(symbol as string).quote, 'USDC');
    }
    assert.equal(parseBybitOptionName('SOL-28APR23-30-C').expiry, Date.UTC(2023, 3, 28, 8));
  });
});
