// `ivtrade stream` and `ivtrade record` as a user runs them: the built binary, real sockets.

import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSim } from '../../src/sim/server.js';
import { runBin } from './support/run-bin.js';

const run = runBin;

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('ivtrade stream', () => {
  it('prints status, tops and greeks from both venues of the embedded exchange', async () => {
    const result = await run([
      'stream',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--emit',
      'status,tops,greeks',
      '--duration',
      '4s',
      '--speed',
      '10',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const live = lines.filter((l) => l['type'] === 'status' && l['status'] === 'live');
    assert.deepEqual([...new Set(live.map((l) => l['venue']))].sort(), ['bybit', 'deribit']);
    for (const venue of ['deribit', 'bybit']) {
      const tops = lines.filter((l) => l['venue'] === venue && 'bid' in l && 'askSize' in l);
      const greeks = lines.filter((l) => l['venue'] === venue && 'markIv' in l);
      assert.ok(tops.length > 50, `${venue}: ${tops.length} tops`);
      assert.ok(greeks.length > 50, `${venue}: ${greeks.length} greeks`);
      // An option a day or more out: minutes from expiry a deep OTM mark IV passes 500 %.
      const iv = greeks
        .filter((l) => Number(l['expiry']) - Number(l['ts']) > 86_400_000)
        .map((l) => l['markIv'])
        .find((v) => typeof v === 'number') as number;
      assert.ok(iv > 0.05 && iv < 5, `${venue} mark IV ${iv}`);
    }
    assert.match(result.stderr, /deribit: \d+ messages, 0 malformed/);
    assert.match(result.stderr, /bybit: \d+ messages, 0 malformed/);
  });

  it('follows a venue at a URL given with --url (here: a separately running sim)', async () => {
    const sim = await startSim({ seed: 2, speed: 10, currencies: ['BTC'] });
    try {
      const base = sim.urls.deribitWs.replace(/\/ws\/api\/v2$/, '');
      const result = await run([
        'stream',
        '--venue',
        'deribit',
        '--currency',
        'BTC',
        '--url',
        `deribit=${base}`,
        '--emit',
        'status,index',
        '--duration',
        '2s',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const lines = jsonLines(result.stdout);
      assert.ok(lines.some((l) => l['type'] === 'status' && l['status'] === 'live'));
      const index = lines.find((l) => l['type'] === 'index');
      assert.equal(index?.['base'], 'BTC');
      assert.ok((index?.['price'] as number) > 1_000);
    } finally {
      await sim.close();
    }
  });

  it('exits 1 with the reason when the venue cannot be reached', async () => {
    const result = await run([
      'stream',
      '--venue',
      'deribit',
      '--url',
      'deribit.ws=ws://127.0.0.1:9/ws/api/v2',
      '--duration',
      '1s',
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot start/);
  });

  const misuse: [string, string[], RegExp][] = [
    ['no venue', ['stream'], /--venue/],
    ['an unknown venue', ['stream', '--venue', 'kraken'], /supported: deribit, bybit, sim/],
    ['an unknown emit', ['stream', '--venue', 'sim', '--emit', 'tops,bogus'], /"bogus"/],
    ['a bad duration', ['stream', '--venue', 'sim', '--duration', '0'], /duration/],
    [
      'sim flags on a real venue',
      ['stream', '--venue', 'deribit', '--seed', '3'],
      /--seed needs --venue sim/,
    ],
    [
      'a bad --url name',
      ['stream', '--venue', 'deribit', '--url', 'deribit.nope=ws://x'],
      /deribit\.nope/,
    ],
    ['record without --out', ['record', '--venue', 'sim'], /--out/],
  ];
  for (const [what, args, hint] of misuse) {
    it(`exits 2 with a hint on ${what}`, async () => {
      const result = await run(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, hint);
      assert.equal(result.stdout, '');
    });
  }

  it('refuses a credentials file others can read, without echoing its secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivtrade-cred-'));
    const file = join(dir, 'credentials.json');
    const secret = 'do-not-print-this-3f9a';
    await writeFile(file, JSON.stringify({ deribit: { clientId: 'me', clientSecret: secret } }));
    await chmod(file, 0o644);
    try {
      const result = await run([
        'stream',
        '--venue',
        'deribit',
        '--emit',
        'account',
        '--config',
        file,
      ]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /chmod 600/);
      assert.equal(result.stderr.includes(secret) || result.stdout.includes(secret), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ivtrade record', () => {
  it('records public frames that ivtrade replay reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivtrade-rec-'));
    const out = join(dir, 'rec.jsonl');
    try {
      const recorded = await run([
        'record',
        '--venue',
        'sim',
        '--currency',
        'BTC',
        '--out',
        out,
        '--duration',
        '2s',
        '--speed',
        '10',
      ]);
      assert.equal(recorded.code, 0, recorded.stderr);
      assert.match(recorded.stderr, /ivtrade record: \d+ frames/);
      const first = JSON.parse((await readFile(out, 'utf8')).split('\n')[0]!) as {
        localTs: number;
        message: unknown;
      };
      assert.ok(first.localTs > 1.7e12);
      assert.equal(typeof first.message, 'object');
      const replayed = await run(['replay', out, '--emit', 'tops']);
      assert.equal(replayed.code, 0, replayed.stderr);
      assert.ok(jsonLines(replayed.stdout).length > 50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
