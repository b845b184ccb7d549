/**
 * The session's realised PnL and fees, from our fills: each instrument's position carried at
 * its average cost (from the account as first loaded, then every fill), and a fill that
 * reduces it realises (price − average) on what it closes, in the instrument's settlement
 * currency. Inverse futures are sized in USD: their cost is counted in coin (USD / price), so
 * what a close realises is USD × (1/average − 1/price) coin. A fill heard twice counts once.
 * Pure: fed events, no clock.
 */
import type { FillEvent, PositionEvent } from './events.js';

export interface PnlInstrument {
  /** The currency PnL is made in: the coin for inverse contracts, else USDC/USDT. */
  readonly settleCurrency: string;
  /** Sized in USD (inverse futures and perpetuals). */
  readonly usdSized: boolean;
}

interface Basis {
  size: number;
  /** Average price of the open size. */
  average: number;
}

export class SessionPnl {
  readonly #basis = new Map<string, Basis>();
  readonly #realized = new Map<string, number>();
  readonly #fees = new Map<string, number>();
  readonly #trades = new Set<string>();
  #based = false;
  #fills = 0;

  /**
   * `since`: fills before it still move each position's average cost, but only fills from it
   * on are counted as realised PnL and fees (PnL since a chosen time).
   */
  constructor(
    private readonly specOf: (instrument: string) => PnlInstrument | undefined,
    private readonly since = -Infinity,
  ) {}

  /** The account as first loaded: what was held before the session, at its average price. */
  startFrom(positions: readonly PositionEvent[]): void {
    if (this.#based) return;
    this.#based = true;
    for (const position of positions) {
      if (position.size !== 0 && !this.#basis.has(position.instrument)) {
        this.#basis.set(position.instrument, {
          size: position.size,
          average: position.averagePrice,
        });
      }
    }
  }

  applyFill(fill: FillEvent): void {
    if (this.#trades.has(fill.tradeId)) return;
    this.#trades.add(fill.tradeId);
    const counted = fill.ts >= this.since;
    if (counted) {
      this.#fills += 1;
      add(this.#fees, fill.feeCurrency, fill.fee);
    }
    const spec = this.specOf(fill.instrument);
    if (spec === undefined || !(fill.size > 0) || !(fill.price > 0)) return;
    const basis = this.#basis.get(fill.instrument) ?? { size: 0, average: 0 };
    const signed = fill.side === 'buy' ? fill.size : -fill.size;
    if (basis.size === 0 || Math.sign(basis.size) === Math.sign(signed)) {
      basis.average = averageOf(basis, signed, fill.price, spec.usdSized);
      basis.size += signed;
    } else {
      const closed = Math.min(Math.abs(signed), Math.abs(basis.size));
      const direction = Math.sign(basis.size);
      const made = spec.usdSized
        ? closed * (1 / basis.average - 1 / fill.price) * direction
        : closed * (fill.price - basis.average) * direction;
      if (counted) add(this.#realized, spec.settleCurrency, made);
      basis.size += signed;
      // Past flat: the rest opens the other way at this fill's price.
      if (Math.abs(signed) > closed) basis.average = fill.price;
      if (Math.abs(basis.size) < 1e-12) basis.size = 0;
    }
    this.#basis.set(fill.instrument, basis);
  }

  /** Realised PnL by settlement currency. */
  realized(): ReadonlyMap<string, number> {
    return this.#realized;
  }

  /** Fees paid by currency (a maker rebate counts negative). */
  fees(): ReadonlyMap<string, number> {
    return this.#fees;
  }

  get fills(): number {
    return this.#fills;
  }
}

function averageOf(basis: Basis, signed: number, price: number, usdSized: boolean): number {
  const held = Math.abs(basis.size);
  const adding = Math.abs(signed);
  if (held === 0) return price;
  // USD-sized: the average is the one whose coin cost adds up (harmonic).
  if (usdSized) return (held + adding) / (held / basis.average + adding / price);
  return (held * basis.average + adding * price) / (held + adding);
}

function add(map: Map<string, number>, key: string, value: number): void {
  if (!Number.isFinite(value)) return;
  map.set(key, (map.get(key) ?? 0) + value);
}
