import type { InstrumentSpec } from './types.js';

/** A venue record that could not be mapped: kept so the feed can report it, not lose it. */
export interface RejectedInstrument {
  /** Position of the record in the venue's list. */
  readonly index: number;
  /** The venue's name for it, when the record had a readable one. */
  readonly name: string | null;
  readonly reason: string;
}

export interface InstrumentListResult {
  specs: InstrumentSpec[];
  rejected: RejectedInstrument[];
}

export interface InstrumentRowReader {
  /**
   * The spec for one record, or null for a record ivtrade ignores on purpose (inactive, or a
   * kind it does not trade). Throws to reject the record.
   */
  readonly map: (row: unknown, index: number) => InstrumentSpec | null;
  readonly nameOf: (row: unknown) => string | null;
  /** Errors that condemn only the row; anything else is a bug and propagates. */
  readonly isRowError: (error: unknown) => error is Error;
}

/**
 * Maps a venue's instrument list record by record, so that one bad record costs only
 * itself: a daily refresh that threw away 2,000 good instruments over one odd row would
 * leave the chain empty.
 */
export function mapInstrumentRows(
  rows: readonly unknown[],
  reader: InstrumentRowReader,
): InstrumentListResult {
  const specs: InstrumentSpec[] = [];
  const rejected: RejectedInstrument[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const outcome = mapRow(row, index, reader);
    if (outcome === null) return;
    if (typeof outcome === 'string') {
      rejected.push({ index, name: reader.nameOf(row), reason: outcome });
    } else if (seen.has(outcome.name)) {
      // Keeping the first leaves the registry's content independent of which copy is right.
      rejected.push({ index, name: outcome.name, reason: 'duplicate of an earlier record' });
    } else {
      seen.add(outcome.name);
      specs.push(outcome);
    }
  });
  return { specs, rejected };
}

/** The spec, null for a skipped row, or the reason a row was rejected. */
function mapRow(
  row: unknown,
  index: number,
  reader: InstrumentRowReader,
): InstrumentSpec | string | null {
  try {
    return reader.map(row, index);
  } catch (error) {
    if (reader.isRowError(error)) return error.message;
    throw error;
  }
}
