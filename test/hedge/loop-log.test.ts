// The JSONL hedge log: where it goes by default, a file only its owner reads, one line per
// decision exactly as the hedger logged it, and a log that cannot be written never throws.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultHedgeLogPath, openHedgeLog } from '../../src/hedge/hedge-log.js';
import type { HedgeLogEntry } from '../../src/hedge/types.js';
import { openRig } from './support/rig.js';
import { pickOption } from './support/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'ivtrade-hedge-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function lines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('hedge log', () => {
  it('defaults to $XDG_STATE_HOME/ivtrade/hedge.jsonl, else ~/.local/state', () => {
    assert.equal(
      defaultHedgeLogPath({ XDG_STATE_HOME: '/var/state', HOME: '/home/t' }),
      '/var/state/ivtrade/hedge.jsonl',
    );
    assert.equal(
      defaultHedgeLogPath({ HOME: '/home/t' }),
      '/home/t/.local/state/ivtrade/hedge.jsonl',
    );
    assert.equal(
      defaultHedgeLogPath({ XDG_STATE_HOME: '', HOME: '/home/t' }),
      '/home/t/.local/state/ivtrade/hedge.jsonl',
    );
  });

  it('appends one JSON line per entry to a file only its owner can read', () => {
    const path = join(dir, 'new', 'deeper', 'hedge.jsonl');
    const log = openHedgeLog(path);
    const entry = { ts: 1, state: 'on', decision: { action: 'none', reason: 'inside' } };
    log.write(entry as unknown as HedgeLogEntry);
    log.write({ ...entry, ts: 2 } as unknown as HedgeLogEntry);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(lines(path), [entry, { ...entry, ts: 2 }]);
    log.close();
    log.write(entry as unknown as HedgeLogEntry);
    assert.equal(lines(path).length, 2, 'nothing after close');
    assert.equal(log.error(), null);

    // An older file, readable by others, is narrowed and appended to.
    const older = join(dir, 'older.jsonl');
    writeFileSync(older, '{"ts":0}\n');
    chmodSync(older, 0o644);
    const again = openHedgeLog(older);
    again.write(entry as unknown as HedgeLogEntry);
    again.close();
    assert.equal(statSync(older).mode & 0o777, 0o600);
    assert.deepEqual(lines(older), [{ ts: 0 }, entry]);
  });

  it('a log that cannot be opened says so once and never throws', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const told: string[] = [];
    const log = openHedgeLog(join(blocker, 'hedge.jsonl'), { onError: (line) => told.push(line) });
    assert.doesNotThrow(() => log.write({ ts: 1 } as unknown as HedgeLogEntry));
    assert.doesNotThrow(() => log.close());
    assert.match(log.error() ?? '', /^hedge log .*a-file\/hedge\.jsonl: cannot open: /);
    assert.deepEqual(told, [log.error()]);
  });

  it("holds the hedger's every decision, inputs and label included", async () => {
    const path = join(dir, 'run', 'hedge.jsonl');
    const file = openHedgeLog(path);
    const rig = await openRig({ venue: 'deribit', seed: 71, log: file.write });
    try {
      const call = pickOption(rig.exchange, rig.simNow(), 'call', 1);
      await rig.trade([{ instrument: call, side: 'buy', amount: 0.2 }]);
      rig.hedger.activate();
      await rig.settle();
      for (let i = 0; i < 5; i += 1) await rig.step(4_000);
    } finally {
      await rig.close();
      file.close();
    }
    const written = lines(path) as HedgeLogEntry[];
    assert.ok(written.length >= 6);
    assert.deepEqual(written, JSON.parse(JSON.stringify(rig.log)));
    const hedge = written.find((entry) => entry.decision.action === 'hedge');
    assert.ok(hedge !== undefined);
    assert.match(hedge.label ?? '', /^ivt-hedge-hedge1-1$/);
    for (const entry of written) {
      assert.equal(typeof entry.inputs.optionsDelta, 'number');
      assert.equal(entry.inputs.hedge.name, 'BTC-PERPETUAL');
      assert.equal(typeof entry.measure.bandUsd, 'number');
      assert.equal(typeof entry.decision.reason, 'string');
    }
  });
});
