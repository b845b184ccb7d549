// Books an attached screen asks serve for, against a real redis-server and serve on the sim:
// the book arrives on the screen while asked for, is marked broken on the screen once no
// screen asks, a lease that is not renewed ends by itself, a held book is never dropped, and
// a viewer whose ACL may not write the request key is told so and asks nothing.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FeedEvent } from '../../src/book/events.js';
import { MarketEngine, MAX_REQUESTED_BOOKS } from '../../src/app/market-engine.js';
import { serveExtensions } from '../../src/app/serve-extensions.js';
import { startServe, type ServeSession } from '../../src/app/serve-session.js';
import type { OpenFeeds } from '../../src/app/venue-feeds.js';
import { Secret } from '../../src/config/secret.js';
import {
  BOOK_REQUESTS_READ_ONLY,
  BookAsks,
  readBookRequests,
} from '../../src/store/book-requests.js';
import { BusFeed } from '../../src/store/bus-feed.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { keySchema } from '../../src/store/keys.js';
import { startRedis, testPrefix, type RedisServer } from '../support/redis.js';
import { sleep, waitFor, waitUntil } from '../support/wait.js';
import { openSimBtcFeeds } from '../support/sim-feeds.js';

const VENUE = 'deribit';
const PASSWORD = 'books-pw-5c1f';
const VIEWER_PASSWORD = 'books-viewer-pw-93d2';
const keys = keySchema(testPrefix('books'));
const booksKey = keys.venue(VENUE).books;
/** For the lease tests: a prefix no serve reads, so their made-up names reach no feed. */
const leasesKey = keySchema(testPrefix('leases')).venue(VENUE).books;

let server: RedisServer;
let admin: RedisClient;
let opened: OpenFeeds;
let serveEngine: MarketEngine;
let serve: ServeSession;

async function userClient(name: string): Promise<RedisClient> {
  return openRedis(
    parseRedisUrl(`redis://${name}@127.0.0.1:${server.port}`, {
      password: new Secret(VIEWER_PASSWORD),
    }),
  );
}

/** An attached screen: a BusFeed under its own engine, as `ivtrade --redis` builds it. */
async function attach(): Promise<{ bus: BusFeed; engine: MarketEngine; events: FeedEvent[] }> {
  const bus = new BusFeed({
    target: parseRedisUrl(server.url, { password: new Secret(PASSWORD) }),
    venue: VENUE,
    prefix: keys.prefix,
    pollMs: 100,
  });
  const engine = new MarketEngine([bus]);
  const events: FeedEvent[] = [];
  engine.onEvent((event) => events.push(event));
  await engine.start();
  return { bus, engine, events };
}

/** A listed option serve has no book of (none asked for before, nothing held at the start). */
function unheldOption(offset: number): string {
  const chain = serveEngine.market.chains(VENUE)[0]!;
  const names = chain.options
    .map((o) => o.name)
    .filter((name) => serveEngine.market.books.get(VENUE, name) === undefined)
    .sort();
  return names[offset % names.length]!;
}

before(async () => {
  server = await startRedis({
    password: PASSWORD,
    aclUsers: [
      // Reads everything, writes nothing: a read-only screen.
      `user viewer on >${VIEWER_PASSWORD} ~* &* +@read +@connection +time -@write`,
      // Reads everything and may leave book requests, nothing else.
      `user bookviewer on >${VIEWER_PASSWORD} %R~* %RW~*:books &* +@read +@connection +time -@write +zadd +zrem +pexpire`,
    ],
  });
  admin = await openRedis(parseRedisUrl(server.url, { password: new Secret(PASSWORD) }));
  opened = await openSimBtcFeeds(VENUE, { seed: 21, speed: 1 });
  serveEngine = new MarketEngine(opened.feeds);
  serve = await startServe({
    engine: serveEngine,
    venue: VENUE,
    client: admin,
    keys,
    trading: {},
    output: {
      note: () => undefined,
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    },
    print: () => undefined,
    currencies: ['BTC'],
    mode: 'SIM',
    extensions: serveExtensions({ intentMaxAgeMs: 5_000, historyRetentionMs: 0 }),
  });
  await waitUntil('the chain listed', () => serveEngine.market.chains(VENUE).length > 0, 10_000);
});

after(async () => {
  await serve?.stop();
  await opened?.close();
  admin?.disconnect();
  await server?.stop();
});

describe('books an attached screen asks serve for', () => {
  it('arrive on the screen while asked for, and show broken once no screen asks', async () => {
    const screen = await attach();
    try {
      const instrument = unheldOption(3);
      await screen.bus.watchBooks([instrument]);
      const members = await admin.zrange(booksKey, 0, -1);
      assert.ok(
        members.some((m) => m.startsWith(`${instrument} `)),
        members.join(', '),
      );
      await waitFor(
        `${instrument}'s book on the attached screen`,
        () =>
          screen.engine.market.books.get(VENUE, instrument)?.state === 'live' ? true : undefined,
        10_000,
      );
      assert.equal(serveEngine.market.books.get(VENUE, instrument)?.state, 'live');

      await screen.bus.unwatchBooks([instrument]);
      const gap = await waitFor(
        'the gap that says nothing follows the book any more',
        () =>
          screen.events.find(
            (e) => e.kind === 'status' && e.status === 'gap' && e.instruments?.includes(instrument),
          ),
        10_000,
      );
      assert.match(gap.kind === 'status' ? (gap.detail ?? '') : '', /no screen asks/);
      assert.notEqual(screen.engine.market.books.get(VENUE, instrument)?.state, 'live');
      assert.equal(serveEngine.market.books.get(VENUE, instrument)?.state, 'stale');
    } finally {
      await screen.engine.stop();
    }
  });

  it('two screens asking for one book: it stays followed until the last one lets go', async () => {
    const one = await attach();
    const two = await attach();
    try {
      const instrument = unheldOption(5);
      await one.bus.watchBooks([instrument]);
      await two.bus.watchBooks([instrument]);
      await waitUntil(
        'the book on both screens',
        () =>
          one.engine.market.books.get(VENUE, instrument)?.state === 'live' &&
          two.engine.market.books.get(VENUE, instrument)?.state === 'live',
        10_000,
      );
      await one.bus.unwatchBooks([instrument]);
      // Longer than serve's poll: had it dropped the book, the gap would be here by now.
      await sleep(2_500);
      assert.equal(two.engine.market.books.get(VENUE, instrument)?.state, 'live');
      assert.equal(serveEngine.market.books.get(VENUE, instrument)?.state, 'live');
      // A screen that quits takes its leases with it.
      await two.engine.stop();
      await waitUntil(
        'serve to let the book go',
        () => serveEngine.market.books.get(VENUE, instrument)?.state === 'stale',
        10_000,
      );
    } finally {
      await one.engine.stop();
      await two.engine.stop();
    }
  });

  it('an attached screen leaves no lease for what is held: serve follows those itself', async () => {
    const screen = await attach();
    try {
      const instrument = unheldOption(9);
      screen.engine.apply({
        kind: 'position',
        venue: VENUE,
        ts: Date.now(),
        instrument,
        size: 2,
        averagePrice: 0.01,
        markPrice: null,
        unrealizedPnl: null,
        realizedPnl: null,
        venueDelta: null,
      });
      await sleep(200);
      const members = await admin.zrange(booksKey, 0, -1);
      assert.equal(members.filter((m) => m.startsWith(`${instrument} `)).length, 0);
      assert.equal(
        screen.events.some((e) => e.kind === 'status' && e.status === 'error'),
        false,
        'no error said about it',
      );
    } finally {
      await screen.engine.stop();
    }
  });

  it('a name the venue does not list never reaches the venue feed', async () => {
    const asked: string[] = [];
    const feed = serveEngine.feed(VENUE)!;
    const watch = feed.watchBooks.bind(feed);
    // Seen, then passed on to the real feed.
    feed.watchBooks = (names) => (asked.push(...names), watch(names));
    const asks = new BookAsks({ client: admin, key: booksKey, screenId: 's-typo' });
    const listed = unheldOption(11);
    try {
      await asks.ask(['BTC-1JAN99-1-C', listed]);
      await waitUntil('serve to follow the listed one', () => asked.includes(listed), 10_000);
      assert.deepEqual(asked, [listed]);
    } finally {
      feed.watchBooks = watch;
      await asks.close();
    }
  });

  it(`at most ${MAX_REQUESTED_BOOKS} books are followed on request, and the excess is said once`, async () => {
    const asked: string[] = [];
    const errors: string[] = [];
    const feed = serveEngine.feed(VENUE)!;
    const watch = feed.watchBooks.bind(feed);
    feed.watchBooks = (names) => (asked.push(...names), watch(names));
    const stop = serveEngine.onEvent((e) => {
      if (e.kind === 'status' && e.status === 'error') errors.push(e.detail ?? '');
    });
    const names = serveEngine.market
      .chains(VENUE)
      .flatMap((chain) => chain.options.map((o) => o.name))
      .filter((name) => serveEngine.market.books.get(VENUE, name) === undefined)
      .slice(0, MAX_REQUESTED_BOOKS + 5);
    assert.equal(names.length, MAX_REQUESTED_BOOKS + 5);
    const asks = new BookAsks({ client: admin, key: booksKey, screenId: 's-greedy' });
    try {
      await asks.ask(names);
      await waitUntil('serve to follow what it will', () => asked.length > 0, 10_000);
      await sleep(2_500);
      assert.equal(asked.length, MAX_REQUESTED_BOOKS);
      assert.deepEqual(asked, [...names].sort().slice(0, MAX_REQUESTED_BOOKS));
      assert.equal(
        errors.filter((text) => text.includes(`screens ask for ${MAX_REQUESTED_BOOKS + 5} books`))
          .length,
        1,
      );
    } finally {
      feed.watchBooks = watch;
      stop();
      await asks.close();
    }
  });

  it('a lease that is not renewed ends by itself (a screen that died)', async () => {
    const asks = new BookAsks({
      client: admin,
      key: leasesKey,
      screenId: 's-dead',
      leaseMs: 400,
      renewMs: 60_000,
    });
    await asks.ask(['BTC-LEASE-TEST']);
    assert.ok((await readBookRequests(admin, leasesKey)).has('BTC-LEASE-TEST'));
    await sleep(600);
    assert.equal((await readBookRequests(admin, leasesKey)).has('BTC-LEASE-TEST'), false);
    // Serve's read trimmed the ended lease from the key.
    assert.equal(await admin.zscore(leasesKey, 'BTC-LEASE-TEST s-dead'), null);
    await asks.close();
  });

  it('a renewed lease outlives its first term', async () => {
    const asks = new BookAsks({
      client: admin,
      key: leasesKey,
      screenId: 's-alive',
      leaseMs: 400,
      renewMs: 100,
    });
    await asks.ask(['BTC-RENEW-TEST']);
    await sleep(900);
    assert.ok((await readBookRequests(admin, leasesKey)).has('BTC-RENEW-TEST'));
    await asks.close();
    assert.equal((await readBookRequests(admin, leasesKey)).has('BTC-RENEW-TEST'), false);
  });

  it('a lease dropped or closed while a renewal is in flight stays gone', async () => {
    // Renewals every millisecond: most drops and closes land while one is being written (its
    // TIME answered, its ZADD not yet sent), the race that brought a lease back.
    for (let round = 0; round < 20; round++) {
      const asks = new BookAsks({
        client: admin,
        key: leasesKey,
        screenId: `s-race-${round}`,
        leaseMs: 5_000,
        renewMs: 1,
      });
      await asks.ask(['BTC-RACE-DROP', 'BTC-RACE-CLOSE']);
      await sleep(round % 5);
      await asks.drop(['BTC-RACE-DROP']);
      await sleep(round % 3);
      await asks.close();
      // Longer than any renewal that could still be on its way.
      await sleep(20);
      const members = await admin.zrange(leasesKey, 0, -1);
      assert.deepEqual(
        members.filter((m) => m.endsWith(` s-race-${round}`)),
        [],
        `round ${round}`,
      );
    }
  });

  it('a held book is not dropped when the screens stop asking for it', () => {
    const instrument = unheldOption(7);
    const followed: string[] = [];
    const dropped: string[] = [];
    const feed = serveEngine.feed(VENUE)!;
    const watch = feed.watchBooks.bind(feed);
    const unwatch = feed.unwatchBooks.bind(feed);
    // Seen, then passed on to the real feed.
    feed.watchBooks = (names) => (followed.push(...names), watch(names));
    feed.unwatchBooks = (names) => (dropped.push(...names), unwatch(names));
    try {
      serveEngine.apply({
        kind: 'position',
        venue: VENUE,
        ts: Date.now(),
        instrument,
        size: 1,
        averagePrice: 0.01,
        markPrice: null,
        unrealizedPnl: null,
        realizedPnl: null,
        venueDelta: null,
      });
      assert.deepEqual(followed, [instrument]);
      serveEngine.requestBooks(VENUE, new Set([instrument]));
      serveEngine.requestBooks(VENUE, new Set());
      assert.deepEqual(followed, [instrument], 'asked once, for the position');
      assert.deepEqual(dropped, []);
    } finally {
      feed.watchBooks = watch;
      feed.unwatchBooks = unwatch;
    }
  });

  it('a viewer whose ACL may not write the request key is told so, and asks nothing', async () => {
    const viewer = await userClient('viewer');
    try {
      const asks = new BookAsks({ client: viewer, key: leasesKey, screenId: 's-viewer' });
      await assert.rejects(asks.ask(['BTC-VIEWER-TEST']), {
        message: BOOK_REQUESTS_READ_ONLY,
      });
      assert.equal(asks.wanted().size, 0);
      assert.equal((await readBookRequests(admin, leasesKey)).has('BTC-VIEWER-TEST'), false);
      await asks.close();
    } finally {
      viewer.disconnect();
    }
  });

  it('a viewer allowed the request key alone can ask, and still writes nothing else', async () => {
    const viewer = await userClient('bookviewer');
    try {
      const asks = new BookAsks({ client: viewer, key: leasesKey, screenId: 's-bookviewer' });
      await asks.ask(['BTC-BOOKVIEWER-TEST']);
      assert.ok((await readBookRequests(admin, leasesKey)).has('BTC-BOOKVIEWER-TEST'));
      await assert.rejects(viewer.zadd(keys.venue(VENUE).state, 1, 'x'), /NOPERM/);
      await asks.close();
      assert.equal((await readBookRequests(admin, leasesKey)).has('BTC-BOOKVIEWER-TEST'), false);
    } finally {
      viewer.disconnect();
    }
  });
});
