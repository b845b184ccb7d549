// Rendering a panel once and reading its frame: shared by the panel tests.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';

/** Renders once and unmounts: the frame as plain lines, and raw with its escape codes. */
export function frame(element: ReactElement): { lines: string[]; raw: string } {
  const instance = render(element);
  const raw = instance.lastFrame() ?? '';
  instance.unmount();
  return { lines: stripVTControlCharacters(raw).split('\n'), raw };
}

/** The texts rendered inside `style`'s escape codes (chalk at level 1 or more). */
export function styled(raw: string, style: (text: string) => string): string[] {
  const [open = '', close = ''] = style('\u0000').split('\u0000');
  const found: string[] = [];
  for (let at = raw.indexOf(open); at !== -1;) {
    const end = raw.indexOf(close, at + open.length);
    found.push(raw.slice(at + open.length, end));
    at = raw.indexOf(open, end);
  }
  return found;
}

export function assertFits(lines: readonly string[], width: number, height: number): void {
  assert.ok(lines.length <= height, `${lines.length} lines in a height of ${height}`);
  for (const line of lines) {
    assert.ok(line.length <= width, `${line.length} > ${width}: ${JSON.stringify(line)}`);
  }
}

/** A table line's cells, split on runs of spaces. */
export function cellsOf(line: string): string[] {
  return line.trim().split(/\s+/);
}
