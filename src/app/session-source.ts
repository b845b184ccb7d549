import type { ScreenSource } from '../ui/screen-source.js';
import type { ScreenSnapshot, StatusLevel, ViewRequest } from '../view/types.js';
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

  constructor(model: ReadModel) {
    this.#model = model;
  }

  get model(): ReadModel {
    return this.#model;
  }

  use(model: ReadModel): void {
    this.#model = model;
    this.#generation += 1;
  }

  get version(): number {
    return this.#generation * GENERATION + this.#model.version;
  }

  snapshot(request: ViewRequest, now: number): ScreenSnapshot {
    const snapshot = this.#model.snapshot(request, now);
    return { ...snapshot, version: this.version };
  }

  note(text: string, level?: StatusLevel, now?: number): void {
    this.#model.note(text, level, now);
  }
}
