/**
 * "Did you mean": the closest known word by edit distance, counting a swap of two neighbouring
 * letters as one edit (the commonest typo on a fast keyboard).
 */

export const SUGGEST_MAX_DISTANCE = 2;

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `typed`, if it is within two edits and the edits leave something of
 * what was typed (two edits turn any two letters into any other two: no hint in that).
 * Ties go to the longer shared start (`hof` is `hoff`, not `hon`), then to the earlier
 * candidate, so callers list the likelier words first.
 */
export function closestWord(typed: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.min(SUGGEST_MAX_DISTANCE, typed.length - 1) + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - typed.length) > bestDistance) continue;
    const distance = editDistance(typed, candidate);
    const closer =
      distance < bestDistance ||
      (distance === bestDistance &&
        best !== null &&
        sharedPrefix(typed, candidate) > sharedPrefix(typed, best));
    if (closer) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function sharedPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length += 1;
  return length;
}
