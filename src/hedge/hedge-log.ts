/**
 * The hedge log: one JSON line per decision, appended to a file only its owner can read (it
 * shows positions and what was traded). Writes are synchronous so the line of a decision is
 * on disk before whatever follows it, a crash included; decisions come a few a second at
 * most. A log that cannot be written must never stop the hedger: the first failure is kept
 * and reported once, and the log goes quiet.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../config/state-dir.js';
import type { HedgeLogEntry } from './types.js';

/** $XDG_STATE_HOME/ivtrade/hedge.jsonl, the XDG default state directory when unset. */
export function defaultHedgeLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'hedge.jsonl');
}

export interface HedgeLog {
  readonly path: string;
  /** Appends one entry as a line; never throws. Pass it as the hedger's `log`. */
  readonly write: (entry: HedgeLogEntry) => void;
  /** The first failure (opening or writing), null while every line went in. */
  error(): string | null;
  /** Closes the file; later writes are dropped. Never throws. */
  close(): void;
}

export interface HedgeLogOptions {
  /** Told once, at the first failure. */
  readonly onError?: (message: string) => void;
}

export function openHedgeLog(path: string, options: HedgeLogOptions = {}): HedgeLog {
  let failure: string | null = null;
  const fail = (what: string, error: unknown): void => {
    if (failure !== null) return;
    failure = `hedge log ${path}: ${what}: ${error instanceof Error ? error.message : String(error)}`;
    try {
      options.onError?.(failure);
    } catch {
      // Whoever listens for the failure must not turn it into the hedger's.
    }
  };

  let fd: number | null = null;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    fd = openSync(path, 'a', 0o600);
    // The mode above applies only to a new file; an older one is narrowed too.
    fchmodSync(fd, 0o600);
  } catch (error) {
    fail('cannot open', error);
    if (fd !== null) closeQuietly(fd);
    fd = null;
  }

  return {
    path,
    write: (entry) => {
      if (fd === null) return;
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
      } catch (error) {
        fail('cannot write', error);
        closeQuietly(fd);
        fd = null;
      }
    },
    error: () => failure,
    close: () => {
      if (fd === null) return;
      closeQuietly(fd);
      fd = null;
    },
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or gone: nothing left to release.
  }
}
