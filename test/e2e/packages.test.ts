// Issue 19's multi-leg orders on the screen, in a real terminal (tmux) against the sim: a
// straddle typed on the command line shows its package price, IV and greeks on the status
// line before anything is sent; Enter sends it as one combo order; both legs' fills show as
// two positions; selling the straddle takes both back to flat.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  closeShell,
  launchAMonthOut,
  lines,
  plain,
  openShell,
  quitScreen,
  STEP_MS,
} from './shell.js';

interface LoggedCombo {
  readonly action: string;
  readonly status?: string;
  readonly request: { readonly combo?: string; readonly side?: string };
}

function comboLog(path: string): LoggedCombo[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LoggedCombo)
    .filter((entry) => entry.action === 'place-combo');
}

/** The positions panel's rows of one expiry and strike: the straddle's two legs. */
function legRows(screen: string, leg: string): string[] {
  const row = new RegExp(`^${leg}-[CP]\\s+-?\\d`);
  return lines(screen)
    .map(plain)
    .filter((line) => row.test(line));
}

describe('a straddle in a real terminal (tmux)', () => {
  it('shows the package price while typed, sends one combo order, and holds both legs', async () => {
    const box = await openShell(110, 50);
    const { term } = box;
    const logPath = join(box.dir, 'state', 'ivtrade', 'sim-orders.jsonl');
    try {
      await launchAMonthOut(box);
      // The expiry keys land before typing starts: the command line names a month-out call.
      await term.waitFor(
        'the cursor a week or more out',
        (screen) => {
          const name = /BTC-(\d+)([A-Z]{3})(\d\d)-\d+-C ×/.exec(screen);
          if (name === null) return undefined;
          const months = 'JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC';
          const expiry = Date.UTC(
            2000 + Number(name[3]),
            months.indexOf(name[2]!) / 3,
            Number(name[1]),
          );
          return expiry - Date.now() > 7 * 86_400_000 ? true : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      await term.type('a1 st');
      const quoted = await term.waitFor(
        "the straddle's price on the status line",
        (screen) => (/straddle \d+[A-Z]{3}\d\d \d+ ×0\.1: bid/.test(screen) ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      assert.match(quoted, /bid \d\.\d{4} \/ ask \d\.\d{4} \(mark \d\.\d{4}\)/);
      assert.match(quoted, /IV \d+\.\d\/\d+\.\d \(mark \d+\.\d\)/);
      assert.equal(comboLog(logPath).length, 0, 'nothing sent while typing');

      await term.press('Enter');
      const bought = await term.waitFor(
        'the combo bought',
        (screen) => /bought 0\.1 BTC-STRD-(\d+[A-Z]{3}\d\d)-(\d+) at/.exec(screen) ?? undefined,
        { timeoutMs: STEP_MS },
      );
      const call = `BTC-${bought[1]!}-${bought[2]!}`;
      const filled = await term.waitFor(
        'both legs held',
        (screen) => (legRows(screen, call).length === 2 ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      // Each leg a position of its own: 0.1 of the call and 0.1 of the put.
      assert.ok(
        legRows(filled, call).every((row) => /-[CP]\s+0\.1\s/.test(row)),
        legRows(filled, call).join('\n'),
      );
      const sent = comboLog(logPath);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.status, 'filled');
      assert.match(sent[0]!.request.combo ?? '', /^BTC-STRD-/);

      // Sold back by name, wherever the cursor is now.
      await term.type(`d1 st ${bought[1]!.toLowerCase()} ${bought[2]!}`);
      await term.press('Enter');
      await term.waitFor(
        'both legs flat again',
        (screen) =>
          /sold 0\.1 BTC-STRD-/.test(screen) && legRows(screen, call).length === 0
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
      assert.equal(comboLog(logPath).length, 2);
      await quitScreen(box);
    } finally {
      await closeShell(box);
    }
  });
});
