import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../config/state-dir.js';
import type { SimOrderLog } from '../sim/order-log.js';

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

/**
 * The sim's order log as a file: each entry one JSON line, appended synchronously so the file
 * is current when read. A file that cannot be written goes quiet rather than failing the order
 * that was being logged. Every way of running the sim (the screen, stream, hedge, `ivtrade
 * sim`) writes here, so "that line sent nothing" can always be checked.
 */
export function simOrderLogTo(path: string): SimOrderLog {
  let broken = false;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch {
    broken = true;
  }
  return (entry) => {
    if (broken) return;
    try {
      appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch {
      broken = true;
    }
  };
}
