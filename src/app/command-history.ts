import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../config/state-dir.js';

/** Where submitted lines are kept between runs: beside the log, in the XDG state directory. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'history');
}

const DEFAULT_LIMIT = 1_000;

/**
 * The command line's history, shell style: Ctrl-P (or ↑ on a non-empty line) walks back,
 * Ctrl-N forward, and walking past the newest entry gives back the line being typed. Every
 * submitted line is appended to a file (mode 600) at once, so a crash loses none; the file is
 * trimmed to the newest `limit` lines when it grows to twice that. A file that cannot be read
 * or written leaves a history that lives only as long as the process.
 */
export class CommandHistory {
  readonly #entries: string[];
  readonly #path: string | null;
  readonly #limit: number;
  /** Position while walking: entries.length when not walking. */
  #cursor: number;
  #draft = '';
  #writable: boolean;

  private constructor(entries: string[], path: string | null, limit: number) {
    this.#entries = entries;
    this.#path = path;
    this.#limit = limit;
    this.#cursor = entries.length;
    this.#writable = path !== null;
  }

  static open(path: string | null, limit = DEFAULT_LIMIT): CommandHistory {
    let entries: string[] = [];
    if (path !== null) {
      try {
        entries = readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '');
      } catch {
        // No history yet (first run) or unreadable: start empty.
      }
    }
    return new CommandHistory(entries.slice(-limit), path, limit);
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Records a submitted line (not a repeat of the newest) and stops walking. */
  add(line: string): void {
    this.#cursor = this.#entries.length;
    const text = line.trim();
    if (text === '' || text.includes('\n')) return;
    if (this.#entries.at(-1) !== text) {
      this.#entries.push(text);
      this.#persist(text);
    }
    this.#cursor = this.#entries.length;
    this.#draft = '';
  }

  /** The entry before the current one; `draft` is what was typed before walking began. */
  previous(draft: string): string | null {
    if (this.#cursor === this.#entries.length) this.#draft = draft;
    if (this.#cursor === 0) return null;
    this.#cursor -= 1;
    return this.#entries[this.#cursor] ?? null;
  }

  /** The entry after the current one, or the draft once past the newest; null if not walking. */
  next(): string | null {
    if (this.#cursor >= this.#entries.length) return null;
    this.#cursor += 1;
    return this.#cursor === this.#entries.length
      ? this.#draft
      : (this.#entries[this.#cursor] ?? null);
  }

  /** Stops walking (the line was cleared or edited). */
  reset(): void {
    this.#cursor = this.#entries.length;
    this.#draft = '';
  }

  #persist(line: string): void {
    if (!this.#writable || this.#path === null) return;
    try {
      mkdirSync(dirname(this.#path), { recursive: true });
      if (this.#entries.length > 2 * this.#limit) {
        this.#entries.splice(0, this.#entries.length - this.#limit);
        this.#cursor = this.#entries.length;
        writeFileSync(this.#path, `${this.#entries.join('\n')}\n`, { mode: 0o600 });
      } else {
        appendFileSync(this.#path, `${line}\n`, { mode: 0o600 });
      }
    } catch {
      this.#writable = false;
    }
  }
}
