// Change ids as the client sees them. Without load mode they are the core's own; load mode
// slips synthetic changes into a book's chain, so every later id of that book moves up by the
// number inserted and each message still names its predecessor.

export interface ChainState {
  offset: number;
  lastOut: number;
}

export class ChangeChains {
  private readonly states = new Map<string, ChainState>();

  /** Ids for a real book update of the core; also keeps the chain of a loaded book current. */
  mapReal(instrument: string, prevChangeId: number, changeId: number): [number, number] {
    const state = this.states.get(instrument);
    if (state === undefined) return [prevChangeId, changeId];
    const change = changeId + state.offset;
    const prev = state.lastOut;
    state.lastOut = change;
    return [prev, change];
  }

  /** The change id a snapshot taken now carries. */
  current(instrument: string, bookChangeId: number): number {
    return this.states.get(instrument)?.lastOut ?? bookChangeId;
  }

  /** Whether load mode has slipped synthetic changes into this book's chain. */
  loaded(instrument: string): boolean {
    return this.states.has(instrument);
  }

  /** The state a synthetic change of this book advances; created on first use. */
  state(instrument: string, bookChangeId: number): ChainState {
    let state = this.states.get(instrument);
    if (state === undefined) {
      state = { offset: 0, lastOut: bookChangeId };
      this.states.set(instrument, state);
    }
    return state;
  }
}

/** Advances a chain by one synthetic change; returns its prev id (the new id is prev + 1). */
export function insertSynthetic(state: ChainState): number {
  const prev = state.lastOut;
  state.lastOut = prev + 1;
  state.offset++;
  return prev;
}
