// `ivtrade stream`: normalized live events as JSON lines — a debugging tool and a pipe source.

import { ExecVerdict, startTrading, type Trading } from '../app/exec-lines.js';
import { LineSink } from '../app/line-sink.js';
import { defaultSimOrderLogPath } from '../app/log-file.js';
import { commandHelpLines } from '../commands/command-table.js';
import { MarketEngine } from '../app/market-engine.js';
import { StreamLines } from '../app/stream-lines.js';
import { openFeeds, type FeedPlan } from '../app/venue-feeds.js';
import { ConfigError } from '../config/endpoints.js';
import type { Feed } from '../feeds/feed.js';
import { simOnlyMisuse, type FeedFlags } from './feed-flags.js';
import { modeOf, sessionGoodbye } from './goodbye.js';
import { hedgeFollowed, hedgeSettingsFrom } from './hedge-flags.js';
import { elapsed, interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import { cancelOnDisconnectMisuse, orderSettingsFrom } from './order-flags.js';
import type { StreamFlags } from './stream-flags.js';

export async function runStream(flags: StreamFlags, streams: CliStreams): Promise<number> {
  const misuse = simOnlyMisuse(flags) ?? cancelOnDisconnectMisuse(flags, tradedVenue(flags.venue));
  if (misuse !== null) return usage(streams, misuse, 'ivtrade stream');
  const books = flags.books ?? (flags.emit.includes('tops') ? 'all' : 'none');
  const plan: FeedPlan = {
    ...planFrom(flags),
    ...hedgeFollowed(flags),
    books: books === 'none' ? [] : books,
    // Orders need the account: `--exec` opens it even when it is not printed.
    private: flags.emit.includes('account') || flags.exec !== undefined,
    cancelOnDisconnect: flags.cancelOnDisconnect === true,
  };
  const opened = await openOrExplain(plan, streams);
  if (opened === null) return 2;

  const engine = new MarketEngine(opened.feeds);
  const lines = new StreamLines(flags.emit, (venue, instrument) => {
    const spec = engine.market.registry(venue).get(instrument);
    return spec?.kind === 'option' ? spec : undefined;
  });
  const sink = new LineSink(streams.out);
  engine.onEvent((event) => {
    for (const line of lines.linesFor(event)) sink.write(line);
  });
  try {
    await engine.start();
  } catch (error) {
    streams.err.write(`ivtrade stream: cannot start: ${messageOf(error)}\n`);
    await opened.close();
    return 1;
  }
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const verdict = new ExecVerdict();
  let trading: Trading | null = null;
  if (flags.exec !== undefined) {
    const venue = tradedVenue(flags.venue);
    const answer = (fields: Record<string, unknown>): void =>
      sink.write({
        key: null,
        text: JSON.stringify({ kind: 'command', ts: Date.now(), ...fields }),
      });
    const { limits, marketCap } = orderSettingsFrom(flags);
    // The hedger as on the screen: off until `hon`, its decisions printed as hedge lines.
    const hedge = hedgeSettingsFrom(flags, false, flags.currency, (entry) =>
      sink.write({ key: null, text: JSON.stringify({ kind: 'hedge', ...entry }) }),
    );
    trading = startTrading(
      engine,
      venue,
      { limits, marketCap, hedge },
      verdict.watch({
        note: (text, level) => answer({ level, text }),
        info: (title, lines) => answer({ level: 'info', title, lines }),
        help: () => answer({ level: 'info', title: 'help', lines: commandHelpLines(100) }),
        quit,
      }),
    );
    if (trading.hedgeError !== null) {
      streams.err.write(`error: ${trading.hedgeError}\n`);
      trading.close();
      await engine.stop();
      await opened.close();
      await sink.close();
      return 2;
    }
    void verdict.run(engine, trading.runner, venue, flags.exec, { write: () => undefined });
  }
  await Promise.race([elapsed(flags.duration), interrupted(), sink.failed, quitting]);
  trading?.close();
  // Only a session that could trade has orders to speak of.
  const goodbye =
    flags.exec === undefined
      ? null
      : sessionGoodbye(engine, tradedVenue(flags.venue), modeOf(flags.venue, flags.testnet));
  await engine.stop();
  await opened.close();
  await sink.close();
  streams.err.write(summary('ivtrade stream', opened.feeds, sink.dropped));
  if (goodbye !== null) streams.err.write(`ivtrade stream: session closed; ${goodbye}.\n`);
  return execExit(verdict, 'ivtrade stream', streams);
}

/** The venue `--exec` trades on: with the sim, its Deribit side. */
export function tradedVenue(venue: FeedFlags['venue']): string {
  return venue === 'sim' ? 'deribit' : venue;
}

/** Exit 1 (ran, but some input was bad) when a step of `--exec` failed; its answer says which. */
export function execExit(verdict: ExecVerdict, what: string, streams: CliStreams): number {
  if (!verdict.failed) return 0;
  streams.err.write(`${what}: --exec failed (see its error answer); exit 1\n`);
  return 1;
}

export function planFrom(flags: FeedFlags): Omit<FeedPlan, 'books' | 'private'> {
  return {
    venue: flags.venue,
    currencies: flags.currency,
    testnet: flags.testnet,
    urlOverrides: flags.url,
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    ...(flags.venue === 'sim'
      ? {
          sim: {
            seed: flags.seed ?? 1,
            speed: flags.speed ?? 1,
            ...(flags.faults === undefined ? {} : { faults: flags.faults }),
            orderLogPath: defaultSimOrderLogPath(),
          },
        }
      : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Builds the feeds; a configuration problem is a usage error (exit 2) with its reason. */
export async function openOrExplain(
  plan: FeedPlan,
  streams: CliStreams,
): Promise<Awaited<ReturnType<typeof openFeeds>> | null> {
  try {
    return await openFeeds(plan);
  } catch (error) {
    if (error instanceof ConfigError) {
      streams.err.write(`error: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export function summary(what: string, feeds: readonly Feed[], dropped: number): string {
  const parts = feeds.map((feed) => {
    const c = feed.counters();
    return `${feed.venue}: ${c.messages} messages, ${c.malformed} malformed, ${c.gaps} gaps, ${c.resyncs} resyncs, ${c.reconnects} reconnects, ${c.rateLimited} rate limited`;
  });
  const lagged = dropped > 0 ? `; ${dropped} lines dropped while the reader lagged` : '';
  return `${what}: ${parts.join('; ')}${lagged}\n`;
}

function usage(streams: CliStreams, message: string, path: string): number {
  streams.err.write(`error: ${message} (see '${path} --help')\n`);
  return 2;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
