// The feeds' round trip as both venues' tests read it.

import { waitUntil } from './wait.js';

export function isMeasured(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && value >= 0;
}

/**
 * The first `count` distinct measured round trips `read` gives, polled. Wall time: probes every
 * few hundred ms take a second or two, and a loaded machine more than the usual five seconds
 * (CI once, while another test file ran), so this waits up to 20 s.
 */
export async function roundTripSamples(
  read: () => number | null,
  count: number,
): Promise<number[]> {
  const samples: number[] = [];
  await waitUntil(
    `${count} round-trip samples`,
    () => {
      const now = read();
      if (isMeasured(now) && samples.at(-1) !== now) samples.push(now);
      return samples.length >= count;
    },
    20_000,
  );
  return samples;
}
