import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import {
  applyUrlOverrides,
  ConfigError,
  defaultEndpoints,
  URL_OVERRIDE_NAMES,
} from '../../src/config/endpoints.js';
import { startSim } from '../../src/sim/server.js';

const MAINNET = defaultEndpoints('mainnet');

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

function opens(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.once('close', () => resolve());
      socket.close();
    });
    socket.once('error', reject);
  });
}

describe('defaultEndpoints', () => {
  it('points at the real venues', () => {
    assert.deepEqual(MAINNET, {
      deribit: { ws: 'wss://www.deribit.com/ws/api/v2', http: 'https://www.deribit.com/api/v2' },
      bybit: {
        option: 'wss://stream.bybit.com/v5/public/option',
        linear: 'wss://stream.bybit.com/v5/public/linear',
        private: 'wss://stream.bybit.com/v5/private',
        trade: 'wss://stream.bybit.com/v5/trade',
        rest: 'https://api.bybit.com',
      },
    });
  });

  it('switches every endpoint to the test networks', () => {
    assert.deepEqual(defaultEndpoints('testnet'), {
      deribit: { ws: 'wss://test.deribit.com/ws/api/v2', http: 'https://test.deribit.com/api/v2' },
      bybit: {
        option: 'wss://stream-testnet.bybit.com/v5/public/option',
        linear: 'wss://stream-testnet.bybit.com/v5/public/linear',
        private: 'wss://stream-testnet.bybit.com/v5/private',
        trade: 'wss://stream-testnet.bybit.com/v5/trade',
        rest: 'https://api-testnet.bybit.com',
      },
    });
  });
});

describe('applyUrlOverrides', () => {
  it('leaves the base alone without overrides', () => {
    assert.deepEqual(applyUrlOverrides(MAINNET, []), MAINNET);
  });

  it('replaces single endpoints by name and keeps the others', () => {
    const endpoints = applyUrlOverrides(MAINNET, [
      'deribit.ws=ws://127.0.0.1:9000/custom',
      'bybit.rest=http://localhost:9001/',
    ]);
    assert.equal(endpoints.deribit.ws, 'ws://127.0.0.1:9000/custom');
    assert.equal(endpoints.deribit.http, MAINNET.deribit.http);
    assert.equal(endpoints.bybit.rest, 'http://localhost:9001', 'a trailing slash is dropped');
    assert.equal(endpoints.bybit.option, MAINNET.bybit.option);
  });

  it('derives every endpoint of a venue from one base, secure or not', () => {
    assert.deepEqual(applyUrlOverrides(MAINNET, ['deribit=ws://127.0.0.1:8765']).deribit, {
      ws: 'ws://127.0.0.1:8765/ws/api/v2',
      http: 'http://127.0.0.1:8765/api/v2',
    });
    assert.deepEqual(applyUrlOverrides(MAINNET, ['bybit=wss://proxy.example:443/bb/']).bybit, {
      option: 'wss://proxy.example/bb/v5/public/option',
      linear: 'wss://proxy.example/bb/v5/public/linear',
      private: 'wss://proxy.example/bb/v5/private',
      trade: 'wss://proxy.example/bb/v5/trade',
      rest: 'https://proxy.example/bb',
    });
    assert.deepEqual(
      applyUrlOverrides(MAINNET, ['bybit=http://[::1]:8765']).bybit.linear,
      'ws://[::1]:8765/v5/public/linear',
    );
  });

  it('applies entries in order, so a single endpoint can refine a base', () => {
    const endpoints = applyUrlOverrides(MAINNET, [
      'bybit=ws://127.0.0.1:8765',
      'bybit.trade=wss://stream.bybit.com/v5/trade',
    ]);
    assert.equal(endpoints.bybit.private, 'ws://127.0.0.1:8765/v5/private');
    assert.equal(endpoints.bybit.trade, 'wss://stream.bybit.com/v5/trade');
    assert.deepEqual(endpoints.deribit, MAINNET.deribit);
  });

  it('rejects unknown names, naming the entry and listing the valid ones', () => {
    const error = configError(() => applyUrlOverrides(MAINNET, ['deribit.rest=https://x.test']));
    assert.match(error.message, /deribit\.rest=https:\/\/x\.test/);
    for (const name of URL_OVERRIDE_NAMES) assert.ok(error.message.includes(name), name);
    assert.deepEqual(URL_OVERRIDE_NAMES, [
      'deribit',
      'bybit',
      'deribit.ws',
      'deribit.http',
      'bybit.option',
      'bybit.linear',
      'bybit.private',
      'bybit.trade',
      'bybit.rest',
    ]);
  });

  it('rejects an entry without "=", or with something that is not a URL', () => {
    assert.match(configError(() => applyUrlOverrides(MAINNET, ['deribit'])).message, /name=URL/);
    assert.match(
      configError(() => applyUrlOverrides(MAINNET, ['bybit.option=stream.bybit.com'])).message,
      /bybit\.option=stream\.bybit\.com.*not a URL/,
    );
  });

  it('checks the scheme against the kind of endpoint', () => {
    assert.match(
      configError(() =>
        applyUrlOverrides(MAINNET, ['deribit.ws=https://www.deribit.com/ws/api/v2']),
      ).message,
      /WebSocket endpoint needs ws:\/\/ or wss:\/\//,
    );
    assert.match(
      configError(() => applyUrlOverrides(MAINNET, ['bybit.rest=wss://api.bybit.com'])).message,
      /REST endpoint needs http:\/\/ or https:\/\//,
    );
    assert.match(
      configError(() => applyUrlOverrides(MAINNET, ['bybit=ftp://127.0.0.1:8765'])).message,
      /bybit=ftp.*ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//,
    );
    assert.throws(() => applyUrlOverrides(MAINNET, ['deribit=ws://127.0.0.1:1/?x=1']), ConfigError);
  });

  it('refuses a password in a URL without echoing it', () => {
    const error = configError(() =>
      applyUrlOverrides(MAINNET, ['deribit.http=https://me:hunter2@www.deribit.com/api/v2']),
    );
    assert.match(error.message, /user or password/);
    assert.ok(!error.message.includes('hunter2'));
  });

  it('a venue base reaches every path the simulator serves', async () => {
    const sim = await startSim({ seed: 1, manualClock: true, currencies: ['BTC'] });
    try {
      const base = `ws://127.0.0.1:${sim.port}`;
      const endpoints = applyUrlOverrides(MAINNET, [`deribit=${base}`, `bybit=${base}`]);
      assert.equal(endpoints.deribit.ws, sim.urls.deribitWs);
      assert.equal(endpoints.deribit.http, sim.urls.deribitHttp);
      assert.equal(endpoints.bybit.option, sim.urls.bybitOptionWs);
      assert.equal(endpoints.bybit.linear, sim.urls.bybitLinearWs);
      assert.equal(endpoints.bybit.private, sim.urls.bybitPrivateWs);
      assert.equal(endpoints.bybit.rest, sim.urls.bybitRest);
      for (const url of [
        endpoints.deribit.ws,
        endpoints.bybit.option,
        endpoints.bybit.linear,
        endpoints.bybit.private,
      ]) {
        await opens(url);
      }
      const deribitTime = (await (
        await fetch(`${endpoints.deribit.http}/public/get_time`)
      ).json()) as { result: unknown };
      assert.equal(typeof deribitTime.result, 'number');
      const bybitTime = (await (await fetch(`${endpoints.bybit.rest}/v5/market/time`)).json()) as {
        retCode: unknown;
      };
      assert.equal(bybitTime.retCode, 0);
    } finally {
      await sim.close();
    }
  });
});
