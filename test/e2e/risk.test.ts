// Issue 19's scenario risk on the screen, in a real terminal (tmux) at 80×24: `!` opens the
// matrix in place of the chain, the line being typed shows as a what-if before it is sent,
// and once sent and filled the book itself carries it. `!` goes back to the chain.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeShell, launchAMonthOut, liveChain, openShell, quitScreen, STEP_MS } from './shell.js';

describe('scenario risk in a real terminal (tmux)', () => {
  it('! shows the matrix, the typed line as a what-if, then the filled order in the book', async () => {
    const box = await openShell(80, 24);
    const { term } = box;
    try {
      await launchAMonthOut(box);
      await term.press('!');
      const empty = await term.waitFor(
        'the risk view with no positions',
        (screen) => (/BTC scenario PnL, USD .*0 positions/.test(screen) ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      assert.match(empty, /no positions: type an order to see what it would do/);
      assert.match(empty, /book now/);
      assert.match(empty, /vol .*-20%.*0%.*\+20%/);
      await term.type('aw1');
      const preview = await term.waitFor(
        'the typed line as a what-if',
        (screen) => (/with aw1: \+0\.1 BTC-\S+-C/.test(screen) ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      assert.match(preview, /with the line now/);
      await term.press('Enter');
      await term.waitFor(
        'the bought option in the book',
        (screen) => (/BTC scenario PnL, USD .*1 position /.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      await term.press('!');
      await term.waitFor('the chain again', (screen) => (liveChain(screen) ? true : undefined), {
        timeoutMs: STEP_MS,
      });
      await quitScreen(box);
    } finally {
      await closeShell(box);
    }
  });
});
