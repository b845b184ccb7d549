// `ivtrade` as a trader runs it: the built binary, no flags, in a real terminal (tmux), typed
// at an interactive shell, driven by keys, read back from the screen, quit with Ctrl-C.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  closeShell,
  FIRST_SCREEN_MS,
  LAUNCH,
  lineMatching,
  lines,
  liveChain,
  MOVE_MS,
  openShell,
  plain,
  PROMPT,
  promptAfter,
  readChain,
  STEP_MS,
} from './shell.js';
import { styledRuns } from './tmux.js';

/** What moves with the market: the index and every coin price in the chain. */
function prices(screen: string): string | undefined {
  const live = liveChain(screen);
  if (live === undefined) return undefined;
  const rows = lines(screen).slice(live.chain.top, live.chain.top + live.chain.strikes.length);
  const cells = rows.flatMap((row) => plain(row).match(/\b\d+\.\d{4}\b/g) ?? []);
  return `idx ${live.header.index} | ${cells.join(' ')}`;
}

interface Strip {
  readonly labels: string[];
  readonly selected: string;
}

/** The expiry strip (` BTC/BTC  F 90052  in BTC  22NOV26 …`), the selection drawn inverse. */
function readStrip(screen: string): Strip | undefined {
  for (const line of lines(screen)) {
    const text = plain(line);
    const strip = /^\s*\w+\/\w+\s+F\s+\S+\s+in\s+\w+\s+(.*)$/.exec(text);
    if (strip === null) continue;
    const labels = strip[1]!.trim().split(/\s+/);
    const inverse = styledRuns(line).filter((run) => run.inverse && run.text.trim() !== '');
    if (inverse.length !== 1) return undefined;
    return { labels, selected: inverse[0]!.text.trim() };
  }
  return undefined;
}

/** The cursor row's strike, which the chain underlines. */
function cursorStrike(screen: string): number | undefined {
  const live = liveChain(screen);
  if (live === undefined) return undefined;
  const rows = lines(screen).slice(live.chain.top, live.chain.top + live.chain.strikes.length);
  for (const row of rows) {
    for (const run of styledRuns(row)) {
      const text = run.text.replace(/[<>]/g, '').trim();
      const strike = Number(text);
      if (run.underline && text !== '' && Number.isInteger(strike)) return strike;
    }
  }
  return undefined;
}

describe('ivtrade in a real terminal (tmux)', () => {
  it('shows the live chain, switches expiry, opens help and quits leaving the shell usable', async () => {
    const box = await openShell(100, 34);
    const { term } = box;
    try {
      // 1. The trader's command, no flags.
      await term.run(LAUNCH);

      // 2. The chain: header connected to the sim, strikes with IVs.
      const first = await term.waitFor(
        'the live chain (SIM, DERIBIT, live, ≥5 strikes with IVs)',
        liveChain,
        { timeoutMs: FIRST_SCREEN_MS },
      );
      assert.match(first.header.line, /\bBTC-PERPETUAL \d+/);
      assert.match(first.header.line, /\bATM \d+\.\d\b/);
      // NO_COLOR is not set, so the mode badge is drawn on a colour.
      const top = lines(await term.capture({ escapes: true }))[0] ?? '';
      const badge = styledRuns(top).find((run) => run.text.includes('SIM'));
      assert.ok(
        badge !== undefined && badge.background !== null,
        `the SIM badge has a background colour: ${top}`,
      );
      const sorted = [...first.chain.strikes].sort((a, b) => a - b);
      assert.deepEqual(first.chain.strikes, sorted, 'strikes ascend down the chain');
      assert.equal(
        await term.display('#{alternate_on}'),
        '1',
        'the TUI draws on the alternate screen',
      );

      // 3. The market moves at speed 1: the index or a chain price changes between captures.
      const before = await term.waitFor('prices on the chain', prices, { timeoutMs: STEP_MS });
      await term.waitFor(
        `a price to move from: ${before}`,
        (screen) => {
          const now = prices(screen);
          return now !== undefined && now !== before ? now : undefined;
        },
        { timeoutMs: MOVE_MS },
      );

      // 4. Expiry strip: `]` selects the next expiry, `[` comes back.
      const strip = await term.waitFor('the expiry strip with one selected expiry', readStrip, {
        escapes: true,
        timeoutMs: STEP_MS,
      });
      const at = strip.labels.indexOf(strip.selected);
      assert.ok(at >= 0, `selected ${strip.selected} is one of ${strip.labels.join(' ')}`);
      const next = strip.labels[at + 1];
      assert.ok(next !== undefined, `an expiry after ${strip.selected}: ${strip.labels.join(' ')}`);
      await term.type(']');
      await term.waitFor(
        `${next} selected after ]`,
        (screen) => (readStrip(screen)?.selected === next ? true : undefined),
        { escapes: true, timeoutMs: STEP_MS },
      );
      await term.waitFor('the chain of the next expiry', liveChain, { timeoutMs: STEP_MS });
      await term.type('[');
      await term.waitFor(
        `${strip.selected} selected again after [`,
        (screen) => (readStrip(screen)?.selected === strip.selected ? true : undefined),
        { escapes: true, timeoutMs: STEP_MS },
      );

      // ↓ then ↑ move the cursor one strike each way.
      const start = await term.waitFor('the cursor strike', cursorStrike, {
        escapes: true,
        timeoutMs: STEP_MS,
      });
      await term.press('Down');
      const below = await term.waitFor(
        `the cursor to leave ${start} after ↓`,
        (screen) => {
          const strike = cursorStrike(screen);
          return strike !== undefined && strike !== start ? strike : undefined;
        },
        { escapes: true, timeoutMs: STEP_MS },
      );
      assert.ok(below > start, `↓ moves to a higher strike: ${start} → ${below}`);
      await term.press('Up');
      const chain = (await term.waitFor('the chain', liveChain, { timeoutMs: STEP_MS })).chain;
      const above = chain.strikes[chain.strikes.indexOf(below) - 1];
      assert.ok(above !== undefined, `a strike above ${below}`);
      await term.waitFor(
        `the cursor on ${above} after ↑`,
        (screen) => (cursorStrike(screen) === above ? true : undefined),
        { escapes: true, timeoutMs: STEP_MS },
      );

      // Resizing re-lays the screen: narrower, every line fits; back, the chain is whole.
      await term.resize(80, 24);
      await term.waitFor(
        'the screen re-laid at 80 columns',
        (screen) => {
          const rows = lines(screen);
          return liveChain(screen) !== undefined && rows.every((row) => [...row].length <= 80)
            ? true
            : undefined;
        },
        { join: true, timeoutMs: STEP_MS },
      );
      await term.resize(100, 34);
      await term.waitFor('the chain at 100 columns again', liveChain, { timeoutMs: STEP_MS });

      // 5. Help overlay, generated from the keymap, with the log path; Esc closes it.
      await term.type('?');
      const help = await term.waitFor(
        'the help overlay',
        (screen) => {
          const shown = lines(screen);
          const keys = shown.some((line) => line.trim() === 'Keys');
          return keys && screen.includes('next expiry') && screen.includes('log:')
            ? screen
            : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      assert.ok(help.includes(`log: ${box.logPath}`), `help shows the log path ${box.logPath}`);
      assert.equal(readChain(help), undefined, 'the help replaces the chain');
      await term.press('Escape');
      await term.waitFor('the chain back after Esc', liveChain, { timeoutMs: STEP_MS });

      // 6. Ctrl-C: the terminal restored, the shell usable, the log written.
      await term.press('C-c');
      await term.waitFor(
        'the goodbye line and the prompt',
        promptAfter(
          'ivtrade: session closed; the embedded exchange stopped with it, so nothing outlives the session.',
        ),
        { timeoutMs: STEP_MS },
      );
      await term.run('echo rc=$?');
      const rc = await term.waitFor('the exit status', lineMatching(/^rc=(\d+)$/), {
        timeoutMs: STEP_MS,
      });
      assert.equal(rc[1], '0', 'ivtrade exits 0');
      await term.run('echo ok-$((6*7))');
      await term.waitFor('the shell to run a command', lineMatching(/^ok-42$/), {
        timeoutMs: STEP_MS,
      });

      await term.run('stty -a; echo end-of-stty');
      const stty = await term.waitFor(
        'stty -a output',
        (screen) => {
          const shown = lines(screen);
          // A joined capture keeps trailing blanks.
          const from = shown.findLastIndex((line) =>
            line.trimEnd().endsWith('stty -a; echo end-of-stty'),
          );
          const to = shown.findLastIndex((line) => line.trimEnd() === 'end-of-stty');
          return from >= 0 && to > from ? shown.slice(from + 1, to).join(' ') : undefined;
        },
        // stty's lines are wider than the pane: joined, no flag is split in two.
        { join: true, timeoutMs: STEP_MS },
      );
      const flags = new Set(stty.split(/[\s;]+/));
      // The modes raw input turns off; a shell left without them echoes nothing and
      // ignores Ctrl-C and line editing in other programs.
      for (const mode of ['icanon', 'echo', 'isig', 'icrnl']) {
        assert.ok(flags.has(mode) && !flags.has(`-${mode}`), `${mode} restored in: ${stty}`);
      }

      assert.equal(await term.display('#{alternate_on}'), '0', 'back on the normal screen');
      const after = await term.capture();
      assert.ok(after.includes(`${PROMPT}${LAUNCH}`), `the shell's own screen is back:\n${after}`);
      assert.equal(readChain(after), undefined, `no chain left on the screen:\n${after}`);
      assert.doesNotMatch(after, /\bidx \d+/, 'no header left on the screen');

      const log = readFileSync(box.logPath, 'utf8');
      assert.match(log, /session start: SIM deribit/);
      assert.match(log, /session end: 0 open orders/);
    } finally {
      await closeShell(box);
    }
  });

  it('fits 80×24 without colour (NO_COLOR): no line wider than the terminal, cursor still marked', async () => {
    const box = await openShell(80, 24, { NO_COLOR: '1' });
    const { term } = box;
    try {
      await term.run(LAUNCH);
      const first = await term.waitFor('the live chain at 80×24', liveChain, {
        timeoutMs: FIRST_SCREEN_MS,
      });
      const clock = /\d\d:\d\d:\d\d UTC/;
      const shown = await term.capture();
      const time = clock.exec(shown)?.[0];
      assert.ok(time !== undefined, `a UTC clock in the header:\n${shown}`);
      assert.match(shown, /\bbid\b.*\bstrike\b.*\bbid\b/, 'chain titles on both sides');
      assert.ok(first.chain.strikes.length >= 5);
      // No colour, but the cursor row still says where it is and which side is selected.
      const styled = await term.capture({ escapes: true });
      // eslint-disable-next-line no-control-regex
      const colour = /\u001b\[(?:[\d;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;[\d;]*)?m/;
      assert.doesNotMatch(styled, colour, 'no colour codes under NO_COLOR');
      // Only colour goes: the badge, the selected expiry and the cursor keep inverse video,
      // titles and the ATM strike bold, other expiries dim (issue 16 #17).

      const attribute = (code: number) => new RegExp(`\u001b\\[(?:[\\d;]*;)?${code}(?:;[\\d;]*)?m`);
      assert.match(styled, attribute(7), 'inverse under NO_COLOR');
      assert.match(styled, attribute(1), 'bold under NO_COLOR');
      assert.match(styled, attribute(2), 'dim under NO_COLOR');
      assert.ok(
        lines(shown).some((line) => /\d <\s*\d+ /.test(plain(line))),
        `a < beside the cursor's strike:\n${shown}`,
      );
      // Once now and once on a later frame (the clock has ticked): a line wider than the
      // terminal wraps, and a joined capture shows it as one long line.
      const later = async (): Promise<string> =>
        term.waitFor(
          'a later frame',
          (screen) => {
            const tick = clock.exec(screen)?.[0];
            return tick !== undefined && tick !== time ? screen : undefined;
          },
          { join: true, timeoutMs: STEP_MS },
        );
      for (const screen of [await term.capture({ join: true }), await later()]) {
        const rows = lines(screen);
        assert.equal(rows.length, 24, `24 rows, none wrapped:\n${screen}`);
        for (const row of rows) {
          assert.ok([...row].length <= 80, `${[...row].length} columns: ${row}`);
        }
      }
      await term.press('C-c');
      await term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
        timeoutMs: STEP_MS,
      });
    } finally {
      await closeShell(box);
    }
  });

  it('says so, with the next retry time, when the venue cannot be reached (LIVE badge)', async () => {
    const box = await openShell(100, 30);
    const { term } = box;
    try {
      // Port 9 (discard) on loopback: nothing listens, every connect is refused at once.
      await term.run(`${LAUNCH} --venue deribit --url deribit=ws://127.0.0.1:9`);
      const screen = await term.waitFor(
        'the unreachable notice',
        (shown) => (/unreachable, retry in \d+s \(#\d+\)/.test(shown) ? shown : undefined),
        { timeoutMs: FIRST_SCREEN_MS },
      );
      assert.match(lines(screen)[0]!, /LIVE\s+DERIBIT/);
      assert.match(screen, /ECONNREFUSED/);
      assert.match(screen, /next try in \d+s/);
      assert.doesNotMatch(screen, /\bat .*\.js:\d+/, 'no stack trace on screen');
      await term.press('C-c');
      await term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
        timeoutMs: STEP_MS,
      });
    } finally {
      await closeShell(box);
    }
  });
});
