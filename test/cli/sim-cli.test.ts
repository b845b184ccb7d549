// `ivtrade sim` as a user runs it: the built binary, its printed URLs, a real client, Ctrl-C.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { RpcClient } from '../sim/support/rpc-client.js';
import { repoRoot } from '../support/paths.js';

const BIN = join(repoRoot(), 'bin', 'ivtrade.js');

interface Described {
  urls: Record<string, string>;
  seed: number;
  speed: number;
  currencies: string[];
  clientIds: { deribit: string[]; bybit: string[] };
}

describe('ivtrade sim', () => {
  it('prints the URLs it serves, answers on them, and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'sim', '--json', '--seed', '7', '--speed', '60', '--fund', 'BTC=3,ETH=40'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const described = JSON.parse(first) as Described;
    assert.equal(described.seed, 7);
    assert.equal(described.speed, 60);
    assert.deepEqual(described.currencies, ['BTC', 'ETH']);
    for (const key of [
      'deribitWs',
      'deribitHttp',
      'bybitOptionWs',
      'bybitLinearWs',
      'bybitPrivateWs',
      'bybitRest',
    ]) {
      assert.match(described.urls[key] ?? '', /^(ws|http):\/\/127\.0\.0\.1:\d+/, key);
    }
    assert.doesNotMatch(first, /secret/i);

    const client = await RpcClient.connect(described.urls.deribitWs ?? '');
    const index = await client.call('public/get_index_price', { index_name: 'btc_usd' });
    const price = (index.result as { index_price: number }).index_price;
    assert.ok(price > 1_000, `index ${price}`);
    const auth = await client.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: described.clientIds.deribit[0],
      client_secret: 'sim-deribit-secret',
    });
    assert.equal(auth.error, undefined);
    for (const [currency, funded] of [
      ['BTC', 3],
      ['ETH', 40],
    ] as const) {
      const summary = await client.call('private/get_account_summary', { currency });
      assert.equal((summary.result as { balance: number }).balance, funded, currency);
    }
    await client.close();
    const page = (await (
      await fetch(
        `${described.urls.bybitRest}/v5/market/instruments-info?category=linear&symbol=BTCUSDT`,
      )
    ).json()) as { retCode: number; result: { list: { symbol: string }[] } };
    assert.equal(page.retCode, 0);
    assert.equal(page.result.list[0]?.symbol, 'BTCUSDT');

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stopped/);
  });

  for (const [flags, says] of [
    [['--speed', '0'], /speed must be a number from 1/],
    [['--port', '70000'], /port must be an integer/],
    [['--faults', 'drop=2'], /fraction in \[0, 1\]/],
    [['--faults', 'explode=1'], /unknown fault "explode=1"/],
    [['--currencies', 'b!'], /comma-separated list of coins/],
    [['--start', 'yesterday'], /ISO 8601/],
    [['--fund', 'BTC=lots'], /"BTC=lots" is not COIN=amount/],
  ] as const) {
    it(`refuses ${flags.join(' ')} with exit 2 and a hint`, () => {
      const result = spawnSync(process.execPath, [BIN, 'sim', ...flags], { encoding: 'utf8' });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, says);
      assert.match(result.stderr, /see 'ivtrade sim --help'/);
      assert.equal(result.stdout, '');
    });
  }
});
