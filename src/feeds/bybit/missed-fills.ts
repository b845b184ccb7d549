/**
 * Our fills since a venue time, read back from Bybit's `GET /v5/execution/list` after the
 * private socket reconnects: per category (options and the linear hedges), every page, in
 * windows of at most the 7 days the venue serves per request.
 */
import type { FillEvent } from '../../book/events.js';
import { bybitFillFromRow } from './account-rows.js';
import type { BybitRestClient } from './rest.js';

const CATEGORIES = ['option', 'linear'] as const;
/** The venue's largest page. */
const EXECUTION_PAGE = 100;
/** The widest startTime–endTime window the venue answers. */
export const EXECUTION_WINDOW_MS = 7 * 86_400_000;

export async function loadBybitFillsSince(
  rest: BybitRestClient,
  since: number,
  now: number,
): Promise<FillEvent[]> {
  const fills: FillEvent[] = [];
  for (const category of CATEGORIES) {
    // Only startTime: the venue answers [startTime, startTime + 7 days].
    for (let start = since; start <= now; start += EXECUTION_WINDOW_MS + 1) {
      const rows = await rest.getAllPages(
        '/v5/execution/list',
        { category, startTime: start, limit: EXECUTION_PAGE },
        true,
      );
      rows.forEach((row, i) => {
        const fill = bybitFillFromRow(row, `/v5/execution/list ${category} list[${i}]`);
        if (fill !== null) fills.push(fill);
      });
    }
  }
  return fills;
}
