// Authentication (key pair, refresh token, bearer tokens over HTTP) and heartbeats.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { field } from '../../support/fixtures.js';
import {
  authenticate,
  closed,
  connect,
  errorCode,
  ok,
  openSim,
  sortedKeys,
  waitFor,
} from './harness.js';

type Row = Record<string, unknown>;

describe('deribit sim: authentication', () => {
  let sim: RunningSim;

  before(async () => {
    sim = await openSim();
  });
  after(async () => {
    await sim.close();
  });

  it('issues bearer tokens for the configured key and refuses a bad secret', async () => {
    const client = await connect(sim);
    try {
      const key = sim.apiKeys.deribit[0]!;
      const bad = await client.call('public/auth', {
        grant_type: 'client_credentials',
        client_id: key.key,
        client_secret: 'wrong',
      });
      assert.deepEqual(bad.error, { code: 13004, message: 'invalid_credentials' });
      assert.ok(!JSON.stringify(bad).includes(key.secret));

      const denied = await client.call('private/get_positions', { currency: 'BTC' });
      assert.deepEqual(denied.error, { code: 13009, message: 'unauthorized' });

      const tokens = ok<Row>(await authenticate(sim, client));
      assert.deepEqual(sortedKeys(tokens), [
        'access_token',
        'enabled_features',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      assert.equal(tokens['token_type'], 'bearer');
      assert.equal(tokens['expires_in'], 900);
      assert.ok(Array.isArray(ok(await client.call('private/get_positions', { currency: 'BTC' }))));
    } finally {
      await client.close();
    }
  });

  it('refreshes tokens, and accepts an access_token param on another connection', async () => {
    const first = await connect(sim);
    const second = await connect(sim);
    try {
      const tokens = ok<Row>(await authenticate(sim, first));
      const refreshed = ok<Row>(
        await second.call('public/auth', {
          grant_type: 'refresh_token',
          refresh_token: tokens['refresh_token'],
        }),
      );
      assert.notEqual(refreshed['access_token'], tokens['access_token']);
      // A refresh token is good for one refresh.
      const reused = await second.call('public/auth', {
        grant_type: 'refresh_token',
        refresh_token: tokens['refresh_token'],
      });
      assert.equal(errorCode(reused), 13004);

      const third = await connect(sim);
      try {
        const withToken = await third.call('private/get_account_summary', {
          currency: 'BTC',
          access_token: refreshed['access_token'],
        });
        assert.equal(field(withToken.result, 'currency'), 'BTC');
        const badToken = await third.call('private/get_account_summary', {
          currency: 'BTC',
          access_token: 'not-a-token',
        });
        assert.equal(errorCode(badToken), 13009);
      } finally {
        await third.close();
      }
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('serves private methods over HTTP with a Bearer token', async () => {
    const key = sim.apiKeys.deribit[0]!;
    const auth = (await (
      await fetch(
        `${sim.urls.deribitHttp}/public/auth?grant_type=client_credentials&client_id=${key.key}&client_secret=${key.secret}`,
      )
    ).json()) as Row;
    const token = String(field(auth, 'result', 'access_token'));
    const summary = await fetch(
      `${sim.urls.deribitHttp}/private/get_account_summary?currency=BTC`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    assert.equal(summary.status, 200);
    const body = (await summary.json()) as Row;
    assert.equal(field(body, 'result', 'currency'), 'BTC');
    assert.ok(Number(field(body, 'result', 'equity')) > 0);

    const posted = await fetch(`${sim.urls.deribitHttp}/private/get_positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'private/get_positions',
        params: { currency: 'BTC' },
      }),
    });
    const postedBody = (await posted.json()) as Row;
    assert.equal(postedBody['id'], 7);
    assert.ok(Array.isArray(postedBody['result']));

    const anonymous = await fetch(
      `${sim.urls.deribitHttp}/private/get_account_summary?currency=BTC`,
    );
    assert.equal(anonymous.status, 400);
    assert.equal(field(await anonymous.json(), 'error', 'code'), 13009);
  });
});

describe('deribit sim: heartbeat', () => {
  let sim: RunningSim;

  before(async () => {
    sim = await openSim({ minHeartbeatSec: 1 });
  });
  after(async () => {
    await sim.close();
  });

  it('refuses intervals below the minimum', async () => {
    const client = await connect(sim);
    try {
      assert.equal(errorCode(await client.call('public/set_heartbeat', { interval: 0.5 })), -32602);
    } finally {
      await client.close();
    }
  });

  it('keeps a connection that answers test_request', async () => {
    const client = await connect(sim);
    try {
      let answered = 0;
      client.socket.on('message', (data) => {
        if (Buffer.isBuffer(data) && data.toString('utf8').includes('"test_request"')) {
          answered++;
          void client.call('public/test');
        }
      });
      assert.equal(ok(await client.call('public/set_heartbeat', { interval: 1 })), 'ok');
      await waitFor(client, (m) => field(m, 'params', 'type') === 'test_request', 2500);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(answered >= 1);
      assert.equal(client.socket.readyState, client.socket.OPEN);
      assert.deepEqual(
        client.notifications.find((m) => m['method'] === 'heartbeat'),
        { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } },
      );
    } finally {
      await client.close();
    }
  });

  it('closes a connection that leaves test_request unanswered', async () => {
    const client = await connect(sim);
    const gone = closed(client);
    assert.equal(ok(await client.call('public/set_heartbeat', { interval: 1 })), 'ok');
    await waitFor(client, (m) => field(m, 'params', 'type') === 'test_request', 2500);
    const code = await gone;
    assert.equal(code, 1006);
    for (let i = 0; i < 100 && sim.venues.deribit.connectionCount() > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(sim.venues.deribit.connectionCount(), 0);
  });
});
