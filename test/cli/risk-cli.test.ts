// `ivtrade risk` on the embedded exchange: the scenario matrix as JSON lines or a table, a
// hypothetical position added with --add, and clear refusals of flags that make no sense.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBin } from './support/run-bin.js';

interface RiskLine {
  kind: string;
  venue: string;
  coin: string;
  spot: number;
  horizonDays: number;
  spotMoves: number[];
  volShifts: number[];
  pnlUsd: number[][];
  delta: number[][];
  positions: number;
  missing: string[];
}

describe('ivtrade risk', () => {
  it('revalues a perpetual added with --add: +10 % is 10 % of its USD amount, now and in 3 days', async () => {
    const run = await runBin([
      'risk',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--add',
      'BTC-PERPETUAL=10000',
      '--horizon',
      '3',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RiskLine);
    const matrices = lines.filter((line) => line.kind === 'risk');
    // Deribit lists BTC-PERPETUAL; Bybit's sim account holds nothing and lists no such name.
    assert.deepEqual(
      matrices.map((line) => `${line.venue} ${line.coin} ${line.horizonDays}`),
      ['deribit BTC 0', 'deribit BTC 3'],
    );
    for (const matrix of matrices) {
      assert.equal(matrix.spotMoves.length, 21);
      assert.equal(matrix.volShifts.length, 9);
      assert.equal(matrix.positions, 1);
      assert.deepEqual(matrix.missing, []);
      const up = matrix.pnlUsd[4]![matrix.spotMoves.indexOf(0.1)]!;
      // 10,000 USD of an inverse perpetual: (1/F − 1/1.1F) coin per USD, at 1.1 × spot.
      assert.ok(Math.abs(up - 1000) < 15, `+10 %: ${up}`);
      assert.equal(matrix.pnlUsd[4]![matrix.spotMoves.indexOf(0)], 0);
      assert.ok(matrix.delta[4]![10]! > 0.05 && matrix.delta[4]![10]! < 0.2);
    }
    const expiry = lines.find((line) => line.kind === 'risk-expiry');
    assert.ok(expiry !== undefined);
  });

  it('takes the fitted smile and a term-shaped shift, and says so; a perpetual is the same either way', async () => {
    const args = ['risk', '--venue', 'sim', '--currency', 'BTC', '--add', 'BTC-PERPETUAL=10000'];
    const plain = await runBin([...args, '--horizon', '0', '--json']);
    const shaped = await runBin([
      ...args,
      '--horizon',
      '0',
      '--smile',
      'sticky-moneyness',
      '--vol-shape',
      'term',
      '--json',
    ]);
    assert.equal(shaped.code, 0, shaped.stderr);
    const matrix = (stdout: string): RiskLine & { smile: string; volShape: string } =>
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RiskLine & { smile: string; volShape: string })
        .find((line) => line.kind === 'risk')!;
    const before = matrix(plain.stdout);
    const after = matrix(shaped.stdout);
    assert.equal(before.smile, 'sticky-strike');
    assert.equal(before.volShape, 'parallel');
    assert.equal(after.smile, 'sticky-moneyness');
    assert.equal(after.volShape, 'term');
    // Spot moves a little between the two runs' markets; the shape of the row does not.
    const up = (line: RiskLine): number => line.pnlUsd[4]![line.spotMoves.indexOf(0.1)]!;
    assert.ok(Math.abs(up(before) - up(after)) < 15, `${up(before)} vs ${up(after)}`);
    const table = await runBin([...args, '--horizon', '0', '--smile', 'sticky-moneyness']);
    assert.match(table.stdout, /IVs along the fitted smile \(sticky moneyness\)/);
  });

  it('prints a table per coin and horizon', async () => {
    const run = await runBin([
      'risk',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--add',
      'BTC-PERPETUAL=-20000',
      '--horizon',
      '0',
      '--spot-range',
      '10',
      '--spot-step',
      '5',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /deribit BTC spot [\d.]+: PnL in USD now/);
    assert.match(run.stdout, /^vol\s+-10%\s+-5%\s+0%\s+\+5%\s+\+10%$/m);
    assert.match(run.stdout, /^\s+0\s+\d,\d{3}\s+\d,\d{3}\s+0\s+-\d,\d{3}\s+-\d,\d{3}$/m);
    assert.match(run.stdout, /bybit: no positions/);
  });

  it('refuses what it cannot mean with exit 2, and an unlisted --add with exit 1', async () => {
    for (const [args, said] of [
      [['--add', 'BTC-PERPETUAL'], /--add wants <instrument>=<signed size>/],
      [['--add', 'BTC-PERPETUAL=0'], /a size of 0 adds nothing/],
      [['--spot-range', '0'], /a positive number/],
      [['--spot-range', '100'], /under 100/],
      [['--horizon', '-1'], /days from now/],
      [['--smile', 'sticky-delta'], /--smile must be sticky-strike or sticky-moneyness/],
      [['--vol-shape', 'flat'], /--vol-shape must be parallel or term/],
      [['--seed', '3', '--venue', 'deribit'], /--seed needs --venue sim/],
    ] as const) {
      const given: readonly string[] = args;
      const venue = given.includes('--venue') ? [] : ['--venue', 'sim'];
      const run = await runBin(['risk', ...venue, ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, said, args.join(' '));
    }
    const unlisted = await runBin([
      'risk',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--add',
      'BTC-1JAN20-1-C=1',
    ]);
    assert.equal(unlisted.code, 1);
    assert.match(unlisted.stderr, /--add BTC-1JAN20-1-C: not listed on deribit or bybit/);
  });
});
