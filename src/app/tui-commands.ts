/**
 * The screen's command line, wired: history kept across runs, and a runner that exists once
 * the venue is connected (before that a line gets "not connected yet" and sends nothing).
 */
import type { CommandPort } from '../ui/command-port.js';
import type { RiskWhatIf } from '../view/types.js';
import type { CommandHistory } from './command-history.js';
import type { CommandRunner } from './command-runner.js';
import type { SessionSource } from './session-source.js';

export class TuiCommands implements CommandPort {
  readonly history: CommandHistory;
  #runner: CommandRunner | null = null;
  #helpAsked = false;

  constructor(
    history: CommandHistory,
    private readonly source: SessionSource,
  ) {
    this.history = history;
  }

  /** Called by the runner's output when a line says `help`. */
  askHelp(): void {
    this.#helpAsked = true;
  }

  attach(runner: CommandRunner): void {
    this.#runner = runner;
  }

  get runner(): CommandRunner | null {
    return this.#runner;
  }

  run(line: string, cursor: string | null): { keep: boolean; help: boolean } {
    this.history.add(line);
    if (this.#runner === null) {
      this.source.note('not connected yet: nothing sent', 'warn');
      return { keep: true, help: false };
    }
    this.#helpAsked = false;
    const result = this.#runner.run(line, cursor);
    return { keep: !result.ok, help: this.#helpAsked };
  }

  prompt(cursor: string | null): string {
    return this.#runner?.prompt(cursor) ?? '';
  }

  cursorMoved(): void {
    this.#runner?.cursorMoved();
  }

  preview(line: string, cursor: string | null): RiskWhatIf | null {
    return this.#runner?.preview(line, cursor) ?? null;
  }

  quote(line: string, cursor: string | null): string | null {
    return this.#runner?.quote(line, cursor) ?? null;
  }
}
