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
  const labels = chain.expiries.map((choice) => ` ${choice.label} `);
  const full = Math.max(10, width - 1 - info.length);
  let strip = fitStrip(labels, chain.expiryIndex, full);
  // Expiries scrolled off either end are counted, "‹3" before and "+4›" after: room for them.
  if (strip.first > 0 || strip.first + strip.count < labels.length) {
    const markers = 2 * (String(labels.length).length + 2);
    strip = fitStrip(labels, chain.expiryIndex, Math.max(10, full - markers));
  }
  const shown = labels
    .slice(strip.first, strip.first + strip.count)
    .map((label, i) => ({ label, selected: strip.first + i === chain.expiryIndex }));
  const before = strip.first;
  const after = labels.length - strip.first - strip.count;
  return (
    <Text wrap="truncate-end">
      <Text bold>{info}</Text>
      {before > 0 ? <Text bold>{`‹${before}`}</Text> : null}
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
      {after > 0 ? <Text bold>{`+${after}›`}</Text> : null}
    </Text>
  );
});

/** The labels that fit in `room` from the first that keeps `selected` in view. */
function fitStrip(
  labels: readonly string[],
  selected: number,
  room: number,
): { first: number; count: number } {
  let first = 0;
  let used = labels.slice(0, selected + 1).reduce((sum, l) => sum + l.length, 0);
  while (used > room && first < selected) {
    used -= labels[first]!.length;
    first += 1;
  }
  let count = 0;
  let total = 0;
  for (let i = first; i < labels.length; i += 1) {
    if (total + labels[i]!.length > room) break;
    total += labels[i]!.length;
    count += 1;
  }
  return { first, count };
}
