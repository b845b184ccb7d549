import type { ScreenSource } from '../ui/screen-source.js';
import type {
  HedgerView,
  InfoView,
  ScreenSnapshot,
  StatusLevel,
  StatusLineView,
  ViewRequest,
} from '../view/types.js';
import type { HedgerState } from '../hedge/types.js';
import { buildHedgerView } from '../view/hedger-view.js';
import type { ReadModel } from './read-model.js';

// Versions of successive models never collide: each new model starts a block above the last.
const GENERATION = 1_000_000_000;

/**
 * The screen's one source across reconnect attempts: a failed first connection leaves
 * nothing to reuse, so each attempt gets a fresh engine and read model, and the screen
 * follows whichever is current.
 */
export class SessionSource implements ScreenSource {
  #model: ReadModel;
  #generation = 0;
  /** Listings outlive a reconnect's fresh model, so they are kept here. */
  #info: InfoView | null = null;
  #lastReport: StatusLineView | null = null;
  #hedger: (() => HedgerState | null) | null = null;
  #hedgerSettings: string | null | (() => string | null) = null;
  #infoChanges = 0;
  #depth: string | null = null;
  /** The hedger's alerting state last raised ("PAUSED", "OFF"), null while it is fine. */
  #hedgerAlert: string | null = null;

  constructor(model: ReadModel) {
    this.#model = model;
  }

  get model(): ReadModel {
    return this.#model;
  }

  use(model: ReadModel): void {
    this.#model = model;
    this.#generation += 1;
    // A fresh engine follows nothing it was not asked for: the depth view's book again.
    if (this.#depth !== null) this.watchDepth(this.#depth);
  }

  /**
   * The depth view's instrument: its book is asked of the engine (a direct feed subscribes
   * it; an attached screen leases it from serve), and the last one let go.
   */
  watchDepth(instrument: string | null): void {
    this.#depth = instrument;
    const { engine, options } = this.#model;
    engine.requestBooks(options.venue, new Set(instrument === null ? [] : [instrument]));
  }

  get version(): number {
    return this.#generation * GENERATION + this.#model.version + this.#infoChanges;
  }

  /** The venue's time, which the screen runs on. */
  now(): number {
    return this.#model.now();
  }

  snapshot(request: ViewRequest, now: number): ScreenSnapshot {
    // Raised before the frame is taken, so the frame that shows the state counts its alert.
    const settings =
      typeof this.#hedgerSettings === 'function' ? this.#hedgerSettings() : this.#hedgerSettings;
    const hedger = buildHedgerView(this.#hedger?.() ?? null, settings);
    this.#alertHedger(hedger, now);
    const snapshot = this.#model.snapshot(request, now);
    const orders =
      this.#lastReport === null
        ? snapshot.orders
        : { ...snapshot.orders, lastReport: this.#lastReport };
    const header =
      hedger === null
        ? snapshot.header
        : { ...snapshot.header, hedger: hedger.headline, hedgerMode: hedger.mode };
    return { ...snapshot, version: this.version, info: this.#info, orders, header, hedger };
  }

  /**
   * The hedger paused, or off for a reason of its own (not the trader's hoff): an alert, once
   * per such state, so it is not missed when the header is out of sight.
   */
  #alertHedger(view: HedgerView | null, now: number): void {
    const key =
      view === null || view.level === 'info' ? null : (view.headline.split(' ')[0] ?? null);
    if (key !== null && key !== this.#hedgerAlert && view !== null) {
      this.#model.alert({ text: `hedger ${view.headline}`, level: view.level, ts: now });
    }
    this.#hedgerAlert = key;
  }

  /** The hedger whose state the header and the hedger panel show. */
  useHedger(
    state: () => HedgerState | null,
    settings: string | null | (() => string | null) = null,
  ): void {
    this.#hedger = state;
    this.#hedgerSettings = settings;
    this.#infoChanges += 1;
  }

  /** The hedger's state changed: the next frame must be drawn. */
  hedgerChanged(): void {
    this.#infoChanges += 1;
  }

  /** The gateway's latest report on an order, for the orders panel (and the status line). */
  orderReport(text: string, level: StatusLevel, now = Date.now()): void {
    this.#lastReport = { text, level, ts: now };
    this.#infoChanges += 1;
    this.#model.note(text, level, now);
    // A refused or rejected order needs the trader even if later lines push it off.
    if (level === 'error') this.#model.alert({ text, level, ts: now });
  }

  /** The messages list was opened: the alerts in it have been seen. */
  alertsSeen(): void {
    this.#model.alertsSeen();
  }

  showInfo(title: string, lines: readonly string[], now = Date.now()): void {
    this.#info = { title, lines, ts: now };
    this.#infoChanges += 1;
  }

  dismissInfo(): void {
    if (this.#info === null) return;
    this.#info = null;
    this.#infoChanges += 1;
  }

  note(text: string, level?: StatusLevel, now?: number): void {
    this.#model.note(text, level, now);
  }
}
