import type { ScreenSnapshot, StatusLevel, ViewRequest } from '../view/types.js';

/** What the screen needs from the engine side: snapshots on demand and a change counter. */
export interface ScreenSource {
  /** Changes whenever anything shown may have changed. */
  readonly version: number;
  /** `now`: the venue's time, as `now()` gives it. */
  snapshot(request: ViewRequest, now: number): ScreenSnapshot;
  /**
   * The venue's time (its messages' timestamps carried forward), which time to expiry is
   * measured on; sources without one run on the machine's clock.
   */
  now?(): number;
  /** A line for the status bar. */
  note(text: string, level?: StatusLevel, now?: number): void;
  /** Closes the listing a command opened (Esc); sources without listings need not have it. */
  dismissInfo?(): void;
  /** The messages list (Ctrl-L) was opened: its alerts have been seen. */
  alertsSeen?(): void;
  /** The depth view shows this instrument (null: none): its book is followed while it does. */
  watchDepth?(instrument: string | null): void;
}
