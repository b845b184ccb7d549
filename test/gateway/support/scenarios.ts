// The gateway against the real simulator through one venue's real adapter: every flow the
// brief names, written once and run for each venue (deribit.test.ts, bybit.test.ts).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { OrderGateway } from '../../../src/gateway/order-gateway.js';
import type { GatewayReport, OrderIntent } from '../../../src/gateway/types.js';
import type { OptionSpec, TradingRules } from '../../../src/instruments/types.js';
import { atmOption, openVenue, waitUntil, type SimVenue, type VenueName } from './sim-venue.js';

export interface VenueCase {
  readonly venue: VenueName;
  readonly perpetual: string;
  /** An option amount off the lot grid, and the lot multiple under it. */
  readonly oddOptionAmount: { readonly asked: string; readonly sent: string };
  /** An option amount under the lot (and so under the minimum). */
  readonly underMinimum: string;
  /** How the venue words a reduce-only order that would grow the position. */
  readonly reduceOnlyMessage: RegExp;
  /**
   * How the venue words an order the paper account cannot pay for; null where no order the
   * venue's size limits allow gets there.
   */
  readonly fundsMessage: RegExp | null;
}

const LABEL = /^ivt-[0-9a-z]{6}-[1-9]\d*$/;

/** The tick at a price, read off the rules by hand (the test's own reading of the grid). */
function tickAt(rules: TradingRules, price: Decimal): Decimal {
  let tick = new Decimal(String(rules.tickSize));
  for (const step of rules.tickSteps) {
    if (price.gt(String(step.abovePrice))) tick = new Decimal(String(step.tickSize));
  }
  return tick;
}

/** A price on the grid near `value`, rounded down. */
function gridBelow(rules: TradingRules, value: number): Decimal {
  const price = new Decimal(String(value));
  const tick = tickAt(rules, price);
  return price.div(tick).floor().mul(tick);
}

export function describeGatewayAgainst(c: VenueCase): void {
  describe(`order gateway through the ${c.venue} adapter against the sim`, () => {
    let venue: SimVenue;
    let gateway: OrderGateway;
    let option: OptionSpec;
    const reports: GatewayReport[] = [];

    const intent = (over: Partial<OrderIntent> & Pick<OrderIntent, 'side'>): OrderIntent => ({
      venue: c.venue,
      instrument: option.name,
      amount: option.minSize.toString(),
      kind: 'limit',
      origin: 'manual',
      ...over,
    });
    /** A post-only buy at `fraction` of the option's mark: rests well under the bid. */
    const restingBuy = (fraction: number, over: Partial<OrderIntent> = {}): OrderIntent =>
      intent({
        side: 'buy',
        price: gridBelow(option, markOf(option.name) * fraction).toFixed(),
        postOnly: true,
        ...over,
      });
    const markOf = (instrument: string): number => {
      const mark = venue.market.mark(c.venue, instrument);
      assert.ok(mark !== null && mark > 0, `${instrument} has a mark`);
      return mark;
    };
    const reportsOf = (label: string | null): GatewayReport[] =>
      reports.filter((report) => report.label === label);
    const openLabels = (): string[] => venue.openOrders().map((order) => order.label);
    const makeGateway = (over: Partial<ConstructorParameters<typeof OrderGateway>[0]> = {}) => {
      const made = new OrderGateway({
        market: venue.market,
        orders: (name) => venue.engine.feed(name)?.orders ?? null,
        ...over,
      });
      venue.engine.onEvent((event) => made.observe(event));
      return made;
    };
    /** Resolves once the feed has streamed this label's order in this status. */
    const streamed = (label: string, status: string): Promise<void> =>
      waitUntil(
        `${label} streamed ${status}`,
        () => venue.engine.account.orderByLabel(c.venue, label)?.status === status,
      );

    before(async () => {
      venue = await openVenue(c.venue);
      option = atmOption(venue);
      // Many orders go out within a second here; the rate cap has a test of its own.
      gateway = makeGateway({ limits: { maxOrdersPerSecond: 1_000 } });
      gateway.onReport((report) => reports.push(report));
    });
    after(async () => {
      await venue.close();
    });

    it('refuses a size off the lot, naming the lot multiples either side', async () => {
      const bookedBefore = venue.booked.length;
      const [odd] = await gateway.submit([
        intent({ side: 'buy', amount: c.oddOptionAmount.asked, price: String(option.tickSize) }),
      ]);
      assert.equal(odd?.outcome, 'refused');
      const lot = new Decimal(String(option.lotSize));
      assert.equal(
        odd.message,
        `${c.oddOptionAmount.asked} ${option.name} is not a whole number of lots ` +
          `(lot ${option.lotSize}): ask for ${c.oddOptionAmount.sent} or ` +
          `${new Decimal(c.oddOptionAmount.sent).plus(lot).toFixed()}`,
      );
      await venue.feed.orders!.cancelAll();
      assert.equal(venue.booked.length, bookedBefore);
    });

    it('sends an order rounded to the tick, and it rests at the venue so', async () => {
      // Grid prices well under and over the mark; asked 0.6 of a tick off them.
      const buyAt = gridBelow(option, markOf(option.name) * 0.7);
      const sellAt = gridBelow(option, markOf(option.name) * 1.3);
      const buyAsked = buyAt.plus(tickAt(option, buyAt).mul(0.6));
      const sellAsked = sellAt.minus(tickAt(option, sellAt).mul(0.6));
      assert.ok(tickAt(option, buyAsked).eq(tickAt(option, buyAt)), 'one tick zone');
      assert.ok(tickAt(option, sellAsked).eq(tickAt(option, sellAt)), 'one tick zone');
      const [buy, sell] = await gateway.submit(
        (['buy', 'sell'] as const).map((side) =>
          intent({
            side,
            amount: c.oddOptionAmount.sent,
            price: (side === 'buy' ? buyAsked : sellAsked).toFixed(),
            postOnly: true,
          }),
        ),
      );
      assert.ok(buy !== undefined && sell !== undefined);
      assert.equal(buy.outcome, 'accepted', buy.message);
      assert.equal(sell.outcome, 'accepted', sell.message);
      assert.equal(buy.price, buyAt.toFixed(), 'a buy rounds down');
      assert.equal(sell.price, sellAt.toFixed(), 'a sell rounds up');
      assert.equal(buy.amount, c.oddOptionAmount.sent);
      for (const [report, price] of [
        [buy, buyAt],
        [sell, sellAt],
      ] as const) {
        const atVenue = venue.openOrders().find((order) => order.label === report.label);
        assert.ok(atVenue !== undefined, `${report.label} rests at the venue`);
        assert.equal(atVenue.price, price.toNumber());
        assert.equal(atVenue.amount, Number(c.oddOptionAmount.sent));
        assert.equal(atVenue.orderId, report.orderId);
      }
      await gateway.cancelAll(c.venue);
      await waitUntil('both cancelled', () => openLabels().length === 0);
    });

    it('refuses a limit far through the mark, and sends it with force', async () => {
      const bookedBefore = venue.booked.length;
      const far = gridBelow(option, markOf(option.name) * 1.8).toFixed();
      const asked = intent({ side: 'buy', price: far, timeInForce: 'ioc' });
      const [refused] = await gateway.submit([asked]);
      assert.equal(refused?.outcome, 'refused');
      assert.equal(refused.label, null);
      assert.match(
        refused.message,
        /vol points and [\d.]+ ticks above the mark IV .*add ! to send anyway/,
      );

      const perpetualMark = markOf(c.perpetual);
      const perpetual = venue.market.spec(c.venue, c.perpetual);
      assert.ok(perpetual !== undefined);
      const farPerpetual: OrderIntent = {
        venue: c.venue,
        instrument: c.perpetual,
        side: 'buy',
        amount: perpetual.minSize.toString(),
        kind: 'limit',
        price: (perpetualMark * 1.03).toFixed(3),
        timeInForce: 'ioc',
        origin: 'manual',
      };
      const [refusedPerpetual] = await gateway.submit([farPerpetual]);
      assert.equal(refusedPerpetual?.outcome, 'refused');
      assert.match(refusedPerpetual.message, /% above the mark .*\(limit 1 %\): add ! to send/);

      const [forced, forcedPerpetual] = await gateway.submit([
        { ...asked, force: true },
        { ...farPerpetual, force: true },
      ]);
      assert.ok(typeof forced?.label === 'string' && typeof forcedPerpetual?.label === 'string');
      assert.equal(forced.outcome, 'filled', forced.message);
      assert.equal(forcedPerpetual.outcome, 'filled', forcedPerpetual.message);
      // Only the forced ones reached the exchange.
      assert.deepEqual(
        venue.booked.slice(bookedBefore).map((order) => order.label),
        [forced.label, forcedPerpetual.label],
      );
      // The reply and the stream both said "filled": it is reported once.
      await streamed(forced.label, 'filled');
      await streamed(forcedPerpetual.label, 'filled');
      for (const label of [forced.label, forcedPerpetual.label]) {
        assert.deepEqual(
          reportsOf(label).map((report) => report.outcome),
          ['sent', 'filled'],
        );
      }
    });

    it('caps notional, force or not', async () => {
      const bookedBefore = venue.booked.length;
      const usdPerCoin = venue.market.usdPerCoin(c.venue, option.name);
      assert.ok(usdPerCoin !== null);
      const coins = (Math.ceil((260_000 / usdPerCoin) * 10) / 10).toFixed(1);
      const [big] = await gateway.submit([restingBuy(0.5, { amount: coins, force: true })]);
      assert.equal(big?.outcome, 'refused');
      assert.match(big.message, /USD notional, over the 250,000 USD cap/);
      const perpetual = venue.market.spec(c.venue, c.perpetual);
      assert.ok(perpetual !== undefined);
      const perpetualAmount = perpetual.sizeUnit === 'usd' ? '260000' : coins;
      const [bigPerpetual] = await gateway.submit([
        {
          venue: c.venue,
          instrument: c.perpetual,
          side: 'sell',
          amount: perpetualAmount,
          kind: 'market',
          force: true,
          origin: 'hedge',
        },
      ]);
      assert.equal(bigPerpetual?.outcome, 'refused');
      assert.match(bigPerpetual.message, /over the 250,000 USD cap/);
      // A round trip after the refusals: anything they had sent would have arrived first.
      await venue.feed.orders!.cancelAll();
      assert.equal(venue.booked.length, bookedBefore, 'nothing reached the exchange');
    });

    it('caps orders per second: the 11th is refused, and a batch goes whole or not at all', async () => {
      let clock = 1_000_000;
      const limited = makeGateway({ now: () => clock });
      const bookedBefore = venue.booked.length;
      for (let i = 0; i < 10; i += 1) {
        const [report] = await limited.submit([restingBuy(0.5)]);
        assert.equal(report?.outcome, 'accepted', report?.message);
        clock += 50;
      }
      const [eleventh] = await limited.submit([restingBuy(0.5)]);
      assert.equal(eleventh?.outcome, 'refused');
      assert.match(
        eleventh.message,
        /rate cap: 1 more order would make 11 in one second \(max 10\)/,
      );
      assert.equal(venue.booked.length, bookedBefore + 10);

      clock += 1_000;
      const three = await limited.submit([0.5, 0.45, 0.4].map((f) => restingBuy(f)));
      assert.deepEqual(
        three.map((report) => report.outcome),
        ['accepted', 'accepted', 'accepted'],
      );
      const eight = await limited.submit(Array.from({ length: 8 }, () => restingBuy(0.5)));
      assert.ok(eight.every((report) => report.outcome === 'refused' && report.label === null));
      assert.match(eight[0]?.message ?? '', /8 more orders would make 11/);
      assert.equal(venue.booked.length, bookedBefore + 13, 'nothing of the refused batch');

      const cancelled = await limited.cancelAll(c.venue);
      assert.equal(cancelled, 13);
      assert.deepEqual(openLabels(), []);
    });

    it('sends nothing of a batch with one bad order, and spends no label on it', async () => {
      const [first] = await gateway.submit([restingBuy(0.5)]);
      assert.ok(typeof first?.label === 'string' && LABEL.test(first.label), first?.message);
      const bookedBefore = venue.booked.length;
      const heardBefore = reports.length;
      const batch = await gateway.submit([
        restingBuy(0.5),
        restingBuy(0.45, { amount: c.underMinimum }),
        restingBuy(0.4),
      ]);
      // Said once, by the order that was refused, not once per order of the batch.
      assert.deepEqual(
        reports.slice(heardBefore).map((report) => report.message),
        [batch[1]?.message],
      );
      assert.deepEqual(
        batch.map((report) => [report.outcome, report.label]),
        [
          ['refused', null],
          ['refused', null],
          ['refused', null],
        ],
      );
      assert.match(batch[1]?.message ?? '', /^order 2 of 3: .* is not a whole number of lots/);
      assert.match(batch[0]?.message ?? '', /^not sent: order 2 of 3 was refused \(/);
      const [next] = await gateway.submit([restingBuy(0.5)]);
      const number = (label: string | null | undefined): number => Number(label?.split('-').at(-1));
      assert.equal(number(next?.label), number(first.label) + 1, 'no label was spent');
      assert.equal(venue.booked.length, bookedBefore + 1);
      await gateway.cancelAll(c.venue);
    });

    it('labels every order uniquely, as the venue shows; cancelLast cancels the ladder', async () => {
      const nothing = await makeGateway().cancelLast();
      assert.equal(nothing.message, 'nothing sent in this session to cancel');

      const ladder = await gateway.submit([0.6, 0.575, 0.55, 0.525, 0.5].map((f) => restingBuy(f)));
      const labels = ladder.map((report) => report.label);
      assert.ok(ladder.every((report) => report.outcome === 'accepted'));
      assert.equal(new Set(labels).size, 5);
      for (const label of labels) {
        assert.ok(
          label !== null && LABEL.test(label) && label.startsWith(`ivt-${gateway.session}-`),
        );
        assert.ok(openLabels().includes(label), `${label} is on the venue's order`);
      }

      const cancelled = await gateway.cancelLast();
      assert.equal(cancelled.message, 'cancelled 5 of 5 open of the last 5 orders');
      assert.deepEqual(
        cancelled.reports.map((report) => report.outcome),
        ['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'],
      );
      assert.deepEqual(
        openLabels().filter((label) => labels.includes(label)),
        [],
      );
      const again = await gateway.cancelLast();
      assert.equal(again.message, 'nothing of the last 5 orders is open: 5 cancelled');
      // The stream's cancels change nothing already reported.
      for (const label of labels) await streamed(label!, 'cancelled');
      for (const label of labels) {
        assert.deepEqual(
          reportsOf(label).map((report) => report.outcome),
          ['sent', 'accepted', 'cancelled'],
        );
      }
    });

    it('cancelAll cancels at the venue; the stream reports each of ours cancelled', async () => {
      const placed = await gateway.submit([restingBuy(0.5), restingBuy(0.45)]);
      const labels = placed.map((report) => report.label!);
      const count = await gateway.cancelAll(c.venue);
      assert.equal(count, 2);
      assert.deepEqual(openLabels(), []);
      await waitUntil('both reported cancelled', () =>
        labels.every((label) => reportsOf(label).at(-1)?.outcome === 'cancelled'),
      );
    });

    it('follows an order cancelled elsewhere through the stream', async () => {
      const [resting] = await gateway.submit([restingBuy(0.5)]);
      assert.ok(typeof resting?.orderId === 'string' && resting.label !== null);
      await venue.feed.orders!.cancel(resting.orderId);
      await waitUntil('the stream cancel reported', () =>
        reportsOf(resting.label).some((report) => report.outcome === 'cancelled'),
      );
      assert.deepEqual(
        reportsOf(resting.label).map((report) => report.outcome),
        ['sent', 'accepted', 'cancelled'],
      );
    });

    it('reports a partial fill once, and what cancelLast leaves of it', async () => {
      const ask = venue.exchange.book(option.name, 1)?.asks[0];
      assert.ok(ask !== undefined, 'the option has an ask');
      const [askPrice, askSize] = ask;
      const amount = new Decimal(String(askSize)).plus(String(option.lotSize * 2)).toFixed();
      const wide = makeGateway({ limits: { maxNotionalUsd: 1e9 } });
      const seen: GatewayReport[] = [];
      wide.onReport((report) => seen.push(report));
      const [partial] = await wide.submit([
        intent({ side: 'buy', amount, price: String(askPrice) }),
      ]);
      assert.ok(typeof partial?.label === 'string');
      assert.equal(partial.outcome, 'partially-filled', partial.message);
      assert.match(
        partial.message,
        new RegExp(`: ${askSize} filled at ${askPrice}, the rest open`),
      );
      await waitUntil('the partial fill streamed', () => {
        const order = venue.engine.account.orderByLabel(c.venue, partial.label!);
        return order !== undefined && order.filled > 0;
      });
      const cancelled = await wide.cancelLast();
      assert.equal(cancelled.message, 'cancelled 1 of 1 open of the last order');
      assert.match(
        cancelled.reports[0]?.message ?? '',
        new RegExp(`cancelled after ${askSize} filled`),
      );
      await streamed(partial.label, 'cancelled');
      assert.deepEqual(
        seen.filter((report) => report.label === partial.label).map((report) => report.outcome),
        ['sent', 'partially-filled', 'cancelled'],
      );
    });

    it("reports a venue's rejection in the venue's words", async () => {
      const perpetual = venue.market.spec(c.venue, c.perpetual);
      assert.ok(perpetual !== undefined);
      const [rejected] = await gateway.submit([
        {
          venue: c.venue,
          instrument: c.perpetual,
          side: 'buy',
          amount: perpetual.minSize.toString(),
          kind: 'market',
          reduceOnly: true,
          origin: 'manual',
        },
      ]);
      assert.equal(rejected?.outcome, 'rejected');
      assert.ok(rejected.label !== null, 'it was sent');
      assert.match(rejected.message, c.reduceOnlyMessage);
      assert.match(rejected.message, new RegExp(`rejected by ${c.venue}: `));
      assert.deepEqual(
        reportsOf(rejected.label).map((report) => report.outcome),
        ['sent', 'rejected'],
      );

      if (c.fundsMessage !== null) {
        const unlimited = makeGateway({ limits: { maxNotionalUsd: 1e12 } });
        const [broke] = await unlimited.submit([restingBuy(0.9, { amount: '1000' })]);
        assert.equal(broke?.outcome, 'rejected', broke?.message);
        assert.match(broke.message, c.fundsMessage);
      }
    });

    it('refuses what cannot be placed: no credentials, unknown instruments, sizes under the minimum', async () => {
      const bookedBefore = venue.booked.length;
      const readOnly = makeGateway({ orders: () => null });
      const [noKeys] = await readOnly.submit([restingBuy(0.5)]);
      assert.equal(noKeys?.message, `no trading credentials for ${c.venue}`);
      await assert.rejects(readOnly.cancelAll(c.venue), /no trading credentials/);
      const [unknown] = await gateway.submit([restingBuy(0.5, { instrument: 'NOPE-1' })]);
      assert.match(unknown?.message ?? '', /unknown instrument NOPE-1/);
      const [small] = await gateway.submit([restingBuy(0.5, { amount: c.underMinimum })]);
      assert.match(
        small?.message ?? '',
        new RegExp(
          `is not a whole number of lots \\(lot ${option.lotSize}\\): ask for ${option.lotSize}$`,
        ),
      );
      const [zero] = await gateway.submit([restingBuy(0.5, { price: '0.0000001' })]);
      assert.match(zero?.message ?? '', /a price must be above 0/);
      // Numbers no venue could take as typed, band known or not, forced or not.
      const [huge] = await gateway.submit([
        restingBuy(0.5, { side: 'sell', price: '2000000000', force: true }),
      ]);
      assert.match(
        huge?.message ?? '',
        /^price 2000000000 on .* is beyond any price \(over 1e\+9\)$/,
      );
      const [inexact] = await gateway.submit([
        restingBuy(0.5, { side: 'sell', price: '9007199254740993', force: true }),
      ]);
      assert.match(inexact?.message ?? '', /^price 9007199254740993 has more digits than/);
      const [typo] = await gateway.submit([restingBuy(0.5, { amount: '0,1' })]);
      assert.equal(typo?.message, 'amount "0,1" is not a decimal number');
      // A round trip after the refusals: anything they had sent would have arrived first.
      await venue.feed.orders!.cancelAll();
      assert.equal(venue.booked.length, bookedBefore);
    });
  });
}
