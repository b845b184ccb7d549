import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BybitRetCodeError, bybitInstrumentsFromPage } from '../../src/feeds/bybit/instruments.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

type WireRecord = Record<string, unknown>;

/** A fresh copy of the recorded option instruments page, safe to edit. */
function optionPage(): { message: WireRecord; rows: WireRecord[] } {
  const line = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').find(({ value }) =>
    String(field(value, 'what')).includes('instruments-info'),
  );
  assert.ok(line, 'the fixture has an instruments page');
  const message = structuredClone(recordedMessage(line.value)) as WireRecord;
  const rows = field(message, 'result', 'list');
  assert.ok(Array.isArray(rows));
  return { message, rows: rows as WireRecord[] };
}

function rowNamed(rows: WireRecord[], symbol: string): WireRecord {
  const row = rows.find((r) => r['symbol'] === symbol);
  assert.ok(row, symbol);
  return row;
}

/**
 * Linear and inverse rows written from the documented response of
 * GET /v5/market/instruments-info (bybit-exchange.github.io/docs/v5/market/instrument),
 * trimmed to the fields read plus a few that are not; not recorded.
 */
function contractPage(category: 'linear' | 'inverse', list: WireRecord[]): WireRecord {
  return {
    retCode: 0,
    retMsg: 'OK',
    result: { category, list, nextPageCursor: '' },
    retExtInfo: {},
    time: 1735809771618,
  };
}

const BTCUSDT: WireRecord = {
  symbol: 'BTCUSDT',
  contractType: 'LinearPerpetual',
  status: 'Trading',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  launchTime: '1585526400000',
  deliveryTime: '0',
  deliveryFeeRate: '',
  priceScale: '2',
  leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
  priceFilter: { minPrice: '0.10', maxPrice: '1999999.80', tickSize: '0.10' },
  lotSizeFilter: {
    maxOrderQty: '1190.000',
    minOrderQty: '0.001',
    qtyStep: '0.001',
    postOnlyMaxOrderQty: '1190.000',
    maxMktOrderQty: '500.000',
    minNotionalValue: '5',
  },
  fundingInterval: 480,
  settleCoin: 'USDT',
};

// 26 Dec 2025 08:00 UTC.
const DEC26 = 1766736000000;

const BTCUSDT_DEC25: WireRecord = {
  ...BTCUSDT,
  symbol: 'BTCUSDT-26DEC25',
  contractType: 'LinearFutures',
  deliveryTime: String(DEC26),
  deliveryFeeRate: '0.0005',
  fundingInterval: 0,
};

const BTCUSD: WireRecord = {
  symbol: 'BTCUSD',
  contractType: 'InversePerpetual',
  status: 'Trading',
  baseCoin: 'BTC',
  quoteCoin: 'USD',
  launchTime: '1542211200000',
  deliveryTime: '0',
  deliveryFeeRate: '',
  priceFilter: { minPrice: '0.50', maxPrice: '999999.00', tickSize: '0.50' },
  lotSizeFilter: { maxOrderQty: '100000000', minOrderQty: '1', qtyStep: '1' },
  settleCoin: 'BTC',
};

describe('bybitInstrumentsFromPage on the recorded option page', () => {
  it('maps the three options and returns the empty cursor', () => {
    const result = bybitInstrumentsFromPage(optionPage().message);
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(
      result.specs.map((s) => s.name),
      ['BTC-25JUN27-106000-P-USDT', 'BTC-25JUN27-106000-C-USDT', 'XRP-30OCT26-0.4-P-USDT'],
    );
    assert.equal(result.nextPageCursor, '');
  });

  it('maps the XRP 0.4 put exactly, strike from the symbol and expiry from deliveryTime', () => {
    const xrp = bybitInstrumentsFromPage(optionPage().message).specs[2];
    assert.deepEqual(xrp, {
      kind: 'option',
      name: 'XRP-30OCT26-0.4-P-USDT',
      base: 'XRP',
      quote: 'USDT',
      settlement: 'linear',
      expiry: 1793347200000,
      strike: 0.4,
      type: 'put',
      settleCurrency: 'USDT',
      tickSize: 0.0001,
      tickSteps: [],
      lotSize: 10,
      minSize: 10,
      contractSize: 1,
      sizeUnit: 'base',
      priceBand: { min: 0.0001, max: 100 },
    });
  });

  it('maps the BTC call with its lot rules', () => {
    const call = bybitInstrumentsFromPage(optionPage().message).specs[1];
    assert.equal(call?.kind, 'option');
    assert.deepEqual(
      call && [call.expiry, call.tickSize, call.lotSize, call.minSize, call.settleCurrency],
      [1813910400000, 5, 0.01, 0.01, 'USDT'],
    );
    assert.equal(call?.kind === 'option' && call.type, 'call');
  });

  it('takes the expiry from deliveryTime, not from the symbol', () => {
    const { message, rows } = optionPage();
    rowNamed(rows, 'XRP-30OCT26-0.4-P-USDT')['deliveryTime'] = '1793343600000';
    assert.equal(bybitInstrumentsFromPage(message).specs[2]?.expiry, 1793343600000);
  });

  it('returns the cursor of the next page', () => {
    const { message } = optionPage();
    (message['result'] as WireRecord)['nextPageCursor'] = '0%2C500';
    assert.equal(bybitInstrumentsFromPage(message).nextPageCursor, '0%2C500');
  });

  it('rejects a row whose optionsType or baseCoin disagrees with the symbol', () => {
    const { message, rows } = optionPage();
    rowNamed(rows, 'BTC-25JUN27-106000-P-USDT')['optionsType'] = 'Call';
    rowNamed(rows, 'XRP-30OCT26-0.4-P-USDT')['baseCoin'] = 'BTC';
    const result = bybitInstrumentsFromPage(message);
    assert.deepEqual(
      result.specs.map((s) => s.name),
      ['BTC-25JUN27-106000-C-USDT'],
    );
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.name]),
      [
        [0, 'BTC-25JUN27-106000-P-USDT'],
        [2, 'XRP-30OCT26-0.4-P-USDT'],
      ],
    );
    assert.match(result.rejected[0]?.reason ?? '', /"optionsType" says "call" but the symbol/);
    assert.match(
      result.rejected[1]?.reason ?? '',
      /"baseCoin" says "BTC" but the symbol says "XRP"/,
    );
  });

  it('rejects rows with bad fields, naming the field, and maps the rest', () => {
    const { message, rows } = optionPage();
    delete (rowNamed(rows, 'BTC-25JUN27-106000-P-USDT')['lotSizeFilter'] as WireRecord)['qtyStep'];
    rowNamed(rows, 'BTC-25JUN27-106000-C-USDT')['symbol'] = 'BTC-25JUN27-106000-C-EUR';
    rows.push(7 as unknown as WireRecord);
    const result = bybitInstrumentsFromPage(message);
    assert.deepEqual(
      result.specs.map((s) => s.name),
      ['XRP-30OCT26-0.4-P-USDT'],
    );
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.name]),
      [
        [0, 'BTC-25JUN27-106000-P-USDT'],
        [1, 'BTC-25JUN27-106000-C-EUR'],
        [3, null],
      ],
    );
    assert.match(result.rejected[0]?.reason ?? '', /lotSizeFilter: "qtyStep" must be a decimal/);
    assert.match(result.rejected[1]?.reason ?? '', /unknown Bybit settlement suffix "-EUR"/);
    assert.match(result.rejected[2]?.reason ?? '', /list\[3\]: a row must be an object/);
  });

  it('skips rows that are not Trading', () => {
    const { message, rows } = optionPage();
    rowNamed(rows, 'BTC-25JUN27-106000-P-USDT')['status'] = 'PreLaunch';
    rowNamed(rows, 'XRP-30OCT26-0.4-P-USDT')['status'] = 'Delivering';
    const result = bybitInstrumentsFromPage(message);
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(
      result.specs.map((s) => s.name),
      ['BTC-25JUN27-106000-C-USDT'],
    );
  });
});

describe('bybitInstrumentsFromPage on linear and inverse pages', () => {
  it('maps a linear perpetual counted in coin', () => {
    const result = bybitInstrumentsFromPage(contractPage('linear', [BTCUSDT]));
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(result.specs, [
      {
        kind: 'perpetual',
        name: 'BTCUSDT',
        base: 'BTC',
        quote: 'USDT',
        settlement: 'linear',
        settleCurrency: 'USDT',
        expiry: null,
        tickSize: 0.1,
        tickSteps: [],
        lotSize: 0.001,
        minSize: 0.001,
        contractSize: 1,
        sizeUnit: 'base',
        priceBand: { min: 0.1, max: 1999999.8 },
      },
    ]);
  });

  it('maps a linear dated future with its deliveryTime', () => {
    const spec = bybitInstrumentsFromPage(contractPage('linear', [BTCUSDT_DEC25])).specs[0];
    assert.equal(spec?.kind, 'future');
    assert.equal(spec?.expiry, DEC26);
    assert.equal(spec?.settlement, 'linear');
  });

  it('maps an inverse perpetual counted in USD and settled in the coin', () => {
    const result = bybitInstrumentsFromPage(contractPage('inverse', [BTCUSD]));
    assert.deepEqual(result.specs, [
      {
        kind: 'perpetual',
        name: 'BTCUSD',
        base: 'BTC',
        quote: 'USD',
        settlement: 'inverse',
        settleCurrency: 'BTC',
        expiry: null,
        tickSize: 0.5,
        tickSteps: [],
        lotSize: 1,
        minSize: 1,
        contractSize: 1,
        sizeUnit: 'usd',
        priceBand: { min: 0.5, max: 999999 },
      },
    ]);
  });

  it('reads each row by its contractType, whatever the category', () => {
    const result = bybitInstrumentsFromPage(contractPage('linear', [BTCUSDT, BTCUSD]));
    assert.deepEqual(
      result.specs.map((s) => [s.name, s.settlement]),
      [
        ['BTCUSDT', 'linear'],
        ['BTCUSD', 'inverse'],
      ],
    );
  });

  it('rejects an unknown contractType and a dated future without a delivery time', () => {
    const result = bybitInstrumentsFromPage(
      contractPage('linear', [
        { ...BTCUSDT, contractType: 'LinearSwap' },
        { ...BTCUSDT_DEC25, deliveryTime: '0' },
        BTCUSD,
      ]),
    );
    assert.deepEqual(
      result.specs.map((s) => s.name),
      ['BTCUSD'],
    );
    assert.match(result.rejected[0]?.reason ?? '', /"contractType" must be one of .*"LinearSwap"/);
    assert.match(
      result.rejected[1]?.reason ?? '',
      /"deliveryTime" must be a positive ms timestamp/,
    );
  });
});

describe('bybitInstrumentsFromPage on a failed or malformed reply', () => {
  it('throws an error carrying retCode and retMsg when retCode is not 0', () => {
    const reply = { retCode: 10001, retMsg: 'params error', result: {}, retExtInfo: {} };
    assert.throws(
      () => bybitInstrumentsFromPage(reply),
      (error) =>
        error instanceof WireFormatError &&
        error instanceof BybitRetCodeError &&
        error.retCode === 10001 &&
        error.retMsg === 'params error' &&
        /retCode 10001: params error/.test(error.message),
    );
  });

  it('throws when the page has no list or an unsupported category', () => {
    const { message } = optionPage();
    const result = message['result'] as WireRecord;
    result['category'] = 'spot';
    assert.throws(() => bybitInstrumentsFromPage(message), /"category" must be option/);
    result['category'] = 'option';
    delete result['list'];
    assert.throws(() => bybitInstrumentsFromPage(message), /"list" must be an array/);
    assert.throws(() => bybitInstrumentsFromPage('OK'), WireFormatError);
  });
});
