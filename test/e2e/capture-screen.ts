// Prints the screen of a no-flag `ivtrade` session as plain text, for the README:
//   npx tsc -p tsconfig.json && node dist/test/e2e/capture-screen.js [COLSxROWS]
// Runs the built binary in a private tmux server (120×40 unless told), waits for the live
// chain, prints the capture and quits the session.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { TmuxSession } from './tmux.js';

const PROMPT = 'capture$ ';
const IV_CELL = /\b\d{1,3}\.\d\/\d{1,3}\.\d\b/;

function parseSize(text: string | undefined): { cols: number; rows: number } {
  const size = /^(\d+)x(\d+)$/.exec(text ?? '120x40');
  if (size === null) throw new Error(`size as COLSxROWS, e.g. 120x40, not ${text}`);
  return { cols: Number(size[1]), rows: Number(size[2]) };
}

/** Live: connected, at least five strikes quoted with IVs. */
function live(screen: string): string | undefined {
  const lines = screen.split('\n');
  if (!/\bSIM\b.*\blive\b/.test(lines[0] ?? '')) return undefined;
  if (lines.filter((line) => IV_CELL.test(line)).length < 5) return undefined;
  // Where the charts fit, wait for them to be drawn (they are rebuilt four times a second).
  if (screen.includes('Smile') && screen.includes('no IVs yet')) return undefined;
  return screen;
}

async function main(): Promise<void> {
  const { cols, rows } = parseSize(process.argv[2]);
  const dir = mkdtempSync(join(tmpdir(), 'ivtrade-capture-'));
  let term: TmuxSession | undefined;
  try {
    term = await TmuxSession.start({
      cols,
      rows,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        LANG: 'C.UTF-8',
        TERM: 'xterm-256color',
        XDG_STATE_HOME: join(dir, 'state'),
        HISTFILE: '',
        PS1: PROMPT,
      },
      command: ['bash', '--norc', '--noprofile'],
    });
    await term.waitFor('the prompt', (s) => (s.includes(PROMPT.trimEnd()) ? true : undefined));
    await term.run(`node ${join(repoRoot(), 'bin', 'ivtrade.js')}`);
    const screen = await term.waitFor('the live chain', live, {
      timeoutMs: 20_000,
    });
    const lines = screen.split('\n').map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    process.stdout.write(`${lines.join('\n')}\n`);
    await term.press('C-c');
    await term.waitFor('the session to close', (s) =>
      s.includes('ivtrade: session closed') ? true : undefined,
    );
  } finally {
    await term?.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

await main();
