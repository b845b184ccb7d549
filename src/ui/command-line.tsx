import { Text } from 'ink';
import { memo } from 'react';

/** The always-focused input: a prompt, the text typed so far and a block cursor. */
export const CommandLine = memo(function CommandLine({
  text,
  width,
}: {
  readonly text: string;
  readonly width: number;
}) {
  // Long input scrolls left so the end being typed stays visible.
  const room = Math.max(1, width - 4);
  const shown = text.length > room ? `…${text.slice(text.length - room + 1)}` : text;
  return (
    <Text wrap="truncate-end">
      <Text color="cyan" bold>
        {'> '}
      </Text>
      <Text>{shown}</Text>
      <Text inverse> </Text>
    </Text>
  );
});
