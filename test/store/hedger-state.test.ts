// The hedger's state on the bus against a real redis-server: a watcher sees each newer record,
// never an older one, also as a user whose ACL has no pub/sub, and again after Redis restarts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import type { HedgerState } from '../../src/hedge/types.js';
import { openRedis, parseRedisUrl } from '../../src/store/connect.js';
import {
  refreshHedgerState,
  watchHedgerState,
  writeHedgerState,
  type HedgerRecord,
} from '../../src/store/hedger-state.js';
import { keySchema } from '../../src/store/keys.js';
import { startRedis, testPrefix } from '../support/redis.js';
import { sleep, waitUntil } from '../support/wait.js';

function record(mode: HedgerState['mode'], ts: number): HedgerRecord {
  return {
    state: {
      mode,
      reason: null,
      instrument: 'BTC-PERPETUAL',
      measure: { netDelta: null, netUsd: null, bandUsd: null },
      hedges: 0,
      inFlight: null,
      reconciling: null,
      recent: [],
    },
    settings: 'band ±$50',
    ts,
  };
}

describe('hedger state on the bus', () => {
  it('a watcher follows changes, ignores older ones, and catches up after a restart', async () => {
    const server = await startRedis({
      aclUsers: ['user nopubsub on >pw ~* &* +@read +@connection -@write'],
    });
    const writer = await openRedis(parseRedisUrl(server.url));
    const viewer = await openRedis(
      parseRedisUrl(`redis://nopubsub@127.0.0.1:${server.port}`, { password: new Secret('pw') }),
    );
    const key = keySchema(testPrefix('hedger')).venue('sim').hedger;
    // Closed whatever happens: a watcher left open reconnects for ever and keeps the file alive.
    const watchers: { close(): void }[] = [];
    try {
      await writeHedgerState(writer, key, record('off', 1));
      const heard: string[] = [];
      const watch = await watchHedgerState(writer, key, (r) => heard.push(r.state.mode));
      watchers.push(watch);
      const polled = await watchHedgerState(viewer, key, () => undefined);
      watchers.push(polled);
      assert.equal(watch.latest()?.state.mode, 'off');
      await writeHedgerState(writer, key, record('on', 3));
      await waitUntil('the watcher hears ON', () => watch.latest()?.state.mode === 'on');
      await waitUntil(
        'the polling viewer sees ON',
        () => polled.latest()?.state.mode === 'on',
        3_000,
      );
      // A record older than the one held (a second writer's, late) changes nothing.
      await writeHedgerState(writer, key, record('paused', 2));
      await sleep(1_200);
      assert.equal(watch.latest()?.state.mode, 'on', 'an older record does not win');
      assert.equal(polled.latest()?.state.mode, 'on');
      // Redis restarts empty; serve's refresh writes the key again and the watcher re-reads it.
      await server.restart();
      // Its status may still say 'ready' before it has seen the old socket close: wait for an
      // answer from the new server, as serve's next refresh would come after one.
      const back = Date.now() + 5_000;
      while (
        !(await writer.ping().then(
          () => true,
          () => false,
        ))
      ) {
        assert.ok(Date.now() < back, 'the writer did not come back');
        await sleep(50);
      }
      await refreshHedgerState(writer, key, record('off', 4));
      await waitUntil(
        'the watcher sees OFF after the restart',
        () => watch.latest()?.state.mode === 'off',
        5_000,
      );
      assert.deepEqual(heard.slice(0, 2), ['off', 'on']);
    } finally {
      for (const watcher of watchers) watcher.close();
      writer.disconnect();
      viewer.disconnect();
      await server.stop();
    }
  });
});
