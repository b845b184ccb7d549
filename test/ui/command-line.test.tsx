// The command line wired as `ivtrade` wires it (history, runner, gateway) over the real
// engine and the sim: the prompt names where orders go, history walks and persists, a bad
// line stays to be fixed, `help` and listings open overlays, and a line typed together with
// its Enter (a fast typist, a paste) runs.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { CommandHistory } from '../../src/app/command-history.js';
import type { CommandRunner } from '../../src/app/command-runner.js';
import { startCommands } from '../../src/app/exec-lines.js';
import { SessionSource } from '../../src/app/session-source.js';
import { TuiCommands } from '../../src/app/tui-commands.js';
import { App } from '../../src/ui/app.js';
import { waitUntil } from '../support/wait.js';
import { openSimScreen, type SimScreen } from './support/sim-screen.js';

const KEY = {
  down: '\u001b[B',
  up: '\u001b[A',
  escape: '\u001b',
  ctrlP: '\u0010',
  ctrlN: '\u000e',
};

function plain(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

interface Wired {
  readonly frame: () => string[];
  readonly press: (keys: string) => Promise<void>;
  /** The command line: the last row of the screen. */
  readonly line: () => string;
  readonly status: () => string;
  readonly close: () => void;
}

describe('the command line, wired', () => {
  let screen: SimScreen;
  let dir: string;
  let historyPath: string;
  let runner: CommandRunner;
  let source: SessionSource;

  before(async () => {
    screen = await openSimScreen();
    dir = mkdtempSync(join(tmpdir(), 'ivtrade-cmdline-'));
    historyPath = join(dir, 'history');
    source = new SessionSource(screen.model);
  });
  after(async () => {
    runner?.close();
    await screen.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function wire(): Wired {
    const commands = new TuiCommands(CommandHistory.open(historyPath), source);
    runner?.close();
    runner = startCommands(
      screen.engine,
      'deribit',
      {},
      {
        note: (text, level) => source.note(text, level, screen.now()),
        orderReport: (text, level) => source.orderReport(text, level, screen.now()),
        info: (title, lines) => source.showInfo(title, lines, screen.now()),
        help: () => commands.askHelp(),
        quit: () => undefined,
      },
    );
    commands.attach(runner);
    const app = render(
      <App
        source={source}
        commands={commands}
        onQuit={() => undefined}
        now={screen.now}
        fps={200}
        size={{ cols: 110, rows: 36 }}
      />,
    );
    const frame = (): string[] => plain(app.lastFrame());
    return {
      frame,
      line: () =>
        frame()
          .filter((row) => row.trim() !== '')
          .at(-1) ?? '',
      status: () =>
        frame()
          .filter((row) => row.trim() !== '')
          .at(-2) ?? '',
      press: async (keys: string) => {
        const before = app.frames.length;
        app.stdin.write(keys);
        await waitUntil(`a frame after ${JSON.stringify(keys)}`, () => app.frames.length > before);
        let count = app.frames.length;
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 60));
          if (app.frames.length === count) return;
          count = app.frames.length;
        }
      },
      close: () => app.unmount(),
    };
  }

  it('names the instrument under the cursor and its multiplier; i and the cursor move it', async () => {
    const ui = wire();
    try {
      await waitUntil('the prompt', () => /-C ×0\.1 >/.test(ui.line()));
      const first = /(BTC-\S+-C) ×0\.1 >/.exec(ui.line())![1]!;
      await ui.press(KEY.down);
      const next = /(BTC-\S+-C) ×0\.1 >/.exec(ui.line())?.[1];
      assert.ok(next !== undefined && next !== first, `${first} then ${ui.line()}`);
      await ui.press('i BTC-PERPETUAL\r');
      assert.match(ui.line(), /^BTC-PERPETUAL ×10 >/);
      assert.match(ui.status(), /instrument: BTC-PERPETUAL \(tick 0\.5, lot 10, min 10; ×10\)/);
      await ui.press('m 20\r');
      assert.match(ui.line(), /^BTC-PERPETUAL ×20 >/);
      // Moving the cursor points at an option again, with the options' own multiplier.
      await ui.press(KEY.up);
      assert.equal(/(BTC-\S+-C) ×0\.1 >/.exec(ui.line())?.[1], first);
    } finally {
      ui.close();
    }
  });

  it('keeps a line that does not parse, says where, and sends nothing', async () => {
    const ui = wire();
    const before = screen.engine.account.orders('deribit').length;
    try {
      await waitUntil('the prompt', () => /×0\.1 >/.test(ui.line()));
      await ui.press('as1x\r');
      assert.match(ui.status(), /column 3: expected a size after "as", found "1x" \(e\.g\. as1\)/);
      assert.match(ui.line(), /> as1x$/, 'the line stays to be fixed');
      await ui.press(KEY.escape);
      assert.match(ui.line(), />\s*$/);
      await ui.press('as1c\r');
      assert.match(ui.status(), /aborted: nothing sent/);
      assert.equal(screen.engine.account.orders('deribit').length, before);
    } finally {
      ui.close();
    }
  });

  it('walks history with Ctrl-P/Ctrl-N and ↑/↓ on a typed line, and keeps it across runs', async () => {
    const ui = wire();
    try {
      await waitUntil('the prompt', () => /×0\.1 >/.test(ui.line()));
      await ui.press('m 0.2\r');
      await ui.press('i\r');
      await ui.press(KEY.ctrlP);
      assert.match(ui.line(), /> i$/);
      await ui.press(KEY.ctrlP);
      assert.match(ui.line(), /> m 0\.2$/);
      await ui.press(KEY.ctrlN);
      assert.match(ui.line(), /> i$/);
      await ui.press(KEY.ctrlN);
      assert.match(ui.line(), />\s*$/, 'past the newest: the (empty) draft');
      // With text typed, ↑ walks back from it and ↓ returns to it.
      await ui.press('fu');
      await ui.press(KEY.up);
      assert.match(ui.line(), /> i$/);
      await ui.press(KEY.down);
      assert.match(ui.line(), /> fu$/);
    } finally {
      ui.close();
    }
    const kept = CommandHistory.open(historyPath).entries;
    assert.deepEqual(kept.slice(-2), ['m 0.2', 'i']);
  });

  it('help opens the overlay with the command table; listings open until Esc', async () => {
    const ui = wire();
    try {
      await waitUntil('the prompt', () => /×0\.1 >/.test(ui.line()));
      await ui.press('help\r');
      // The overlay scrolls: page down to the command table.
      assert.ok(ui.frame().some((row) => row.trim() === 'Keys'));
      const pages: string[] = [];
      for (let n = 0; n < 6; n += 1) {
        await ui.press('\u001b[6~');
        pages.push(ui.frame().join('\n'));
      }
      const help = pages.join('\n');
      assert.match(help, /as<n>\s+buy n post-only at the bid\s+as1/);
      assert.match(help, /c<k>\s+cancel order #k \(the orders panel numbers them\)\s+c3/);
      await ui.press(KEY.escape);
      await ui.press('orders\r');
      assert.ok(ui.frame().some((row) => /^orders at \d\d:\d\d:\d\d UTC/.test(row)));
      assert.ok(ui.frame().some((row) => row.includes('no open orders')));
      await ui.press(KEY.escape);
      assert.ok(!ui.frame().some((row) => /^orders at /.test(row)), 'Esc closes the listing');
    } finally {
      ui.close();
    }
  });

  it('runs a line typed together with its Enter', async () => {
    const ui = wire();
    try {
      await waitUntil('the prompt', () => /×0\.1 >/.test(ui.line()));
      await ui.press('as1\r');
      await waitUntil('the answer', () =>
        /accepted, resting \(ivt-[a-z0-9]{6}-1\)/.test(ui.status()),
      );
      // The orders panel keeps the gateway's last word under the orders.
      assert.ok(
        ui.frame().some((row) => /last: buy 0\.1 BTC-\S+ at \S+ accepted, resting/.test(row)),
        ui.frame().join('\n'),
      );
      await ui.press('cc\r');
      await waitUntil('the cancel', () => /cancel/.test(ui.status()));
    } finally {
      ui.close();
    }
  });
});
