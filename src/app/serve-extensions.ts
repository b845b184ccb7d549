/**
 * What runs inside `ivtrade serve` beside the engine, the gateway, the hedger and the
 * publisher: the intent executor (orders and hedger switches from attached screens, through
 * the one gateway), the history recorder (a minute of every option's top, IVs and greeks) and
 * the books screens ask for.
 * Entries start in order and stop in reverse.
 */
import { watchBookRequests } from '../store/book-requests.js';
import { startHistoryRecorder } from './history-recorder.js';
import { startIntentExecutor } from './intent-executor.js';
import type { ServeExtension } from './serve-session.js';

export interface ServeExtensionSettings {
  /** `--intent-max-age`: an intent older than this when serve reads it is refused. */
  readonly intentMaxAgeMs: number;
  /** `--history-days` in ms; 0 keeps no history. */
  readonly historyRetentionMs: number;
}

export function serveExtensions(settings: ServeExtensionSettings): readonly ServeExtension[] {
  const intents: ServeExtension = async (context) => {
    const executor = await startIntentExecutor({
      venue: context.venue,
      trading: context.trading,
      redis: context.client,
      keys: context.keys,
      maxAgeMs: settings.intentMaxAgeMs,
      log: (text) => context.print({ kind: 'intent', ts: Date.now(), level: 'info', text }),
    });
    return () => executor.close();
  };
  const history: ServeExtension = (context) => {
    if (settings.historyRetentionMs <= 0) return Promise.resolve(() => undefined);
    const recorder = startHistoryRecorder({
      engine: context.engine,
      client: context.client,
      keys: context.keys,
      venue: context.venue,
      retentionMs: settings.historyRetentionMs,
      onError: (error, minuteMs) =>
        context.print({
          kind: 'history',
          ts: Date.now(),
          level: 'error',
          text: `minute ${new Date(minuteMs).toISOString()} not written: ${error instanceof Error ? error.message : String(error)}`,
        }),
    });
    return Promise.resolve(() => recorder.stop());
  };
  // Books attached screens ask for (the depth under a cursor), followed while leased.
  const books: ServeExtension = (context) => {
    const watcher = watchBookRequests({
      client: context.client,
      key: context.keys.venue(context.venue).books,
      onChange: (instruments) => context.engine.requestBooks(context.venue, instruments),
      onError: (error) =>
        context.print({
          kind: 'redis',
          ts: Date.now(),
          level: 'error',
          text: `screens' book requests not read (the books followed stay as they were): ${error instanceof Error ? error.message : String(error)}`,
        }),
    });
    return Promise.resolve(() => watcher.stop());
  };
  return [intents, history, books];
}
