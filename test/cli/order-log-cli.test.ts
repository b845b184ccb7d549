// The sim's order log, written however the sim runs (`stream`, `hedge`, `ivtrade sim`), is the
// witness of what reached the exchange; here it also shows whether quitting cancelled the
// orders left resting (it must not, unless --cancel-on-disconnect asks for it).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { RpcClient } from '../sim/support/rpc-client.js';
import { BIN, runBin, type Run } from './support/run-bin.js';

interface Logged {
  readonly action: 'place' | 'edit' | 'cancel' | 'cancel-all';
  readonly outcome: 'ok' | 'error';
  readonly orderIds: readonly string[];
  readonly status?: string;
}

function orderLog(path: string): Logged[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Logged);
}

/** A fresh state directory per test, so each reads only its own order log. */
async function inHome<T>(body: (home: string, logPath: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'ivtrade-order-log-'));
  try {
    return await body(home, join(home, 'state', 'ivtrade', 'sim-orders.jsonl'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const runIn = (home: string, args: readonly string[]): Promise<Run> =>
  runBin(args, { HOME: home, XDG_STATE_HOME: join(home, 'state') });

// The repro: a bid far under the market, so it rests until the session ends.
const REST = 'i BTC-PERPETUAL; m 10; a1 50000';
const streamArgs = (extra: readonly string[]): string[] => [
  'stream',
  '--venue',
  'sim',
  '--currency',
  'BTC',
  '--emit',
  'status',
  '--duration',
  '5s',
  '--exec',
  REST,
  ...extra,
];

describe('quitting and the orders left resting', () => {
  it('by default the session ends without cancelling: no cancel-all reaches the exchange', async () => {
    await inHome(async (home, logPath) => {
      const result = await runIn(home, streamArgs([]));
      assert.equal(result.code, 0, result.stderr);
      const logged = orderLog(logPath);
      assert.equal(logged[0]?.action, 'place', JSON.stringify(logged));
      assert.equal(logged[0]?.outcome, 'ok');
      assert.deepEqual(
        logged.filter((entry) => entry.action !== 'place'),
        [],
        'nothing but the order itself: quitting cancelled nothing',
      );
      assert.equal(statSync(logPath).mode & 0o777, 0o600, 'readable by its owner only');
      // Headless too, the session says what became of its orders.
      assert.match(
        result.stderr,
        /ivtrade stream: session closed; the embedded exchange stopped with it, so nothing outlives the session( \(1 open order went with it\))?\./,
      );
    });
  });

  it('--cancel-on-disconnect: the venue cancels them as the connection closes', async () => {
    await inHome(async (home, logPath) => {
      const result = await runIn(home, streamArgs(['--cancel-on-disconnect']));
      assert.equal(result.code, 0, result.stderr);
      const logged = orderLog(logPath);
      assert.equal(logged[0]?.action, 'place', JSON.stringify(logged));
      // The order the session placed, cancelled by the venue as the connection closed.
      assert.equal(logged.at(-1)?.action, 'cancel', JSON.stringify(logged));
      assert.deepEqual(logged.at(-1)?.orderIds, logged[0]?.orderIds, JSON.stringify(logged));
    });
  });

  it('--cancel-on-disconnect is refused where the venue has no per-session switch (Bybit)', async () => {
    for (const args of [
      ['stream', '--venue', 'bybit', '--cancel-on-disconnect'],
      ['hedge', '--venue', 'bybit', '--cancel-on-disconnect'],
      ['--venue', 'sim', '--sim-venue', 'bybit', '--cancel-on-disconnect'],
    ]) {
      const result = await runBin(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(
        result.stderr,
        /--cancel-on-disconnect is for Deribit; on bybit orders stay open/,
      );
    }
  });
});

describe('the sim order log, however the sim runs', () => {
  it('ivtrade hedge --venue sim writes it', async () => {
    await inHome(async (home, logPath) => {
      const result = await runIn(home, [
        'hedge',
        '--venue',
        'sim',
        '--currency',
        'BTC',
        '--duration',
        '5s',
        '--exec',
        REST,
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(orderLog(logPath)[0]?.action, 'place', result.stdout);
      assert.match(result.stderr, /ivtrade hedge: session closed; the embedded exchange stopped/);
    });
  });

  it('ivtrade sim writes it, names it, and logs an order from any client', async () => {
    await inHome(async (home, logPath) => {
      const child = spawn(process.execPath, [BIN, 'sim', '--json', '--currencies', 'BTC'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env['PATH'], HOME: home, XDG_STATE_HOME: join(home, 'state') },
      });
      try {
        const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
        const described = JSON.parse(first) as {
          orderLog: string;
          urls: { deribitWs: string };
          clientIds: { deribit: string[] };
        };
        assert.equal(described.orderLog, logPath);
        const client = await RpcClient.connect(described.urls.deribitWs);
        const auth = await client.call('public/auth', {
          grant_type: 'client_credentials',
          client_id: described.clientIds.deribit[0],
          client_secret: 'sim-deribit-secret',
        });
        assert.equal(auth.error, undefined);
        const ticker = await client.call('public/ticker', { instrument_name: 'BTC-PERPETUAL' });
        const bid = (ticker.result as { best_bid_price: number }).best_bid_price;
        const bought = await client.call('private/buy', {
          instrument_name: 'BTC-PERPETUAL',
          amount: 10,
          type: 'limit',
          price: bid,
          post_only: true,
        });
        assert.equal(bought.error, undefined, JSON.stringify(bought.error));
        await client.close();
        const logged = orderLog(logPath);
        assert.equal(logged.length, 1, JSON.stringify(logged));
        assert.equal(logged[0]!.action, 'place');
        assert.equal(logged[0]!.outcome, 'ok');
      } finally {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
    });
  });
});
