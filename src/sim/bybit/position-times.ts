// When each position opened and last changed: Bybit's `createdTime` stays put while a position
// lives and `updatedTime` moves with every change; the exchange core keeps neither. A position
// that goes flat is forgotten, so the next one on the instrument starts afresh.

import type { SimPosition } from '../contract.js';

export interface PositionTime {
  readonly created: number;
  readonly updated: number;
}

export class PositionTimes {
  private readonly times = new Map<string, PositionTime>();

  /** A position event: the position changed at `now`. */
  changed(position: SimPosition, now: number): PositionTime {
    const key = keyOf(position);
    if (position.size === 0) {
      const last = this.times.get(key);
      this.times.delete(key);
      return { created: last?.created ?? now, updated: now };
    }
    const time = { created: this.times.get(key)?.created ?? now, updated: now };
    this.times.set(key, time);
    return time;
  }

  /** A position read: its times, first seen now if no event told of it yet. */
  of(position: SimPosition, now: number): PositionTime {
    const key = keyOf(position);
    const known = this.times.get(key);
    if (known !== undefined || position.size === 0) return known ?? { created: now, updated: now };
    const time = { created: now, updated: now };
    this.times.set(key, time);
    return time;
  }
}

function keyOf(position: SimPosition): string {
  return `${position.accountId}\u0000${position.instrument}`;
}
