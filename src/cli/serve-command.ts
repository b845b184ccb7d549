// `ivtrade serve`: the engine, the order gateway and the hedger with no screen, publishing
// everything a screen shows into Redis for attached screens and scripts. Like `hedge`, every
// notable thing prints as a JSON line; the hedger starts off unless `--hedge`.

import { ExecVerdict } from '../app/exec-lines.js';
import { LineSink } from '../app/line-sink.js';
import { MarketEngine } from '../app/market-engine.js';
import { serveExtensions } from '../app/serve-extensions.js';
import { redisTarget } from '../app/redis-target.js';
import { ConfigError } from '../config/config-error.js';
import { startServe, type ServeSession } from '../app/serve-session.js';
import type { FeedPlan } from '../app/venue-feeds.js';
import {
  describeTarget,
  openRedis,
  redactUrl,
  RedisUrlError,
  type RedisClient,
  type RedisTarget,
} from '../store/connect.js';
import { keySchema, type KeySchema } from '../store/keys.js';
import { simOnlyMisuse } from './feed-flags.js';
import { modeOf, sessionGoodbye } from './goodbye.js';
import { hedgeFollowed, hedgeSettingsFrom } from './hedge-flags.js';
import { elapsed, interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import { jsonLineOutput } from './json-line-output.js';
import { cancelOnDisconnectMisuse, orderSettingsFrom } from './order-flags.js';
import { openOrExplain, planFrom, summary, tradedVenue } from './stream-command.js';
import { REDIS_EXAMPLE, type ServeFlags } from './serve-flags.js';

/** What serve needs of Redis, read from the flags; a usage error names what is wrong. */
export function redisFlags(
  flags: Pick<ServeFlags, 'redis' | 'redisPrefix' | 'config'>,
): { target: RedisTarget; keys: KeySchema } | { error: string } {
  if (flags.redis === undefined || flags.redis === '') {
    return { error: `--redis is required: the Redis serve publishes into (${REDIS_EXAMPLE})` };
  }
  let target: RedisTarget;
  try {
    // The password may come from the environment or the 0600 credentials file instead.
    target = redisTarget(flags.redis, flags.config === undefined ? {} : { path: flags.config });
  } catch (error) {
    if (error instanceof RedisUrlError) return { error: `--redis: ${error.message}` };
    if (error instanceof ConfigError) return { error: error.message };
    return { error: `--redis: not a Redis URL: ${redactUrl(flags.redis)} (${REDIS_EXAMPLE})` };
  }
  try {
    return { target, keys: keySchema(flags.redisPrefix) };
  } catch (error) {
    return { error: `--redis-prefix: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function runServe(flags: ServeFlags, streams: CliStreams): Promise<number> {
  const venue = tradedVenue(flags.venue);
  const misuse = simOnlyMisuse(flags) ?? cancelOnDisconnectMisuse(flags, venue);
  const redis = redisFlags(flags);
  if (misuse !== null || 'error' in redis) {
    const message = misuse ?? (redis as { error: string }).error;
    streams.err.write(`error: ${message} (see 'ivtrade serve --help')\n`);
    return 2;
  }
  let client: RedisClient;
  try {
    client = await openRedis(redis.target, { clientName: 'ivtrade-serve' });
  } catch (error) {
    streams.err.write(`ivtrade serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const plan: FeedPlan = {
    ...planFrom(flags),
    ...hedgeFollowed(flags),
    books: flags.books === undefined || flags.books === 'none' ? [] : flags.books,
    private: true,
    cancelOnDisconnect: flags.cancelOnDisconnect === true,
    ...(flags.venue === 'sim' ? { simVenues: ['deribit'] as const } : {}),
  };
  const opened = await openOrExplain(plan, streams);
  if (opened === null) {
    client.disconnect();
    return 2;
  }
  const sink = new LineSink(streams.out);
  const print = (fields: Record<string, unknown>): void =>
    sink.write({ key: null, text: JSON.stringify(fields) });
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const orders = orderSettingsFrom(flags);
  const mode = modeOf(flags.venue, flags.testnet);
  const engine = new MarketEngine(opened.feeds);
  let session: ServeSession;
  try {
    session = await startServe({
      engine,
      venue,
      client,
      keys: redis.keys,
      trading: {
        ...orders,
        hedge: hedgeSettingsFrom(flags, flags.hedge, flags.currency, (entry) =>
          print({ kind: 'hedge', ...entry }),
        ),
      },
      output: new ExecVerdict().watch(jsonLineOutput(print, quit)),
      print,
      currencies: flags.currency,
      mode,
      marketCap: orders.marketCap,
      streamMaxlen: flags.streamMaxlen,
      extensions: serveExtensions({
        intentMaxAgeMs: flags.intentMaxAge * 1_000,
        historyRetentionMs: flags.historyDays * 86_400_000,
      }),
    });
  } catch (error) {
    streams.err.write(`ivtrade serve: cannot start: ${String(error)}\n`);
    await opened.close();
    client.disconnect();
    await sink.close();
    return 1;
  }
  const { trading } = session.context;
  let code = 0;
  if (trading.hedge === null && flags.hedge) {
    streams.err.write(`error: ${trading.hedgeError ?? 'hedger not started'}\n`);
    code = 2;
  } else {
    print({
      kind: 'serve',
      ts: Date.now(),
      level: 'info',
      venue,
      mode,
      redis: describeTarget(redis.target),
      prefix: redis.keys.prefix,
      hedger: trading.hedge === null ? 'unavailable' : flags.hedge ? 'on' : 'off',
    });
    await Promise.race([elapsed(flags.duration), interrupted(), sink.failed, quitting]);
  }
  const goodbye = sessionGoodbye(engine, venue, mode);
  await session.stop();
  await opened.close();
  const stats = session.stats();
  await client.quit().catch(() => client.disconnect());
  await sink.close();
  streams.err.write(summary('ivtrade serve', opened.feeds, sink.dropped));
  streams.err.write(
    `ivtrade serve: ${stats.written} updates written to Redis, ${stats.coalesced} quotes coalesced, ` +
      `${stats.staleDropped} older updates dropped, ${stats.republishes} full snapshots, ` +
      `${stats.pendingAccount} account events unsent\n`,
  );
  streams.err.write(`ivtrade serve: session closed; ${goodbye}.\n`);
  return code;
}
