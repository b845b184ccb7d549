// Issue 18 in a real terminal: on the embedded sim, # shows the fitted surface's grid in place
// of the chain, ^ switches it to log-moneyness, and the header carries the 30-day index.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  closeShell,
  FIRST_SCREEN_MS,
  LAUNCH,
  lines,
  openShell,
  plain,
  PROMPT,
  STEP_MS,
} from './shell.js';

describe('the surface view in a real terminal (tmux)', () => {
  it('# shows the grid by delta, ^ by log-moneyness, and Ctrl-C quits', async () => {
    const box = await openShell(140, 45);
    const { term } = box;
    try {
      await term.run(LAUNCH);
      await term.waitFor('the chain', (screen) => (/ strike /.test(screen) ? true : undefined), {
        timeoutMs: FIRST_SCREEN_MS,
      });
      await term.press('#');
      const grid = await term.waitFor(
        'the grid by delta with a 30-day row',
        (screen) => {
          const rows = lines(screen).map(plain);
          const head = rows.find((l) => /^T\s+10ΔP\s+25ΔP\s+ATM\s+25ΔC\s+10ΔC/.test(l));
          const month = rows.find((l) => /^30d\s+(\d+\.\d\s+){4}\d+\.\d/.test(l));
          return head !== undefined && month !== undefined ? rows : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      assert.ok(grid.some((l) => l.includes('BTC surface (deribit)')));
      assert.ok(!grid.some((l) => l.includes('bIV/aIV')), 'the chain gives way to the surface');
      // The header: ivtrade's 30-day index beside the venue's DVOL.
      assert.ok(
        grid.some((l) => /30d \d+\.\d( stale)?\s+DVOL (\d+\.\d|-)\s+IVR\/P/.test(l)),
        grid.slice(0, 3).join('\n'),
      );
      await term.press('^');
      await term.waitFor(
        'the grid by log-moneyness',
        (screen) => (/T\s+k-0\.5\s+k-0\.4/.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      await term.press('C-c');
      await term.waitFor('the shell back', (screen) =>
        screen.trimEnd().endsWith(PROMPT.trimEnd()) ? true : undefined,
      );
    } finally {
      await closeShell(box);
    }
  });
});
