// Real redis-server processes for tests: a single node or a 3-master cluster on loopback
// ports, each in its own temporary directory, with nothing persisted. CI (`.ci/run`) starts a
// shared single node and a shared cluster and passes their URLs in IVTRADE_TEST_REDIS_URL and
// IVTRADE_TEST_REDIS_CLUSTER_URL; tests that need to stop, kill or restart Redis, or that
// need a password or ACL users, start their own here.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisServerOptions {
  /** `requirepass`: the default user's password. */
  readonly password?: string;
  /** Extra ACL users, as `user …` lines of an ACL file (the default user stays as set). */
  readonly aclUsers?: readonly string[];
  /** Extra `redis-server` arguments, e.g. ['--maxmemory', '64mb']. */
  readonly args?: readonly string[];
  /** A port to start on (a restart keeps its port); a free one otherwise. */
  readonly port?: number;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, with no credentials. */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. The server can be started again with `restart`. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (nothing is persisted). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that hangs without closing its sockets. */
  pause(): void;
  resume(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs redis-cli against a port and returns its stdout; throws with stderr on failure. */
export function redisCli(port: number, args: readonly string[], password?: string): string {
  const auth = password === undefined ? [] : ['--no-auth-warning', '-a', password];
  const out = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...auth, ...args], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

async function waitReady(port: number, password: string | undefined, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (redisCli(port, ['PING'], password).trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await sleep(25);
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a redis-server on loopback; resolves once it answers PING. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'ivt-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--protected-mode', 'no', '--loglevel', 'warning');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  if (options.aclUsers !== undefined && options.aclUsers.length > 0) {
    const aclFile = join(dir, 'users.acl');
    const defaultUser =
      options.password === undefined
        ? 'user default on nopass ~* &* +@all'
        : `user default on >${options.password} ~* &* +@all`;
    writeFileSync(aclFile, [defaultUser, ...options.aclUsers].join('\n') + '\n', { mode: 0o600 });
    args.push('--aclfile', aclFile);
    // requirepass and aclfile cannot be combined: the default user's line carries the password.
    const at = args.indexOf('--requirepass');
    if (at !== -1) args.splice(at, 2);
  }
  args.push(...(options.args ?? []));
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.resume();
    // A server that exits at once (its port taken meanwhile) is said at once, not in 10 s.
    const died = new Promise<never>((_, reject) =>
      started.once('exit', (code) =>
        reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready`)),
      ),
    );
    died.catch(() => undefined);
    await Promise.race([waitReady(port, options.password), died]);
  };
  try {
    await launch();
  } catch (error) {
    (child as ChildProcess | null)?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const kill = async (): Promise<void> => {
    const running = child;
    if (running === null) return;
    running.kill('SIGKILL');
    await exited(running);
    child = null;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const running = child;
      if (running !== null) {
        running.kill('SIGCONT');
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 3_000);
        await exited(running);
        clearTimeout(timer);
        child = null;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    kill,
    async restart() {
      await kill();
      await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
}

export interface RedisCluster {
  /** A seed node's URL; the client finds the others. */
  readonly url: string;
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** Whether a port can be bound on loopback now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (10,000 above it, Redis's rule) exists and is free. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && (await portFree(port + 10_000))) return port;
  }
}

/** Starts three cluster-enabled masters on loopback and joins them (no replicas). */
export async function startCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  for (let i = 0; i < 3; i += 1) {
    // A free port can be taken between our look and the server's bind (other test files
    // start servers too): a node that cannot start is started again on another port.
    for (let attempt = 1; ; attempt += 1) {
      const port = await clusterPort();
      try {
        nodes.push(
          await startRedis({
            port,
            args: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              `nodes-${port}.conf`,
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        );
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }
  const ports = nodes.map((node) => node.port);
  redisCli(ports[0]!, [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  const deadline = Date.now() + 15_000;
  while (!ports.every((port) => /cluster_state:ok/.test(redisCli(port, ['CLUSTER', 'INFO'])))) {
    if (Date.now() > deadline) throw new Error('the Redis cluster did not reach cluster_state:ok');
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}

/** A key prefix no other test shares, so tests can share one Redis. */
export function testPrefix(name = 't'): string {
  return `${name}${randomBytes(4).toString('hex')}`;
}

/**
 * A Redis for a test file: CI's shared one (IVTRADE_TEST_REDIS_URL), else one started here.
 * `stop` stops only one started here. Use a `testPrefix()` to keep keys apart.
 */
export async function sharedRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.IVTRADE_TEST_REDIS_URL;
  if (url !== undefined && url !== '') return { url, stop: () => Promise.resolve() };
  const server = await startRedis();
  return { url: server.url, stop: () => server.stop() };
}

/** A Redis Cluster for a test file: CI's shared one (IVTRADE_TEST_REDIS_CLUSTER_URL), else one started here. */
export async function sharedCluster(): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.IVTRADE_TEST_REDIS_CLUSTER_URL;
  if (url !== undefined && url !== '') return { url, stop: () => Promise.resolve() };
  const cluster = await startCluster();
  return { url: cluster.url, stop: () => cluster.stop() };
}
