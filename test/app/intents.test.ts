// Attached screens trade through serve's one gateway, against a real redis-server (password
// protected, with viewer users) and the real sim: serve's side is an engine with startTrading
// and the intent executor; each screen is a command runner over a RemoteDoor, planning on the
// same engine's market. The sim's order log (every request that reached the exchange) is the
// witness of what was sent, and how often.

import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTrading, type Trading } from '../../src/app/exec-lines.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { startIntentExecutor, type IntentExecutor } from '../../src/app/intent-executor.js';
import { MarketEngine } from '../../src/app/market-engine.js';
import {
  startRemoteTrading,
  type RemoteTrading,
  type SendCheck,
} from '../../src/app/remote-trading.js';
import type { OpenFeeds } from '../../src/app/venue-feeds.js';
import { Secret } from '../../src/config/secret.js';
import type { OrderIntent } from '../../src/gateway/types.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import type { SimOrderLogEntry } from '../../src/sim/order-log.js';
import { openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { IntentSender, newIntentId } from '../../src/store/intents.js';
import { keySchema } from '../../src/store/keys.js';
import { startRedis, testPrefix, type RedisServer } from '../support/redis.js';
import { waitFor, waitUntil } from '../support/wait.js';
import { openSimBtcFeeds } from '../support/sim-feeds.js';

const VENUE = 'deribit';
const PASSWORD = 'serve-pw-7d1e0c';
const VIEWER_PASSWORD = 'viewer-pw-44aa19';
/** What the sim's venues are configured with (src/sim/server.ts): none may reach Redis. */
const VENUE_SECRETS = [
  'sim-deribit-client',
  'sim-deribit-secret',
  'sim-bybit-key',
  'sim-bybit-secret',
];
const WEEK_MS = 7 * 86_400_000;

let server: RedisServer;
let dir: string;
let logPath: string;
let opened: OpenFeeds;
let engine: MarketEngine;
let trading: Trading;
let executor: IntentExecutor;
let admin: RedisClient;
let serveClient: RedisClient;
const serveNotes: string[] = [];
const keys = keySchema(testPrefix('intents'));
const intentKeys = keys.intents(VENUE);
let serveAlive = true;
const canSend = (): SendCheck =>
  serveAlive ? { ok: true } : { ok: false, reason: 'serve not running' };

interface Screen {
  readonly trading: RemoteTrading;
  readonly client: RedisClient;
  readonly notes: string[];
}
const screens: Screen[] = [];

async function openScreen(user: { name: string; password: string } | null = null): Promise<Screen> {
  const url = user === null ? server.url : `redis://${user.name}@127.0.0.1:${server.port}`;
  const target = parseRedisUrl(url, {
    password: new Secret(user === null ? PASSWORD : user.password),
  });
  const client = await openRedis(target, { clientName: 'ivtrade-screen' });
  const notes: string[] = [];
  const remote = await startRemoteTrading({
    engine,
    venue: VENUE,
    redis: client,
    keys,
    username: user?.name ?? null,
    limits: trading.gateway.limits,
    canSend,
    output: {
      note: (text) => notes.push(text),
      info: (title) => notes.push(`info ${title}`),
      help: () => notes.push('help'),
      quit: () => notes.push('quit'),
    },
  });
  const screen = { trading: remote, client, notes };
  screens.push(screen);
  return screen;
}

function simLog(): SimOrderLogEntry[] {
  try {
    return readFileSync(logPath, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SimOrderLogEntry);
  } catch {
    return [];
  }
}

function places(): SimOrderLogEntry[] {
  return simLog().filter((entry) => entry.action === 'place');
}

function openLabels(): Set<string> {
  return new Set(
    engine.account
      .orders(VENUE)
      .filter((order) => order.status === 'open' || order.status === 'untriggered')
      .map((order) => order.label ?? ''),
  );
}

async function requestCount(): Promise<number> {
  return admin.xlen(intentKeys.requests);
}

/** A two-sided call a week or more out, nearest the money. */
async function tradableCall(): Promise<OptionSpec> {
  const market = new EngineMarket(engine.market);
  return waitFor(
    'a two-sided call a week out',
    () => {
      let best: { spec: OptionSpec; distance: number } | null = null;
      for (const chain of engine.market.chains(VENUE)) {
        for (const spec of chain.options) {
          if (spec.type !== 'call' || spec.expiry - Date.now() < WEEK_MS) continue;
          const touch = market.touch(VENUE, spec.name);
          const forward = chain.row(spec.expiry)?.forward ?? NaN;
          if (touch.bid === null || touch.ask === null || !Number.isFinite(forward)) continue;
          const distance = Math.abs(spec.strike - forward);
          if (best === null || distance < best.distance) best = { spec, distance };
        }
      }
      return best?.spec;
    },
    15_000,
  );
}

/** A post-only bid at the bid: it rests. */
function restingBid(call: OptionSpec): OrderIntent {
  const touch = new EngineMarket(engine.market).touch(VENUE, call.name);
  return {
    venue: VENUE,
    instrument: call.name,
    side: 'buy',
    amount: String(call.minSize),
    kind: 'limit',
    price: String(touch.bid),
    postOnly: true,
    origin: 'manual',
  };
}

async function runLine(screen: Screen, line: string): Promise<void> {
  screen.trading.runner.run(line, null);
  await screen.trading.runner.settled();
}

before(async () => {
  server = await startRedis({
    password: PASSWORD,
    aclUsers: [
      `user viewer on >${VIEWER_PASSWORD} ~* &* +@read +@connection -@write`,
      `user dryviewer on >${VIEWER_PASSWORD} ~* &* +@read +@connection +@pubsub +time +acl|dryrun -@write`,
    ],
  });
  admin = await openRedis(parseRedisUrl(server.url, { password: new Secret(PASSWORD) }));
  dir = mkdtempSync(join(tmpdir(), 'ivtrade-intents-'));
  logPath = join(dir, 'sim-orders.jsonl');
  opened = await openSimBtcFeeds(VENUE, { seed: 5, speed: 1, orderLogPath: logPath });
  engine = new MarketEngine(opened.feeds);
  await engine.start();
  trading = startTrading(
    engine,
    VENUE,
    { hedge: { on: false, currency: 'BTC', logPath: join(dir, 'hedge.jsonl') } },
    {
      note: (text) => serveNotes.push(text),
      info: () => undefined,
      help: () => undefined,
      quit: () => undefined,
    },
  );
  serveClient = await openRedis(parseRedisUrl(server.url, { password: new Secret(PASSWORD) }), {
    clientName: 'ivtrade-serve',
  });
  executor = await startIntentExecutor({
    venue: VENUE,
    trading,
    redis: serveClient,
    keys,
    log: (line) => serveNotes.push(line),
  });
});

after(async () => {
  await executor.close();
  for (const screen of screens) {
    screen.trading.close();
    screen.client.disconnect();
  }
  trading.close();
  serveClient.disconnect();
  await engine.stop();
  await opened.close();
  admin.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('orders and hedger switches from attached screens', () => {
  it('an order typed on a screen is placed by serve, and the answer comes back to it', async () => {
    const screen = await openScreen();
    const call = await tradableCall();
    const before = places().length;
    await runLine(screen, `i ${call.name}; as1`);
    await waitUntil(
      () => `the accepted report on the screen (notes: ${screen.notes.join(' | ')})`,
      () => screen.notes.some((note) => /accepted, resting \(ivt-[a-z0-9]{6}-\d+\)/.test(note)),
    );
    const placed = places().slice(before);
    assert.equal(placed.length, 1);
    assert.equal(placed[0]!.status, 'open');
    assert.equal((placed[0]!.request as { postOnly?: boolean }).postOnly, true);
    await runLine(screen, 'ca');
    await waitUntil('no open orders', () => openLabels().size === 0);
    assert.ok(
      screen.notes.some((note) => /cancel all: 1 order cancelled/.test(note)),
      screen.notes.join(' | '),
    );
  });

  it('the same intent retried and raced from two screens is one order on the sim', async () => {
    const a = await IntentSender.open({ client: admin, keys: intentKeys });
    const b = await IntentSender.open({ client: admin, keys: intentKeys });
    try {
      const call = await tradableCall();
      const before = places().length;
      const id = newIntentId();
      const created = a.now();
      const payload = { orders: [restingBid(call)] };
      const outcomes = await Promise.all([
        a.send('orders', payload, { id, created }),
        b.send('orders', payload, { id, created }),
        a.send('orders', payload, { id, created }),
      ]);
      assert.equal(outcomes[0].status, 'done', JSON.stringify(outcomes[0]));
      // And once more after it ended: answered from the record, not run.
      const again = await a.send('orders', payload, { id, created });
      assert.equal(again.status === 'done' && again.duplicate, true, JSON.stringify(again));
      await waitUntil('the order resting', () => openLabels().size === 1);
      assert.equal(places().length - before, 1);
      assert.notEqual(outcomes[1].status, 'refused');
    } finally {
      await a.close();
      await b.close();
      await trading.gateway.cancelAll(VENUE);
      await waitUntil('no open orders', () => openLabels().size === 0);
    }
  });

  it('an intent older than the max age is refused and nothing is sent', async () => {
    const sender = await IntentSender.open({ client: admin, keys: intentKeys });
    try {
      const call = await tradableCall();
      const before = simLog().length;
      const outcome = await sender.send(
        'orders',
        { orders: [restingBid(call)] },
        { created: sender.now() - 6_000 },
      );
      assert.equal(outcome.status, 'refused');
      assert.match(outcome.status === 'refused' ? outcome.reason : '', /old when serve read it/);
      assert.equal(simLog().length, before);
    } finally {
      await sender.close();
    }
  });

  it("cc on a screen cancels that screen's last order, not another's", async () => {
    const a = await openScreen();
    const b = await openScreen();
    const call = await tradableCall();
    await runLine(a, `i ${call.name}; as1`);
    const aLabel = await waitFor('A resting', () => [...openLabels()][0]);
    await runLine(b, `i ${call.name}; as1`);
    const bLabel = await waitFor('B resting', () =>
      [...openLabels()].find((label) => label !== aLabel),
    );
    // B's order came last: a gateway-wide cc would hit it.
    await runLine(a, 'cc');
    await waitUntil("A's order cancelled", () => !openLabels().has(aLabel));
    assert.ok(openLabels().has(bLabel), "B's order stays open");
    assert.ok(
      a.notes.some((note) => /cancelled 1 of 1 open of the last order/.test(note)),
      a.notes.join(' | '),
    );
    await runLine(b, 'cc');
    await waitUntil("B's order cancelled", () => openLabels().size === 0);
    assert.equal(
      simLog().filter((entry) => entry.action !== 'place' && /cancel/.test(entry.action)).length >=
        2,
      true,
    );
  });

  it('c<k> and e<k> from a screen act on that one order through serve, and answer the screen', async () => {
    const screen = await openScreen();
    const call = await tradableCall();
    const tick = new Decimal(call.tickSize);
    await runLine(screen, `i ${call.name}; a1 ${tick.toString()} ${tick.times(2).toString()} 2`);
    const resting = await waitFor('two bids resting', () => {
      const open = engine.account.orders(VENUE);
      return open.length === 2 ? open : undefined;
    });
    const [low, high] = [...resting].sort((x, y) => (x.price ?? 0) - (y.price ?? 0));
    const lowNumber = engine.account.orderNumber(VENUE, low!.orderId)!;
    const highNumber = engine.account.orderNumber(VENUE, high!.orderId)!;
    const before = requestCount();
    await runLine(screen, `e${lowNumber} ${tick.times(3).toString()}`);
    await waitUntil(
      () => `the amend on the venue (notes: ${screen.notes.join(' | ')})`,
      () => simLog().some((entry) => entry.action === 'edit' && entry.orderIds[0] === low!.orderId),
    );
    assert.ok(
      screen.notes.some((note) => new RegExp(`#${lowNumber} amended: buy`).test(note)),
      screen.notes.join(' | '),
    );
    await runLine(screen, `c${highNumber}`);
    await waitUntil('only the other bid left', () => {
      const open = engine.account.orders(VENUE);
      return open.length === 1 && open[0]!.orderId === low!.orderId;
    });
    assert.ok(
      screen.notes.some((note) => new RegExp(`#${highNumber} cancelled`).test(note)),
      screen.notes.join(' | '),
    );
    // Each went to serve as one intent.
    assert.equal((await requestCount()) - (await before), 2);
    await runLine(screen, 'ca');
    await waitUntil('no open orders', () => openLabels().size === 0);
  });

  it("hon and hoff on one screen switch serve's hedger, and another screen sees it", async () => {
    const a = await openScreen();
    const b = await openScreen();
    const hedger = trading.hedge!.hedger;
    assert.equal(hedger.state().mode, 'off');
    await runLine(a, 'hon');
    assert.notEqual(hedger.state().mode, 'off');
    assert.ok(
      a.notes.some((note) => /^hedger ON/.test(note)),
      a.notes.join(' | '),
    );
    await waitUntil('screen B sees the hedger on', () => {
      const mode = b.trading.hedgerState()?.mode;
      return mode === 'on' || mode === 'paused';
    });
    assert.match(b.trading.hedgerSettings() ?? '', /band/);
    await runLine(b, 'hoff');
    assert.equal(hedger.state().mode, 'off');
    await waitUntil('screen A sees the hedger off', () => a.trading.hedgerState()?.mode === 'off');
    assert.ok(
      b.notes.some((note) => /^hedger OFF/.test(note)),
      b.notes.join(' | '),
    );
  });

  it("hmode, hto and hratio on one screen set serve's hedger, and another screen sees them", async () => {
    const a = await openScreen();
    const b = await openScreen();
    const hedger = trading.hedge!.hedger;
    await runLine(a, 'hmode gamma 1e-3; hto edge; hratio 0.5');
    assert.equal(hedger.config.policy, 'gamma');
    assert.equal(hedger.config.hedgeTo, 'edge');
    assert.equal(hedger.config.ratio, 0.5);
    assert.ok(a.notes.includes('hedger ratio 50% (was 100%)'), a.notes.join(' | '));
    await waitUntil('screen B sees the new settings', () =>
      /gamma band .* · to the band's edge · ratio 50%/.test(b.trading.hedgerSettings() ?? ''),
    );
    await runLine(b, 'hmode fixed; hto zero; hratio 1');
    assert.equal(hedger.config.policy, 'fixed');
    assert.equal(hedger.config.hedgeTo, 'zero');
    assert.equal(hedger.config.ratio, 1);
  });

  it('with serve not running, nothing is sent and the screen says why', async () => {
    const screen = await openScreen();
    const call = await tradableCall();
    const requests = await requestCount();
    const before = simLog().length;
    serveAlive = false;
    try {
      await runLine(screen, `i ${call.name}; as1`);
      await runLine(screen, 'hon');
      await runLine(screen, 'ca');
    } finally {
      serveAlive = true;
    }
    assert.ok(
      screen.notes.some((note) => /serve not running: order not sent/.test(note)),
      screen.notes.join(' | '),
    );
    assert.ok(screen.notes.some((note) => /serve not running: hedger on not sent/.test(note)));
    assert.ok(screen.notes.some((note) => /serve not running: cancel all not sent/.test(note)));
    assert.equal(await requestCount(), requests);
    assert.equal(simLog().length, before);
    assert.equal(trading.hedge!.hedger.state().mode, 'off');
  });

  it('a viewer whose ACL cannot write intents gets a read-only screen that sends nothing', async () => {
    const call = await tradableCall();
    const requests = await requestCount();
    const before = simLog().length;
    // Redis can say so at connect (ACL DRYRUN) when the user may ask it.
    const dry = await openScreen({ name: 'dryviewer', password: VIEWER_PASSWORD });
    assert.match(dry.trading.readOnly() ?? '', /dryviewer may not write intents/);
    await runLine(dry, `i ${call.name}; as1`);
    await runLine(dry, 'hon');
    assert.ok(
      dry.notes.some((note) => /read-only connection: order not sent/.test(note)),
      dry.notes.join(' | '),
    );
    assert.ok(dry.notes.some((note) => /read-only connection: hedger on not sent/.test(note)));
    // A user that may not even ask learns it from its first send, which Redis refuses.
    const viewer = await openScreen({ name: 'viewer', password: VIEWER_PASSWORD });
    assert.equal(viewer.trading.readOnly(), null);
    await runLine(viewer, `i ${call.name}; as1`);
    assert.match(viewer.trading.readOnly() ?? '', /viewer may not write intents/);
    await runLine(viewer, 'as1');
    await runLine(viewer, 'cc');
    const said = viewer.notes.filter((note) =>
      /read-only connection: (order|cancel) not sent/.test(note),
    );
    assert.equal(said.length, 3, viewer.notes.join(' | '));
    assert.equal(await requestCount(), requests);
    assert.equal(simLog().length, before);
    assert.equal(trading.hedge!.hedger.state().mode, 'off');
  });

  it('a fill is told to the screen whose order it was, not to another', async () => {
    const a = await openScreen();
    const b = await openScreen();
    const call = await tradableCall();
    await runLine(a, `i ${call.name}; aw1`);
    await waitUntil(
      () => `the fill on A (notes: ${a.notes.join(' | ')})`,
      () => a.notes.some((note) => note.startsWith(`bought ${call.minSize} ${call.name}`)),
    );
    assert.ok(!b.notes.some((note) => /bought/.test(note)), b.notes.join(' | '));
  });

  it('what happens to an order after its intent ended still reaches its screen', async () => {
    const a = await openScreen();
    const b = await openScreen();
    const call = await tradableCall();
    await runLine(a, `i ${call.name}; as1`);
    const label = await waitFor('A resting', () => [...openLabels()][0]);
    // B cancels everything: A's order is cancelled, and A hears it from the stream, later.
    await runLine(b, 'ca');
    await waitUntil(
      () => `A told of the cancel (notes: ${a.notes.join(' | ')})`,
      () => a.notes.some((note) => note.includes('cancelled') && note.includes(label)),
    );
    assert.ok(!b.notes.some((note) => note.includes(label)), b.notes.join(' | '));
    assert.ok(b.notes.some((note) => /cancel all: 1 order cancelled/.test(note)));
  });

  it('no venue secret and no Redis password is anywhere under the prefix', async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', `${keys.prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        found.push(key);
        const type = await admin.type(key);
        if (type === 'string') found.push((await admin.get(key)) ?? '');
        else if (type === 'hash') found.push(JSON.stringify(await admin.hgetall(key)));
        else if (type === 'stream') found.push(JSON.stringify(await admin.xrange(key, '-', '+')));
        else if (type === 'set') found.push(JSON.stringify(await admin.smembers(key)));
        else if (type === 'list') found.push(JSON.stringify(await admin.lrange(key, 0, -1)));
        else if (type === 'zset') found.push(JSON.stringify(await admin.zrange(key, 0, -1)));
      }
    } while (cursor !== '0');
    const everything = found.join('\n');
    // The session wrote something worth scanning: requests, replies, the hedger.
    assert.ok(found.some((key) => key.endsWith(':requests')));
    assert.ok(found.some((key) => key.endsWith(':hedger')));
    assert.ok(found.some((key) => key.includes(':replies:')));
    for (const secret of [...VENUE_SECRETS, PASSWORD, VIEWER_PASSWORD]) {
      assert.ok(!everything.includes(secret), `${secret} found in Redis`);
      assert.ok(!serveNotes.join('\n').includes(secret), `${secret} found in serve's lines`);
    }
  });

  // Last: serve's one rate cap counts every screen's orders, and this adds one more.
  it('a straddle typed on a screen is one combo order placed by serve, answered to that screen', async () => {
    const screen = await openScreen();
    const call = await tradableCall();
    const before = await requestCount();
    await runLine(screen, `i ${call.name}; a1 st`);
    await waitUntil(
      () => `the combo's fill on the screen (notes: ${screen.notes.join(' | ')})`,
      () => screen.notes.some((note) => /bought 0\.1 BTC-STRD-\S+ at /.test(note)),
    );
    const combos = simLog().filter((entry) => entry.action === 'place-combo');
    assert.equal(combos.length, 1);
    assert.equal(combos[0]!.status, 'filled');
    // One intent for the package, none per leg.
    assert.equal((await requestCount()) - before, 1);
  });
});
