// Issue 19's depth and tape on the screen, in a real terminal (tmux) at 80×24: `*` shows the
// cursor's instrument's L2 book (its book followed for the view) with IVs, a resting order of
// ours marked at its level, and `*` goes back to the chain.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeShell, launchAMonthOut, liveChain, openShell, quitScreen, STEP_MS } from './shell.js';

describe('depth and tape in a real terminal (tmux)', () => {
  it('* shows the live book with IVs and our resting order marked', async () => {
    const box = await openShell(80, 24);
    const { term } = box;
    try {
      await launchAMonthOut(box);
      await term.press('*');
      const book = await term.waitFor(
        'the live book of the cursor instrument',
        (screen) =>
          /BTC-\S+-C {2}depth and tape {2}book live/.test(screen) &&
          /\d\.\d{4} │ \d\.\d{4}/.test(screen)
            ? screen
            : undefined,
        { timeoutMs: STEP_MS },
      );
      assert.match(book, /own\s+IV\s+cum\s+size\s+bid │ ask\s+size\s+cum\s+IV\s+own/);
      await term.type('as1');
      await term.press('Enter');
      await term.waitFor(
        'our bid marked at its level',
        (screen) => (/\*0\.1\s+\d/.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      await term.type('ca');
      await term.press('Enter');
      await term.press('*');
      await term.waitFor('the chain again', (screen) => (liveChain(screen) ? true : undefined), {
        timeoutMs: STEP_MS,
      });
      await quitScreen(box);
    } finally {
      await closeShell(box);
    }
  });
});
