// `ivtrade hedge` as a server runs it: the built binary on the embedded sim, no screen, the
// decisions printed as JSON lines. A perpetual bought by hand leaves the book long delta
// outside the band; the hedger sells it back to flat in the same instrument.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runBin, type Run } from './support/run-bin.js';

const run = (args: readonly string[], home: string): Promise<Run> =>
  runBin(args, { HOME: home, XDG_STATE_HOME: join(home, 'state') });

interface Line {
  readonly kind: string;
  readonly state?: string;
  readonly label?: string;
  readonly decision?: { readonly action: string; readonly side?: string; readonly amount?: string };
  readonly text?: string;
}

describe('ivtrade hedge', () => {
  it('runs headless, hedges a long perpetual back to flat and logs every decision', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ivtrade-hedge-cli-'));
    try {
      const result = await run(
        [
          'hedge',
          '--venue',
          'sim',
          '--currency',
          'BTC',
          '--duration',
          '8s',
          '--exec',
          'i BTC-PERPETUAL; m 1000; a1',
        ],
        home,
      );
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Line);
      const said = lines.filter((line) => line.kind === 'command').map((line) => line.text);
      assert.ok(
        said.some((text) => text?.startsWith('hedger ON: BTC options')),
        said.join('\n'),
      );
      assert.ok(said.some((text) => /^bought 1000 BTC-PERPETUAL/.test(text ?? '')));
      const hedges = lines.filter((line) => line.kind === 'hedge' && line.label !== undefined);
      assert.ok(hedges.length >= 1, `a hedge was sent: ${said.join('\n')}`);
      assert.equal(hedges[0]!.decision?.action, 'hedge');
      assert.equal(hedges[0]!.decision?.side, 'sell');
      assert.equal(hedges[0]!.decision?.amount, '1000', 'back to flat, in $10 lots');
      assert.match(hedges[0]!.label!, /^ivt-hedge-[a-z0-9]{6}-1$/);
      assert.ok(hedges.length <= 2, `no loop: ${hedges.length} hedges`);
      assert.match(result.stderr, /ivtrade hedge \(\d+ hedges\)/);
      // The same decisions in the hedge log, readable by its owner only.
      const logPath = join(home, 'state', 'ivtrade', 'hedge.jsonl');
      assert.equal(statSync(logPath).mode & 0o777, 0o600);
      const logged = readFileSync(logPath, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      assert.equal(logged.length, lines.filter((line) => line.kind === 'hedge').length);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a hedge instrument the venue does not list: refused at start, exit 2, nothing hedged', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ivtrade-hedge-cli-'));
    try {
      const result = await run(
        ['hedge', '--venue', 'sim', '--hedge-instrument', 'BTC-FOO', '--duration', '20s'],
        home,
      );
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /^error: hedger not started: BTC-FOO is not a future or perpetual listed on deribit \(BTC ones: .*BTC-PERPETUAL/m,
      );
      assert.doesNotMatch(result.stdout, /"kind":"hedge"/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a bad hedge flag exits 2 with a hint', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ivtrade-hedge-cli-'));
    try {
      const result = await run(['hedge', '--venue', 'sim', '--hedge-band', '7'], home);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--hedge-band/);
      assert.match(result.stderr, /for dollars write \$7/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
