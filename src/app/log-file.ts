import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../config/state-dir.js';

/** Where the TUI logs by default: the XDG state directory, never the screen Ink owns. */
export function defaultLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'ivtrade.log');
}

/** Where the embedded sim records every order request it receives (JSON lines). */
export function defaultSimOrderLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(defaultLogPath(env)), 'sim-orders.jsonl');
}

export interface LogFile {
  readonly path: string;
  write(line: string): void;
}

/**
 * An append-only log with a UTC timestamp per line. Writes are synchronous: lines are few
 * (connection changes, malformed frames, errors) and must survive a crash that follows them.
 * A log that cannot be written is not worth stopping a trader for: it goes quiet instead.
 */
export function openLogFile(path: string): LogFile {
  mkdirSync(dirname(path), { recursive: true });
  let broken = false;
  return {
    path,
    write(line: string): void {
      if (broken) return;
      try {
        appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
      } catch {
        broken = true;
      }
    },
  };
}
