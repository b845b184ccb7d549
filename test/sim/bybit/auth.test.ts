// Signatures: the private socket's auth op (good, bad signature, expired, unknown key, topics
// before auth) and signed REST (good, bad signature → 10004, stale timestamp → 10002,
// unknown key → 10003).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSim } from '../../../src/sim/server.js';
import { BybitRest, BybitSocket, authOp, sign } from './support/bybit-client.js';
import { keysOf } from './support/fixture-shapes.js';
import { startBybitSim } from './support/sim.js';

describe('bybit signatures', () => {
  let sim: RunningSim;
  let rest: BybitRest;
  const credentials = (): { key: string; secret: string } => sim.apiKeys.bybit[0]!;

  before(async () => {
    sim = await startBybitSim();
    rest = new BybitRest(sim.urls.bybitRest, credentials());
  });
  after(() => sim.close());

  it('authenticates the private socket with a good signature, then accepts private topics', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitPrivateWs);
    const early = await client.request({ op: 'subscribe', req_id: 'early', args: ['order'] });
    assert.equal(early['success'], false);
    const reply = await client.request(authOp(credentials(), Date.now() + 10_000));
    assert.deepEqual(keysOf(reply), ['conn_id', 'op', 'req_id', 'ret_msg', 'success']);
    assert.deepEqual(
      { success: reply['success'], ret_msg: reply['ret_msg'], op: reply['op'] },
      { success: true, ret_msg: '', op: 'auth' },
    );
    const sub = await client.request({
      op: 'subscribe',
      req_id: 'subs',
      args: ['order', 'execution.option', 'position', 'wallet', 'greeks'],
    });
    assert.equal(sub['success'], true);
    const bad = await client.request({ op: 'subscribe', req_id: 'bad', args: ['wallet.option'] });
    assert.equal(bad['success'], false);
    const pong = await client.request({ op: 'ping', req_id: 'p' });
    assert.equal(pong['op'], 'pong');
    assert.deepEqual(pong['args'], [String(sim.world.exchanges.bybit.now())]);
    await client.close();
  });

  it('refuses a bad signature, an expired expiry and an unknown key', async () => {
    const client = await BybitSocket.connect(sim.urls.bybitPrivateWs);
    const expires = Date.now() + 10_000;
    const badSignature = await client.request({
      op: 'auth',
      req_id: 'bad-sig',
      args: [credentials().key, expires, sign('not-the-secret', `GET/realtime${expires}`)],
    });
    assert.equal(badSignature['success'], false);
    assert.equal(badSignature['ret_msg'], 'Request not authorized');
    const expired = await client.request(authOp(credentials(), Date.now() - 1000, 'expired'));
    assert.equal(expired['success'], false);
    assert.equal(expired['ret_msg'], 'Params Error');
    const unknown = await client.request(
      authOp({ key: 'nobody', secret: credentials().secret }, expires, 'unknown'),
    );
    assert.equal(unknown['success'], false);
    const still = await client.request({ op: 'subscribe', req_id: 'still', args: ['order'] });
    assert.equal(still['success'], false);
    for (const frame of client.frames)
      assert.ok(!JSON.stringify(frame).includes(credentials().secret));
    await client.close();
  });

  it('checks REST signatures: good → 0, bad → 10004, stale timestamp → 10002, unknown key → 10003', async () => {
    const query = 'accountType=UNIFIED';
    const good = await rest.signedGet('/v5/account/wallet-balance', query);
    assert.equal(good.retCode, 0, good.retMsg);
    assert.equal(good.retMsg, 'OK');
    assert.deepEqual(keysOf(good), ['result', 'retCode', 'retExtInfo', 'retMsg', 'time']);
    const badSign = await rest.signedGet('/v5/account/wallet-balance', query, { secret: 'wrong' });
    assert.equal(badSign.retCode, 10004);
    assert.match(badSign.retMsg, /^error sign!/);
    assert.ok(!badSign.retMsg.includes(credentials().secret));
    const stale = await rest.signedGet('/v5/account/wallet-balance', query, {
      timestamp: Date.now() - 60_000,
    });
    assert.equal(stale.retCode, 10002);
    const future = await rest.signedGet('/v5/account/wallet-balance', query, {
      timestamp: Date.now() + 60_000,
    });
    assert.equal(future.retCode, 10002);
    const unknown = await rest.signedGet('/v5/account/wallet-balance', query, { key: 'nobody' });
    assert.equal(unknown.retCode, 10003);
    // The body is part of what is signed: the same headers over another body fail.
    const tampered = await fetch(`${sim.urls.bybitRest}/v5/order/cancel-all`, {
      method: 'POST',
      headers: (() => {
        const timestamp = String(Date.now());
        return {
          'X-BAPI-API-KEY': credentials().key,
          'X-BAPI-TIMESTAMP': timestamp,
          'X-BAPI-RECV-WINDOW': '5000',
          'X-BAPI-SIGN': sign(
            credentials().secret,
            `${timestamp}${credentials().key}5000{"category":"option"}`,
          ),
        };
      })(),
      body: '{"category":"linear"}',
    });
    assert.equal(((await tampered.json()) as { retCode: number }).retCode, 10004);
  });
});
