import { Text } from 'ink';
import { memo } from 'react';
import { usePaint } from './palette.js';

/**
 * The always-focused input: the instrument orders go to (and its size multiplier), a prompt,
 * the text typed so far and a block cursor.
 */
export const CommandLine = memo(function CommandLine({
  text,
  width,
  prompt = '',
}: {
  readonly text: string;
  readonly width: number;
  readonly prompt?: string;
}) {
  const paint = usePaint();
  // The instrument gives way to the text when the line is short of room: the text matters more.
  const target = prompt === '' ? '' : `${prompt} `;
  const shownTarget = target.length + 4 + Math.min(text.length, 20) > width ? '' : target;
  const room = Math.max(1, width - 4 - shownTarget.length);
  // Long input scrolls left so the end being typed stays visible.
  const shown = text.length > room ? `…${text.slice(text.length - room + 1)}` : text;
  return (
    <Text wrap="truncate-end">
      {shownTarget === '' ? null : <Text {...paint('yellow')}>{shownTarget}</Text>}
      <Text {...paint('cyan')} bold>
        {'> '}
      </Text>
      <Text>{shown}</Text>
      <Text inverse> </Text>
    </Text>
  );
});
