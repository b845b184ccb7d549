import { Box, Text } from 'ink';
import { memo } from 'react';
import { KEYMAP } from './keymap.js';

/** Generated from the key table, so it lists exactly what the keys do. */
export const HelpOverlay = memo(function HelpOverlay({
  width,
  height,
  logPath,
}: {
  readonly width: number;
  readonly height: number;
  readonly logPath: string | null;
}) {
  const labelWidth = Math.max(...KEYMAP.map((binding) => binding.label.length)) + 2;
  const lines = KEYMAP.map(
    (binding) =>
      `${binding.label.padEnd(labelWidth)}${binding.help}${binding.emptyLineOnly === true ? ' *' : ''}`,
  );
  const notes = [
    '* on an empty command line (typed text takes these keys)',
    `log: ${logPath ?? 'none'}`,
    'Esc or ? closes this help',
  ];
  const body = [...lines, '', ...notes].slice(0, Math.max(1, height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color="cyan">
        Keys
      </Text>
      {body.map((line, i) => (
        <Text key={i} wrap="truncate-end" dimColor={i >= lines.length}>
          {line}
        </Text>
      ))}
    </Box>
  );
});
