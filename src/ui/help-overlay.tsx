import { Box, Text } from 'ink';
import { memo } from 'react';
import { commandHelpLines } from '../commands/command-table.js';
import { KEYMAP } from './keymap.js';
import { usePaint } from './palette.js';

interface HelpLine {
  readonly text: string;
  readonly kind: 'title' | 'plain' | 'note';
}

/** Every line of help: the key table, then the command table (`help` shows the same). */
export function helpLines(width: number, logPath: string | null): HelpLine[] {
  const labelWidth = Math.max(...KEYMAP.map((binding) => binding.label.length)) + 2;
  const keys = KEYMAP.map((binding): HelpLine => ({
    text: `${binding.label.padEnd(labelWidth)}${binding.help}${binding.emptyLineOnly === true ? ' *' : ''}`,
    kind: 'plain',
  }));
  const note = (text: string): HelpLine => ({ text, kind: 'note' });
  return [
    note(`log: ${logPath ?? 'none'}   (↑/↓ PgUp/PgDn scroll; Esc or ? closes this help)`),
    { text: 'Keys', kind: 'title' },
    ...keys,
    note('* on an empty command line (typed text takes these keys)'),
    { text: '', kind: 'plain' },
    { text: 'Commands (type, then Enter; a trailing c aborts a line)', kind: 'title' },
    ...commandHelpLines(width).map((text): HelpLine => ({ text, kind: 'plain' })),
  ];
}

/** Generated from the key and command tables, so it lists exactly what they do. */
export const HelpOverlay = memo(function HelpOverlay({
  width,
  height,
  logPath,
  top = 0,
}: {
  readonly width: number;
  readonly height: number;
  readonly logPath: string | null;
  /** First line shown; clamped so the last page is full. */
  readonly top?: number;
}) {
  const paint = usePaint();
  const lines = helpLines(width, logPath);
  const rows = Math.max(1, height - 1);
  const first = Math.min(Math.max(0, top), Math.max(0, lines.length - rows));
  const shown = lines.slice(first, first + rows);
  const more = first + rows < lines.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((line, i) =>
        more && i === shown.length - 1 ? (
          <Text key={i} dimColor wrap="truncate-end">
            {`… ${lines.length - first - rows + 1} more lines (↓ / PgDn)`}
          </Text>
        ) : (
          <Text
            key={i}
            wrap="truncate-end"
            bold={line.kind === 'title'}
            {...(line.kind === 'title' ? paint('cyan') : {})}
            dimColor={line.kind === 'note'}
          >
            {line.text === '' ? ' ' : line.text}
          </Text>
        ),
      )}
    </Box>
  );
});
