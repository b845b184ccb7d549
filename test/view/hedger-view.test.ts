import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HedgerState } from '../../src/hedge/types.js';
import { buildHedgerView } from '../../src/view/hedger-view.js';

const BASE: HedgerState = {
  mode: 'off',
  reason: null,
  instrument: 'BTC-PERPETUAL',
  measure: { netDelta: 0.0123, netUsd: 1107.5, bandUsd: 225 },
  hedges: 0,
  inFlight: null,
  reconciling: null,
  recent: ['13:01:02 none: net +0.0012 BTC = $108 inside ±$225'],
};

describe('buildHedgerView', () => {
  it('no hedger, no view', () => {
    assert.equal(buildHedgerView(null), null);
  });

  it('OFF by the trader: a plain OFF in the header', () => {
    const view = buildHedgerView(BASE)!;
    assert.equal(view.headline, 'OFF');
    assert.equal(view.level, 'info');
    assert.equal(view.mode, 'off');
  });

  it('ON: net delta against the band in the header, the settings and decisions in the panel', () => {
    const view = buildHedgerView(
      { ...BASE, mode: 'on', hedges: 3, inFlight: 'ivt-hedge-abc123-3' },
      'band ±0.25% of one coin · only BTC-PERPETUAL',
    )!;
    assert.equal(view.headline, 'ON net +$1,107.50 / ±$225.00');
    assert.match(view.lines[0]!, /^ON BTC-PERPETUAL {2}net Δ \+0\.0123 coin/);
    assert.match(view.lines[0]!, /hedges 3 {2}in flight ivt-hedge-abc123-3$/);
    assert.equal(view.lines[1], 'band ±0.25% of one coin · only BTC-PERPETUAL');
    assert.equal(view.lines[2], BASE.recent[0]);
  });

  it('what the hedger waits on to reconcile shows under its summary', () => {
    const view = buildHedgerView(
      {
        ...BASE,
        mode: 'on',
        inFlight: 'ivt-hedge-abc123-4',
        reconciling: 'waiting for hedge ivt-hedge-abc123-4 to reconcile',
      },
      'band ±0.25% of one coin · only BTC-PERPETUAL',
    )!;
    assert.equal(view.lines[1], 'waiting for hedge ivt-hedge-abc123-4 to reconcile');
    assert.equal(view.lines[2], 'band ±0.25% of one coin · only BTC-PERPETUAL');
  });

  it('PAUSED says why, in the header, as a warning', () => {
    const view = buildHedgerView({
      ...BASE,
      mode: 'paused',
      reason: 'BTC-PERPETUAL book crossed',
      measure: { netDelta: -0.5, netUsd: -45_000, bandUsd: 225 },
    })!;
    assert.equal(view.headline, 'PAUSED (BTC-PERPETUAL book crossed) net -$45,000.00 / ±$225.00');
    assert.equal(view.level, 'warn');
  });

  it('switched itself off: OFF with the reason, as an error', () => {
    const view = buildHedgerView({ ...BASE, reason: '3 rejections in a row' })!;
    assert.match(view.headline, /^OFF \(3 rejections in a row\)/);
    assert.equal(view.level, 'error');
  });

  it('unknown figures show as a dash', () => {
    const view = buildHedgerView({
      ...BASE,
      mode: 'on',
      measure: { netDelta: null, netUsd: null, bandUsd: null },
    })!;
    assert.equal(view.headline, 'ON net -');
    assert.match(view.lines[0]!, /net Δ - {2}net -/);
  });

  it("shows the policy's band in coins and USD, why it is so, the target and the last hedge", () => {
    const view = buildHedgerView(
      {
        ...BASE,
        mode: 'on',
        measure: { netDelta: 0.1, netUsd: 9_000, bandUsd: 25_700 },
        policy: {
          name: 'gamma',
          why: 'Γ 5.6e-4/$ · cost 5.5 bp · γ 1e-3/$ → ±0.286',
          bandCoins: 0.2856,
          target: 0.1,
          lastHedgeAt: Date.UTC(2026, 11, 6, 16, 21, 5),
        },
      },
      'gamma band (γ 1e-3/$, floor ±0.25% of one coin) · only BTC-PERPETUAL',
    )!;
    assert.equal(
      view.lines[1],
      'gamma band ±0.286 coin ($25,700): Γ 5.6e-4/$ · cost 5.5 bp · γ 1e-3/$ → ±0.286 · ' +
        'target +0.1000 · last hedge 16:21:05',
    );
    const time = buildHedgerView({
      ...BASE,
      policy: { name: 'time', why: 'every 15 min', bandCoins: null, target: 0, lastHedgeAt: null },
    })!;
    assert.equal(time.lines[1], 'time: every 15 min · no hedge yet');
  });

  it("shows today's hedges and their cost under the policy, a dash where a cost is unknown", () => {
    const policy = {
      name: 'fixed',
      why: null,
      bandCoins: 0.0025,
      target: 0,
      lastHedgeAt: null,
    } as const;
    const since = Date.UTC(2026, 11, 6);
    const none = buildHedgerView({
      ...BASE,
      mode: 'on',
      policy,
      today: { since, hedges: 0, feesUsd: 0, spreadUsd: 0, costUsd: 0 },
    })!;
    assert.equal(none.lines[2], 'today 0 hedges · cost $0.00');
    assert.equal(none.lines[3], BASE.recent[0]);
    const some = buildHedgerView({
      ...BASE,
      mode: 'on',
      policy,
      today: { since, hedges: 12, feesUsd: 30.1, spreadUsd: 4.1, costUsd: 34.2 },
    })!;
    assert.equal(some.lines[2], 'today 12 hedges · cost $34.20 (fees $30.10, spread $4.10)');
    const unknown = buildHedgerView({
      ...BASE,
      mode: 'on',
      today: { since, hedges: 2, feesUsd: null, spreadUsd: 0.52, costUsd: null },
    })!;
    assert.equal(unknown.lines[1], 'today 2 hedges · cost - (fees -, spread $0.52)');
    // A state from an older serve has no such line.
    assert.deepEqual(buildHedgerView({ ...BASE, mode: 'on' })!.lines.slice(1), BASE.recent);
  });
});
