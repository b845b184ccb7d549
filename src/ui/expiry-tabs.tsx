import { Text } from 'ink';
import { memo } from 'react';
import { fmtUsd } from '../view/format.js';
import type { ChainView } from '../view/types.js';

/** The expiries as a strip, the selected one marked, scrolled so it is always in view. */
export const ExpiryTabs = memo(function ExpiryTabs({
  chain,
  width,
  usd,
}: {
  readonly chain: ChainView;
  readonly width: number;
  readonly usd: boolean;
}) {
  const unit = usd || chain.settlement === 'linear' ? 'USD' : chain.quote;
  const info = ` ${chain.base}/${chain.quote}  F ${fmtUsd(chain.forward)}  in ${unit} `;
  const room = Math.max(10, width - info.length);
  const labels = chain.expiries.map((choice) => ` ${choice.label} `);
  // Start far enough left to show the selection, then as many as fit.
  let first = 0;
  let used = labels.slice(0, chain.expiryIndex + 1).reduce((sum, l) => sum + l.length, 0);
  while (used > room && first < chain.expiryIndex) {
    used -= labels[first]!.length;
    first += 1;
  }
  const shown: { label: string; selected: boolean }[] = [];
  let total = 0;
  for (let i = first; i < labels.length; i += 1) {
    if (total + labels[i]!.length > room) break;
    total += labels[i]!.length;
    shown.push({ label: labels[i]!, selected: i === chain.expiryIndex });
  }
  return (
    <Text wrap="truncate-end">
      <Text bold>{info}</Text>
      {shown.map(({ label, selected }) =>
        selected ? (
          <Text key={label} inverse bold>
            {label}
          </Text>
        ) : (
          <Text key={label} dimColor>
            {label}
          </Text>
        ),
      )}
    </Text>
  );
});
