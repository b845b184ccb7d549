// What the tmux tests share: an interactive shell in a fresh terminal with its own state
// directory, and readers that find the header and the chain on a captured screen.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { styledRuns, TmuxSession } from './tmux.js';

export const BIN = join(repoRoot(), 'bin', 'ivtrade.js');
export const LAUNCH = `node ${BIN}`;
export const PROMPT = 'ivt-e2e$ ';
// The first screen needs node's start, the sim's market and the feed's snapshot: slow on a
// loaded 2-core machine. Later steps only wait for a frame or two.
export const FIRST_SCREEN_MS = 15_000;
export const STEP_MS = 10_000;
// Speed 1 moves the index every few seconds; quotes move more often.
export const MOVE_MS = 15_000;

export interface Sandbox {
  readonly dir: string;
  readonly logPath: string;
  readonly term: TmuxSession;
}

/** An interactive bash with a known prompt in a fresh terminal, state and home in a temp dir. */
export async function openShell(
  cols: number,
  rows: number,
  extraEnv: Record<string, string> = {},
): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'ivtrade-e2e-'));
  const state = join(dir, 'state');
  try {
    const term = await TmuxSession.start({
      cols,
      rows,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        LANG: 'C.UTF-8',
        TERM: 'xterm-256color',
        XDG_STATE_HOME: state,
        // Empty: bash keeps no history file (it would write one on its way out).
        HISTFILE: '',
        PS1: PROMPT,
        ...extraEnv,
      },
      command: ['bash', '--norc', '--noprofile'],
    });
    await term.waitFor('the shell prompt', (screen) =>
      screen.includes(PROMPT.trimEnd()) ? true : undefined,
    );
    return { dir, logPath: join(state, 'ivtrade', 'ivtrade.log'), term };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  }
}

export async function closeShell(box: Sandbox): Promise<void> {
  try {
    await box.term.close();
  } finally {
    rmSync(box.dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

export function lines(screen: string): string[] {
  return screen.split('\n');
}

/** The screen without escapes, for captures taken with `escapes: true`. */
export function plain(line: string): string {
  return styledRuns(line)
    .map((run) => run.text)
    .join('');
}

// A bid IV / ask IV pair ("53.4/57.3", "-/310", "59.7/-"): a vol of 100 or more has no decimal.
const IV_PAIR = /(\d{1,3}(?:\.\d)?|-)\/(\d{1,3}(?:\.\d)?|-)/g;

/**
 * Whether a chain row shows an IV on either side. Hours before the front expiry most of its
 * options have an empty bid ("-/310"), so rows with both sides quoted can be fewer than five:
 * the chain is live all the same.
 */
function showsIv(line: string): boolean {
  for (const [, bid, ask] of line.matchAll(IV_PAIR)) if (bid !== '-' || ask !== '-') return true;
  return false;
}

export interface Chain {
  readonly strikes: number[];
  /** Strikes whose row shows an IV (a bid IV, an ask IV or both). */
  readonly withIvs: number;
  /** Where the strike rows start on the screen. */
  readonly top: number;
}

/** Calls | strike | puts: the rows under the "strike" title whose middle cell is a strike. */
export function readChain(screen: string): Chain | undefined {
  const rows = lines(screen).map(plain);
  // Both sides show the same columns, so the strike is the middle cell, title row included.
  const middleCell = (line: string): string | undefined => {
    // The cursor row marks its strike with < or > (the side selected): not a cell.
    const cells = line.replace(/[<>]/g, ' ').trim().split(/\s+/);
    return cells.length % 2 === 1 ? cells[(cells.length - 1) / 2] : undefined;
  };
  const title = rows.findIndex((line) => middleCell(line) === 'strike');
  if (title < 0) return undefined;
  const strikes: number[] = [];
  let withIvs = 0;
  for (const line of rows.slice(title + 1)) {
    const middle = Number(middleCell(line) ?? NaN);
    if (!Number.isInteger(middle) || middle < 1_000) break;
    strikes.push(middle);
    if (showsIv(line)) withIvs += 1;
  }
  return strikes.length === 0 ? undefined : { strikes, withIvs, top: title + 1 };
}

export interface Header {
  readonly line: string;
  readonly index: number;
}

export function readHeader(screen: string): Header | undefined {
  const line = plain(lines(screen)[0] ?? '');
  if (!/\bSIM\b/.test(line) || !/\bDERIBIT\b/.test(line) || !/\blive\b/.test(line)) {
    return undefined;
  }
  // Grouped with cents: idx 90,008.12.
  const index = /\bidx (\d[\d,]*(?:\.\d+)?)/.exec(line);
  return index === null ? undefined : { line, index: Number(index[1]!.replace(/,/g, '')) };
}

/** The live chain: header connected, at least five strikes quoted with IVs. */
export function liveChain(screen: string): { header: Header; chain: Chain } | undefined {
  const header = readHeader(screen);
  const chain = readChain(screen);
  if (header === undefined || chain === undefined || chain.withIvs < 5) return undefined;
  return { header, chain };
}

/** The captured screen ends with the prompt again, after `after` appeared. */
export function promptAfter(after: string) {
  return (screen: string): true | undefined => {
    const shown = lines(screen);
    const at = shown.findLastIndex((line) => line.includes(after));
    if (at < 0) return undefined;
    // tmux drops trailing blanks: the bare prompt shows without its space.
    return shown.slice(at + 1).some((line) => line.trimEnd() === PROMPT.trimEnd())
      ? true
      : undefined;
  };
}

export function lineMatching(pattern: RegExp) {
  return (screen: string): RegExpExecArray | undefined => {
    for (const line of lines(screen)) {
      const found = pattern.exec(line);
      if (found !== null) return found;
    }
    return undefined;
  };
}

/** The instrument the command line acts on, from its prompt (`BTC-25DEC26-90000-C ×0.1 >`). */
export function promptInstrument(screen: string): string | undefined {
  for (const line of lines(screen)) {
    const found = /^(BTC-\S+) ×\S+ >/.exec(plain(line).trim());
    if (found !== null) return found[1];
  }
  return undefined;
}

/**
 * The expiry codes the chain's expiry bar shows (`… in BTC ‹2 9DEC26  11DEC26 … +6›`) and how
 * many it hides before them (the `‹2`; a narrow screen scrolls the bar to the selected one).
 */
export function expiryBar(screen: string): { hidden: number; codes: string[] } {
  const bar = lines(screen)
    .map(plain)
    .find((line) => /\bin BTC\b/.test(line));
  if (bar === undefined) return { hidden: 0, codes: [] };
  return {
    hidden: Number(/‹(\d+)/.exec(bar)?.[1] ?? 0),
    codes: [...bar.matchAll(/\b\d{1,2}[A-Z]{3}\d{2}\b/g)].map((m) => m[0]),
  };
}

/**
 * Whether the command line's instrument is `steps` expiries past the front one. Keys typed
 * while the screen is busy arrive together: an order typed after `]` must wait for the
 * cursor to have moved, or it goes to the expiry the cursor left.
 */
export function cursorOnExpiry(steps: number) {
  return (screen: string): true | undefined => {
    const { hidden, codes } = expiryBar(screen);
    const target = codes[steps - hidden];
    const instrument = promptInstrument(screen);
    return target !== undefined && instrument?.startsWith(`BTC-${target}-`) === true
      ? true
      : undefined;
  };
}

/**
 * Launches the screen on the embedded exchange and moves to an expiry a month out, whose
 * quotes stay two-sided through a test (the front expiry's wings go one-sided near 08:00).
 */
export async function launchAMonthOut(box: Sandbox): Promise<void> {
  await box.term.run(LAUNCH);
  await box.term.waitFor('the live chain', (screen) => liveChain(screen), {
    timeoutMs: FIRST_SCREEN_MS,
  });
  for (let n = 0; n < 5; n += 1) await box.term.press(']');
  await box.term.waitFor('the cursor a month out', cursorOnExpiry(5), { timeoutMs: STEP_MS });
}

/** Ctrl-C, and the shell's prompt after the goodbye line. */
export async function quitScreen(box: Sandbox): Promise<void> {
  await box.term.press('C-c');
  await box.term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
    timeoutMs: STEP_MS,
  });
}
