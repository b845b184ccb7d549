/* eslint-disable no-control-regex -- frames are matched on their escape codes */
// The screen over the real engine: the simulator on loopback through the Deribit adapter,
// rendered by Ink into ink-testing-library's stream. Colours are on so the cursor (inverse),
// the selected expiry (inverse) and stale quotes (dim) can be seen in the frame.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { sideWidth, STRIKE_WIDTH } from '../../src/ui/chain-columns.js';
import { computeLayout } from '../../src/ui/layout.js';
import { KEYMAP } from '../../src/ui/keymap.js';
import { fmtStrike } from '../../src/view/format.js';
import { waitUntil } from '../support/wait.js';
import { FULL_VIEW, openSimScreen, type SimScreen } from './support/sim-screen.js';

chalk.level = 1;

// Chalk nests styles, so an inverse run may hold other codes before its own reset.
const INVERSE = /\u001b\[7m((?:[^\u001b]|\u001b\[(?!27m)[\d;]*m)*)\u001b\[27m/g;
const KEY = { down: '\u001b[B', up: '\u001b[A', right: '\u001b[C', escape: '\u001b' } as const;

function plain(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

/** The texts drawn in inverse video, in order. */
function inverse(frame: string | undefined): string[] {
  return [...(frame ?? '').matchAll(INVERSE)].map((match) => stripVTControlCharacters(match[1]!));
}

interface Screen {
  readonly frame: () => string;
  readonly press: (keys: string) => Promise<void>;
  readonly unmount: () => void;
}

function show(screen: SimScreen, cols: number, rows: number): Screen {
  const app = render(
    <App
      source={screen.model}
      onQuit={() => undefined}
      now={screen.now}
      fps={200}
      size={{ cols, rows }}
    />,
  );
  return {
    frame: () => app.lastFrame() ?? '',
    press: async (keys: string) => {
      const before = app.frames.length;
      app.stdin.write(keys);
      // Ink draws at most 30 frames a second: wait for the first new frame, then for the
      // screen to stay still (a key may take a frame for its state and one for its data).
      await waitUntil(`a frame after ${JSON.stringify(keys)}`, () => app.frames.length > before);
      let count = app.frames.length;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 80));
        if (app.frames.length === count) return;
        count = app.frames.length;
      }
    },
    unmount: () => {
      app.unmount();
    },
  };
}

/** The strike cell of a chain line: a fixed column between the calls and the puts. */
function strikeCell(line: string, cols: number, rows = 40): string {
  const { columns } = computeLayout(cols, rows - 1, { usd: false, surfaceInstead: false });
  const side = sideWidth(columns, false);
  return stripVTControlCharacters(line)
    .slice(side, side + STRIKE_WIDTH)
    .replace(/[<>]/g, '')
    .trim();
}

/** The strike under the cursor: the chain row whose strike cell is underlined. */
function cursorStrike(frame: string, cols = 120): string | undefined {
  const line = frame.split('\n').find((l) => l.includes('\u001b[4m'));
  return line === undefined ? undefined : strikeCell(line, cols);
}

describe('the screen', () => {
  let screen: SimScreen;
  before(async () => {
    screen = await openSimScreen();
  });
  after(async () => {
    await screen.close();
  });

  it('draws the header, the expiry strip and the chain of the front expiry at 120×40', async () => {
    const ui = show(screen, 120, 40);
    try {
      await waitUntil('the chain', () => plain(ui.frame()).some((l) => l.includes('strike')));
      const lines = plain(ui.frame());
      assert.match(lines[0]!, /SIM\s+DERIBIT\s+live/);
      assert.match(lines[0]!, /idx \d+/);
      assert.match(lines[0]!, /BTC-PERPETUAL \d+/);
      assert.match(lines[0]!, /ATM \d+\.\d/);
      assert.match(lines[1]!, /expiry in \S+\s+hedger off\s+\d\d:\d\d:\d\d UTC/);
      const snapshot = screen.model.snapshot({ ...FULL_VIEW, rows: 100 }, screen.now());
      const chain = snapshot.chain!;
      assert.match(
        lines[2]!,
        new RegExp(`BTC/BTC\\s+F [\\d,]+\\.\\d\\d\\s+in BTC\\s+${chain.expiries[0]!.label}`),
      );
      // Every strike of the front expiry that fits, in order, centred between calls and puts.
      const titles = lines.findIndex((l) => l.includes('strike'));
      assert.equal(strikeCell(lines[titles]!, 120), 'strike');
      const shown = lines
        .slice(titles + 1)
        .map((l) => strikeCell(l, 120))
        .filter((cell) => /^\d+$/.test(cell));
      assert.deepEqual(shown, chain.strikes.slice(0, shown.length).map(fmtStrike));
      assert.ok(shown.length >= Math.min(5, chain.strikes.length));
      // IVs as bid/ask in vol points.
      assert.ok(lines.some((l) => /\d+\.\d\/\d+\.\d/.test(l)));
      for (const line of lines) assert.ok(line.length <= 120, `too wide: ${line}`);
    } finally {
      ui.unmount();
    }
  });

  it('starts the cursor at the money and moves it with the arrows; Home returns to ATM', async () => {
    const ui = show(screen, 120, 40);
    try {
      await waitUntil('a cursor', () => cursorStrike(ui.frame()) !== undefined);
      const chain = screen.model.snapshot({ ...FULL_VIEW, rows: 100 }, screen.now()).chain!;
      const atm = fmtStrike(chain.strikes[chain.atmIndex]);
      assert.equal(cursorStrike(ui.frame()), atm);
      await ui.press(KEY.down);
      assert.equal(cursorStrike(ui.frame()), fmtStrike(chain.strikes[chain.atmIndex + 1]));
      await ui.press(KEY.up + KEY.up);
      assert.equal(cursorStrike(ui.frame()), fmtStrike(chain.strikes[chain.atmIndex - 1]));
      // The highlighted side follows ← / →: the cursor row's inverse text moves to the put.
      const row = (): string =>
        ui
          .frame()
          .split('\n')
          .find((l) => l.includes('\u001b[4m'))!;
      const callFirst = row().indexOf('\u001b[7m') < row().indexOf('\u001b[4m');
      assert.ok(callFirst, 'the call side is highlighted first');
      await ui.press(KEY.right);
      assert.ok(row().indexOf('\u001b[7m') > row().indexOf('\u001b[4m'), 'the put side is');
      await ui.press('\u001b[H');
      assert.equal(cursorStrike(ui.frame()), atm);
    } finally {
      ui.unmount();
    }
  });

  it('switches expiry with ] and [ (and Tab), keeping the cursor near its strike', async () => {
    const ui = show(screen, 120, 40);
    try {
      await waitUntil('the strip', () => inverse(ui.frame()).length > 0);
      const expiries = screen.model.snapshot(FULL_VIEW, screen.now()).chain!.expiries;
      const selected = (): string | undefined =>
        inverse(ui.frame())
          .map((text) => text.trim())
          .find((text) => expiries.some((e) => e.label === text));
      assert.equal(selected(), expiries[0]!.label);
      await ui.press(']');
      assert.equal(selected(), expiries[1]!.label);
      await ui.press('\t');
      assert.equal(selected(), expiries[2]!.label);
      await ui.press('[');
      assert.equal(selected(), expiries[1]!.label);
      // Wraps from the front to the last.
      await ui.press('[[');
      assert.equal(selected(), expiries[expiries.length - 1]!.label);
    } finally {
      ui.unmount();
    }
  });

  it('without colour (NO_COLOR) keeps bold, dim, inverse and underline (issue 16 #17)', async () => {
    const app = render(
      <App
        source={screen.model}
        onQuit={() => undefined}
        now={screen.now}
        fps={200}
        size={{ cols: 120, rows: 40 }}
        color={false}
      />,
    );
    try {
      await waitUntil('the chain', () => plain(app.lastFrame()).some((l) => l.includes('strike')));
      const frame = app.lastFrame() ?? '';
      const colour = /\u001b\[(?:[\d;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;[\d;]*)?m/;
      assert.doesNotMatch(frame, colour, 'no colour codes');
      const expiries = screen.model.snapshot(FULL_VIEW, screen.now()).chain!.expiries;
      const shownInverse = inverse(frame).map((text) => text.trim());
      // The badge, the selected expiry and the cursor's side are inverse video.
      assert.ok(shownInverse.includes('SIM'), `badge: ${shownInverse.join('|')}`);
      assert.ok(shownInverse.includes(expiries[0]!.label), 'selected expiry');
      assert.ok(frame.includes('\u001b[4m'), 'the cursor strike underlined');
      assert.ok(frame.includes('\u001b[1m'), 'bold (ATM strike, titles)');
      assert.ok(frame.includes('\u001b[2m'), 'dim (other expiries, notes)');
    } finally {
      app.unmount();
    }
  });

  it('opens a help overlay generated from the key table, and closes it with Esc', async () => {
    const ui = show(screen, 100, 40);
    try {
      await waitUntil('the chain', () => plain(ui.frame()).some((l) => l.includes('strike')));
      await ui.press('?');
      const help = plain(ui.frame()).join('\n');
      assert.match(help, /Keys/);
      for (const binding of KEYMAP) assert.ok(help.includes(binding.help), binding.help);
      assert.match(help, /log: \/tmp\/ivtrade-test\.log/);
      assert.ok(!help.includes('bIV/aIV'), 'the chain is hidden behind the help');
      await ui.press(KEY.escape);
      await waitUntil('the chain back', () => plain(ui.frame()).some((l) => l.includes('strike')));
    } finally {
      ui.unmount();
    }
  });

  it('dims the quotes of options whose stream went stale, until a fresh quote arrives', async () => {
    const ui = show(screen, 120, 40);
    try {
      await waitUntil('a cursor', () => cursorStrike(ui.frame()) !== undefined);
      const chain = screen.model.snapshot({ ...FULL_VIEW, rows: 100 }, screen.now()).chain!;
      const atmRow = chain.rows.find((row) => row.atm)!;
      // The cursor starts on the ATM row; its call cells come before the underlined strike.
      const callDimmed = (): boolean => {
        const line = ui
          .frame()
          .split('\n')
          .find((l) => l.includes('\u001b[4m'))!;
        return line.slice(0, line.indexOf('\u001b[4m')).includes('\u001b[2m');
      };
      assert.equal(cursorStrike(ui.frame()), fmtStrike(atmRow.strike));
      assert.equal(callDimmed(), false);
      screen.engine.apply({
        kind: 'status',
        venue: 'deribit',
        ts: screen.now(),
        stream: 'ws',
        status: 'stale',
        instruments: [atmRow.call.instrument!],
      });
      await waitUntil('the ATM call dimmed', callDimmed);
      // The option's next ticker is a fresh quote.
      await screen.advance(5_000);
      await waitUntil('the ATM call fresh again', () => !callDimmed());
    } finally {
      ui.unmount();
    }
  });

  it('fits 80×24: every line within 80 columns, no charts until % asks for them', async () => {
    const ui = show(screen, 80, 24);
    try {
      await waitUntil('the chain', () => plain(ui.frame()).some((l) => l.includes('strike')));
      const lines = plain(ui.frame());
      assert.ok(lines.length <= 23, `${lines.length} lines`);
      for (const line of lines) assert.ok(line.length <= 80, `too wide: "${line}"`);
      assert.match(lines[0]!, /SIM/);
      assert.ok(!lines.some((l) => l.includes('Smile')));
      assert.ok(lines.some((l) => l.includes('no positions')));
      assert.ok(lines.some((l) => l.includes('no open orders')));
      await ui.press('%');
      const charts = plain(ui.frame());
      assert.ok(charts.some((l) => l.includes('Smile')));
      assert.ok(!charts.some((l) => l.includes('strike ')), 'the charts replace the chain');
      for (const line of charts) assert.ok(line.length <= 80, `too wide: "${line}"`);
    } finally {
      ui.unmount();
    }
  });

  it('shows the smile and term structure beside the chain at 200×60', async () => {
    const ui = show(screen, 200, 60);
    try {
      await waitUntil('the charts', () => plain(ui.frame()).some((l) => l.includes('Smile')));
      const lines = plain(ui.frame());
      assert.ok(lines.length <= 59);
      for (const line of lines) assert.ok(line.length <= 200, `too wide: "${line}"`);
      assert.ok(lines.some((l) => l.includes('strike') && l.includes('Smile')));
      assert.ok(lines.some((l) => /ATM term/i.test(l)));
      // Braille dots of the plotted IVs.
      assert.ok(lines.some((l) => /[\u2801-\u28ff]/.test(l)));
      // The wide column set: sizes on both sides.
      assert.ok(lines.some((l) => l.includes('bsz') && l.includes('asz')));
    } finally {
      ui.unmount();
    }
  });

  it('types into the command line; punctuation is text there; without commands Enter says so', async () => {
    const ui = show(screen, 100, 30);
    try {
      await waitUntil('the chain', () => plain(ui.frame()).some((l) => l.includes('strike')));
      await ui.press('as1');
      await ui.press('?');
      const lines = plain(ui.frame());
      assert.ok(
        lines.some((l) => l.startsWith('> as1?')),
        lines.at(-1),
      );
      assert.ok(!lines.some((l) => l.includes('Keys')), 'no help while typing');
      await ui.press('\r');
      const after = plain(ui.frame());
      assert.ok(after.some((l) => l.includes('commands are off in this session')));
      assert.ok(
        after.some((l) => l.trimEnd() === '>'),
        'the line is cleared',
      );
    } finally {
      ui.unmount();
    }
  });
});
