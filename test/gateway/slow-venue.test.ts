// Against a venue that answers slowly (the sim's reply delay): orders leave within submit's
// own call, before any reply; and a reply that never comes (the order API gives up first) is
// reported 'unknown', never sent again, and resolved by its label from the private stream.
// The stream's events are held back until the gateway has said 'unknown', so the order is
// found the way a lost reply's would be.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FeedEvent } from '../../src/book/events.js';
import { DeribitOrderApi } from '../../src/feeds/deribit/orders.js';
import { OrderGateway } from '../../src/gateway/order-gateway.js';
import type { GatewayReport } from '../../src/gateway/types.js';
import { connectAuthenticated, type TestRpc } from '../feeds/deribit-account/support.js';
import { atmOption, openVenue, waitUntil, type SimVenue } from './support/sim-venue.js';

describe('order gateway: timing against a slow venue', () => {
  let venue: SimVenue;
  let rpc: TestRpc;

  before(async () => {
    venue = await openVenue('deribit', { faults: { replyDelayMs: 100 } });
    rpc = await connectAuthenticated(venue.sim);
  });
  after(async () => {
    await rpc.client.close();
    await venue.close();
  });

  it('hands every order to the venue before submit returns: nothing is awaited first', async () => {
    const option = atmOption(venue);
    const gateway = new OrderGateway({
      market: venue.market,
      orders: () => new DeribitOrderApi(rpc, { timeoutMs: 5_000 }),
    });
    const reports: GatewayReport[] = [];
    gateway.onReport((report) => reports.push(report));
    const mark = venue.market.mark('deribit', option.name);
    assert.ok(mark !== null);
    const before = rpc.count('private/buy');
    const pending = gateway.submit(
      [0.5, 0.45, 0.4].map((fraction) => ({
        venue: 'deribit',
        instrument: option.name,
        side: 'buy' as const,
        amount: '0.1',
        kind: 'limit' as const,
        price: String(mark * fraction),
        postOnly: true,
        origin: 'manual' as const,
      })),
    );
    assert.equal(rpc.count('private/buy'), before + 3, 'all three on the wire already');
    assert.deepEqual(
      reports.map((report) => report.outcome),
      ['sent', 'sent', 'sent'],
    );
    const settled = await pending;
    assert.deepEqual(
      settled.map((report) => report.outcome),
      ['accepted', 'accepted', 'accepted'],
    );
    assert.equal(await gateway.cancelAll('deribit'), 3);
  });

  it('is reported unknown, never resent, and resolved from the stream by its label', async () => {
    const option = atmOption(venue);
    const held: FeedEvent[] = [];
    let holding = true;
    const gateway = new OrderGateway({
      market: venue.market,
      orders: () => new DeribitOrderApi(rpc, { timeoutMs: 20 }),
    });
    venue.engine.onEvent((event) => (holding ? held.push(event) : gateway.observe(event)));
    const reports: GatewayReport[] = [];
    gateway.onReport((report) => reports.push(report));

    const mark = venue.market.mark('deribit', option.name);
    assert.ok(mark !== null);
    const buysBefore = rpc.count('private/buy');
    const [lost] = await gateway.submit([
      {
        venue: 'deribit',
        instrument: option.name,
        side: 'buy',
        amount: '0.1',
        kind: 'limit',
        price: String(mark / 2),
        postOnly: true,
        origin: 'manual',
      },
    ]);
    assert.ok(typeof lost?.label === 'string');
    assert.equal(lost.outcome, 'unknown');
    assert.equal(lost.orderId, null);
    assert.match(
      lost.message,
      /no answer from deribit \(no reply within 20 ms.*not resent, watching ivt-/,
    );

    const label = lost.label;
    const exchange = venue.exchange;
    await waitUntil(
      'the order at the venue',
      () => exchange.orderByLabel('paper', label) !== undefined,
    );
    await waitUntil('the order on the stream', () =>
      held.some((event) => event.kind === 'order' && event.label === label),
    );
    holding = false;
    for (const event of held) gateway.observe(event);

    const resolved = reports.filter((report) => report.label === label);
    assert.deepEqual(
      resolved.map((report) => report.outcome),
      ['sent', 'unknown', 'accepted'],
    );
    assert.equal(resolved.at(-1)?.orderId, exchange.orderByLabel('paper', label)?.orderId);
    assert.equal(rpc.count('private/buy'), buysBefore + 1, 'sent once, never again');

    // The cancel's reply is lost too; the stream, once heard, says what became of it.
    holding = true;
    held.length = 0;
    const impatient = await gateway.cancelLast();
    assert.match(impatient.message, /^cancelled 0 of 1 open .*ivt-\S+ may or may not be cancelled/);
    await waitUntil('the cancel held back', () =>
      held.some((event) => event.kind === 'order' && event.label === label),
    );
    holding = false;
    for (const event of held) gateway.observe(event);
    await waitUntil('the cancel on the stream', () =>
      reports.some((report) => report.label === label && report.outcome === 'cancelled'),
    );
    assert.equal(exchange.orderByLabel('paper', label)?.state, 'cancelled');
    const again = await gateway.cancelLast();
    assert.equal(again.message, 'nothing of the last order is open: cancelled');
  });
});
