import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimError, type SimEvent } from '../../../src/sim/contract.js';
import { deribitProfile } from '../../../src/sim/deribit/profile.js';
import { Random } from '../../../src/sim/random.js';
import {
  ACCOUNT,
  BTC_CALL,
  BTC_INDEX,
  BTC_PERP,
  ETH_CALL,
  ETH_INDEX,
  Harness,
  inverseMarks,
  OTHER,
  quote,
  simInstrument,
} from './harness.js';

type Side = 'bid' | 'ask';

/** A client's copy of every book, built only from the exchange's events. */
class Mirror {
  readonly levels = new Map<string, Record<Side, Map<number, number>>>();
  readonly changeIds = new Map<string, number>();

  constructor(private readonly harness: Harness) {
    harness.exchange.subscribe((event) => this.on(event));
  }

  private on(event: SimEvent): void {
    if (event.type === 'listing') {
      for (const instrument of event.added) {
        const name = instrument.spec.name;
        const snapshot = this.harness.exchange.book(name)!;
        assert.deepEqual([snapshot.bids, snapshot.asks], [[], []]);
        this.levels.set(name, { bid: new Map(), ask: new Map() });
        this.changeIds.set(name, snapshot.changeId);
      }
      for (const instrument of event.removed) this.levels.delete(instrument.spec.name);
    }
    if (event.type !== 'book') return;
    const book = this.levels.get(event.instrument);
    assert.ok(book !== undefined, `book event for unlisted ${event.instrument}`);
    assert.equal(event.prevChangeId, this.changeIds.get(event.instrument), 'change id gap');
    assert.equal(event.changeId, event.prevChangeId + 1);
    assert.ok(event.changes.length > 0);
    this.changeIds.set(event.instrument, event.changeId);
    for (const change of event.changes) {
      const side = book[change.side];
      const had = side.has(change.price);
      if (change.action === 'new') assert.ok(!had, `new on an existing level ${change.price}`);
      else assert.ok(had, `${change.action} on a missing level ${change.price}`);
      if (change.action === 'delete') side.delete(change.price);
      else side.set(change.price, change.amount);
    }
  }

  /** The mirror agrees with the exchange's own view of every book. */
  check(): void {
    for (const [name, book] of this.levels) {
      const view = this.harness.exchange.book(name)!;
      const sorted = (side: Side): [number, number][] =>
        [...book[side]].sort(side === 'bid' ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
      assert.deepEqual(sorted('bid'), view.bids, `${name} bids`);
      assert.deepEqual(sorted('ask'), view.asks, `${name} asks`);
      assert.equal(view.changeId, this.changeIds.get(name));
    }
  }
}

/** Grid prices around a mid: the call's grid steps from 0.0001 to 0.0005 at 0.005. */
const CALL_GRID = [
  ...Array.from({ length: 10 }, (_, i) => Number((0.004 + i * 0.0001).toFixed(4))),
  ...Array.from({ length: 7 }, (_, i) => Number((0.005 + i * 0.0005).toFixed(4))),
];
const PERP_GRID = Array.from({ length: 21 }, (_, i) => 83_900 + i * 10);
const ETH_GRID = Array.from({ length: 11 }, (_, i) => Number((0.0095 + i * 0.0005).toFixed(4)));

const MARKETS = [
  { name: BTC_CALL.name, grid: CALL_GRID, lot: 0.1 },
  { name: BTC_PERP.name, grid: PERP_GRID, lot: 10 },
  { name: ETH_CALL.name, grid: ETH_GRID, lot: 1 },
];

function randomQuote(random: Random, grid: readonly number[], lot: number) {
  const mid = random.int(3, grid.length - 4);
  const bids: number[] = [];
  const asks: number[] = [];
  for (let i = mid - 1; i >= Math.max(0, mid - 3); i--)
    bids.push(grid[i]!, lot * random.int(1, 30));
  for (let i = mid + 1; i <= Math.min(grid.length - 1, mid + 3); i++) {
    asks.push(grid[i]!, lot * random.int(1, 30));
  }
  return quote(bids, asks);
}

describe('book events', () => {
  it('chain their change ids and rebuild the aggregated book exactly', () => {
    const harness = new Harness(deribitProfile, { BTC: 10, ETH: 100 });
    const mirror = new Mirror(harness);
    const { exchange } = harness;
    const random = new Random(42);
    harness.step({
      listed: [BTC_CALL, BTC_PERP, ETH_CALL].map((spec) => simInstrument('deribit', spec)),
      index: { BTC: BTC_INDEX, ETH: ETH_INDEX },
      marks: inverseMarks(harness.time),
      quotes: Object.fromEntries(MARKETS.map((m) => [m.name, randomQuote(random, m.grid, m.lot)])),
    });
    mirror.check();
    let books = 0;
    for (let round = 0; round < 400; round++) {
      const from = harness.events.length;
      // A model step is a requote batch, then one batch per taker.
      let takersOn = (_name: string): number => 0;
      const roll = random.next();
      const market = random.pick(MARKETS);
      const account = random.chance(0.5) ? ACCOUNT : OTHER;
      try {
        if (roll < 0.3) {
          const quotes = Object.fromEntries(
            MARKETS.filter(() => random.chance(0.6)).map((m) => [
              m.name,
              randomQuote(random, m.grid, m.lot),
            ]),
          );
          const takers = random.chance(0.5)
            ? [
                {
                  instrument: market.name,
                  side: random.chance(0.5) ? ('buy' as const) : ('sell' as const),
                  amount: market.lot * random.int(1, 40),
                },
              ]
            : [];
          takersOn = (name) => takers.filter((taker) => taker.instrument === name).length;
          harness.step({ quotes, takers, marks: inverseMarks(harness.time + 1_000) }, 1_000);
        } else if (roll < 0.75) {
          exchange.place(account, {
            instrument: market.name,
            side: random.chance(0.5) ? 'buy' : 'sell',
            amount: market.lot * random.int(1, 10),
            type: 'limit',
            price: random.pick(market.grid),
            ...(random.chance(0.2) ? { postOnly: true } : {}),
          });
        } else if (roll < 0.9) {
          const open = exchange.openOrders(account);
          if (open.length > 0) {
            const order = random.pick(open);
            if (random.chance(0.5)) exchange.cancel(account, order.orderId);
            else {
              const grid = MARKETS.find((m) => m.name === order.instrument)!.grid;
              exchange.edit(account, { orderId: order.orderId, price: random.pick(grid) });
            }
          }
        } else {
          exchange.cancelAll(account, { instrument: market.name });
        }
      } catch (error) {
        if (!(error instanceof SimError)) throw error;
      }
      const batch = harness.events.slice(from).filter((e) => e.type === 'book');
      const names = batch.map((e) => (e.type === 'book' ? e.instrument : ''));
      for (const name of new Set(names)) {
        const events = names.filter((n) => n === name).length;
        assert.ok(events <= 1 + takersOn(name), `one book event per instrument per batch: ${name}`);
      }
      books += batch.length;
      mirror.check();
    }
    assert.ok(books > 200, `only ${books} book events`);
    assert.ok(harness.of('fill').length > 20, 'the scenario should trade');
  });

  it('publish nothing when nothing changed', () => {
    const harness = new Harness(deribitProfile, { BTC: 10 });
    harness.step({
      listed: [simInstrument('deribit', BTC_CALL)],
      index: { BTC: BTC_INDEX },
      marks: inverseMarks(harness.time),
      quotes: { [BTC_CALL.name]: quote([0.005, 1], [0.006, 1]) },
    });
    const from = harness.events.length;
    harness.step({ quotes: { [BTC_CALL.name]: quote([0.005, 1], [0.006, 1]) } }, 1_000);
    assert.deepEqual(
      harness.events.slice(from).map((e) => e.type),
      ['step'],
    );
  });
});
