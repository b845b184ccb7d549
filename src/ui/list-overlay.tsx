import { Box, Text } from 'ink';
import { memo } from 'react';
import { fmtClock } from '../view/format.js';
import type { StatusLineView } from '../view/types.js';
import { Line, type Cell } from './table.js';

/** One line of a list: cells as a panel draws them, or a note. */
export interface ListLine {
  readonly cells: readonly Cell[];
  readonly bold?: boolean;
  readonly dim?: boolean;
}

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

/**
 * The messages, newest first, each in full: wrapped at the width under its time, so a long
 * answer (a venue's rejection, a ladder's refusal) is read whole.
 */
export function messageLines(messages: readonly StatusLineView[], width: number): ListLine[] {
  const lines: ListLine[] = [];
  const indent = 9; // "HH:MM:SS "
  const room = Math.max(10, width - indent);
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i]!;
    const color = LEVEL_COLOR[message.level];
    wrap(message.text, room).forEach((part, k) => {
      const lead = k === 0 ? `${fmtClock(message.ts)} ` : ' '.repeat(indent);
      lines.push({ cells: [{ text: `${lead}${part}`, color }] });
    });
  }
  if (lines.length === 0) lines.push({ cells: [{ text: 'no messages yet' }], dim: true });
  return lines;
}

/** Words to lines of at most `width`; a word longer than that is cut across lines. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let rest = word; rest !== '';) {
      const gap = line === '' ? '' : ' ';
      if (line.length + gap.length + rest.length <= width) {
        line += gap + rest;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** A scrolling list in place of the chain and panels; ↑/↓ PgUp/PgDn scroll, Esc closes. */
export const ListOverlay = memo(function ListOverlay({
  title,
  lines,
  width,
  height,
  top,
}: {
  readonly title: string;
  readonly lines: readonly ListLine[];
  readonly width: number;
  readonly height: number;
  /** First line shown; clamped so the last page is full. */
  readonly top: number;
}) {
  const rows = Math.max(1, height - 2);
  const first = Math.min(Math.max(0, top), Math.max(0, lines.length - rows));
  const shown = lines.slice(first, first + rows);
  const below = lines.length - first - shown.length;
  const where =
    lines.length > rows ? `lines ${first + 1}–${first + shown.length} of ${lines.length}  ` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {shown.map((line, i) => (
        <Line key={i} cells={line.cells} bold={line.bold ?? false} dim={line.dim ?? false} />
      ))}
      <Text dimColor wrap="truncate-end">
        {`${where}${below > 0 ? `${below} more (↓ / PgDn)  ` : ''}Esc closes`}
      </Text>
    </Box>
  );
});
