// `ivtrade` with no command: bad flags exit 2 with a hint and change nothing; the screen
// refuses to draw where there is no terminal. (The screen itself: test/e2e, in tmux.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const ROOT = repoRoot();

function ivtrade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'ivtrade.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ivtrade (the screen) flags', () => {
  const cases: [string[], RegExp][] = [
    [['--venue', 'kraken'], /--venue .*supported: deribit, bybit, sim/],
    [['--columns', 'bid,iv'], /unknown column 'iv'; choose from bid-size, bid, ask/],
    [['--columns', ''], /no columns given/],
    [['--sim-venue', 'okx'], /supported: deribit, bybit/],
    [['--venue', 'deribit', '--seed', '3'], /--seed needs --venue sim/],
    [['--testnet'], /--testnet needs a real venue/],
    [['--currency', 'b$c'], /comma-separated list of coins/],
    [['--speed', '0'], /a number from 1 to 100000/],
  ];
  for (const [args, message] of cases) {
    it(`refuses ${args.join(' ') || '(empty)'} with exit 2 and a hint`, () => {
      const result = ivtrade(...args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /see 'ivtrade --help'/);
      assert.equal(result.stdout, '');
    });
  }

  it('needs a terminal: piped, it exits 2 and points at `ivtrade stream`', () => {
    const result = ivtrade();
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /the screen needs a terminal; for a headless feed use 'ivtrade stream'/,
    );
  });

  it('lists the screen flags in --help, with the log file default', () => {
    const result = ivtrade('--help');
    assert.equal(result.code, 0);
    for (const flag of [
      '--venue',
      '--sim-venue',
      '--currency',
      '--testnet',
      '--columns',
      '--log',
    ]) {
      assert.match(result.stdout, new RegExp(flag));
    }
    assert.match(result.stdout, /ivtrade\.log/);
  });
});
