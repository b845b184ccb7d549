// Alerts that need the trader stay on the status line until the messages are opened: a lost
// connection and a rejected order are counted there; routine lines are not; Ctrl-L clears them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import { SessionSource } from '../../src/app/session-source.js';
import { alertPrefix } from '../../src/ui/status-bar.js';
import type { HedgerState } from '../../src/hedge/types.js';
import type { ViewRequest } from '../../src/view/types.js';

const REQUEST: ViewRequest = {
  chain: null,
  expiry: null,
  strike: null,
  top: 0,
  rows: 5,
  surface: false,
};
const NOW = Date.UTC(2026, 11, 6, 12);

describe('alerts', () => {
  it('counts a lost connection and a rejected order until the messages are opened', () => {
    const engine = new MarketEngine([]);
    const model = new ReadModel(engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const source = new SessionSource(model);
    engine.apply({ kind: 'status', venue: 'deribit', ts: NOW, stream: 'ws', status: 'fresh' });
    source.note('instrument: BTC-PERPETUAL', 'info');
    assert.equal(source.snapshot(REQUEST, NOW).alerts, null, 'routine lines are no alerts');
    engine.apply({
      kind: 'status',
      venue: 'deribit',
      ts: NOW,
      stream: 'ws',
      status: 'reconnecting',
      delayMs: 1000,
      attempt: 1,
    });
    source.orderReport(
      'buy 0.1 BTC-25DEC26-90000-C at 0.05 rejected by deribit: not enough funds',
      'error',
    );
    source.orderReport('sold 0.1 BTC-25DEC26-90000-C at 0.05 (ivt-x-1)', 'info');
    const frame = source.snapshot(REQUEST, NOW);
    assert.equal(frame.alerts?.count, 2);
    assert.match(frame.alerts.latest.text, /rejected by deribit/);
    // The line after the count goes on: the latest answer.
    assert.match(frame.status!.text, /^sold 0\.1/);
    assert.equal(alertPrefix(frame.alerts), '⚠ 2 alerts (Ctrl-L): ');
    source.alertsSeen();
    assert.equal(source.snapshot(REQUEST, NOW).alerts, null);
    assert.equal(alertPrefix(null), '');
  });

  it('the hedger pausing or switching itself off is an alert, once per such state', () => {
    const engine = new MarketEngine([]);
    const model = new ReadModel(engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const source = new SessionSource(model);
    let state: HedgerState = hedger('on', null);
    source.useHedger(() => state);
    assert.equal(source.snapshot(REQUEST, NOW).alerts, null, 'running is no alert');
    state = hedger('paused', '6 hedges in the last minute');
    source.snapshot(REQUEST, NOW);
    const paused = source.snapshot(REQUEST, NOW + 1);
    assert.equal(paused.alerts?.count, 1, 'said once, not each frame');
    assert.match(paused.alerts.latest.text, /^hedger PAUSED \(6 hedges in the last minute\)/);
    state = hedger('on', null);
    source.snapshot(REQUEST, NOW + 2);
    state = hedger('off', 'the hedge instrument is not listed');
    assert.equal(source.snapshot(REQUEST, NOW + 3).alerts?.count, 2);
    // The trader's own hoff (off with no reason) is no alert.
    source.alertsSeen();
    state = hedger('on', null);
    source.snapshot(REQUEST, NOW + 4);
    state = hedger('off', null);
    assert.equal(source.snapshot(REQUEST, NOW + 5).alerts, null);
  });
});

function hedger(mode: HedgerState['mode'], reason: string | null): HedgerState {
  return {
    mode,
    reason,
    instrument: 'BTC-PERPETUAL',
    measure: { netDelta: 0.01, netUsd: 900, bandUsd: 225 },
    hedges: 6,
    inFlight: null,
    reconciling: null,
    recent: [],
  };
}
