// The read model over a real engine fed normalized events: what a frame sees, how often the
// charts are rebuilt, and that a quiet market shows the same data without being rebuilt.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ANSWER_HOLD_MS, ReadModel } from '../../src/app/read-model.js';
import type { ViewRequest } from '../../src/view/types.js';
import {
  addListing,
  listing,
  NOV27,
  NOV_FORWARD,
  NOW,
  optionTicker,
  VENUE,
} from '../view/support/market-fixture.js';

const REQUEST: ViewRequest = {
  chain: null,
  expiry: null,
  strike: null,
  top: 0,
  rows: 10,
  surface: true,
};

function quotedEngine(): MarketEngine {
  const engine = new MarketEngine([]);
  addListing(engine.market, listing());
  for (const spec of listing()) {
    if (spec.expiry === NOV27) engine.apply(optionTicker(spec, NOV_FORWARD, NOW - 1000));
  }
  return engine;
}

describe('ReadModel', () => {
  const model = (): ReadModel =>
    new ReadModel(quotedEngine(), {
      venue: VENUE,
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });

  it('builds the front expiry with its smile and term structure', () => {
    const frame = model().snapshot(REQUEST, NOW);
    assert.equal(frame.chain?.expiry, NOV27);
    assert.ok(frame.smile !== null && frame.smile.points.some((p) => Number.isFinite(p.markIv)));
    assert.ok(frame.term !== null && frame.term.points.length > 0);
    assert.equal(frame.header.mode, 'SIM');
  });

  it('rebuilds the charts at most every 250 ms, and at the latest every 500 ms', () => {
    const reader = model();
    const first = reader.snapshot(REQUEST, NOW);
    assert.equal(reader.snapshot(REQUEST, NOW + 100).smile, first.smile, 'kept within 250 ms');
    // Every frame here is also a full-settle frame (250 ms apart): the charts must not wait
    // for a frame that does not settle, which in a market ticking this slowly never comes.
    const times = [NOW + 250, NOW + 500, NOW + 750, NOW + 1000];
    const smiles = times.map((t) => reader.snapshot(REQUEST, t).smile);
    assert.ok(new Set([first.smile, ...smiles]).size >= 3, 'rebuilt at least twice in a second');
  });

  it('rebuilds the charts at once for another expiry', () => {
    const reader = model();
    const first = reader.snapshot(REQUEST, NOW);
    const next = first.chain!.expiries[1]!.expiry;
    const other = reader.snapshot({ ...REQUEST, expiry: next }, NOW + 10);
    assert.equal(other.smile?.expiry, next);
  });

  it('counts every event in its version, so a quiet market costs no snapshot', () => {
    const engine = quotedEngine();
    const reader = new ReadModel(engine, {
      venue: VENUE,
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    const before = reader.version;
    const spec = listing().find((s) => s.expiry === NOV27)!;
    engine.apply(optionTicker(spec, NOV_FORWARD, NOW));
    assert.equal(reader.version, before + 1);
    reader.note('hello');
    assert.equal(reader.version, before + 2);
    assert.equal(reader.snapshot(REQUEST, NOW).status?.text, 'hello');
  });
});

describe('ReadModel status line (issue 16 #15)', () => {
  const chatter = (ts: number, detail: string) =>
    ({
      kind: 'status',
      venue: VENUE,
      ts,
      stream: 'ws',
      status: 'malformed',
      detail,
    }) as const;

  it('connection chatter never replaces the trader’s answer within the hold; a newer answer does', () => {
    let wall = 1_000_000;
    const engine = quotedEngine();
    const reader = new ReadModel(engine, {
      venue: VENUE,
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
      wall: () => wall,
    });
    const rejected = 'order rejected: the venue said price is too high (max 0.5)';
    reader.note(rejected, 'error', wall);
    wall += 400;
    engine.apply(chatter(wall, '26 frames skipped'));
    assert.equal(reader.snapshot(REQUEST, NOW).status?.text, rejected);
    wall += ANSWER_HOLD_MS - 500;
    engine.apply(chatter(wall, '27 frames skipped'));
    assert.equal(reader.snapshot(REQUEST, NOW).status?.text, rejected, 'still within the hold');
    wall += 200;
    assert.match(reader.snapshot(REQUEST, NOW).status?.text ?? '', /27 frames skipped/);
    // An answer replaces chatter (and another answer) at once.
    reader.note('accepted, resting', 'info', wall);
    assert.equal(reader.snapshot(REQUEST, NOW).status?.text, 'accepted, resting');
    // Nothing is lost: every line is in the messages, oldest first.
    const messages = reader.snapshot(REQUEST, NOW).messages ?? [];
    assert.deepEqual(
      messages.map((m) => m.text.replace(/^deribit ws: malformed — /, '')),
      [rejected, '26 frames skipped', '27 frames skipped', 'accepted, resting'],
    );
  });
});
