import { createWriteStream, type WriteStream } from 'node:fs';
import type { Feed } from '../feeds/feed.js';

/**
 * Writes every inbound public frame as `{"localTs": ms, "message": <frame>}` — the format of
 * the recordings in test/fixtures, which `ivtrade replay` reads. The frame is copied as
 * received, not re-serialised, so the recording holds exactly what the venue sent (a
 * malformed frame stays malformed, and replay reports it). Feeds hand raw frames of public
 * streams only, so nothing private, and no credential, can reach the file.
 *
 * A break the feed found without a frame to show it (a book's top disagreeing with its
 * ticker, a dropped connection) is written where it happened as
 * `{"localTs": ms, "break": {"venue", "instruments", "detail"}}`, so a replay breaks the same
 * books at the same point and prints what the live session printed.
 */
export class Recorder {
  readonly #file: WriteStream;
  readonly #detach: (() => void)[] = [];
  #frames = 0;
  #failure: Error | null = null;

  private constructor(file: WriteStream) {
    this.#file = file;
    file.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  /** Creates (or truncates) the file; rejects if it cannot be opened. */
  static async open(path: string): Promise<Recorder> {
    const file = createWriteStream(path, { flags: 'w', mode: 0o644 });
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    return new Recorder(file);
  }

  get frames(): number {
    return this.#frames;
  }

  get failure(): Error | null {
    return this.#failure;
  }

  attach(feed: Feed): void {
    this.#detach.push(
      feed.onRawFrame((frame, _stream, localTs) => {
        this.#frames += 1;
        this.#file.write(`{"localTs":${localTs},"message":${frame}}\n`);
      }),
      feed.onEvent((event) => {
        if (event.kind !== 'status' || event.status !== 'gap' || event.instruments === undefined)
          return;
        const mark = { venue: event.venue, instruments: event.instruments, detail: event.detail };
        this.#file.write(`{"localTs":${event.ts},"break":${JSON.stringify(mark)}}\n`);
      }),
    );
  }

  async close(): Promise<void> {
    for (const detach of this.#detach.splice(0)) detach();
    await new Promise<void>((resolve) => this.#file.end(resolve));
  }
}
