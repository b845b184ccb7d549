// One engine, many terminals, as a desk runs it: `ivtrade serve --venue sim` publishing into a
// real redis-server, and two screens attached to it in two real terminals (tmux). An order
// typed in one shows in both; its fill's position shows in both; `hon` in the other turns the
// hedger ON in both; Redis killed shows the bus down in both, and restarted, both recover; a
// screen hung or killed holds up neither serve nor the other screen.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { keySchema } from '../../src/store/keys.js';
import { redisCli, startRedis, type RedisServer } from '../support/redis.js';
import {
  BIN,
  closeShell,
  cursorOnExpiry,
  FIRST_SCREEN_MS,
  LAUNCH,
  lines,
  liveChain,
  openShell,
  plain,
  promptAfter,
  STEP_MS,
  type Sandbox,
} from './shell.js';

const RESTING = /^\s*#\d+\s+BTC-\S+-C\s+buy\s+0\.1\s+0\.0001\b/;
const POSITION = /^BTC-\S+-C\s+0\.1\b/;

function hasLine(pattern: RegExp) {
  return (screen: string): true | undefined =>
    lines(screen)
      .map(plain)
      .some((line) => pattern.test(line))
      ? true
      : undefined;
}

/** Exactly `count` rows matching `pattern` on the screen. */
function rows(pattern: RegExp, count: number) {
  return (screen: string): true | undefined =>
    lines(screen)
      .map(plain)
      .filter((line) => pattern.test(line)).length === count
      ? true
      : undefined;
}

/** Signals the second screen's process (the one started with --redis-prefix). */
function signalScreen(signal: 'STOP' | 'CONT' | 'KILL', url: string): void {
  const found = spawnSync('pkill', [
    `-${signal}`,
    '-f',
    `ivtrade.js --redis ${url} --redis-prefix ivt`,
  ]);
  assert.equal(found.status, 0, `pkill -${signal} found the second screen`);
}

/** The header's hedger word: the text after "hedger" on the second header line. */
function hedgerWord(screen: string): string | undefined {
  return /\bhedger (ON|OFF|PAUSED)\b/.exec(plain(lines(screen)[1] ?? ''))?.[1];
}

async function waitAlive(redis: RedisServer, serve: ChildProcess, ms: number): Promise<void> {
  const alive = keySchema().venue('deribit').alive;
  const deadline = Date.now() + ms;
  while (redisCli(redis.port, ['EXISTS', alive]).trim() !== '1') {
    if (serve.exitCode !== null) assert.fail(`serve exited with ${serve.exitCode}`);
    if (Date.now() > deadline) assert.fail('serve did not publish its heartbeat');
    await sleep(100);
  }
}

describe('serve and two attached screens (tmux)', () => {
  let redis: RedisServer;
  let dir: string;
  let serve: ChildProcess;
  let serveOut = '';
  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'ivtrade-serve-e2e-'));
    serve = spawn(
      process.execPath,
      [BIN, 'serve', '--venue', 'sim', '--currency', 'BTC', '--redis', redis.url],
      {
        env: { ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    serve.stdout?.on('data', (chunk: Buffer) => (serveOut += chunk.toString()));
    serve.stderr?.on('data', (chunk: Buffer) => (serveOut += chunk.toString()));
    await waitAlive(redis, serve, FIRST_SCREEN_MS);
  });
  after(async () => {
    serve.kill('SIGTERM');
    if (serve.exitCode === null) await new Promise((resolve) => serve.once('exit', resolve));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an order, its fill, the hedger and a Redis restart are seen alike in both screens', async () => {
    const screens: Sandbox[] = [];
    try {
      for (let n = 0; n < 2; n += 1) screens.push(await openShell(110, 40));
      const [one, two] = screens as [Sandbox, Sandbox];
      const both = async (
        what: string,
        done: (screen: string) => true | undefined,
        timeoutMs = STEP_MS,
      ): Promise<void> => {
        await Promise.all(
          screens.map((box, n) =>
            box.term.waitFor(`${what} (screen ${n + 1})`, done, { timeoutMs }),
          ),
        );
      };
      // The second screen names its (default) prefix: a handle to find its process by.
      await one.term.run(`${LAUNCH} --redis ${redis.url}`);
      await two.term.run(`${LAUNCH} --redis ${redis.url} --redis-prefix ivt`);
      await both(
        'the live chain',
        (screen) => (liveChain(screen) ? true : undefined),
        FIRST_SCREEN_MS,
      );
      await both('the hedger OFF', (screen) => (hedgerWord(screen) === 'OFF' ? true : undefined));

      // A month out, where premiums sit well above 0.0001: the buy rests.
      for (let n = 0; n < 5; n += 1) await one.term.press(']');
      await one.term.waitFor('the cursor a month out', cursorOnExpiry(5), { timeoutMs: STEP_MS });
      await one.term.type('a1 0.0001');
      await one.term.press('Enter');
      await both('the resting order in the orders panel', hasLine(RESTING));

      // A capped market order: a limit at the ask shown can rest if the ask moves a tick.
      await one.term.type('a1');
      await one.term.press('Enter');
      await both('the position from the fill', hasLine(POSITION));

      await two.term.type('hon');
      await two.term.press('Enter');
      await both('the hedger ON', (screen) => (hedgerWord(screen) === 'ON' ? true : undefined));

      await redis.kill();
      await both('the bus shown down', (screen) =>
        /redis|bus/i.test(plain(lines(screen)[0] ?? '') + plain(lines(screen)[1] ?? '')) &&
        liveChain(screen) === undefined
          ? true
          : undefined,
      );
      await redis.restart();
      await both(
        'the live chain again',
        (screen) => (liveChain(screen) ? true : undefined),
        FIRST_SCREEN_MS,
      );
      await both('the order back after the restart', hasLine(RESTING));
      await both('the position back after the restart', hasLine(POSITION));
      await both('the hedger still ON', (screen) =>
        hedgerWord(screen) === 'ON' ? true : undefined,
      );

      // A screen that hangs (SIGSTOP) holds nothing up: the other orders and sees it at once,
      // and the hung one catches up when it resumes. Killed, it leaves serve and the other be.
      signalScreen('STOP', redis.url);
      await one.term.type('a1 0.0001');
      await one.term.press('Enter');
      await one.term.waitFor(
        'a second resting order on the screen still running',
        rows(RESTING, 2),
        {
          timeoutMs: STEP_MS,
        },
      );
      signalScreen('CONT', redis.url);
      await two.term.waitFor('the resumed screen caught up', rows(RESTING, 2), {
        timeoutMs: STEP_MS,
      });
      signalScreen('KILL', redis.url);
      // cc: the last order this screen sent; ca: every open order on the venue.
      await one.term.type('cc');
      await one.term.press('Enter');
      await one.term.waitFor('the last order cancelled', rows(RESTING, 1), { timeoutMs: STEP_MS });
      await one.term.type('ca');
      await one.term.press('Enter');
      await one.term.waitFor('every order cancelled', rows(RESTING, 0), { timeoutMs: STEP_MS });
      assert.ok(liveChain(await one.term.capture()), 'the remaining screen is live');

      await one.term.press('C-c');
      await one.term.waitFor('the goodbye line', promptAfter('serve keeps running'), {
        timeoutMs: STEP_MS,
      });
      assert.equal(serve.exitCode, null, `serve kept running: ${serveOut.slice(-2_000)}`);
    } finally {
      for (const box of screens) await closeShell(box);
    }
  });
});
