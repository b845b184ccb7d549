// The trader's order flows through the command runner, the gateway and each venue's real
// adapter against the sim (the tmux test covers Deribit on the screen; this runs the same
// flows through both protocols): as1 rests at the bid, cc cancels it, aw1 fills into a
// position, a ladder rests k orders, ca clears them, and bad or aborted lines send nothing —
// which the sim's order log (every request that reached the exchange) proves.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  tradableCall,
  simOrderLog,
  type SimSession,
} from './support/sim-session.js';

type Session = SimSession;

function openOrders(session: Session, venue: string) {
  return session.engine.account
    .orders(venue)
    .filter((order) => order.status === 'open' || order.status === 'untriggered');
}

async function flows(venue: 'deribit' | 'bybit'): Promise<void> {
  const session = await openSimSession(venue);
  try {
    const call = await tradableCall(session);
    const { runner } = session;
    // `i` chooses it by its venue name; the size multiplier defaults to its minimum size.
    assert.deepEqual(runner.run(`i ${call.name}`, null), { ok: true, aborted: false, commands: 1 });
    assert.equal(runner.prompt(null), `${call.name} ×${call.minSize}`);

    // as1: a post-only bid at the bid, resting.
    runner.run('as1', null);
    await runner.settled();
    const rests = await waitFor('the bid resting', () => {
      const open = openOrders(session, venue);
      return open.length === 1 ? open : undefined;
    });
    let log = simOrderLog(session);
    assert.equal(log.length, 1);
    const placed = log[0]!;
    assert.equal(placed.action, 'place');
    assert.equal(placed.status, 'open');
    assert.equal((placed.request as { postOnly?: boolean }).postOnly, true);
    assert.equal((placed.request as { amount: number }).amount, call.minSize);
    assert.match(rests[0]!.label ?? '', /^ivt-[a-z0-9]{6}-1$/);
    assert.equal(rests[0]!.side, 'buy');

    // cc: the last order placed in this session is cancelled.
    runner.run('cc', null);
    await runner.settled();
    await waitFor('no open orders after cc', () =>
      openOrders(session, venue).length === 0 ? true : undefined,
    );
    log = simOrderLog(session);
    assert.equal(log.at(-1)!.action, 'cancel');
    assert.deepEqual(log.at(-1)!.orderIds, placed.orderIds);

    // aw1: a taker limit at the ask fills, and the position shows.
    runner.run('aw1', null);
    await runner.settled();
    await waitFor(
      () =>
        `the position; notes:\n${session.notes.join('\n')}\nlog: ${JSON.stringify(simOrderLog(session).at(-1))}`,
      () => {
        const position = session.engine.account.position(venue, call.name);
        return position !== undefined && Math.abs(position.size - call.minSize) < 1e-9
          ? true
          : undefined;
      },
    );
    assert.equal(simOrderLog(session).at(-1)!.status, 'filled');
    assert.ok(
      session.notes.some((note) => /^bought /.test(note)),
      session.notes.join('\n'),
    );

    // A ladder of 3 bids at 1, 2 and 3 ticks: far under the market, all resting.
    const tick = new Decimal(call.tickSize);
    runner.run(`a1 ${tick.toString()} ${tick.times(3).toString()} 3`, null);
    await runner.settled();
    await waitFor('three ladder orders resting', () =>
      openOrders(session, venue).length === 3 ? true : undefined,
    );
    const ladder = simOrderLog(session).slice(-3);
    assert.deepEqual(
      ladder.map((entry) => (entry.request as { price?: number }).price),
      [1, 2, 3].map((n) => tick.times(n).toNumber()),
    );
    const labels = openOrders(session, venue).map((order) => order.label);
    assert.equal(new Set(labels).size, 3, `labels unique: ${labels.join(', ')}`);

    // ca: all cancelled.
    runner.run('ca', null);
    await runner.settled();
    await waitFor('no open orders after ca', () =>
      openOrders(session, venue).length === 0 ? true : undefined,
    );

    // A bad line and an aborted one: nothing reaches the sim.
    const before = simOrderLog(session).length;
    const bad = runner.run('as1x', null);
    assert.equal(bad.ok, false);
    assert.deepEqual(runner.run('aw1c', null), { ok: true, aborted: true, commands: 0 });
    await runner.settled();
    assert.equal(simOrderLog(session).length, before);
  } finally {
    await closeSimSession(session);
  }
}

describe('command flows against the sim', () => {
  it('Deribit protocol: as1, cc, aw1, ladder, ca, bad and aborted lines', async () => {
    await flows('deribit');
  });
  it('Bybit protocol: as1, cc, aw1, ladder, ca, bad and aborted lines', async () => {
    await flows('bybit');
  });
});
