// `rediss://`: serve publishing into a redis-server that speaks only TLS, and `export` reading
// it back, both as the built binary. The server's certificate is signed by a throwaway CA made
// here with openssl, which the processes trust through NODE_EXTRA_CA_CERTS (as a desk would
// trust its own CA). A plain `redis://` to the TLS port fails with a clear message.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { keySchema } from '../../src/store/keys.js';
import { freePort } from '../support/redis.js';
import { BIN, runBin } from './support/run-bin.js';

function openssl(args: readonly string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  assert.equal(run.status, 0, `openssl ${args.join(' ')}: ${run.stderr}`);
}

function tlsCli(dir: string, port: number, args: readonly string[]): string {
  const run = spawnSync(
    'redis-cli',
    ['--tls', '--cacert', join(dir, 'ca.pem'), '-h', '127.0.0.1', '-p', String(port), ...args],
    { encoding: 'utf8' },
  );
  return run.status === 0 ? run.stdout.trim() : '';
}

describe('Redis over TLS (rediss://)', () => {
  let dir: string;
  let port: number;
  let server: ChildProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ivt-tls-'));
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '2',
        '-subj',
        '/CN=ivtrade test CA',
      ],
      dir,
    );
    openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
        '-subj',
        '/CN=127.0.0.1',
      ],
      dir,
    );
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'server.pem',
        '-days',
        '2',
        '-extfile',
        'san.cnf',
      ],
      dir,
    );
    port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--tls-cert-file',
        join(dir, 'server.pem'),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        join(dir, 'ca.pem'),
        '--tls-auth-clients',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (tlsCli(dir, port, ['PING']) !== 'PONG') {
      if (Date.now() > deadline) assert.fail('the TLS redis-server did not start');
      await sleep(50);
    }
  });
  after(async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve publishes over TLS and export reads it back over TLS', async () => {
    const url = `rediss://127.0.0.1:${port}`;
    const env = {
      HOME: dir,
      XDG_STATE_HOME: join(dir, 'state'),
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    };
    const serve = spawn(
      process.execPath,
      [BIN, 'serve', '--venue', 'sim', '--currency', 'BTC', '--redis', url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env['PATH'], ...env },
      },
    );
    let output = '';
    serve.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    serve.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const alive = keySchema().venue('deribit').alive;
      const deadline = Date.now() + 20_000;
      while (tlsCli(dir, port, ['EXISTS', alive]) !== '1') {
        if (serve.exitCode !== null || Date.now() > deadline)
          assert.fail(`serve did not publish over TLS: ${output}`);
        await sleep(100);
      }
      const exported = await runBin(
        ['export', '--redis', url, '--currency', 'BTC', '--format', 'csv'],
        env,
      );
      assert.equal(exported.code, 0, exported.stderr);
      const rows = exported.stdout.trim().split('\n');
      assert.ok(rows.length > 10, `rows of the BTC listing: ${rows.length}`);
      assert.match(rows.find((row) => row.includes('BTC-PERPETUAL')) ?? '', /BTC-PERPETUAL/);
    } finally {
      serve.kill('SIGTERM');
      if (serve.exitCode === null) await new Promise((resolve) => serve.once('exit', resolve));
    }
  });

  it('a plain redis:// to the TLS port fails clearly (exit 1), never hangs', async () => {
    const run = await runBin(['scan', '--redis', `redis://127.0.0.1:${port}`], { HOME: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
  });
});
