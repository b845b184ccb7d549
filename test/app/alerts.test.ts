// Alerts that need the trader stay on the status line until the messages are opened: a lost
// connection and a rejected order are counted there; routine lines are not; Ctrl-L clears them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import { SessionSource } from '../../src/app/session-source.js';
import { alertPrefix } from '../../src/ui/status-bar.js';
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
});
