import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  AccountSnapshotEvent,
  BalanceEvent,
  BookSnapshotEvent,
  FillEvent,
  IndexEvent,
  InstrumentAddedEvent,
  InstrumentRemovedEvent,
  MarketEvent,
  OrderEvent,
  PositionEvent,
  StatusEvent,
  TickerEvent,
  TradeEvent,
} from '../../src/book/events.js';
import { computeTickerAnalytics } from '../../src/book/ticker-analytics.js';
import type { InstrumentSpec } from '../../src/instruments/types.js';
import { decimalText, quoteFields } from '../../src/store/codec.js';
import { isCluster, openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import {
  keySchema,
  QUOTE_FIELDS,
  QUOTE_LISTING_FIELD,
  QUOTE_VALUE_FIELDS,
  type CoinKeys,
  type VenueKeys,
} from '../../src/store/keys.js';
import {
  indexRemovalMarks,
  marketCallArgs,
  venueCallArgs,
  writeMarket,
  writeVenue,
} from '../../src/store/store-writer.js';
import { marketWrite, venueWrite } from '../../src/store/codec.js';
import { callArguments, MarketCallEncoder, readRows } from '../../src/store/market-call.js';
import { sharedCluster, sharedRedis, testPrefix } from '../support/redis.js';
import { REMOVALS_KEPT_MS, withScripts } from '../../src/store/scripts.js';
import { BTC_CALL, BTC_PERPETUAL } from './support/specs.js';

const VENUE = 'deribit';
const T0 = Date.UTC(2026, 5, 1, 12);

const OPTION = BTC_CALL;

const PERPETUAL = BTC_PERPETUAL;

const specs = new Map<string, InstrumentSpec>([
  [OPTION.name, OPTION],
  [PERPETUAL.name, PERPETUAL],
]);
const specOf = (name: string): InstrumentSpec | undefined => specs.get(name);

function added(spec: InstrumentSpec, ts = T0): InstrumentAddedEvent {
  return { kind: 'instrument-added', venue: VENUE, ts, spec };
}

function removed(instrument: string, ts: number): InstrumentRemovedEvent {
  return { kind: 'instrument-removed', venue: VENUE, ts, instrument };
}

function ticker(
  instrument: string,
  ts: number,
  bid: number | null,
  ask: number | null,
): TickerEvent {
  return {
    kind: 'ticker',
    venue: VENUE,
    instrument,
    ts,
    bid,
    bidSize: bid === null ? null : 5,
    ask,
    askSize: ask === null ? null : 7,
    mark: bid !== null && ask !== null ? (bid + ask) / 2 : (bid ?? ask),
    index: 80_000,
    forward: 81_000,
    venueIv: { bid: null, ask: null, mark: null },
    venueGreeks: null,
    volume: 12.5,
    openInterest: 340,
  };
}

function book(instrument: string, ts: number, sequence: number): BookSnapshotEvent {
  return {
    kind: 'book-snapshot',
    venue: VENUE,
    instrument,
    ts,
    sequence,
    bids: [0.05, 1, 0.049, 2],
    asks: [0.051, 3],
  };
}

function index(ts: number, price: number): IndexEvent {
  return { kind: 'index', venue: VENUE, base: 'BTC', quote: 'USD', ts, price };
}

function trade(ts: number): TradeEvent {
  return {
    kind: 'trade',
    venue: VENUE,
    instrument: OPTION.name,
    ts,
    tradeId: `t${ts}`,
    price: 0.05,
    size: 1,
    takerSide: 'buy',
    iv: null,
    markPrice: null,
    indexPrice: null,
    block: false,
  };
}

function order(orderId: string, ts: number, status: OrderEvent['status'], filled = 0): OrderEvent {
  return {
    kind: 'order',
    venue: VENUE,
    ts,
    orderId,
    label: null,
    instrument: OPTION.name,
    side: 'buy',
    orderType: 'limit',
    status,
    price: 0.05,
    iv: null,
    triggerPrice: null,
    amount: 1,
    filled,
    averagePrice: null,
    postOnly: false,
    reduceOnly: false,
    reason: null,
  };
}

function position(instrument: string, ts: number, size: number): PositionEvent {
  return {
    kind: 'position',
    venue: VENUE,
    ts,
    instrument,
    size,
    averagePrice: 0.05,
    markPrice: null,
    unrealizedPnl: null,
    realizedPnl: null,
    venueDelta: null,
  };
}

function balance(currency: string, ts: number, equity: number): BalanceEvent {
  return {
    kind: 'balance',
    venue: VENUE,
    ts,
    currency,
    equity,
    balance: equity,
    available: equity,
    initialMargin: 0,
    maintenanceMargin: 0,
  };
}

function fill(ts: number): FillEvent {
  return {
    kind: 'fill',
    venue: VENUE,
    ts,
    tradeId: `f${ts}`,
    orderId: 'o1',
    label: null,
    instrument: OPTION.name,
    side: 'buy',
    price: 0.05,
    size: 1,
    liquidity: 'maker',
    fee: 0.0003,
    feeCurrency: 'BTC',
    iv: null,
    indexPrice: null,
  };
}

function status(stream: string, ts: number, value: StatusEvent['status']): StatusEvent {
  return { kind: 'status', venue: VENUE, ts, stream, status: value };
}

interface Entry {
  readonly s: number;
  readonly events: unknown[];
}

/** A stream's entries as written: exactly `s`, then one `e` per event. */
async function entries(client: RedisClient, stream: string): Promise<Entry[]> {
  const raw = await client.xrange(stream, '-', '+');
  return raw.map(([, fields]) => {
    assert.ok(fields.length >= 4 && fields.length % 2 === 0, `entry fields ${fields.join(' ')}`);
    assert.equal(fields[0], 's');
    const events: unknown[] = [];
    for (let at = 2; at < fields.length; at += 2) {
      assert.equal(fields[at], 'e', `entry field ${fields[at]}`);
      events.push(JSON.parse(fields[at + 1]!) as unknown);
    }
    return { s: Number(fields[1]), events };
  });
}

/** The event texts of a stream entry's fields, as stored. */
const entryTexts = (fields: readonly string[]): string[] =>
  fields.filter((_, at) => at >= 3 && at % 2 === 1);

const allEvents = (stream: readonly Entry[]): unknown[] => stream.flatMap((entry) => entry.events);

/** The fields a reader reads (bookkeeping `~…` fields apart from ~seq/~id left out). */
function readable(hash: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(hash).filter(([name]) => !name.startsWith('~ts:')));
}

function scriptSuite(name: string, server: () => { url: string }, clustered: boolean): void {
  describe(`store scripts on ${name}`, () => {
    let client: RedisClient;
    let coin: CoinKeys;
    let venue: VenueKeys;
    before(async () => {
      client = await openRedis(parseRedisUrl(server().url));
    });
    after(() => client.disconnect());
    const fresh = (): void => {
      const keys = keySchema(testPrefix('scr'));
      coin = keys.coin(VENUE, 'BTC');
      venue = keys.venue(VENUE);
    };

    it('writes snapshot fields, quote hashes and one stream entry per call (s, b)', async () => {
      fresh();
      const events = [
        added(OPTION),
        added(PERPETUAL),
        ticker(OPTION.name, T0 + 1, 0.05, 0.052),
        ticker(PERPETUAL.name, T0 + 2, 80_990, 81_000),
        book(OPTION.name, T0 + 3, 1),
        index(T0 + 4, 80_000),
        trade(T0 + 5),
      ];
      const count = await writeMarket(client, coin, VENUE, 'BTC', events, { specOf });
      assert.deepEqual(count, { written: 7, dropped: 0 });
      const snap = await client.hgetall(coin.snapshot);
      assert.equal(snap[`i:${OPTION.name}`], JSON.stringify(events[0]));
      assert.equal(snap[`i:${PERPETUAL.name}`], JSON.stringify(events[1]));
      assert.equal(snap[`t:${OPTION.name}`], JSON.stringify(events[2]));
      assert.equal(snap[`t:${PERPETUAL.name}`], JSON.stringify(events[3]));
      assert.equal(snap[`b:${OPTION.name}`], JSON.stringify(events[4]));
      assert.equal(snap['x:BTC:USD'], JSON.stringify(events[5]));
      assert.equal(snap['~seq'], '1');
      const stream = await entries(client, coin.updates);
      assert.deepEqual(
        stream.map(({ s, events: of }) => ({ s, events: of.length })),
        [{ s: 1, events: 7 }],
      );
      assert.deepEqual(stream[0]!.events, events);
      const last = await client.xrevrange(coin.updates, '+', '-', 'COUNT', 1);
      assert.equal(snap['~id'], last[0]![0]);
      // The event JSON is carried as it was written, byte for byte (no re-encoding in Lua).
      assert.deepEqual(
        entryTexts(last[0]![1]),
        events.map((event) => JSON.stringify(event)),
      );

      const quote = await client.hgetall(coin.quote(OPTION.name));
      assert.deepEqual(Object.keys(quote).sort(), [...QUOTE_FIELDS, QUOTE_LISTING_FIELD].sort());
      // The listing, as the snapshot holds it; its length makes the hash a hashtable, which a
      // ticker's 18 fields are rewritten in at about half a listpack's cost.
      assert.equal(quote.listing, JSON.stringify(events[0]));
      assert.equal(await client.object('ENCODING', coin.quote(OPTION.name)), 'hashtable');
      const analytics = computeTickerAnalytics(events[2] as TickerEvent, OPTION);
      assert.ok(analytics.markIv !== null && analytics.delta !== null);
      assert.equal(quote.bid, '0.05');
      assert.equal(quote.ask, '0.052');
      assert.equal(quote.bid_size, '5');
      // ivtrade's IVs and greeks to six significant digits, as in the history.
      const six = (value: number | null): string => decimalText(Number(value?.toPrecision(6)));
      assert.equal(quote.mark_iv, six(analytics.markIv));
      assert.equal(quote.delta, six(analytics.delta));
      assert.equal(quote.gamma, six(analytics.gamma));
      assert.ok(quote.gamma.replace(/^[-0.]+/, '').length <= 6, quote.gamma);
      assert.equal(quote.volume, '12.5');
      assert.equal(quote.open_interest, '340');
      assert.equal(quote.ts, String(T0 + 1));
      // A quote hash's seq is the sequence of the entry that carried its ticker.
      assert.equal(quote.seq, '1');
      assert.doesNotMatch(quote.gamma, /e/i);
      const perp = await client.hgetall(coin.quote(PERPETUAL.name));
      assert.equal(perp.bid, '80990');
      assert.equal(perp.mark_iv, '');
      assert.equal(perp.delta, '');
      assert.equal(perp.seq, '1');
    });

    describe('a ticker row leaves out the groups that did not change (book sides, statistics)', () => {
      /** The quote hash as a reader sees it: the ticker's whole quote, seq and listing apart. */
      const quoteOf = async (instrument: string): Promise<Record<string, string>> => {
        const quote = await client.hgetall(coin.quote(instrument));
        return Object.fromEntries(
          Object.entries(quote).filter(([field]) => field !== 'seq' && field !== 'listing'),
        );
      };
      const expect = (event: TickerEvent): Record<string, string> => ({
        ...quoteFields(event, OPTION),
      });
      const moved = (
        ts: number,
        bid: number | null,
        ask: number | null,
        more: Partial<TickerEvent> = {},
      ): TickerEvent => ({ ...ticker(OPTION.name, ts, bid, ask), ...more });
      /** Another writer's call (a second publisher, a replay): a fresh encoder, whole rows. */
      const otherWriter = async (event: TickerEvent): Promise<void> => {
        const call = marketCallArgs(coin, [marketWrite(event, specOf)!], 1000);
        await withScripts(client).ivtWriteMarket(call.keys.length, ...call.keys, ...call.args);
      };

      it('rows carry only what changed, and the hash always holds the whole latest quote', async () => {
        fresh();
        await writeMarket(client, coin, VENUE, 'BTC', [added(OPTION)], { specOf });
        const quotes = [
          moved(T0 + 1, 0.05, 0.052),
          moved(T0 + 2, 0.05, 0.052, { mark: 0.0512, forward: 81_050 }),
          moved(T0 + 3, 0.05, 0.053),
          moved(T0 + 4, 0.049, 0.053, { volume: 13 }),
          moved(T0 + 5, null, 0.053, { openInterest: 341 }),
        ];
        for (const quote of quotes) {
          await writeMarket(client, coin, VENUE, 'BTC', [quote], { specOf });
          assert.deepEqual(await quoteOf(OPTION.name), expect(quote), `after ts ${quote.ts}`);
        }
        // What the rows carried: the first everything, then only the groups that moved.
        const encoder = new MarketCallEncoder(coin);
        encoder.begin(1000);
        for (const quote of quotes) encoder.addTicker(quote, OPTION);
        const rows = readRows(callArguments(encoder.finish()).args[1] as Buffer);
        assert.deepEqual(
          rows.map((row) => [row.groups, row.prevTs]),
          [
            [0b111, NaN],
            [0b000, T0 + 1],
            [0b010, T0 + 2],
            [0b101, T0 + 3],
            [0b101, T0 + 4],
          ],
        );
        assert.equal(rows[1]!.values[QUOTE_VALUE_FIELDS.indexOf('bid')], undefined);
        assert.equal(rows[1]!.values[QUOTE_VALUE_FIELDS.indexOf('mark')], '0.0512');
      });

      it('a group left out is read from the event when another writer wrote in between', async () => {
        fresh();
        await writeMarket(client, coin, VENUE, 'BTC', [added(OPTION)], { specOf });
        await writeMarket(client, coin, VENUE, 'BTC', [moved(T0 + 1, 0.05, 0.052)], { specOf });
        await otherWriter(moved(T0 + 2, 0.06, 0.065, { volume: 99, openInterest: 1 }));
        // To this writer's last row the book and statistics are unchanged: its row leaves them
        // out, and the hash holds the other writer's. They come from the event instead.
        const next = moved(T0 + 3, 0.05, 0.052, { mark: 0.0515 });
        await writeMarket(client, coin, VENUE, 'BTC', [next], { specOf });
        assert.deepEqual(await quoteOf(OPTION.name), expect(next));
        // And the next row, whose last row the hash now holds, is a short one again.
        const after = moved(T0 + 4, 0.05, 0.052, { mark: 0.0516 });
        await writeMarket(client, coin, VENUE, 'BTC', [after], { specOf });
        assert.deepEqual(await quoteOf(OPTION.name), expect(after));
      });

      it('and when the writer’s last row was dropped as stale, or Redis lost the hash', async () => {
        fresh();
        await writeMarket(client, coin, VENUE, 'BTC', [added(OPTION)], { specOf });
        await writeMarket(client, coin, VENUE, 'BTC', [moved(T0 + 10, 0.05, 0.052)], { specOf });
        const stale = moved(T0 + 5, 0.07, 0.072, { volume: 20 });
        assert.deepEqual(await writeMarket(client, coin, VENUE, 'BTC', [stale], { specOf }), {
          written: 0,
          dropped: 1,
        });
        // Unchanged since the stale row, which the hash never held.
        const next = moved(T0 + 20, 0.07, 0.072, { volume: 20 });
        await writeMarket(client, coin, VENUE, 'BTC', [next], { specOf });
        assert.deepEqual(await quoteOf(OPTION.name), expect(next));
        // A Redis restarted empty: the writer's rows stay short, the hash is whole again.
        await client.del(coin.snapshot, coin.quote(OPTION.name), coin.updates);
        const again = moved(T0 + 30, 0.07, 0.072, { volume: 20, mark: 0.0711 });
        await writeMarket(client, coin, VENUE, 'BTC', [again], { specOf });
        assert.deepEqual(await quoteOf(OPTION.name), expect(again));
      });
    });

    it('gives no IV to an empty or zero side', () => {
      const fields = quoteFields(ticker(OPTION.name, T0, 0, null), OPTION);
      assert.equal(fields.bid, '0');
      assert.equal(fields.bid_iv, '');
      assert.equal(fields.ask, '');
      assert.equal(fields.ask_iv, '');
      assert.equal(fields.ask_size, '');
    });

    it('drops an update older than the stored one for its field; equal is accepted', async () => {
      fresh();
      await writeMarket(client, coin, VENUE, 'BTC', [added(OPTION)], { specOf });
      const newer = ticker(OPTION.name, T0 + 100, 0.06, 0.062);
      const older = ticker(OPTION.name, T0 + 50, 0.04, 0.042);
      const same = { ...newer, bid: 0.061 };
      // A second publisher (or a replay) delivering an older state after a newer one.
      assert.deepEqual(await writeMarket(client, coin, VENUE, 'BTC', [newer], { specOf }), {
        written: 1,
        dropped: 0,
      });
      assert.deepEqual(await writeMarket(client, coin, VENUE, 'BTC', [older], { specOf }), {
        written: 0,
        dropped: 1,
      });
      assert.equal(await client.hget(coin.snapshot, `t:${OPTION.name}`), JSON.stringify(newer));
      assert.equal(await client.hget(coin.quote(OPTION.name), 'bid'), '0.06');
      // Fields are independent: an older index is still news for the index field.
      assert.deepEqual(
        await writeMarket(client, coin, VENUE, 'BTC', [index(T0 + 10, 1), same], { specOf }),
        { written: 2, dropped: 0 },
      );
      assert.equal(await client.hget(coin.quote(OPTION.name), 'bid'), '0.061');
      // A call that wrote nothing adds no entry: the sequence has no hole.
      const stream = await entries(client, coin.updates);
      assert.deepEqual(
        stream.map(({ s, events: of }) => ({ s, events: of.length })),
        [
          { s: 1, events: 1 },
          { s: 2, events: 1 },
          { s: 3, events: 2 },
        ],
      );
      assert.deepEqual(allEvents(stream), [added(OPTION), newer, index(T0 + 10, 1), same]);
      assert.equal(await client.hget(coin.snapshot, '~seq'), '3');
      assert.equal(await client.hget(coin.quote(OPTION.name), 'seq'), '3');
    });

    it('a replay of a whole session over a newer state moves nothing backwards', async () => {
      fresh();
      const session = [
        added(OPTION),
        ticker(OPTION.name, T0 + 1, 0.05, 0.052),
        ticker(OPTION.name, T0 + 2, 0.051, 0.053),
        book(OPTION.name, T0 + 2, 9),
        index(T0 + 3, 80_100),
      ];
      await writeMarket(client, coin, VENUE, 'BTC', session, { specOf });
      const before = await client.hgetall(coin.snapshot);
      const replay = await writeMarket(client, coin, VENUE, 'BTC', session.slice(1, 2), {
        specOf,
      });
      assert.deepEqual(replay, { written: 0, dropped: 1 });
      assert.deepEqual(await client.hgetall(coin.snapshot), before);
    });

    it('an instrument removed loses its fields and quote hash, with a stream entry', async () => {
      fresh();
      await writeMarket(
        client,
        coin,
        VENUE,
        'BTC',
        [added(OPTION), ticker(OPTION.name, T0 + 1, 0.05, 0.052), book(OPTION.name, T0 + 1, 1)],
        { specOf },
      );
      const gone = removed(OPTION.name, T0 + 10);
      assert.deepEqual(await writeMarket(client, coin, VENUE, 'BTC', [gone], { specOf }), {
        written: 1,
        dropped: 0,
      });
      const snap = readable(await client.hgetall(coin.snapshot));
      assert.deepEqual(Object.keys(snap).sort(), ['~id', '~seq']);
      assert.equal(snap['~seq'], '2');
      assert.equal(await client.exists(coin.quote(OPTION.name)), 0);
      const stream = await entries(client, coin.updates);
      assert.deepEqual(stream.at(-1), { s: 2, events: [gone] });
      // A late ticker of the removed instrument does not bring it back; a newer listing does.
      assert.deepEqual(
        await writeMarket(client, coin, VENUE, 'BTC', [ticker(OPTION.name, T0 + 11, 1, 2)], {
          specOf,
        }),
        { written: 0, dropped: 1 },
      );
      assert.equal(await client.exists(coin.quote(OPTION.name)), 0);
      const relisted = added(OPTION, T0 + 20);
      await writeMarket(client, coin, VENUE, 'BTC', [relisted], { specOf });
      assert.equal(await client.hget(coin.snapshot, `i:${OPTION.name}`), JSON.stringify(relisted));
      // The quote hash comes back with the listing alone, until a ticker fills it.
      assert.deepEqual(await client.hgetall(coin.quote(OPTION.name)), {
        listing: JSON.stringify(relisted),
      });
      // A stale removal (a replay) does not remove the newer listing.
      assert.deepEqual(
        await writeMarket(client, coin, VENUE, 'BTC', [removed(OPTION.name, T0 + 15)], {
          specOf,
        }),
        { written: 0, dropped: 1 },
      );
      assert.equal(await client.hexists(coin.snapshot, `i:${OPTION.name}`), 1);
    });

    it("prunes a removed instrument's marks a week on, by the coin's clock; nothing older gets back in", async () => {
      fresh();
      const week = REMOVALS_KEPT_MS;
      const third = `${OPTION.name}-X`;
      const fourth = `${OPTION.name}-Y`;
      const write = (events: MarketEvent[]) =>
        writeMarket(client, coin, VENUE, 'BTC', events, { specOf });
      const marks = (instrument: string) =>
        client.hmget(
          coin.snapshot,
          `~ts:i:${instrument}`,
          `~ts:t:${instrument}`,
          `~ts:b:${instrument}`,
        );
      await write([
        added(OPTION),
        ticker(OPTION.name, T0 + 1, 0.05, 0.052),
        book(OPTION.name, T0 + 1, 1),
        added(PERPETUAL),
        added({ ...OPTION, name: third }),
        added({ ...OPTION, name: fourth }),
      ]);
      await write([removed(OPTION.name, T0 + 10)]);
      const mark = String(-(T0 + 10));
      assert.deepEqual(await marks(OPTION.name), [mark, mark, mark]);
      assert.equal(await client.zscore(coin.removals, OPTION.name), String(T0 + 10));
      // A removal exactly a week later keeps them (kept for a week, not less).
      await write([removed(PERPETUAL.name, T0 + 10 + week)]);
      assert.deepEqual(await marks(OPTION.name), [mark, mark, mark]);
      assert.equal(await client.hexists(coin.snapshot, '~floor'), 0);
      // A millisecond more, and they go; the floor rises to where they went.
      await write([removed(third, T0 + 11 + week)]);
      assert.deepEqual(await marks(OPTION.name), [null, null, null]);
      assert.equal(await client.hget(coin.snapshot, '~floor'), String(T0 + 11));
      assert.deepEqual(await client.zrange(coin.removals, 0, -1), [PERPETUAL.name, third]);
      const left = Object.keys(await client.hgetall(coin.snapshot)).filter((field) =>
        field.endsWith(OPTION.name),
      );
      assert.deepEqual(left, []);
      // Below the floor, the pruned instrument's late ticker and a stale listing stay out...
      assert.deepEqual(await write([ticker(OPTION.name, T0 + 10, 1, 2), added(OPTION, T0 + 5)]), {
        written: 0,
        dropped: 2,
      });
      assert.equal(await client.hexists(coin.snapshot, `t:${OPTION.name}`), 0);
      assert.equal(await client.hexists(coin.snapshot, `i:${OPTION.name}`), 0);
      assert.equal(await client.exists(coin.quote(OPTION.name)), 0);
      // ...and a replayed removal older than the floor marks nothing.
      assert.deepEqual(await write([removed(OPTION.name, T0 + 3)]), { written: 0, dropped: 1 });
      assert.deepEqual(await marks(OPTION.name), [null, null, null]);
      // A listing at or above the floor is a new one.
      const relisted = added(OPTION, T0 + 12);
      assert.deepEqual(await write([relisted]), { written: 1, dropped: 0 });
      assert.equal(await client.hget(coin.snapshot, `i:${OPTION.name}`), JSON.stringify(relisted));
      // An instrument relisted since its removal keeps its listing when its removal is pruned.
      const perpetualBack = added(PERPETUAL, T0 + 12 + week);
      await write([perpetualBack]);
      await write([removed(fourth, T0 + 10 + 2 * week + 5)]);
      assert.deepEqual(await marks(PERPETUAL.name), [String(T0 + 12 + week), null, null]);
      assert.equal(
        await client.hget(coin.snapshot, `i:${PERPETUAL.name}`),
        JSON.stringify(perpetualBack),
      );
      assert.deepEqual(await client.zrange(coin.removals, 0, -1), [fourth]);
      assert.deepEqual(await marks(third), [null, null, null]);
      assert.equal(await client.hget(coin.snapshot, '~floor'), String(T0 + 15 + week));
    });

    it('indexes the removal marks an older version left, which are then pruned like the rest', async () => {
      fresh();
      const old = `${OPTION.name}-OLD`;
      const mark = String(-(T0 + 10));
      // As the last version wrote them: marks in the snapshot, no removals entry.
      await client.hset(coin.snapshot, {
        [`~ts:i:${old}`]: mark,
        [`~ts:t:${old}`]: mark,
        [`~ts:b:${old}`]: mark,
        [`~ts:i:${OPTION.name}`]: String(T0),
      });
      assert.equal(await indexRemovalMarks(client, coin), 1);
      assert.equal(await indexRemovalMarks(client, coin), 0);
      assert.deepEqual(await client.zrange(coin.removals, 0, -1, 'WITHSCORES'), [
        old,
        String(T0 + 10),
      ]);
      await writeMarket(
        client,
        coin,
        VENUE,
        'BTC',
        [added(PERPETUAL, T0 + 20), removed(PERPETUAL.name, T0 + 11 + REMOVALS_KEPT_MS)],
        { specOf },
      );
      assert.deepEqual(
        await client.hmget(coin.snapshot, `~ts:i:${old}`, `~ts:t:${old}`, `~ts:b:${old}`),
        [null, null, null],
      );
      assert.equal(await client.hget(coin.snapshot, `~ts:i:${OPTION.name}`), String(T0));
    });

    it('checks clocks within one call as across calls (the batch reads its bookkeeping once)', async () => {
      fresh();
      const newer = ticker(OPTION.name, T0 + 2, 0.06, 0.062);
      const late = removed(OPTION.name, T0 + 3);
      const relisted = added(OPTION, T0 + 5);
      // One call: a newer ticker then an older one; a removal, a ticker after it (dropped),
      // a relisting and the ticker of the relisted instrument.
      const batch = [
        added(OPTION),
        newer,
        ticker(OPTION.name, T0 + 1, 0.01, 0.012),
        late,
        ticker(OPTION.name, T0 + 4, 0.07, 0.072),
        relisted,
        ticker(OPTION.name, T0 + 6, 0.08, 0.082),
      ];
      assert.deepEqual(await writeMarket(client, coin, VENUE, 'BTC', batch, { specOf }), {
        written: 5,
        dropped: 2,
      });
      const snap = readable(await client.hgetall(coin.snapshot));
      assert.equal(snap[`i:${OPTION.name}`], JSON.stringify(relisted));
      assert.equal(snap[`t:${OPTION.name}`], JSON.stringify(batch[6]));
      assert.equal(snap['~seq'], '1');
      assert.equal(await client.hget(coin.quote(OPTION.name), 'bid'), '0.08');
      assert.equal(await client.hget(coin.quote(OPTION.name), 'seq'), '1');
      // The written events in the order written; the dropped ones are not in the entry.
      const stream = await entries(client, coin.updates);
      assert.equal(stream.length, 1);
      assert.deepEqual(stream[0]!.events, [batch[0], newer, late, relisted, batch[6]]);
      // Removed then relisted in one call: nothing of the removal is left behind (no field
      // still marked removed, a negative ts).
      const marks = await client.hmget(
        coin.snapshot,
        `~ts:i:${OPTION.name}`,
        `~ts:t:${OPTION.name}`,
        `~ts:b:${OPTION.name}`,
      );
      assert.deepEqual(marks, [String(T0 + 5), String(T0 + 6), null]);
    });

    it('carries event JSON and numbers exactly through the one-argument batch', async () => {
      fresh();
      // 17 significant digits, a tiny greek-like number, escapes and text beyond ASCII: what
      // a JSON round trip through Lua numbers or a re-encoding would change.
      const precise = {
        ...ticker(OPTION.name, T0 + 1, 0.1 + 0.2, 0.30000000000000016),
        volume: 1234567.8901234567,
        openInterest: 2.3e-7,
      };
      const odd = {
        ...trade(T0 + 2),
        tradeId: 'q"uote\\back\nline é 期 🚀',
        price: 123456789.12345679,
      };
      const bigTs = index(8_640_000_000_000_000, 80_000.000000000015);
      assert.deepEqual(
        await writeMarket(client, coin, VENUE, 'BTC', [added(OPTION), precise, odd, bigTs], {
          specOf,
        }),
        { written: 4, dropped: 0 },
      );
      const snap = await client.hgetall(coin.snapshot);
      // A ticker's JSON is built from its numbers' decimal texts: the same event, read back.
      const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
      assert.deepEqual(JSON.parse(snap[`t:${OPTION.name}`]!), asJson(precise));
      assert.match(snap[`t:${OPTION.name}`]!, /"openInterest":0\.00000023}$/);
      assert.equal(snap['x:BTC:USD'], JSON.stringify(bigTs));
      assert.equal(snap['~ts:x:BTC:USD'], '8640000000000000');
      const quote = await client.hgetall(coin.quote(OPTION.name));
      assert.equal(quote.bid, '0.30000000000000004');
      assert.equal(quote.ask, '0.30000000000000016');
      assert.equal(quote.volume, '1234567.8901234567');
      assert.equal(quote.open_interest, '0.00000023');
      assert.equal(quote.ts, String(T0 + 1));
      const last = await client.xrevrange(coin.updates, '+', '-', 'COUNT', 1);
      // Every other event is stored as JSON.stringify wrote it, byte for byte.
      assert.deepEqual(
        entryTexts(last[0]![1]),
        [added(OPTION), snap[`t:${OPTION.name}`], odd, bigTs].map((e) =>
          typeof e === 'string' ? e : JSON.stringify(e),
        ),
      );
      assert.deepEqual(
        entryTexts(last[0]![1]).map((text) => JSON.parse(text) as unknown),
        asJson([added(OPTION), precise, odd, bigTs]),
      );
      // The clock compares the whole ts: one ms older than a 16-digit ts is still older.
      assert.deepEqual(
        await writeMarket(client, coin, VENUE, 'BTC', [index(8_640_000_000_000_000 - 1, 1)], {
          specOf,
        }),
        { written: 0, dropped: 1 },
      );
    });

    it('refuses a call whose events are not one per update, writing nothing', async () => {
      fresh();
      const scripts = withScripts(client);
      const good = marketCallArgs(coin, [marketWrite(index(T0, 1), specOf)!], 100);
      const [maxlen, rows, event] = good.args;
      await assert.rejects(
        scripts.ivtWriteMarket(good.keys.length, ...good.keys, maxlen!, rows!, event!, event!),
        /1 updates but 2 events/,
      );
      await assert.rejects(
        scripts.ivtWriteMarket(good.keys.length, ...good.keys, maxlen!, rows!),
        /1 updates but 0 events/,
      );
      // Rows cut short: the unpacking fails before anything is written.
      const cut = (rows as Buffer).subarray(0, (rows as Buffer).length - 3);
      await assert.rejects(
        scripts.ivtWriteMarket(good.keys.length, ...good.keys, maxlen!, cut, event!),
        /data string too short/,
      );
      assert.equal(await client.exists(coin.snapshot, coin.updates), 0);
      // An empty call is no error and writes nothing.
      const empty = marketCallArgs(coin, [], 100);
      assert.deepEqual(
        await scripts.ivtWriteMarket(empty.keys.length, ...empty.keys, ...empty.args),
        [0, 0],
      );
      assert.equal(await client.exists(coin.snapshot, coin.updates), 0);
    });

    it('trims the updates stream to about MAXLEN, the sequence going on', async () => {
      fresh();
      for (let i = 0; i < 600; i += 1) {
        await writeMarket(client, coin, VENUE, 'BTC', [index(T0 + i, 80_000 + i)], {
          specOf,
          maxlen: 100,
        });
      }
      const length = await client.xlen(coin.updates);
      assert.ok(length >= 100 && length < 600, `stream length ${length}`);
      const stream = await entries(client, coin.updates);
      assert.equal(stream.at(-1)!.s, 600);
      assert.equal(await client.hget(coin.snapshot, '~seq'), '600');
      // Consecutive to the end: what is kept is the tail.
      stream.forEach((entry, i) => assert.equal(entry.s, 600 - stream.length + 1 + i));
    });

    it('MAXLEN counts updates: entries of many updates are trimmed to as many updates', async () => {
      fresh();
      const calls = 40;
      const size = 50;
      for (let call = 0; call < calls; call += 1) {
        const batch = Array.from({ length: size }, (_, i) =>
          index(T0 + call * size + i, 80_000 + i),
        );
        await writeMarket(client, coin, VENUE, 'BTC', batch, { specOf, maxlen: 500 });
      }
      const stream = await entries(client, coin.updates);
      const kept = allEvents(stream).length;
      // About 500 updates (MAXLEN ~ trims whole stream nodes), not 500 entries of 50.
      assert.ok(kept >= 500 && kept <= 1_000, `${kept} updates kept in ${stream.length} entries`);
      assert.equal(stream.at(-1)!.s, calls);
      stream.forEach((entry, i) => assert.equal(entry.s, calls - stream.length + 1 + i));
      assert.deepEqual((stream.at(-1)!.events.at(-1) as { ts: number }).ts, T0 + calls * size - 1);
    });

    it('venue state: orders open/terminal, positions flat, balances, statuses, fills', async () => {
      fresh();
      const events = [
        order('o1', T0 + 1, 'open'),
        order('o2', T0 + 2, 'untriggered'),
        position(OPTION.name, T0 + 3, 1),
        balance('BTC', T0 + 3, 1.5),
        status('private', T0 + 4, 'live'),
        fill(T0 + 5),
        order('o1', T0 + 5, 'filled', 1),
        position(PERPETUAL.name, T0 + 6, -100),
        position(PERPETUAL.name, T0 + 7, 0),
      ];
      const count = await writeVenue(client, venue, VENUE, events);
      assert.deepEqual(count, { written: 9, dropped: 0 });
      const state = readable(await client.hgetall(venue.state));
      assert.deepEqual(Object.keys(state).sort(), [
        'b:BTC',
        'o:o2',
        `p:${OPTION.name}`,
        's:private',
        '~id',
        '~seq',
      ]);
      assert.equal(state['o:o2'], JSON.stringify(events[1]));
      assert.equal(state['s:private'], JSON.stringify(events[4]));
      assert.equal(state['~seq'], '1');
      const stream = await entries(client, venue.updates);
      assert.deepEqual(stream, [{ s: 1, events }]);
    });

    it('an order state older than the stored one is dropped; equal ts accepted', async () => {
      fresh();
      await writeVenue(client, venue, VENUE, [order('o1', T0 + 10, 'open', 0.5)]);
      assert.deepEqual(await writeVenue(client, venue, VENUE, [order('o1', T0 + 5, 'open')]), {
        written: 0,
        dropped: 1,
      });
      const same = order('o1', T0 + 10, 'open', 0.7);
      assert.deepEqual(await writeVenue(client, venue, VENUE, [same]), { written: 1, dropped: 0 });
      assert.equal(await client.hget(venue.state, 'o:o1'), JSON.stringify(same));
      // Cancelled, then a late "open" of before: the order stays gone.
      await writeVenue(client, venue, VENUE, [order('o1', T0 + 20, 'cancelled', 0.7)]);
      assert.deepEqual(await writeVenue(client, venue, VENUE, [order('o1', T0 + 15, 'open')]), {
        written: 0,
        dropped: 1,
      });
      assert.equal(await client.hexists(venue.state, 'o:o1'), 0);
      // Fills are never clock-checked: each is its own entry.
      assert.deepEqual(await writeVenue(client, venue, VENUE, [fill(T0), fill(T0)]), {
        written: 2,
        dropped: 0,
      });
    });

    it('an account snapshot replaces every order, position and balance', async () => {
      fresh();
      await writeVenue(client, venue, VENUE, [
        order('o1', T0 + 1, 'open'),
        order('late', T0 + 200, 'open'),
        position(OPTION.name, T0 + 1, 2),
        balance('BTC', T0 + 1, 1),
        balance('ETH', T0 + 1, 3),
        status('private', T0 + 1, 'live'),
      ]);
      const snapshot: AccountSnapshotEvent = {
        kind: 'account-snapshot',
        venue: VENUE,
        ts: T0 + 100,
        orders: [order('o3', T0 + 90, 'open')],
        positions: [position(PERPETUAL.name, T0 + 90, 50), position(OPTION.name, T0 + 90, 0)],
        balances: [balance('BTC', T0 + 90, 2)],
      };
      assert.deepEqual(await writeVenue(client, venue, VENUE, [snapshot]), {
        written: 1,
        dropped: 0,
      });
      const state = readable(await client.hgetall(venue.state));
      assert.deepEqual(Object.keys(state).sort(), [
        'b:BTC',
        'o:late',
        'o:o3',
        `p:${PERPETUAL.name}`,
        's:private',
        '~id',
        '~seq',
      ]);
      assert.equal(state['o:o3'], JSON.stringify(snapshot.orders[0]));
      assert.equal(state['b:BTC'], JSON.stringify(snapshot.balances[0]));
      const stream = await entries(client, venue.updates);
      assert.deepEqual(stream.at(-1), { s: 2, events: [snapshot] });
      // What the snapshot superseded cannot come back late; a newer state can.
      assert.deepEqual(
        await writeVenue(client, venue, VENUE, [
          order('o1', T0 + 50, 'open'),
          order('o4', T0 + 101, 'open'),
        ]),
        { written: 1, dropped: 1 },
      );
      assert.equal(await client.hexists(venue.state, 'o:o1'), 0);
      assert.equal(await client.hexists(venue.state, 'o:o4'), 1);
      // An older snapshot replayed is dropped whole.
      assert.deepEqual(
        await writeVenue(client, venue, VENUE, [{ ...snapshot, ts: T0 + 99, orders: [] }]),
        { written: 0, dropped: 1 },
      );
      assert.equal(await client.hexists(venue.state, 'o:o3'), 1);
    });

    if (!clustered) return;

    it('puts every key of a call in one slot (CLUSTER KEYSLOT)', async () => {
      fresh();
      const market = marketCallArgs(
        coin,
        [added(OPTION), ticker(OPTION.name, T0, 1, 2), removed(PERPETUAL.name, T0)].map((event) =>
          marketWrite(event, specOf)!,
        ),
        100,
      );
      const account = venueCallArgs(venue, [venueWrite(order('o1', T0, 'open'))], 100);
      for (const keys of [market.keys, account.keys]) {
        const slots = new Set<number>();
        for (const key of keys) slots.add(Number(await client.call('CLUSTER', 'KEYSLOT', key)));
        assert.equal(slots.size, 1, `keys ${keys.join(' ')} span slots ${[...slots].join(',')}`);
      }
      assert.equal(market.keys.length, 5);
      assert.equal(isCluster(client), true);
      {
        // The whole call ran (a cross-slot call would have failed with CROSSSLOT).
        await writeMarket(
          client,
          coin,
          VENUE,
          'BTC',
          [
            added(OPTION),
            added(PERPETUAL),
            ticker(OPTION.name, T0, 1, 2),
            removed(PERPETUAL.name, T0 + 1),
          ],
          { specOf },
        );
        assert.equal(await client.hexists(coin.snapshot, `i:${OPTION.name}`), 1);
      }
    });
  });
}

let single: { url: string; stop(): Promise<void> };
let cluster: { url: string; stop(): Promise<void> };
before(async () => {
  single = await sharedRedis();
  cluster = await sharedCluster();
});
after(async () => {
  await single.stop();
  await cluster.stop();
});

scriptSuite('a single node', () => single, false);
scriptSuite('a 3-master cluster', () => cluster, true);
