// `ivtrade hedge`: the engine and the delta hedger with no screen, for a server that keeps a
// book hedged. Every decision prints as a JSON line (and goes to the hedge log); `--exec` runs
// a command line at start, as on the screen.

import { ExecVerdict, startTrading } from '../app/exec-lines.js';
import { LineSink } from '../app/line-sink.js';
import { MarketEngine } from '../app/market-engine.js';
import type { FeedPlan } from '../app/venue-feeds.js';
import { simOnlyMisuse } from './feed-flags.js';
import { hedgeFollowed, hedgeSettingsFrom } from './hedge-flags.js';
import { modeOf, sessionGoodbye } from './goodbye.js';
import { elapsed, interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import { jsonLineOutput } from './json-line-output.js';
import { cancelOnDisconnectMisuse, orderSettingsFrom } from './order-flags.js';
import { execExit, openOrExplain, planFrom, summary, tradedVenue } from './stream-command.js';
import type { HedgeCommandFlags } from './hedge-command-flags.js';

export async function runHedge(flags: HedgeCommandFlags, streams: CliStreams): Promise<number> {
  const misuse = simOnlyMisuse(flags) ?? cancelOnDisconnectMisuse(flags, tradedVenue(flags.venue));
  if (misuse !== null) {
    streams.err.write(`error: ${misuse} (see 'ivtrade hedge --help')\n`);
    return 2;
  }
  // One venue is hedged: with the sim, its Deribit side.
  const venue = tradedVenue(flags.venue);
  const plan: FeedPlan = {
    ...planFrom(flags),
    ...hedgeFollowed(flags),
    books: flags.books === undefined || flags.books === 'none' ? [] : flags.books,
    private: true,
    cancelOnDisconnect: flags.cancelOnDisconnect === true,
    ...(flags.venue === 'sim' ? { simVenues: ['deribit'] as const } : {}),
  };
  const opened = await openOrExplain(plan, streams);
  if (opened === null) return 2;
  const engine = new MarketEngine(opened.feeds);
  const sink = new LineSink(streams.out);
  const print = (fields: Record<string, unknown>): void =>
    sink.write({ key: null, text: JSON.stringify(fields) });
  try {
    await engine.start();
  } catch (error) {
    streams.err.write(`ivtrade hedge: cannot start: ${String(error)}\n`);
    await opened.close();
    return 1;
  }
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const verdict = new ExecVerdict();
  const trading = startTrading(
    engine,
    venue,
    {
      ...orderSettingsFrom(flags),
      hedge: hedgeSettingsFrom(flags, true, flags.currency, (entry) =>
        print({ kind: 'hedge', ...entry }),
      ),
    },
    verdict.watch(jsonLineOutput(print, quit)),
  );
  let code = 0;
  if (trading.hedge === null) {
    // Printed as a command answer for a reader of the lines, and said plainly to whoever ran it.
    streams.err.write(`error: ${trading.hedgeError ?? 'hedger not started'}\n`);
    code = 2;
  } else {
    if (flags.exec !== undefined)
      void verdict.run(engine, trading.runner, venue, flags.exec, { write: () => undefined });
    await Promise.race([elapsed(flags.duration), interrupted(), sink.failed, quitting]);
  }
  const hedges = trading.hedge?.hedger.state().hedges ?? 0;
  const goodbye = sessionGoodbye(engine, venue, modeOf(flags.venue, flags.testnet));
  trading.close();
  await engine.stop();
  await opened.close();
  await sink.close();
  streams.err.write(summary(`ivtrade hedge (${hedges} hedges)`, opened.feeds, sink.dropped));
  streams.err.write(`ivtrade hedge: session closed; ${goodbye}.\n`);
  return code === 0 ? execExit(verdict, 'ivtrade hedge', streams) : code;
}
