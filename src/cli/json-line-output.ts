// What a headless command (`hedge`, `serve`) answers with: every command answer, listing and
// the help table as one JSON line each, on the same printer as its other lines.

import type { CommandOutput } from '../app/command-runner.js';
import { commandHelpLines } from '../commands/command-table.js';

export type LinePrinter = (fields: Record<string, unknown>) => void;

export function jsonLineOutput(print: LinePrinter, quit: () => void): CommandOutput {
  return {
    note: (text, level) => print({ kind: 'command', ts: Date.now(), level, text }),
    info: (title, lines) => print({ kind: 'command', ts: Date.now(), level: 'info', title, lines }),
    help: () =>
      print({
        kind: 'command',
        ts: Date.now(),
        level: 'info',
        title: 'help',
        lines: commandHelpLines(100),
      }),
    quit,
  };
}
