// The hedger's clock in tests: time moves only when the test says so, and the hedger's timers
// (debounce, periodic check, order timeout) fire as it passes their due times, in order.

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

export class VirtualClock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  readonly setTimer = (callback: () => void, ms: number): number => {
    const id = this.#nextId++;
    this.#timers.push({ id, due: this.#now + Math.max(0, ms), callback });
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  };

  /** The earliest pending due time, null when nothing is pending. */
  nextDue(): number | null {
    let due: number | null = null;
    for (const timer of this.#timers) if (due === null || timer.due < due) due = timer.due;
    return due;
  }

  pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves to `time` (never back), running each timer due on the way at its due time, and
   * after each the microtasks it queued, as the event loop would.
   */
  async advanceTo(time: number): Promise<void> {
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.due > time) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = Math.max(this.#now, next.due);
      next.callback();
      await Promise.resolve();
    }
    this.#now = Math.max(this.#now, time);
  }

  #earliest(): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers) {
      if (
        earliest === undefined ||
        timer.due < earliest.due ||
        (timer.due === earliest.due && timer.id < earliest.id)
      ) {
        earliest = timer;
      }
    }
    return earliest;
  }
}
