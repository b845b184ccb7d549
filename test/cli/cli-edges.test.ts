// The CLI's edges: a duration past the timer's limit, a sim that cannot listen, a recording
// that is a directory or carries terminal escapes, and a --config that nothing private needs.
// Each ends in one clear line and the right exit code, never a stack trace.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { replayFile } from '../../src/app/replay.js';
import { elapsed } from '../../src/cli/interrupted.js';
import { BIN, runBin, type Run } from './support/run-bin.js';

const scratch = mkdtempSync(join(tmpdir(), 'ivtrade-edges-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function oneLineUsage(result: Run, says: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, says);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('--duration', () => {
  it('a duration past the timer limit (2^31 ms, about 24.8 days) does not end at once', async () => {
    let ended = false;
    void elapsed(2 ** 31 + 1_000).then(() => (ended = true));
    // A timer given more than its limit fires after 1 ms; this one must still be waiting.
    await sleep(100);
    assert.equal(ended, false);
  });

  it('a short duration still ends', async () => {
    // elapsed() never keeps the process up by itself; the session's sockets do, this here.
    const alive = setInterval(() => undefined, 1_000);
    try {
      await elapsed(5);
    } finally {
      clearInterval(alive);
    }
  });
});

describe('ivtrade sim cannot listen', () => {
  it('a port in use: one line, exit 2', async () => {
    const first = spawn(process.execPath, [BIN, 'sim', '--json', '--currencies', 'BTC'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'], HOME: scratch, XDG_STATE_HOME: join(scratch, 'state') },
    });
    try {
      const [line] = (await once(createInterface({ input: first.stdout }), 'line')) as [string];
      const port = new URL((JSON.parse(line) as { urls: { deribitWs: string } }).urls.deribitWs)
        .port;
      const second = await runBin(['sim', '--port', port], { HOME: scratch });
      oneLineUsage(
        second,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
      );
    } finally {
      first.kill('SIGINT');
      await once(first, 'exit');
    }
  });

  it('a host that is not this machine, or does not exist: one line, exit 2', async () => {
    oneLineUsage(
      await runBin(['sim', '--host', '203.0.113.9'], { HOME: scratch }),
      /203\.0\.113\.9 is not an address of this machine/,
    );
    oneLineUsage(
      await runBin(['sim', '--host', 'no-such-host.invalid'], { HOME: scratch }),
      /no such host "no-such-host\.invalid"/,
    );
  });
});

describe('ivtrade replay', () => {
  it('a directory: one line, exit 2', async () => {
    oneLineUsage(await runBin(['replay', scratch]), /not a file/);
  });

  it('control characters from a recording reach the terminal escaped, never raw', async () => {
    // A channel name is quoted in the error for a frame that contradicts it.
    const escapes = '\u001b[2J\u001b]0;owned\u0007\u009b31m';
    const frame = (channel: string, data: Record<string, unknown>): string =>
      JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
    const path = join(scratch, 'hostile.jsonl');
    writeFileSync(
      path,
      [
        frame(`book.X${escapes}.raw`, {
          type: 'snapshot',
          instrument_name: 'Y',
          change_id: 1,
          bids: [],
          asks: [],
        }),
        frame(`ticker.BTC-27DEC24-100000-C${escapes}.raw`, { instrument_name: escapes }),
      ].join('\n') + '\n',
    );
    for (const emit of ['tops', 'greeks'] as const) {
      const out = new PassThrough();
      const err = new PassThrough();
      let printed = '';
      out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      err.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      await replayFile(path, { emit, compare: false }, { out, err });
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(printed, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, printed);
      if (emit === 'tops') {
        assert.match(printed, /book\.X\\u001b\[2J\\u001b\]0;owned\\u0007\\u009b31m/);
      }
    }
  });
});

describe('--config is checked whatever the run needs from it', () => {
  const cases: readonly [string, (file: string) => void, RegExp][] = [
    ['missing', () => undefined, /does not exist/],
    [
      'open to others',
      (file) => {
        writeFileSync(file, '{}');
        chmodSync(file, 0o644);
      },
      /chmod 600/,
    ],
    [
      'malformed',
      (file) => {
        writeFileSync(file, 'not json', { mode: 0o600 });
      },
      /malformed/,
    ],
  ];
  for (const [what, make, says] of cases) {
    it(`a ${what} file stops record and stream on the sim (public data only) with exit 2`, async () => {
      const file = join(scratch, `credentials-${what.replace(/\s/g, '-')}.json`);
      make(file);
      const record = await runBin([
        'record',
        '--venue',
        'sim',
        '--duration',
        '1s',
        '--out',
        join(scratch, 'rec.jsonl'),
        '--config',
        file,
      ]);
      assert.equal(record.code, 2, record.stderr);
      assert.match(record.stderr, says);
      const stream = await runBin([
        'stream',
        '--venue',
        'sim',
        '--duration',
        '1s',
        '--config',
        file,
      ]);
      assert.equal(stream.code, 2, stream.stderr);
      assert.match(stream.stderr, says);
      assert.equal(stream.stdout, '', 'nothing streamed');
    });
  }
});
