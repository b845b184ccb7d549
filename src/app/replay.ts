import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { Books } from '../book/books.js';
import {
  computeTickerAnalytics,
  emptyTickerAnalytics,
  IvMemory,
} from '../book/ticker-analytics.js';
import { formatGreeksLine } from './greeks-line.js';
import { ReplayVenues, unwrapRecorded } from './replay-venues.js';
import { rvLines } from './rv-replay.js';
import { SurfaceReplay } from './surface-replay.js';
import { breakLines, formatGapLine, formatTopLine } from './tops-line.js';

/**
 * `greeks`: ivtrade's IVs and greeks per option ticker; `tops`: each top-of-book change;
 * `surface`: each coin's fitted surface per minute of the recording, or of a saved chain reply;
 * `rv`: realised volatility of saved candle replies.
 */
export type ReplayEmit = 'greeks' | 'tops' | 'surface' | 'rv';

export interface ReplayOptions {
  readonly emit: ReplayEmit;
  /** Add the venue's own IVs and greeks to each greeks line, for a human to compare. */
  readonly compare: boolean;
}

export interface ReplayStreams {
  readonly out: Writable;
  readonly err: Writable;
}

export interface ReplaySummary {
  readonly lines: number;
  /** Lines written to `out`. */
  readonly printed: number;
  /** Lines skipped: bad JSON, or a message its venue mapper rejects. */
  readonly malformed: number;
}

/**
 * Malformed lines reported one by one; past these, a count. A file that is not a recording
 * at all (a CSV, a log) would otherwise bury the screen in one error per line.
 */
export const MALFORMED_REPORTED = 20;

/**
 * Replays a JSONL recording of venue messages and prints, per `emit`, ivtrade's IVs and
 * greeks for each option ticker or each change of top of book. A bad line is reported by number and skipped: one corrupt frame should not
 * hide the rest of a long recording.
 */
export async function replayFile(
  path: string,
  options: ReplayOptions,
  streams: ReplayStreams,
): Promise<ReplaySummary> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw new ReplayInputError(path, error);
  });
  // A directory opens on Linux and fails only on the first read, as a stack trace.
  const isFile = await file.stat().then(
    (stats) => stats.isFile() || stats.isFIFO() || stats.isCharacterDevice(),
    () => false,
  );
  if (!isFile) {
    await file.close();
    throw new ReplayInputError(path, new Error('not a file (a JSONL recording is one file)'));
  }
  try {
    if (options.emit === 'surface' || options.emit === 'rv') {
      // A saved reply is often one pretty-printed JSON document rather than JSON lines.
      const text = await file.readFile({ encoding: 'utf8' });
      return await replayLines(wholeOrLines(text), options, streams);
    }
    const lines = createInterface({
      input: file.createReadStream({ encoding: 'utf8', autoClose: false }),
      crlfDelay: Infinity,
    });
    return await replayLines(lines, options, streams);
  } finally {
    await file.close();
  }
}

/** The recording could not be opened; nothing was replayed. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';

  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot read ${JSON.stringify(path)}: ${messageOf(cause)}`, { cause });
  }
}

export async function replayLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ReplayOptions,
  streams: ReplayStreams,
): Promise<ReplaySummary> {
  const replay: LineMapper =
    options.emit === 'tops'
      ? new TopsReplay()
      : options.emit === 'surface'
        ? new SurfaceLines()
        : options.emit === 'rv'
          ? new RvLines()
          : new GreeksReplay(options);
  const out = new LineWriter(streams.out);
  const err = new LineWriter(streams.err);
  let lineNumber = 0;
  let printed = 0;
  let malformed = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      let output: string | null;
      try {
        output = replay.lineFor(text);
      } catch (error) {
        malformed += 1;
        if (malformed <= MALFORMED_REPORTED) {
          await err.write(`line ${lineNumber}: ${messageOf(error)}`);
        }
        continue;
      }
      for (const line of output === null ? [] : output.split('\n')) {
        printed += 1;
        await out.write(line);
      }
    }
    const last = replay.end?.() ?? null;
    for (const line of last === null ? [] : last.split('\n')) {
      printed += 1;
      await out.write(line);
    }
    if (malformed > MALFORMED_REPORTED) {
      await err.write(`… ${malformed - MALFORMED_REPORTED} more malformed lines not shown`);
    }
    if (lineNumber > 0 && malformed === lineNumber) {
      await err.write(
        `all ${lineNumber} lines malformed: replay reads a recording (one JSON message per ` +
          'line) or a saved JSON reply, not this file',
      );
    }
  } finally {
    out.detach();
    err.detach();
  }
  return { lines: lineNumber, printed, malformed };
}

/**
 * Writes lines, waiting when the reader is slower than the replay. A stream error (EPIPE
 * when piped into `head`) is emitted asynchronously, after write() has returned; it is
 * captured here and thrown from the next write instead of crashing the process.
 */
class LineWriter {
  #failure: Error | null = null;
  readonly #onError = (error: Error): void => {
    this.#failure ??= error;
  };

  constructor(readonly stream: Writable) {
    stream.on('error', this.#onError);
  }

  async write(line: string): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    if (!this.stream.write(`${printable(line)}\n`)) await once(this.stream, 'drain');
  }

  detach(): void {
    this.stream.off('error', this.#onError);
  }
}

// C0 controls, DEL and C1 controls (0x9b is a one-byte CSI to many terminals).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A recording is anyone's bytes: a control character quoted from it (a channel name in an
 * error, say) could move the cursor, retitle the window or clear the screen. Each is written
 * as its JSON escape instead, which inside a JSON line's string is the same character.
 */
export function printable(line: string): string {
  return line.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NON_BLANK = /\S/;

/**
 * Turns one recorded line into output (lines joined by newlines) or null; throws if the line
 * is malformed.
 */
interface LineMapper {
  lineFor(text: string): string | null;
  /** What is printed after the last line, if anything. */
  end?(): string | null;
}

/** The whole text as one item when it is one JSON document, else its lines. */
function wholeOrLines(text: string): Iterable<string> {
  try {
    JSON.parse(text);
    return [text];
  } catch {
    return text.split(/\r?\n/);
  }
}

class RvLines implements LineMapper {
  lineFor(text: string): string | null {
    if (!NON_BLANK.test(text)) return null;
    return rvLines(parseJson(text)).join('\n');
  }
}

class SurfaceLines implements LineMapper {
  readonly #surface = new SurfaceReplay();

  lineFor(text: string): string | null {
    if (!NON_BLANK.test(text)) return null;
    return this.#surface.linesFor(parseJson(text));
  }

  end(): string | null {
    return this.#surface.end();
  }
}

class GreeksReplay implements LineMapper {
  readonly #venues = new ReplayVenues();
  // Reused for every ticker: the line is formatted before the next one overwrites it.
  readonly #analytics = emptyTickerAnalytics();
  readonly #ivMemory = new IvMemory();

  constructor(readonly options: ReplayOptions) {}

  /** The output line for an option ticker, null for anything else; throws if malformed. */
  lineFor(text: string): string | null {
    if (!NON_BLANK.test(text)) return null;
    const message = unwrapRecorded(parseJson(text));
    const venue = this.#venues.venueOf(message);
    if (venue === null) return null;
    const ticker = venue.tickerFrom(message);
    if (ticker === null) return null;
    const contract = venue.contractOf(ticker.instrument);
    computeTickerAnalytics(ticker, contract, this.#analytics, this.#ivMemory);
    return formatGreeksLine(ticker, contract, this.#analytics, this.options.compare);
  }
}

/**
 * Keeps every book of the recording and prints a line whenever one's top moves, or a gap
 * line when an update does not follow the last; a broken book prints nothing until its
 * next snapshot.
 */
class TopsReplay implements LineMapper {
  readonly #venues = new ReplayVenues();
  readonly #books = new Books();

  lineFor(text: string): string | null {
    if (!NON_BLANK.test(text)) return null;
    const line = parseJson(text);
    const mark = recordedBreak(line);
    if (mark !== null) return this.#break(mark);
    const message = unwrapRecorded(line);
    const event = this.#venues.venueOf(message)?.bookFrom(message) ?? null;
    if (event === null) return null;
    const book = this.#books.bookFor(event.venue, event.instrument);
    switch (book.apply(event)) {
      case 'top':
        return formatTopLine(book);
      case 'gap':
        return formatGapLine(book.resyncRequest()!);
      default:
        return null;
    }
  }

  /** The live session broke these books here: so does the replay, with the same lines. */
  #break(mark: RecordedBreak): string | null {
    const lines = breakLines(this.#books, mark.venue, mark.instruments, mark.detail);
    return lines.length === 0 ? null : lines.join('\n');
  }
}

interface RecordedBreak {
  readonly venue: string;
  readonly instruments: readonly string[];
  readonly detail: string | undefined;
}

/** A `{"localTs", "break": {venue, instruments, detail}}` line the recorder wrote; else null. */
function recordedBreak(line: unknown): RecordedBreak | null {
  if (typeof line !== 'object' || line === null || !('break' in line)) return null;
  const mark: unknown = line.break;
  if (typeof mark !== 'object' || mark === null) throw new Error('"break" must be an object');
  const { venue, instruments, detail } = mark as Record<string, unknown>;
  if (
    typeof venue !== 'string' ||
    !Array.isArray(instruments) ||
    !instruments.every((name) => typeof name === 'string') ||
    (detail !== undefined && typeof detail !== 'string')
  ) {
    throw new Error('"break" needs venue, instruments and an optional detail');
  }
  return { venue, instruments, detail };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON (${messageOf(error)})`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
