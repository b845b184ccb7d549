import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { computeTickerAnalytics, emptyTickerAnalytics } from '../book/ticker-analytics.js';
import { formatGreeksLine } from './greeks-line.js';
import { ReplayVenues, unwrapRecorded } from './replay-venues.js';

export interface ReplayOptions {
  /** Add the venue's own IVs and greeks to each line, for a human to compare. */
  readonly compare: boolean;
}

export interface ReplayStreams {
  readonly out: Writable;
  readonly err: Writable;
}

export interface ReplaySummary {
  readonly lines: number;
  readonly tickers: number;
  /** Lines reported on `err` and skipped: bad JSON, or a ticker its venue mapper rejects. */
  readonly malformed: number;
}

/**
 * Replays a JSONL recording of venue messages and prints ivtrade's IVs and greeks for each
 * option ticker. A bad line is reported by number and skipped: one corrupt frame should not
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
  try {
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
  lines: AsyncIterable<string>,
  options: ReplayOptions,
  streams: ReplayStreams,
): Promise<ReplaySummary> {
  const replay = new GreeksReplay(options);
  const out = new LineWriter(streams.out);
  const err = new LineWriter(streams.err);
  let lineNumber = 0;
  let tickers = 0;
  let malformed = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      let output: string | null;
      try {
        output = replay.lineFor(text);
      } catch (error) {
        malformed += 1;
        await err.write(`line ${lineNumber}: ${messageOf(error)}`);
        continue;
      }
      if (output !== null) {
        tickers += 1;
        await out.write(output);
      }
    }
  } finally {
    out.detach();
    err.detach();
  }
  return { lines: lineNumber, tickers, malformed };
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
    if (!this.stream.write(`${line}\n`)) await once(this.stream, 'drain');
  }

  detach(): void {
    this.stream.off('error', this.#onError);
  }
}

const NON_BLANK = /\S/;

class GreeksReplay {
  readonly #venues = new ReplayVenues();
  // Reused for every ticker: the line is formatted before the next one overwrites it.
  readonly #analytics = emptyTickerAnalytics();

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
    computeTickerAnalytics(ticker, contract, this.#analytics);
    return formatGreeksLine(ticker, contract, this.#analytics, this.options.compare);
  }
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
