// Bybit signing and the REST client against the simulator over loopback: signatures equal
// vectors computed independently (openssl) from the documented signed strings and the sim
// accepts them; the envelope, pagination and every failure class of the client.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConnectionLostError, RequestTimeoutError } from '../../../src/feeds/common/errors.js';
import { BybitApiError, BybitRestClient } from '../../../src/feeds/bybit/rest.js';
import { bybitRestSignature, bybitWsAuthFrame } from '../../../src/feeds/bybit/signing.js';
import { WireFormatError } from '../../../src/feeds/wire-fields.js';
import { startSim, type RunningSim } from '../../../src/sim/server.js';
import { PrivateSocket } from './support/private-socket.js';
import { rejection } from '../../support/rejection.js';

const START = Date.UTC(2026, 10, 20, 7, 0);

function startBybitSim(faults = {}): Promise<RunningSim> {
  return startSim({ seed: 7, manualClock: true, start: START, currencies: ['BTC'], faults });
}

describe('bybit signing', () => {
  // Vectors from `printf '%s' '<signed string>' | openssl dgst -sha256 -hmac sim-bybit-secret`,
  // the signed strings built by hand from the v5 authentication rules.
  it('signs a GET query string as timestamp + key + recvWindow + query', () => {
    assert.equal(
      bybitRestSignature(
        'sim-bybit-secret',
        1700000000000,
        'sim-bybit-key',
        5000,
        'category=option&baseCoin=BTC&limit=2',
      ),
      'fcddaf0ede13301f344a941293d415e7b42db9c2e6bcba72e07231a40abf9da6',
    );
  });

  it('signs a POST body as timestamp + key + recvWindow + body', () => {
    const body =
      '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.01","price":"90000","orderLinkId":"vec-1"}';
    assert.equal(
      bybitRestSignature('sim-bybit-secret', 1700000000000, 'sim-bybit-key', 5000, body),
      'e629548858f990e0418bccc9f85db81106279cd9cc02ca1fed74e9d07292b895',
    );
  });

  it('builds the private socket auth frame over "GET/realtime" + expires', () => {
    assert.deepEqual(
      JSON.parse(bybitWsAuthFrame('sim-bybit-key', 'sim-bybit-secret', 1700000010000, 'a1')),
      {
        req_id: 'a1',
        op: 'auth',
        args: [
          'sim-bybit-key',
          1700000010000,
          'f05f9e6c57d6e41cd994468704e9ddf6b47f783f1a7eb49a2b8123f3d61aa057',
        ],
      },
    );
    assert.equal(
      (JSON.parse(bybitWsAuthFrame('k', 's', 1)) as { req_id?: string }).req_id,
      undefined,
      'no req_id unless given',
    );
    assert.throws(() => bybitWsAuthFrame('k', 's', 1.5), RangeError);
  });
});

describe('bybit REST client against the sim', () => {
  let sim: RunningSim;
  let key: { key: string; secret: string };

  before(async () => {
    sim = await startBybitSim();
    key = sim.apiKeys.bybit[0]!;
  });
  after(() => sim.close());

  const client = (overrides: Partial<ConstructorParameters<typeof BybitRestClient>[0]> = {}) =>
    new BybitRestClient({
      baseUrl: sim.urls.bybitRest,
      credentials: { apiKey: key.key, apiSecret: key.secret },
      ...overrides,
    });

  it('is accepted by the sim on signed GETs, and the private socket takes its auth frame', async () => {
    const wallet = await client().signedGet('/v5/account/wallet-balance', {
      accountType: 'UNIFIED',
    });
    assert.ok(typeof wallet === 'object' && wallet !== null && 'list' in wallet);
    const socket = await PrivateSocket.connect(sim.urls.bybitPrivateWs);
    try {
      assert.equal((await socket.login(key.key, key.secret, ['order']))['success'], true);
    } finally {
      await socket.close();
    }
  });

  it('gets 10004 with a wrong secret, 10003 with an unknown key, 10002 with a stale clock', async () => {
    const wrongSecret = await rejection(
      client({ credentials: { apiKey: key.key, apiSecret: 'not-the-secret' } }).signedGet(
        '/v5/account/wallet-balance',
        { accountType: 'UNIFIED' },
      ),
    );
    assert.ok(wrongSecret instanceof BybitApiError);
    assert.equal(wrongSecret.retCode, 10004);
    assert.equal(wrongSecret.path, '/v5/account/wallet-balance');
    assert.ok(!wrongSecret.message.includes('not-the-secret'));
    assert.ok(!wrongSecret.message.includes(key.key), 'the echoed signed string is cut out');
    assert.match(wrongSecret.retMsg, /origin_string\[…\]/);

    const unknownKey = await rejection(
      client({ credentials: { apiKey: 'nobody', apiSecret: key.secret } }).signedPost(
        '/v5/order/cancel-all',
        { category: 'option' },
      ),
    );
    assert.ok(unknownKey instanceof BybitApiError);
    assert.equal(unknownKey.retCode, 10003);

    const stale = await rejection(
      client({ now: () => Date.now() - 60_000 }).signedGet('/v5/position/list', {
        category: 'option',
      }),
    );
    assert.ok(stale instanceof BybitApiError);
    assert.equal(stale.retCode, 10002);
  });

  it('refuses to sign without credentials', async () => {
    const anonymous = new BybitRestClient({ baseUrl: sim.urls.bybitRest });
    assert.equal(anonymous.hasCredentials, false);
    await assert.rejects(
      anonymous.signedGet('/v5/position/list', { category: 'option' }),
      /API key/,
    );
  });

  it('resolves `result` of a public GET and throws BybitApiError with the retCode otherwise', async () => {
    const time = await client().get('/v5/market/time');
    assert.ok(typeof time === 'object' && time !== null && 'timeSecond' in time);
    const refused = await rejection(
      client().get('/v5/market/instruments-info', { category: 'futures' }),
    );
    assert.ok(refused instanceof BybitApiError);
    assert.equal(refused.retCode, 10001);
    assert.match(refused.message, /10001/);
  });

  it('pages instruments-info with a small limit and returns every instrument exactly once', async () => {
    const rows = await client().getAllPages('/v5/market/instruments-info', {
      category: 'option',
      baseCoin: 'BTC',
      limit: 7,
    });
    const symbols = rows.map((row) => (row as { symbol: string }).symbol);
    const expected = sim.world.exchanges.bybit
      .instruments({ kind: 'option' })
      .map((i) => i.spec.name);
    assert.ok(expected.length > 7 * 3, 'several pages');
    assert.equal(new Set(symbols).size, symbols.length, 'no instrument twice');
    assert.deepEqual([...symbols].sort(), [...expected].sort());
  });

  it('pages a signed list (order/realtime) too', async () => {
    const rows = await client().getAllPages(
      '/v5/order/realtime',
      { category: 'option', limit: 5 },
      true,
    );
    assert.deepEqual(rows, []);
  });

  it('reports a refused connection as ConnectionLostError', async () => {
    const port = await closedPort();
    const error = await rejection(
      new BybitRestClient({ baseUrl: `http://127.0.0.1:${port}` }).get('/v5/market/time'),
    );
    assert.ok(error instanceof ConnectionLostError, String(error));
    assert.match(error.message, /GET \/v5\/market\/time/);
  });

  it('reports a reply that is not Bybit JSON as WireFormatError', async () => {
    const error = await rejection(
      new BybitRestClient({ baseUrl: `${sim.urls.deribitHttp}` }).get('/public/get_time'),
    );
    assert.ok(error instanceof WireFormatError, String(error));
  });
});

describe('bybit REST client limits', () => {
  it('times out a slow reply with RequestTimeoutError', async () => {
    const sim = await startBybitSim({ replyDelayMs: 400 });
    try {
      const error = await rejection(
        new BybitRestClient({ baseUrl: sim.urls.bybitRest, timeoutMs: 100 }).get('/v5/market/time'),
      );
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.equal(error.timeoutMs, 100);
    } finally {
      await sim.close();
    }
  });

  it('surfaces the rate limit as retCode 10006', async () => {
    const sim = await startBybitSim({ maxRequestsPerSec: 3 });
    try {
      const rest = new BybitRestClient({ baseUrl: sim.urls.bybitRest });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => rest.get('/v5/market/time')),
      );
      const limited = outcomes.filter(
        (o) =>
          o.status === 'rejected' &&
          o.reason instanceof BybitApiError &&
          o.reason.retCode === 10006,
      );
      assert.ok(limited.length >= 4, `${limited.length} limited`);
      assert.ok(outcomes.some((o) => o.status === 'fulfilled'));
    } finally {
      await sim.close();
    }
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
