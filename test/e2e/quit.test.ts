// Quitting with an order resting, in a real terminal (tmux): the goodbye line tells the truth
// about the embedded exchange (nothing outlives the session), and the sim's order log shows
// that quitting itself sent no cancel.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  closeShell,
  FIRST_SCREEN_MS,
  LAUNCH,
  lineMatching,
  openShell,
  promptAfter,
  STEP_MS,
} from './shell.js';

function loggedActions(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { action: string }).action);
}

describe('quitting with an order resting (tmux)', () => {
  it('says nothing outlives the embedded exchange, and quitting cancels nothing', async () => {
    const box = await openShell(160, 40);
    const { term } = box;
    const logPath = join(box.dir, 'state', 'ivtrade', 'sim-orders.jsonl');
    try {
      await term.run(`${LAUNCH} --exec "i BTC-PERPETUAL; m 10; as1"`);
      // The sim's order log is the witness that the order reached the exchange.
      await term.waitFor(
        'the order placed',
        () => (loggedActions(logPath).length > 0 ? true : undefined),
        { timeoutMs: FIRST_SCREEN_MS },
      );
      assert.deepEqual(loggedActions(logPath), ['place']);
      await term.press('C-c');
      await term.waitFor(
        'the goodbye line',
        promptAfter(
          'ivtrade: session closed; the embedded exchange stopped with it, so nothing outlives the session',
        ),
        { timeoutMs: STEP_MS },
      );
      const said = await term.waitFor(
        'what went with it',
        lineMatching(/nothing outlives the session(?: \((\d+) open orders? went with it\))?\.$/),
        { timeoutMs: STEP_MS },
      );
      // The order rests at the bid: still open unless the market traded through it meanwhile.
      assert.ok(said[1] === undefined || said[1] === '1', said[0]);
      assert.doesNotMatch(said[0], /stay open/);
      assert.deepEqual(loggedActions(logPath), ['place'], 'no cancel-all on quit');
    } finally {
      await closeShell(box);
    }
  });
});
