import type { RiskWhatIf } from '../view/types.js';

/**
 * What the command line needs from whoever runs commands: the screen hands over a line and
 * the instrument under the cursor, and shows what comes back. It never sees orders or venues.
 */
export interface CommandPort {
  /**
   * Runs a submitted line. `keep`: leave the text on the line (it did not parse, so the trader
   * fixes it rather than retyping it); `help`: the line asked for the help overlay.
   */
  run(line: string, cursor: string | null): { readonly keep: boolean; readonly help: boolean };
  /** Shown before the typed text: the instrument orders go to and the size multiplier. */
  prompt(cursor: string | null): string;
  /** The cursor moved: an instrument chosen with `i` gives way to the cursor's. */
  cursorMoved(): void;
  /** What the line being typed would add to the book, sending nothing (the risk view's what-if). */
  preview?(line: string, cursor: string | null): RiskWhatIf | null;
  /** While a package is typed: its price, vol, greeks and how it would go, in one line. */
  quote?(line: string, cursor: string | null): string | null;
  readonly history: {
    previous(draft: string): string | null;
    next(): string | null;
    reset(): void;
  };
}
