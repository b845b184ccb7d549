/** A hash's fields read in HSCAN pages, never all at once (a coin's snapshot is large). */
import type { RedisClient } from './connect.js';

/**
 * Calls `visit` with each field of `key` whose name starts with `prefix`, and its value, page by
 * page; awaits `visit` between pages. A field may come twice (HSCAN's guarantee is at least
 * once), so `visit` must not mind.
 */
export async function scanFields(
  client: RedisClient,
  key: string,
  prefix: string,
  visit: (page: readonly (readonly [field: string, value: string])[]) => Promise<void> | void,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, flat] = await client.hscan(key, cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    const page: [string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      if (flat[i]!.startsWith(prefix)) page.push([flat[i]!, flat[i + 1]!]);
    }
    await visit(page);
    cursor = next;
  } while (cursor !== '0');
}
