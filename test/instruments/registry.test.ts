import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { InstrumentRegistry } from '../../src/instruments/registry.js';
import type { FutureSpec, InstrumentSpec, OptionSpec } from '../../src/instruments/types.js';
import { readJson } from '../support/fixtures.js';

const VENUE = 'deribit';
const TS = 1626969600000;
// Expiries of the recorded BTC list (08:00 UTC): 23 Jul 2021, 24 Jul 2021, 24 Sep 2021.
const JUL23 = 1627027200000;
const JUL24 = 1627113600000;
const SEP24 = 1632470400000;

function specsOf(currency: 'BTC' | 'ETH' | 'USDC'): InstrumentSpec[] {
  const result = deribitInstrumentsFromResult(
    readJson('deribit', `instruments-${currency}-2021-07-22.json`),
  );
  assert.deepEqual(result.rejected, []);
  return result.specs;
}

function specNamed(specs: readonly InstrumentSpec[], name: string): InstrumentSpec {
  const spec = specs.find((s) => s.name === name);
  assert.ok(spec, name);
  return spec;
}

function loaded(...currencies: ('BTC' | 'ETH' | 'USDC')[]): InstrumentRegistry {
  const registry = new InstrumentRegistry(VENUE);
  registry.sync(currencies.flatMap(specsOf), TS);
  return registry;
}

function option(name: string, expiry: number, strike: number, type: 'call' | 'put'): OptionSpec {
  return {
    kind: 'option',
    name,
    base: 'BTC',
    quote: 'BTC',
    settlement: 'inverse',
    expiry,
    strike,
    type,
    settleCurrency: 'BTC',
    tickSize: 0.0005,
    tickSteps: [],
    lotSize: 0.1,
    minSize: 0.1,
    contractSize: 1,
    sizeUnit: 'base',
  };
}

describe('InstrumentRegistry.sync', () => {
  it('adds a whole list to an empty registry, in name order', () => {
    const specs = specsOf('BTC');
    const registry = new InstrumentRegistry(VENUE);
    const events = registry.sync(specs, TS);
    assert.equal(events.length, 398);
    assert.equal(registry.size, 398);
    assert.ok(events.every((e) => e.kind === 'instrument-added' && e.venue === VENUE));
    assert.ok(events.every((e) => e.ts === TS));
    const names = events.map((e) => (e.kind === 'instrument-added' ? e.spec.name : ''));
    assert.deepEqual(names, [...specs.map((s) => s.name)].sort());
  });

  it('gives no events for an unchanged list, even in another order or as new objects', () => {
    const registry = loaded('BTC');
    assert.deepEqual(registry.sync(specsOf('BTC').reverse(), TS + 1), []);
    assert.equal(registry.size, 398);
  });

  it('removes what is gone, adds what is new and re-adds what changed', () => {
    const registry = loaded('BTC');
    const next = specsOf('BTC').filter((s) => s.name !== 'BTC-24SEP21-40000-P');
    const perpetual = specNamed(next, 'BTC-PERPETUAL');
    const changed: InstrumentSpec = { ...perpetual, tickSteps: [{ abovePrice: 1e5, tickSize: 1 }] };
    const added = option('BTC-24SEP21-41000-C', SEP24, 41000, 'call');
    next[next.indexOf(perpetual)] = changed;
    next.push(added);

    const events = registry.sync(next, TS + 1);

    assert.deepEqual(events, [
      { kind: 'instrument-removed', venue: VENUE, ts: TS + 1, instrument: 'BTC-24SEP21-40000-P' },
      { kind: 'instrument-added', venue: VENUE, ts: TS + 1, spec: added },
      { kind: 'instrument-added', venue: VENUE, ts: TS + 1, spec: changed },
    ]);
    assert.equal(registry.size, 398);
    assert.equal(registry.get('BTC-24SEP21-40000-P'), undefined);
    assert.equal(registry.get('BTC-PERPETUAL'), changed);
    assert.equal(registry.option('BTC-24SEP21-41000-C'), added);
  });

  it('empties the registry when the list is empty', () => {
    const registry = loaded('BTC');
    const events = registry.sync([], TS);
    assert.equal(events.length, 398);
    assert.ok(events.every((e) => e.kind === 'instrument-removed'));
    assert.equal(registry.size, 0);
    assert.deepEqual(registry.bases(), []);
    assert.deepEqual(registry.optionsOf('BTC'), []);
    assert.equal(registry.perpetualOf('BTC'), undefined);
  });
});

describe('InstrumentRegistry.expire', () => {
  it('removes what expires at or before now, earliest first, and nothing else', () => {
    const registry = loaded('BTC');
    assert.deepEqual(registry.expire(JUL23 - 1), []);

    const events = registry.expire(JUL23);

    // 36 options and the BTC-23JUL21 future expire at 08:00 on 23 July.
    assert.equal(events.length, 37);
    assert.ok(events.every((e) => e.kind === 'instrument-removed' && e.ts === JUL23));
    assert.ok(events.some((e) => e.instrument === 'BTC-23JUL21'));
    assert.equal(registry.size, 398 - 37);
    assert.equal(registry.expiriesOf('BTC')[0], JUL24);
    assert.equal(registry.futureExpiring('BTC', JUL23), undefined);
    assert.ok(registry.get('BTC-PERPETUAL'));
    assert.deepEqual(registry.expire(JUL23), []);
  });

  it('orders removals by expiry, then name', () => {
    const registry = new InstrumentRegistry(VENUE);
    registry.sync(
      [
        option('BTC-24JUL21-30000-C', JUL24, 30000, 'call'),
        option('BTC-23JUL21-40000-C', JUL23, 40000, 'call'),
        option('BTC-23JUL21-30000-P', JUL23, 30000, 'put'),
      ],
      TS,
    );
    assert.deepEqual(
      registry.expire(JUL24).map((e) => e.instrument),
      ['BTC-23JUL21-30000-P', 'BTC-23JUL21-40000-C', 'BTC-24JUL21-30000-C'],
    );
    assert.equal(registry.size, 0);
  });
});

describe('InstrumentRegistry.apply', () => {
  it('adds, replaces and removes, keeping the indexes in step', () => {
    const registry = new InstrumentRegistry(VENUE);
    const first = option('BTC-24SEP21-40000-C', SEP24, 40000, 'call');
    registry.apply({ kind: 'instrument-added', venue: VENUE, ts: TS, spec: first });
    assert.deepEqual(registry.expiriesOf('BTC'), [SEP24]);

    const moved = { ...first, expiry: SEP24 + 3_600_000 };
    registry.apply({ kind: 'instrument-added', venue: VENUE, ts: TS, spec: moved });
    assert.equal(registry.size, 1);
    assert.deepEqual(registry.expiriesOf('BTC'), [SEP24 + 3_600_000]);
    assert.deepEqual(registry.optionsOf('BTC'), [moved]);

    registry.apply({ kind: 'instrument-removed', venue: VENUE, ts: TS, instrument: first.name });
    assert.equal(registry.size, 0);
    assert.deepEqual(registry.expiriesOf('BTC'), []);
    assert.deepEqual(registry.bases(), []);
    assert.deepEqual(registry.expire(Number.MAX_SAFE_INTEGER), []);
  });

  it('ignores the removal of an unknown name', () => {
    const registry = loaded('BTC');
    registry.apply({ kind: 'instrument-removed', venue: VENUE, ts: TS, instrument: 'NOPE' });
    assert.equal(registry.size, 398);
  });

  it("refuses another venue's event", () => {
    const registry = new InstrumentRegistry(VENUE);
    const spec = option('BTC-24SEP21-40000-C', SEP24, 40000, 'call');
    assert.throws(
      () => registry.apply({ kind: 'instrument-added', venue: 'elsewhere', ts: TS, spec }),
      /given an event for elsewhere/,
    );
    assert.equal(registry.size, 0);
  });
});

describe('InstrumentRegistry lookups', () => {
  it('finds by name, and option() only finds options', () => {
    const registry = loaded('BTC');
    assert.equal(registry.get('BTC-PERPETUAL')?.kind, 'perpetual');
    assert.equal(registry.option('BTC-PERPETUAL'), undefined);
    assert.equal(registry.option('BTC-24SEP21-40000-P')?.strike, 40000);
    assert.equal(registry.get('ETH-PERPETUAL'), undefined);
  });

  it('lists bases sorted', () => {
    const registry = loaded('USDC', 'ETH', 'BTC');
    assert.deepEqual(registry.bases(), [
      'ADA',
      'ALGO',
      'AVAX',
      'BCH',
      'BTC',
      'DOGE',
      'DOT',
      'ETH',
      'LINK',
      'LTC',
      'MATIC',
      'NEAR',
      'SOL',
      'TRX',
      'UNI',
      'XRP',
    ]);
  });

  it('lists a base’s options by expiry, strike and type', () => {
    const registry = loaded('BTC', 'ETH');
    const options = registry.optionsOf('BTC');
    assert.equal(options.length, 390);
    assert.ok(options.every((o) => o.base === 'BTC'));
    for (let i = 1; i < options.length; i += 1) {
      const [a, b] = [options[i - 1], options[i]];
      assert.ok(a && b);
      const ordered =
        a.expiry < b.expiry ||
        (a.expiry === b.expiry &&
          (a.strike < b.strike || (a.strike === b.strike && a.type < b.type)));
      assert.ok(ordered, `${a.name} before ${b.name}`);
    }
    assert.equal(registry.optionsOf('ETH').length, 418);
    assert.deepEqual(registry.optionsOf('DOGE'), []);
  });

  it('keeps the sorted chain until it changes', () => {
    const registry = loaded('BTC');
    const before = registry.optionsOf('BTC');
    assert.equal(registry.optionsOf('BTC'), before);
    registry.apply({
      kind: 'instrument-removed',
      venue: VENUE,
      ts: TS,
      instrument: 'BTC-24SEP21-40000-P',
    });
    const after = registry.optionsOf('BTC');
    assert.notEqual(after, before);
    assert.equal(after.length, 389);
    assert.ok(after.every((o) => o.name !== 'BTC-24SEP21-40000-P'));
  });

  it('lists option expiries ascending, without futures-only dates', () => {
    const registry = loaded('BTC');
    // The ten distinct option expiration_timestamps of the recorded BTC list.
    assert.deepEqual(
      registry.expiriesOf('BTC'),
      [
        1627027200000, 1627113600000, 1627632000000, 1628236800000, 1628841600000, 1630051200000,
        1632470400000, 1640937600000, 1648195200000, 1656057600000,
      ],
    );
    assert.deepEqual(registry.expiriesOf('AVAX'), []);
  });

  it('finds the dated future expiring with an option expiry', () => {
    const registry = loaded('BTC', 'ETH');
    const sepOption = registry.option('BTC-24SEP21-40000-P');
    assert.ok(sepOption);
    const future = registry.futureExpiring('BTC', sepOption.expiry);
    assert.equal(future?.name, 'BTC-24SEP21');
    assert.equal(future?.kind, 'future');
    assert.equal(registry.futureExpiring('ETH', SEP24)?.name, 'ETH-24SEP21');
    assert.equal(registry.futureExpiring('BTC', SEP24, 'USDC'), undefined);
    // Daily options have no future of their own.
    assert.equal(registry.futureExpiring('BTC', JUL24), undefined);
  });

  it('finds the perpetual, picked by quote when a base has several', () => {
    const registry = loaded('BTC', 'USDC');
    assert.equal(registry.perpetualOf('BTC')?.name, 'BTC-PERPETUAL');
    assert.equal(registry.perpetualOf('BTC', 'USD')?.name, 'BTC-PERPETUAL');
    assert.equal(registry.perpetualOf('BTC', 'USDC')?.name, 'BTC_USDC-PERPETUAL');
    assert.equal(registry.perpetualOf('AVAX')?.name, 'AVAX_USDC-PERPETUAL');
    assert.equal(registry.perpetualOf('AVAX', 'USD'), undefined);
    assert.equal(registry.perpetualOf('ETH')?.name, 'ETH_USDC-PERPETUAL');
    assert.equal(registry.perpetualOf('XMR'), undefined);
  });

  it('answers the same whichever perpetual arrived first', () => {
    const specs = [...specsOf('BTC'), ...specsOf('USDC')].filter(
      (s): s is FutureSpec => s.kind === 'perpetual' && s.base === 'BTC',
    );
    assert.equal(specs.length, 2);
    const [forward, backward] = [new InstrumentRegistry(VENUE), new InstrumentRegistry(VENUE)];
    for (const spec of specs)
      forward.apply({ kind: 'instrument-added', venue: VENUE, ts: TS, spec });
    for (const spec of [...specs].reverse()) {
      backward.apply({ kind: 'instrument-added', venue: VENUE, ts: TS, spec });
    }
    assert.equal(forward.perpetualOf('BTC')?.name, 'BTC-PERPETUAL');
    assert.equal(backward.perpetualOf('BTC')?.name, 'BTC-PERPETUAL');
  });
});
