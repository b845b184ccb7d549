// Fills made while the private stream was down: after the reconnect each adapter reads them back
// from the venue's trade history (Deribit get_user_trades_by_currency, Bybit
// /v5/execution/list) and emits each one once, as the stream would have; a fill the stream
// delivered live is never emitted again. The venue drops every connection every few seconds
// (the sim's disconnect fault); the missed fill is made while the feed waits to reconnect: a
// resting order the adapter placed is filled by another account selling into the bids.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedEvent, FillEvent } from '../../src/book/events.js';
import type { Feed, OrderApi } from '../../src/feeds/feed.js';
import type { SimExchange } from '../../src/sim/contract.js';
import type { RunningSim } from '../../src/sim/server.js';
import * as bybit from './bybit-feed/harness.js';
import * as deribit from './deribit-feed/harness.js';
import type { FeedProbe } from '../support/feed-probe.js';
import { waitUntil } from '../support/wait.js';

/** Wall seconds each connection lives: long enough to trade on before the first drop. */
const DISCONNECT_EVERY_SEC = 3;
/** The feed's wait before reconnecting: the window in which the missed fill is made. */
const RECONNECT_DELAY_MS = 300;
const OTHER_ACCOUNT = 'reconcile-counterparty';

interface Venue {
  readonly name: 'deribit' | 'bybit';
  readonly privateStream: string;
  exchange(sim: RunningSim): SimExchange;
  openSim(): Promise<RunningSim>;
  startFeed(sim: RunningSim): Promise<FeedProbe<Feed>>;
  /** An option both sides of whose book are quoted. */
  option(sim: RunningSim): string;
}

const VENUES: readonly Venue[] = [
  {
    name: 'deribit',
    // Deribit's user.* channels ride the one connection.
    privateStream: 'ws',
    exchange: (sim) => sim.world.exchanges.deribit,
    openSim: () => deribit.openSim({ faults: { disconnectEverySec: DISCONNECT_EVERY_SEC } }),
    startFeed: (sim) =>
      deribit.startFeed(sim, {
        credentials: deribit.credentialsOf(sim),
        backoff: { initialMs: RECONNECT_DELAY_MS, maxMs: RECONNECT_DELAY_MS, jitter: 0 },
      }),
    option: (sim) => twoSidedOption(sim.world.exchanges.deribit),
  },
  {
    name: 'bybit',
    privateStream: 'private',
    exchange: (sim) => sim.world.exchanges.bybit,
    openSim: () => bybit.openSim({ faults: { disconnectEverySec: DISCONNECT_EVERY_SEC } }),
    startFeed: (sim) =>
      bybit.startFeed(sim, {
        credentials: bybit.credentialsOf(sim),
        backoff: { initialMs: RECONNECT_DELAY_MS, maxMs: RECONNECT_DELAY_MS, jitter: 0 },
      }),
    option: (sim) => twoSidedOption(sim.world.exchanges.bybit),
  },
];

function twoSidedOption(exchange: SimExchange): string {
  const now = exchange.now();
  const found = exchange.instruments({ kind: 'option' }).find((instrument) => {
    const ticker = exchange.ticker(instrument.spec.name);
    return (
      instrument.spec.kind === 'option' &&
      instrument.spec.expiry - now > 7 * 86_400_000 &&
      (ticker?.bestBidPrice ?? null) !== null &&
      (ticker?.bestAskPrice ?? null) !== null &&
      (ticker?.markPrice ?? 0) > 0
    );
  });
  assert.ok(found !== undefined, 'no two-sided option');
  return found.spec.name;
}

function fillsOf(events: readonly FeedEvent[], orderId: string): FillEvent[] {
  return events.filter((e): e is FillEvent => e.kind === 'fill' && e.orderId === orderId);
}

/** Another account sells into every bid down to `price`: our order there fills whole. */
function sellDownTo(exchange: SimExchange, instrument: string, price: number, ours: number): void {
  const spec = exchange.instrument(instrument)?.spec;
  const book = exchange.book(instrument, 1000);
  assert.ok(spec !== undefined && book !== undefined);
  const ahead = book.bids.filter(([p]) => p >= price).reduce((sum, [, size]) => sum + size, 0);
  const amount = Math.round((ahead + ours) / spec.lotSize) * spec.lotSize;
  exchange.openAccount(OTHER_ACCOUNT);
  exchange.place(OTHER_ACCOUNT, {
    instrument,
    side: 'sell',
    type: 'limit',
    price,
    amount: Number(amount.toFixed(8)),
    timeInForce: 'immediate_or_cancel',
  });
}

const reconciled = (probe: FeedProbe<Feed>): string[] =>
  probe.logs.filter((line) => line.includes('missed while disconnected'));

for (const venue of VENUES) {
  describe(`${venue.name} feed: fills missed while disconnected`, () => {
    it('reads them back after the reconnect and emits each fill exactly once', async () => {
      const sim = await venue.openSim();
      const probe = await venue.startFeed(sim);
      try {
        const exchange = venue.exchange(sim);
        const orders: OrderApi | null = probe.feed.orders;
        assert.ok(orders !== null);
        await waitUntil('the account loaded', () =>
          probe.events.some((e) => e.kind === 'account-snapshot'),
        );
        const option = venue.option(sim);

        // Seen live: its fill must not come again from the history read after the reconnect.
        const live = await orders.place({
          instrument: option,
          side: 'buy',
          kind: 'market',
          amount: '0.1',
          label: 'reconcile-live',
        });
        assert.equal(live.order.status, 'filled');
        const liveId = live.order.orderId;
        await waitUntil('the live fill streamed', () => fillsOf(probe.events, liveId).length > 0);

        const bid = exchange.ticker(option)?.bestBidPrice ?? null;
        assert.ok(bid !== null);
        const resting = await orders.place({
          instrument: option,
          side: 'buy',
          kind: 'limit',
          amount: '0.1',
          price: String(bid),
          postOnly: true,
          label: 'reconcile-rest',
        });
        assert.equal(resting.order.status, 'open');
        const restingId = resting.order.orderId;
        assert.equal(probe.statuses('reconnecting', venue.privateStream).length, 0);

        await waitUntil(
          'the venue dropping the private stream',
          () => probe.statuses('reconnecting', venue.privateStream).length > 0,
          DISCONNECT_EVERY_SEC * 1000 + 2_000,
        );
        sim.advance(1000);
        sellDownTo(exchange, option, bid, 0.1);
        assert.equal(exchange.order('paper', restingId)?.state, 'filled');
        assert.deepEqual(fillsOf(probe.events, restingId), [], 'made while disconnected');

        await waitUntil('the missed fill read back', () => reconciled(probe).length > 0, 5_000);
        assert.match(reconciled(probe)[0] ?? '', /reconciled 1 fill missed while disconnected/);
        const missed = fillsOf(probe.events, restingId);
        assert.equal(missed.length, 1);
        const truth = exchange.fills('paper', { orderId: restingId });
        assert.deepEqual(
          missed.map((f) => [f.tradeId, f.side, f.size, f.price, f.ts, f.label]),
          truth.map((f) => [f.tradeId, 'buy', 0.1, bid, f.ts, 'reconcile-rest']),
        );

        // Another drop and reconnect: the history read brings both fills back, neither goes out.
        await waitUntil(
          'a second reconnect read back',
          () => reconciled(probe).length > 1,
          DISCONNECT_EVERY_SEC * 1000 + 5_000,
        );
        assert.match(reconciled(probe)[1] ?? '', /reconciled 0 fills/);
        assert.equal(fillsOf(probe.events, restingId).length, 1);
        assert.deepEqual(
          fillsOf(probe.events, liveId).map((f) => f.tradeId),
          exchange.fills('paper', { orderId: liveId }).map((f) => f.tradeId),
        );
        const tradeIds = probe.events.flatMap((e) => (e.kind === 'fill' ? [e.tradeId] : []));
        assert.equal(new Set(tradeIds).size, tradeIds.length, 'no fill emitted twice');
        for (const line of probe.logs) {
          assert.ok(!line.includes(sim.apiKeys[venue.name][0]!.secret), 'no secret logged');
        }
      } finally {
        await probe.feed.stop();
        await sim.close();
      }
    });
  });
}
