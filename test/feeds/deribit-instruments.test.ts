import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import type { InstrumentListResult } from '../../src/instruments/list-result.js';
import type { InstrumentKind, InstrumentSpec } from '../../src/instruments/types.js';
import { readJson } from '../support/fixtures.js';

type Currency = 'BTC' | 'ETH' | 'SOL' | 'USDC';
type WireRecord = Record<string, unknown>;

/** A fresh copy of a recorded get_instruments result, safe to edit. */
function records(currency: Currency): WireRecord[] {
  const result = readJson('deribit', `instruments-${currency}-2021-07-22.json`);
  assert.ok(Array.isArray(result));
  return structuredClone(result) as WireRecord[];
}

function recordNamed(list: WireRecord[], name: string): WireRecord {
  const record = list.find((r) => r['instrument_name'] === name);
  assert.ok(record, name);
  return record;
}

function specNamed(result: InstrumentListResult, name: string): InstrumentSpec {
  const spec = result.specs.find((s) => s.name === name);
  assert.ok(spec, name);
  return spec;
}

function countByKind(specs: readonly InstrumentSpec[]): Record<InstrumentKind, number> {
  const counts = { option: 0, future: 0, perpetual: 0 };
  for (const spec of specs) counts[spec.kind] += 1;
  return counts;
}

// 24 Sep 2021 08:00 UTC, the BTC quarterly.
const SEP24 = 1632470400000;

describe('deribitInstrumentsFromResult on the recorded lists', () => {
  // Counted independently from the JSON (kind, settlement_period) with a script.
  const expected: [Currency, number, Record<InstrumentKind, number>][] = [
    ['BTC', 398, { option: 390, future: 7, perpetual: 1 }],
    ['ETH', 426, { option: 418, future: 7, perpetual: 1 }],
    ['SOL', 177, { option: 172, future: 4, perpetual: 1 }],
    ['USDC', 16, { option: 0, future: 0, perpetual: 16 }],
  ];
  for (const [currency, total, counts] of expected) {
    it(`maps every ${currency} record: ${total} in all`, () => {
      const list = records(currency);
      assert.equal(list.length, total);
      const result = deribitInstrumentsFromResult(list);
      assert.deepEqual(result.rejected, []);
      assert.deepEqual(countByKind(result.specs), counts);
      assert.deepEqual(
        result.specs.map((s) => s.name),
        list.map((r) => r['instrument_name']),
      );
    });
  }

  it('maps BTC-PERPETUAL as an inverse perpetual counted in 10-USD contracts', () => {
    const result = deribitInstrumentsFromResult(records('BTC'));
    assert.deepEqual(specNamed(result, 'BTC-PERPETUAL'), {
      kind: 'perpetual',
      name: 'BTC-PERPETUAL',
      base: 'BTC',
      quote: 'USD',
      settlement: 'inverse',
      settleCurrency: 'BTC',
      expiry: null,
      tickSize: 0.5,
      tickSteps: [],
      lotSize: 10,
      minSize: 10,
      contractSize: 10,
      sizeUnit: 'usd',
    });
  });

  it('maps BTC-24SEP21 as a dated inverse future', () => {
    const result = deribitInstrumentsFromResult(records('BTC'));
    assert.deepEqual(specNamed(result, 'BTC-24SEP21'), {
      kind: 'future',
      name: 'BTC-24SEP21',
      base: 'BTC',
      quote: 'USD',
      settlement: 'inverse',
      settleCurrency: 'BTC',
      expiry: SEP24,
      tickSize: 0.5,
      tickSteps: [],
      lotSize: 10,
      minSize: 10,
      contractSize: 10,
      sizeUnit: 'usd',
    });
  });

  it('maps BTC-24SEP21-40000-P, settling in BTC though the 2021 record does not say so', () => {
    const result = deribitInstrumentsFromResult(records('BTC'));
    assert.deepEqual(specNamed(result, 'BTC-24SEP21-40000-P'), {
      kind: 'option',
      name: 'BTC-24SEP21-40000-P',
      base: 'BTC',
      quote: 'BTC',
      settlement: 'inverse',
      expiry: SEP24,
      strike: 40000,
      type: 'put',
      settleCurrency: 'BTC',
      tickSize: 0.0005,
      tickSteps: [],
      lotSize: 0.1,
      minSize: 0.1,
      contractSize: 1,
      sizeUnit: 'base',
    });
  });

  it('maps an inverse SOL option with its settlement_currency', () => {
    const result = deribitInstrumentsFromResult(records('SOL'));
    assert.deepEqual(specNamed(result, 'SOL-10JUN22-28-P'), {
      kind: 'option',
      name: 'SOL-10JUN22-28-P',
      base: 'SOL',
      quote: 'SOL',
      settlement: 'inverse',
      expiry: 1654848000000,
      strike: 28,
      type: 'put',
      settleCurrency: 'SOL',
      tickSize: 0.001,
      tickSteps: [],
      lotSize: 1,
      minSize: 1,
      contractSize: 1,
      sizeUnit: 'base',
    });
  });

  it('maps the "reversed" SOL-PERPETUAL as inverse, settling in SOL', () => {
    const spec = specNamed(deribitInstrumentsFromResult(records('SOL')), 'SOL-PERPETUAL');
    assert.equal(spec.settlement, 'inverse');
    assert.equal(spec.settleCurrency, 'SOL');
    assert.equal(spec.sizeUnit, 'usd');
    assert.equal(spec.lotSize, 10);
  });

  it('maps AVAX_USDC-PERPETUAL as a linear perpetual counted in AVAX', () => {
    const result = deribitInstrumentsFromResult(records('USDC'));
    assert.deepEqual(specNamed(result, 'AVAX_USDC-PERPETUAL'), {
      kind: 'perpetual',
      name: 'AVAX_USDC-PERPETUAL',
      base: 'AVAX',
      quote: 'USDC',
      settlement: 'linear',
      settleCurrency: 'USDC',
      expiry: null,
      tickSize: 0.01,
      tickSteps: [],
      lotSize: 0.1,
      minSize: 0.1,
      contractSize: 0.1,
      sizeUnit: 'base',
    });
    assert.ok(result.specs.every((s) => s.settlement === 'linear' && s.quote === 'USDC'));
  });
});

describe('deribitInstrumentsFromResult record by record', () => {
  it('takes the expiry from expiration_timestamp, not from the name', () => {
    const list = records('BTC');
    const record = recordNamed(list, 'BTC-24SEP21-40000-P');
    record['expiration_timestamp'] = SEP24 - 3_600_000;
    const spec = specNamed(deribitInstrumentsFromResult(list), 'BTC-24SEP21-40000-P');
    assert.equal(spec.expiry, SEP24 - 3_600_000);
  });

  it('rejects malformed records with a reason naming the field and maps the rest', () => {
    const list = records('BTC');
    const edits: [string, (r: WireRecord) => void, RegExp][] = [
      ['BTC-24SEP21-40000-P', (r) => delete r['strike'], /"strike" must be a number, missing/],
      ['BTC-24SEP21-40000-C', (r) => (r['strike'] = 45000), /"strike" is 45000 but the name/],
      ['BTC-6AUG21-40000-C', (r) => (r['option_type'] = 'put'), /"option_type" is "put"/],
      ['BTC-24JUL21-33000-C', (r) => (r['tick_size'] = '0.0005'), /"tick_size" must be a number/],
      ['BTC-25MAR22', (r) => (r['contract_size'] = 0), /"contract_size" must be positive/],
      ['BTC-27AUG21', (r) => delete r['expiration_timestamp'], /"expiration_timestamp"/],
      ['BTC-30JUL21', (r) => (r['future_type'] = 'quanto'), /"future_type" must be "linear"/],
    ];
    const indexes = edits.map(([name, edit]) => {
      const record = recordNamed(list, name);
      edit(record);
      return list.indexOf(record);
    });
    const badName = {
      ...recordNamed(list, 'BTC-24JUN22-30000-C'),
      instrument_name: 'BTC-31JUN21-40000-P',
    };
    const withBad: unknown[] = [...list, badName, 42];

    const result = deribitInstrumentsFromResult(withBad);

    assert.equal(result.specs.length, 398 - edits.length);
    assert.equal(result.rejected.length, edits.length + 2);
    edits.forEach(([name, , reason], i) => {
      const rejected = result.rejected.find((r) => r.name === name);
      assert.ok(rejected, name);
      assert.equal(rejected.index, indexes[i]);
      assert.match(rejected.reason, reason);
      assert.match(rejected.reason, new RegExp(name));
      assert.equal(
        result.specs.find((s) => s.name === name),
        undefined,
      );
    });
    const unparsable = result.rejected.find((r) => r.index === 398);
    assert.equal(unparsable?.name, 'BTC-31JUN21-40000-P');
    assert.match(unparsable?.reason ?? '', /31JUN21 is not a calendar date/);
    const notObject = result.rejected.find((r) => r.index === 399);
    assert.equal(notObject?.name, null);
    assert.match(notObject?.reason ?? '', /get_instruments\[399\]: a record must be an object/);
  });

  it('rejects a name whose base disagrees with base_currency', () => {
    const list = records('ETH');
    list.push({
      ...recordNamed(list, 'ETH-23JUL21-2050-P'),
      instrument_name: 'BTC-23JUL21-2050-P',
    });
    const result = deribitInstrumentsFromResult(list);
    assert.equal(result.specs.length, 426);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.name]),
      [[426, 'BTC-23JUL21-2050-P']],
    );
    assert.match(
      result.rejected[0]?.reason ?? '',
      /"base_currency" is "ETH" but the name says "BTC"/,
    );
  });

  it('rejects a second record with the same name', () => {
    const list = records('ETH');
    list.push(recordNamed(list, 'ETH-PERPETUAL'));
    const result = deribitInstrumentsFromResult(list);
    assert.equal(result.specs.length, 426);
    assert.deepEqual(result.rejected, [
      { index: 426, name: 'ETH-PERPETUAL', reason: 'duplicate of an earlier record' },
    ]);
  });

  it('skips inactive records, spot and combos without rejecting them', () => {
    const list = records('BTC');
    recordNamed(list, 'BTC-24SEP21-40000-P')['is_active'] = false;
    // Shapes as the venue documents them; not recorded.
    list.push(
      { kind: 'spot', is_active: true, instrument_name: 'BTC_USDC', base_currency: 'BTC' },
      { kind: 'future_combo', is_active: true, instrument_name: 'BTC-FS-24SEP21_PERP' },
      { kind: 'option_combo', is_active: true, instrument_name: 'BTC-CS-24SEP21-40000_45000' },
    );
    const result = deribitInstrumentsFromResult(list);
    assert.deepEqual(result.rejected, []);
    assert.equal(result.specs.length, 397);
    assert.equal(
      result.specs.find((s) => s.name === 'BTC-24SEP21-40000-P'),
      undefined,
    );
  });

  it('rejects a record whose is_active is not a boolean', () => {
    const list = records('BTC');
    delete recordNamed(list, 'BTC-PERPETUAL')['is_active'];
    const result = deribitInstrumentsFromResult(list);
    assert.equal(result.rejected.length, 1);
    assert.match(result.rejected[0]?.reason ?? '', /"is_active" must be a boolean, missing/);
  });

  it('maps tick_size_steps, ascending by price', () => {
    const list = records('BTC');
    // The documented shape (docs.deribit.com, public/get_instrument), listed out of order here.
    recordNamed(list, 'BTC-24SEP21-40000-P')['tick_size_steps'] = [
      { above_price: 0.02, tick_size: 0.003 },
      { above_price: 0.005, tick_size: 0.001 },
    ];
    recordNamed(list, 'BTC-PERPETUAL')['tick_size_steps'] = [];
    const result = deribitInstrumentsFromResult(list);
    assert.deepEqual(specNamed(result, 'BTC-24SEP21-40000-P').tickSteps, [
      { abovePrice: 0.005, tickSize: 0.001 },
      { abovePrice: 0.02, tickSize: 0.003 },
    ]);
    assert.deepEqual(specNamed(result, 'BTC-PERPETUAL').tickSteps, []);
  });

  it('rejects malformed tick_size_steps naming the field', () => {
    const list = records('BTC');
    recordNamed(list, 'BTC-24SEP21-40000-P')['tick_size_steps'] = [{ above_price: 0.005 }];
    recordNamed(list, 'BTC-PERPETUAL')['tick_size_steps'] = { above_price: 1 };
    const result = deribitInstrumentsFromResult(list);
    assert.deepEqual(
      result.rejected.map((r) => r.name),
      ['BTC-24SEP21-40000-P', 'BTC-PERPETUAL'],
    );
    assert.match(
      result.rejected[0]?.reason ?? '',
      /tick_size_steps\[0\]: "tick_size" must be a number, missing/,
    );
    assert.match(result.rejected[1]?.reason ?? '', /"tick_size_steps" must be an array/);
  });

  it('maps a linear USDC option, settling in USDC', () => {
    // Written from the documented shape of a linear option; not recorded.
    const record = {
      tick_size: 0.05,
      strike: 200,
      settlement_period: 'month',
      settlement_currency: 'USDC',
      quote_currency: 'USDC',
      option_type: 'call',
      min_trade_amount: 1,
      kind: 'option',
      is_active: true,
      instrument_name: 'SOL_USDC-29NOV24-200-C',
      expiration_timestamp: 1732867200000,
      counter_currency: 'USDC',
      contract_size: 1,
      base_currency: 'SOL',
    };
    const linear = deribitInstrumentsFromResult([record]).specs[0];
    assert.deepEqual(linear, {
      kind: 'option',
      name: 'SOL_USDC-29NOV24-200-C',
      base: 'SOL',
      quote: 'USDC',
      settlement: 'linear',
      expiry: 1732867200000,
      strike: 200,
      type: 'call',
      settleCurrency: 'USDC',
      tickSize: 0.05,
      tickSteps: [],
      lotSize: 1,
      minSize: 1,
      contractSize: 1,
      sizeUnit: 'base',
    });
    const withoutSettlement: Record<string, unknown> = { ...record };
    delete withoutSettlement['settlement_currency'];
    const fallback = deribitInstrumentsFromResult([withoutSettlement]).specs[0];
    assert.equal(fallback?.settleCurrency, 'USDC');
  });

  it('throws when the result is not an array', () => {
    assert.throws(
      () => deribitInstrumentsFromResult({ result: [] }),
      (error) => error instanceof WireFormatError && /must be an array/.test(error.message),
    );
    assert.throws(() => deribitInstrumentsFromResult(null), WireFormatError);
  });
});
