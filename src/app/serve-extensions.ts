/**
 * What runs inside `ivtrade serve` beside the engine, the gateway, the hedger and the
 * publisher. Each entry gets the running session (engine, venue, the Trading object with its
 * one gateway and runner, the Redis client, the key schema, a per-minute timer, the JSON-line
 * printer) and resolves to how to stop it; entries start in order and stop in reverse.
 *
 * The intent executor (orders and hedger switches from attached screens) and the history
 * recorder (a minute snapshot of every option) plug in here.
 */
import type { ServeExtension } from './serve-session.js';

export const SERVE_EXTENSIONS: readonly ServeExtension[] = [];
