import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixturePath, repoRoot } from '../support/paths.js';

const ROOT = repoRoot();
const GREEKS_KEYS = [
  'venue',
  'instrument',
  'ts',
  'expiry',
  'strike',
  'type',
  'forward',
  'bidIv',
  'askIv',
  'markIv',
  'delta',
  'gamma',
  'vega',
  'theta',
];

function ivtrade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'ivtrade.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function outputLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const scratch = mkdtempSync(join(tmpdir(), 'ivtrade-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, lines: string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function fixtureLines(...segments: string[]): string[] {
  return readFileSync(fixturePath(...segments), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

function assertUsageError(result: ReturnType<typeof ivtrade>, says: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `one line of hint, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', says);
  assert.match(lines[0] ?? '', /\(see 'ivtrade( replay)? --help'\)$/);
}

describe('ivtrade CLI', () => {
  it('--version prints the version from package.json', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = ivtrade('--version');
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), manifest.version);
  });

  it('--help exits 0 and lists the commands', () => {
    const result = ivtrade('--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /replay/);
    assert.match(result.stdout, /demo/);
    assert.equal(ivtrade('replay', '--help').code, 0);
  });

  it("--help states each default once, in the reader's units, and no flag's 'false'", () => {
    const serve = ivtrade('serve', '--help').stdout;
    // Commander's own "(default: …)" follows a text that already gives the default.
    assert.match(serve, /updates kept per stream, about \(default 100000\)\n/);
    assert.match(serve, /start the delta hedger on \(default off; screens\s+can switch it\)\n/);
    const surface = ivtrade('surface', '--help').stdout;
    assert.match(surface, /time between rounds, e\.g\. 10s, 1m \(default: 1m\)/);
    // Defaults that say something stay: a choice's, a prefix's.
    assert.match(surface, /default: "forward"/);
    assert.match(serve, /\(default: "ivt"\)/);
    for (const command of ['', 'serve', 'surface', 'rank', 'risk', 'sim', 'stream', 'hedge']) {
      const help = ivtrade(...(command === '' ? [] : [command]), '--help').stdout;
      assert.doesNotMatch(help, /default: false/, command);
      assert.doesNotMatch(help, /\(default[^()]*\)\s*\(default/, command);
    }
  });

  it('an unknown flag exits 2 with a one-line hint', () => {
    assertUsageError(ivtrade('--foo'), /^error: unknown option '--foo'/);
    assertUsageError(ivtrade('replay', 'x.jsonl', '--foo'), /unknown option '--foo'/);
  });

  it('an unknown subcommand exits 2 with a one-line hint', () => {
    assertUsageError(ivtrade('replya'), /unknown command 'replya'/);
  });

  it('a bad option value or a missing argument exits 2', () => {
    assertUsageError(
      ivtrade('replay', fixturePath('deribit', 'ws-capture-2021-07-22.jsonl'), '--emit', 'depth'),
      /argument 'depth' is invalid.*supported: greeks, tops/,
    );
    assertUsageError(ivtrade('replay'), /missing required argument 'file'/);
  });

  it('a file that cannot be read exits 2', () => {
    const result = ivtrade('replay', join(scratch, 'absent.jsonl'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read .*absent\.jsonl/);
  });

  it('replay prints one line per Deribit ticker, keys in order', () => {
    const fixture = fixturePath('deribit', 'ws-capture-2021-07-22.jsonl');
    const tickers = fixtureLines('deribit', 'ws-capture-2021-07-22.jsonl').filter((line) =>
      line.includes('"channel":"ticker.'),
    );
    const result = ivtrade('replay', fixture, '--emit', 'greeks');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = outputLines(result.stdout);
    assert.equal(lines.length, tickers.length);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), GREEKS_KEYS);
      assert.equal(line['venue'], 'deribit');
    }
    const first = lines[0];
    assert.deepEqual(
      [first?.['instrument'], first?.['ts'], first?.['expiry'], first?.['strike'], first?.['type']],
      ['ETH-30JUL21-2800-C', 1626993723632, Date.UTC(2021, 6, 30, 8), 2800, 'call'],
    );
    assert.equal(first?.['forward'], 2003.61);
  });

  it('replay --emit tops prints each top change of the Deribit capture, keys in order', () => {
    const result = ivtrade(
      'replay',
      fixturePath('deribit', 'ws-capture-2021-07-22.jsonl'),
      '--emit',
      'tops',
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = outputLines(result.stdout);
    // Counted independently from the raw JSON: 10 snapshots and 33 changes that move a top.
    assert.equal(lines.length, 43);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), [
        'venue',
        'instrument',
        'ts',
        'bid',
        'bidSize',
        'ask',
        'askSize',
      ]);
    }
    assert.deepEqual(lines[0], {
      venue: 'deribit',
      instrument: 'ETH-30JUL21-2800-C',
      ts: 1626993723632,
      bid: 0.0015,
      bidSize: 4714,
      ask: 0.0025,
      askSize: 873,
    });
  });

  it('replay --emit tops handles Bybit snapshots, empty books and size-0 deletes', () => {
    const result = ivtrade(
      'replay',
      fixturePath('bybit', 'v5-option-stream-2023-04-05.jsonl'),
      '--emit',
      'tops',
    );
    assert.equal(result.code, 0, result.stderr);
    const empty = { bid: null, bidSize: null, ask: null, askSize: null };
    assert.deepEqual(outputLines(result.stdout), [
      { venue: 'bybit', instrument: 'BTC-30JUN23-45000-P', ts: 1680652790918, ...empty },
      {
        venue: 'bybit',
        instrument: 'SOL-28APR23-30-C',
        ts: 1680652786355,
        bid: 0.01,
        bidSize: 50,
        ask: 1.74,
        askSize: 46,
      },
      {
        venue: 'bybit',
        instrument: 'SOL-28APR23-30-C',
        ts: 1680652799661,
        bid: 0.01,
        bidSize: 50,
        ask: 1.75,
        askSize: 46,
      },
    ]);
  });

  it('replay --emit tops prints a gap line, then no top for that book until a snapshot', () => {
    const snapshot = (u: number): string =>
      JSON.stringify({
        topic: 'orderbook.25.BTC-X-100-C-USDT',
        ts: 1000 + u,
        type: 'snapshot',
        data: { s: 'BTC-X-100-C-USDT', b: [['10', '1']], a: [['12', '1']], u },
      });
    const delta = (u: number, bid: string): string =>
      JSON.stringify({
        topic: 'orderbook.25.BTC-X-100-C-USDT',
        ts: 1000 + u,
        type: 'delta',
        data: { s: 'BTC-X-100-C-USDT', b: [[bid, '2']], a: [], u },
      });
    const path = scratchFile('gap.jsonl', [
      snapshot(5),
      delta(6, '10.5'),
      delta(8, '11'),
      delta(9, '11.5'),
      snapshot(20),
      delta(21, '11'),
    ]);
    const result = ivtrade('replay', path, '--emit', 'tops');
    assert.equal(result.code, 0, result.stderr);
    const lines = outputLines(result.stdout);
    assert.deepEqual(
      lines.map((line) => (line['type'] === 'gap' ? line : line['bid'])),
      [
        10,
        10.5,
        {
          type: 'gap',
          venue: 'bybit',
          instrument: 'BTC-X-100-C-USDT',
          expected: 6,
          received: 7,
        },
        10,
        11,
      ],
    );
  });

  it('replay --emit tops reports a malformed book frame by line, skips it and goes on', () => {
    const lines = fixtureLines('bybit', 'v5-option-stream-2023-04-05.jsonl');
    const broken = lines.map((line) => line.replace('["1.75","46"]', '["1.75","lots"]'));
    assert.notDeepEqual(broken, lines);
    const result = ivtrade('replay', scratchFile('broken-book.jsonl', broken), '--emit', 'tops');
    assert.equal(result.code, 1);
    const brokenLine = broken.findIndex((line) => line.includes('"lots"')) + 1;
    assert.match(
      result.stderr,
      new RegExp(`^line ${brokenLine}: Bybit orderbook\\.25\\.SOL-28APR23-30-C: .*"lots"`),
    );
    // The two good snapshots still print; the broken delta changed nothing.
    assert.deepEqual(
      outputLines(result.stdout).map((line) => [line['instrument'], line['ask']]),
      [
        ['BTC-30JUN23-45000-P', null],
        ['SOL-28APR23-30-C', 1.74],
      ],
    );
  });

  it('--compare adds the venue figures under "venueReported", last', () => {
    const sample = join(ROOT, 'samples', 'deribit-tickers.jsonl');
    const result = ivtrade('replay', sample, '--compare');
    assert.equal(result.code, 0, result.stderr);
    const lines = outputLines(result.stdout);
    assert.equal(lines.length, 20);
    assert.deepEqual(Object.keys(lines[0] ?? {}), [...GREEKS_KEYS, 'venueReported']);
    assert.deepEqual(lines[0]?.['venueReported'], {
      bidIv: 1.1562,
      askIv: 1.2563,
      markIv: 1.2074,
      delta: 0.03127,
      gamma: 0.0002,
      vega: 0.20072,
      theta: -1.64029,
    });
  });

  it('reports malformed lines by number, prints the good ones and exits 1', () => {
    const good = fixtureLines('deribit', 'ws-capture-2021-07-22.jsonl')
      .filter((line) => line.includes('"channel":"ticker.'))
      .slice(0, 3);
    const missingMark = good[0]?.replace(/"mark_price":[0-9.e-]+,/, '');
    assert.notEqual(missingMark, good[0]);
    const file = scratchFile('malformed.jsonl', [
      good[0] ?? '',
      '{"localTs": 1, "message": {',
      good[1] ?? '',
      missingMark ?? '',
      '',
      good[2] ?? '',
    ]);
    const result = ivtrade('replay', file);
    assert.equal(result.code, 1);
    assert.equal(outputLines(result.stdout).length, 3);
    const errors = result.stderr.split('\n').filter((line) => line !== '');
    assert.equal(errors.length, 2, result.stderr);
    assert.match(errors[0] ?? '', /^line 2: invalid JSON/);
    assert.match(errors[1] ?? '', /^line 4: .*"mark_price"/);
  });

  it('a file that is not a recording: 20 lines reported, the rest counted, and why, exit 1', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},0.0065,2222.19,ETH-12JAN24-2500-C`);
    const result = ivtrade('replay', scratchFile('chain.csv', ['id,bid,index,name', ...rows]));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const errors = result.stderr.split('\n').filter((line) => line !== '');
    assert.equal(errors.length, 22, result.stderr);
    assert.match(errors[0] ?? '', /^line 1: invalid JSON/);
    assert.match(errors[19] ?? '', /^line 20: invalid JSON/);
    assert.equal(errors[20], '… 31 more malformed lines not shown');
    assert.match(errors[21] ?? '', /^all 51 lines malformed: replay reads a recording/);
  });

  it('replays a Bybit snapshot and delta as two lines, the second with the merged ask', () => {
    const file = scratchFile(
      'bybit.jsonl',
      fixtureLines('bybit', 'v5-option-shapes-2026-09.jsonl'),
    );
    const result = ivtrade('replay', file, '--compare');
    assert.equal(result.code, 0, result.stderr);
    const [snapshot, delta, ...rest] = outputLines(result.stdout);
    assert.equal(rest.length, 0);
    assert.ok(snapshot && delta);
    for (const line of [snapshot, delta]) {
      assert.deepEqual(Object.keys(line), [...GREEKS_KEYS, 'venueReported']);
      assert.equal(line['venue'], 'bybit');
      assert.equal(line['instrument'], 'BTC-25JUN27-106000-P-USDT');
      assert.equal(line['expiry'], 1813910400000);
      assert.equal(line['forward'], 86977.1);
    }
    const venue = (line: Record<string, unknown>) =>
      line['venueReported'] as Record<string, unknown>;
    assert.equal(venue(snapshot)['askIv'], 0.4489);
    assert.equal(venue(delta)['askIv'], 0.448);
    assert.equal(venue(delta)['bidIv'], 0.3285);
    // Our ask IV follows the merged ask (26205 → 26200); the carried bid's moves only by
    // the one second of time decay between the two messages.
    const ours = (line: Record<string, unknown>, key: string) => line[key] as number;
    assert.ok(ours(snapshot, 'askIv') - ours(delta, 'askIv') > 1e-5);
    assert.ok(Math.abs(ours(delta, 'bidIv') - ours(snapshot, 'bidIv')) < 1e-7);
  });

  it('demo prints the help and replays the bundled sample', () => {
    const result = ivtrade('demo');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: ivtrade \[options\] \[command\]$/m);
    assert.equal(
      result.stdout.split('\n').filter((line) => line.startsWith('{"venue"')).length,
      20,
    );
  });
});
