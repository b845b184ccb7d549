// The venue dropping the connection every 1.5 s (a running clock: the fault is wall time): the
// feed reconnects with backoff, resubscribes everything, reloads the account on each
// connection, and its positions end exactly where the venue's are.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountEvent, AccountSnapshotEvent } from '../../../src/book/events.js';
import { AccountState } from '../../../src/book/account-state.js';
import { credentialsOf, openSim, simOptions, startFeed, VENUE, waitUntil } from './harness.js';

describe('deribit feed: server disconnects', () => {
  it('reconnects, resubscribes and reloads the account without losing or doubling a position', async () => {
    const sim = await openSim({ manualClock: false, faults: { disconnectEverySec: 1.5 } });
    const exchange = sim.world.exchanges.deribit;
    const option = simOptions(sim).find(
      (name) => (exchange.ticker(name)?.bestAskPrice ?? null) !== null,
    );
    assert.ok(option !== undefined);
    const probe = await startFeed(sim, {
      credentials: credentialsOf(sim),
      backoff: { initialMs: 50, maxMs: 200 },
      books: [option],
    });
    const account = new AccountState();
    const applyAccount = (from: number): number => {
      for (const event of probe.events.slice(from)) {
        if (isAccount(event)) account.apply(event);
      }
      return probe.events.length;
    };
    try {
      const orders = probe.feed.orders;
      assert.ok(orders !== null);
      const buy = (label: string) =>
        orders.place({ instrument: option, side: 'buy', kind: 'market', amount: '0.1', label });

      const first = await buy('reconnect-1');
      assert.equal(first.order.status, 'filled');
      await waitUntil('two reconnects', () => probe.feed.counters().reconnects >= 2, 6_000);
      const second = await buy('reconnect-2');
      assert.equal(second.order.status, 'filled');
      await waitUntil('a third reconnect', () => probe.feed.counters().reconnects >= 3, 4_000);
      // The position stream and the latest snapshot have both had their say.
      await waitUntil('the snapshot after it', () => snapshots(probe.events).length >= 4, 2_000);
      applyAccount(0);

      const held = account.position(VENUE, option);
      const truth = exchange.positions('paper').find((p) => p.instrument === option);
      assert.ok(truth !== undefined);
      assert.equal(truth.size, 0.2);
      assert.equal(held?.size, truth.size, 'no position lost or doubled');
      assert.deepEqual(
        account
          .positions(VENUE)
          .filter((p) => p.size !== 0)
          .map((p) => p.instrument),
        exchange
          .positions('paper')
          .filter((p) => p.size !== 0)
          .map((p) => p.instrument),
      );
      for (const snapshot of snapshots(probe.events).slice(1)) {
        const position = snapshot.positions.find((p) => p.instrument === option);
        assert.ok(position !== undefined, 'every reload holds the position');
      }

      const reconnecting = probe.statuses('reconnecting');
      assert.ok(reconnecting.length >= 3);
      for (const status of reconnecting) {
        assert.ok((status.attempt ?? 0) >= 1 && (status.delayMs ?? -1) >= 0);
      }
      // Each connection resubscribed: tickers after the last 'live'.
      const lastLive = probe.events.findLastIndex(
        (event) => event.kind === 'status' && event.status === 'live',
      );
      await waitUntil(
        'tickers on the new connection',
        () => probe.events.slice(lastLive).some((event) => event.kind === 'ticker'),
        2_000,
      );
      // The followed book came back as a fresh snapshot on every connection.
      const counters = probe.feed.counters();
      assert.ok(counters.resyncs >= 3, `${counters.resyncs} resyncs`);
      assert.equal(counters.gaps, 0);
      await waitUntil(
        'the book live',
        () => probe.market.books.get(VENUE, option)?.state === 'live',
      );
    } finally {
      await probe.feed.stop();
      await sim.close();
    }
  });
});

function isAccount(event: { kind: string }): event is AccountEvent | AccountSnapshotEvent {
  return ['order', 'fill', 'position', 'balance', 'account-snapshot'].includes(event.kind);
}

function snapshots(events: readonly { kind: string }[]): AccountSnapshotEvent[] {
  return events.filter((event): event is AccountSnapshotEvent => event.kind === 'account-snapshot');
}
