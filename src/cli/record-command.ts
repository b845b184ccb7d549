// `ivtrade record`: every inbound public venue message to a JSONL file `replay` can read.

import { Recorder } from '../app/recorder.js';
import { elapsed, interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import { simOnlyMisuse } from './feed-flags.js';
import { openOrExplain, planFrom, summary } from './stream-command.js';
import type { RecordFlags } from './record-flags.js';

export async function runRecord(flags: RecordFlags, streams: CliStreams): Promise<number> {
  const misuse = simOnlyMisuse(flags);
  if (misuse !== null) {
    streams.err.write(`error: ${misuse} (see 'ivtrade record --help')\n`);
    return 2;
  }
  let recorder: Recorder;
  try {
    recorder = await Recorder.open(flags.out);
  } catch (error) {
    streams.err.write(`error: cannot write ${JSON.stringify(flags.out)}: ${messageOf(error)}\n`);
    return 2;
  }
  const books = flags.books ?? 'all';
  // Public data only: no credentials are loaded, so no private message or token exists to leak.
  const opened = await openOrExplain(
    { ...planFrom(flags), books: books === 'none' ? [] : books, private: false },
    streams,
  );
  if (opened === null) {
    await recorder.close();
    return 2;
  }
  for (const feed of opened.feeds) recorder.attach(feed);
  try {
    await Promise.all(opened.feeds.map((feed) => feed.start()));
  } catch (error) {
    streams.err.write(`ivtrade record: cannot start: ${messageOf(error)}\n`);
    await opened.close();
    await recorder.close();
    return 1;
  }
  await Promise.race([elapsed(flags.duration), interrupted()]);
  await opened.close();
  await recorder.close();
  streams.err.write(
    summary(`ivtrade record: ${recorder.frames} frames to ${flags.out}`, opened.feeds, 0),
  );
  return recorder.failure === null ? 0 : 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
