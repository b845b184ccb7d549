// `ivtrade history <instrument>`: the minutes Redis keeps of one instrument, or (--surface) of a chain's fitted surface.

import { readHistory } from '../store/history.js';
import { findInstrument, servedVenues } from '../store/latest-read.js';
import { formatRecords, type OutputFormat } from '../view/record-format.js';
import {
  HISTORY_COLUMNS,
  SURFACE_HISTORY_TABLE,
  surfaceHistoryColumns,
} from '../view/scan-columns.js';
import { readSurfaceHistory, SURFACE_FIELDS } from '../store/surface-history.js';
import type { CliStreams } from './main.js';
import { messageOf, openStore } from './store-flags.js';
import type { HistoryFlags } from './history-flags.js';

const DAY_MS = 86_400_000;

export async function runHistory(
  instrument: string,
  options: Omit<HistoryFlags, 'from' | 'to'> & { from?: number; to?: number },
  streams: CliStreams,
): Promise<number> {
  const to = options.to ?? Date.now();
  const from = options.from ?? to - DAY_MS;
  if (from > to) {
    streams.err.write(`error: --from is after --to (see 'ivtrade history --help')\n`);
    return 2;
  }
  const store = await openStore(options, 'ivtrade history', streams);
  if ('exitCode' in store) return store.exitCode;
  if (options.surface === true) {
    try {
      return await printSurfaceHistory(store, instrument, from, to, options, streams);
    } catch (error) {
      streams.err.write(`ivtrade history: ${messageOf(error)}\n`);
      return 1;
    } finally {
      store.close();
    }
  }
  try {
    const venues = options.venue ?? (await servedVenues(store.client, store.keys));
    if (venues.length === 0) {
      streams.err.write(
        `ivtrade history: no venue is served under prefix "${store.keys.prefix}" at ${store.where}: is \`ivtrade serve\` publishing there? (--venue names one)\n`,
      );
      return 1;
    }
    const homes = await findInstrument(store.client, store.keys, venues, instrument);
    if (homes.length === 0) {
      streams.err.write(
        `ivtrade history: no instrument ${instrument} on ${venues.join(', ')} under prefix "${store.keys.prefix}" at ${store.where} (names are the venue's, e.g. BTC-27DEC26-100000-C)\n`,
      );
      return 1;
    }
    if (homes.length > 1) {
      const where = homes.map((home) => home.venue).join(', ');
      streams.err.write(`ivtrade history: ${instrument} is on ${where}: name one with --venue\n`);
      return 2;
    }
    const home = homes[0]!;
    const entries = await readHistory(
      store.client,
      store.keys.coin(home.venue, home.coin),
      instrument,
      from,
      to,
    );
    streams.out.write(formatRecords(entries, HISTORY_COLUMNS, options.format));
    if (options.format === 'table') {
      const span = `${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;
      streams.err.write(`${entries.length} minutes of ${home.venue} ${instrument}, ${span}\n`);
    }
    return 0;
  } catch (error) {
    streams.err.write(`ivtrade history: ${messageOf(error)}\n`);
    return 1;
  } finally {
    store.close();
  }
}

type Store = Exclude<Awaited<ReturnType<typeof openStore>>, { exitCode: number }>;

const CHAIN = /^([A-Z][A-Z0-9]{1,9})(?:\/([A-Z][A-Z0-9]{1,9}))?$/;

/**
 * A chain's surface minutes. `BTC` finds the chains of BTC on the served venues (the coin's
 * inverse chain, or its USDC/USDT one); more than one must be named (`--venue`, `BTC/USDT`).
 */
async function printSurfaceHistory(
  store: Store,
  name: string,
  from: number,
  to: number,
  options: { venue?: readonly string[]; format: OutputFormat },
  streams: CliStreams,
): Promise<number> {
  const match = CHAIN.exec(name.toUpperCase());
  if (match === null) {
    streams.err.write(
      `error: --surface takes a chain such as BTC or BTC/USDT, not ${JSON.stringify(name)} (see 'ivtrade history --help')\n`,
    );
    return 2;
  }
  const coin = match[1]!;
  const quotes = match[2] === undefined ? [coin, 'USDC', 'USDT'] : [match[2]];
  const venues = options.venue ?? (await servedVenues(store.client, store.keys));
  const found: { venue: string; quote: string }[] = [];
  for (const venue of venues) {
    for (const quote of quotes) {
      const length = await store.client.xlen(store.keys.coin(venue, coin).surfaceHistory(quote));
      if (length > 0) found.push({ venue, quote });
    }
  }
  if (found.length === 0) {
    streams.err.write(
      `ivtrade history: no surface minutes of ${name} on ${venues.join(', ') || 'any venue'} under prefix "${store.keys.prefix}" at ${store.where} (serve writes one a minute)\n`,
    );
    return 1;
  }
  if (found.length > 1) {
    const which = found.map((f) => `${f.venue} ${coin}/${f.quote}`).join(', ');
    streams.err.write(
      `ivtrade history: ${name} is ${which}: name one with --venue or COIN/QUOTE\n`,
    );
    return 2;
  }
  const { venue, quote } = found[0]!;
  const entries = await readSurfaceHistory(
    store.client,
    store.keys.coin(venue, coin),
    quote,
    from,
    to,
  );
  const columns =
    options.format === 'table'
      ? SURFACE_HISTORY_TABLE
      : surfaceHistoryColumns(SURFACE_FIELDS, options.format === 'jsonl');
  streams.out.write(formatRecords(entries, columns, options.format));
  if (options.format === 'table') {
    const span = `${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;
    streams.err.write(
      `${entries.length} minutes of the ${venue} ${coin}/${quote} surface (vol points), ${span}\n`,
    );
  }
  return 0;
}
