// Issue 16 #14 in a real terminal: a ladder of four orders and a fill on the embedded sim,
// typed in tmux at 80×24 and 120×40; every order and the position show on the screen, and
// Ctrl-O lists them all.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  closeShell,
  cursorOnExpiry,
  FIRST_SCREEN_MS,
  LAUNCH,
  lines,
  liveChain,
  openShell,
  plain,
  STEP_MS,
} from './shell.js';

/** The ladder's rows in the orders panel: a buy of 0.1 at 0.0001 … 0.0004. */
function ladderRows(screen: string): string[] {
  return lines(screen)
    .map(plain)
    .filter((line) => /^\s*#\d+\s+BTC-\S+-C\s+buy\s+0\.1\s+0\.000[1-4]\b/.test(line));
}

describe('orders and positions panels in a real terminal (tmux)', () => {
  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`at ${cols}×${rows} four resting orders and a position all show`, async () => {
      const box = await openShell(cols, rows);
      const { term } = box;
      try {
        await term.run(LAUNCH);
        await term.waitFor(
          'the chain',
          (screen) =>
            liveChain(screen) !== undefined || / strike /.test(screen) ? true : undefined,
          { timeoutMs: FIRST_SCREEN_MS },
        );
        if (rows >= 40) {
          // With no orders the column has room: the hedger's summary line is not squeezed out.
          await term.waitFor(
            "the hedger's summary under the orders",
            (screen) =>
              lines(screen)
                .map(plain)
                .some((line) => /^hedger OFF BTC-PERPETUAL\s+net/.test(line))
                ? true
                : undefined,
            { timeoutMs: STEP_MS },
          );
        }
        // A month out (its premiums are well above the ladder), the cursor's call, bought with
        // a capped market order (`a1`): the ask can move a tick between the frame and the
        // order's arrival, and a limit at the ask shown (`aw1`) would then rest.
        for (let n = 0; n < 5; n += 1) await term.press(']');
        await term.waitFor('the cursor a month out', cursorOnExpiry(5), { timeoutMs: STEP_MS });
        await term.type('a1');
        await term.press('Enter');
        await term.waitFor(
          'the position',
          (screen) =>
            lines(screen)
              .map(plain)
              .some((line) => /^BTC-\S+-C\s+0\.1\b/.test(line))
              ? true
              : undefined,
          { timeoutMs: STEP_MS },
        );
        await term.type('a1 0.0001 0.0004 4');
        await term.press('Enter');
        const screen = await term.waitFor(
          'four orders in the orders panel',
          (shown) => (ladderRows(shown).length === 4 ? shown : undefined),
          { timeoutMs: STEP_MS },
        );
        assert.equal(lines(screen).length, rows, screen);
        for (const line of lines(screen)) assert.ok(plain(line).length <= cols, line);
        // Ctrl-O: every row, in place of the chain.
        await term.press('C-o');
        const list = await term.waitFor(
          'the list',
          (shown) => (shown.includes('Positions and open orders') ? shown : undefined),
          { timeoutMs: STEP_MS },
        );
        assert.equal(ladderRows(list).length, 4, list);
        assert.ok(
          lines(list)
            .map(plain)
            .some((line) => /^BTC-\S+-C\s+0\.1\b/.test(line)),
          list,
        );
      } finally {
        await closeShell(box);
      }
    });
  }
});
