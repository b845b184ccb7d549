/**
 * The hedger's own fills between an order's answer and the position that shows them. A
 * venue's reply (filled 1,230) can come seconds before its position stream says so; deciding
 * on the position alone in that gap would hedge the same delta twice. So a filled hedge is
 * counted here, on top of the venue's position, until the position is known to include it,
 * and then once only (the position then carries it).
 *
 * The position is known to include a hedge's fill when either
 * - it stands where the hedger expected it after the hedge (the position it decided on when
 *   it sent, plus the fill), or
 * - the private stream has delivered the hedge's trades (matched by order id or label, each
 *   trade id once) and a position update has come after them on that stream.
 * The first serves when the position comes before the trades; the second when something else
 * (the trader's own trade in the same instrument) moved the position meanwhile.
 */
import type { FillEvent } from '../book/events.js';

export interface HedgeFill {
  readonly label: string;
  readonly orderId: string | null;
  /** Signed (a buy positive), in the instrument's amount unit. */
  readonly signed: number;
  /** The position the hedger decided on when it sent this hedge (venue plus unreflected). */
  readonly before: number;
  /** When the answer came (the hedger's clock). */
  readonly since: number;
}

interface Streamed {
  filled: number;
  readonly tradeIds: Set<string>;
  /** A position update came after the latest of these trades. */
  positionSince: boolean;
}

/** Trades of recent orders remembered, to match against answers that come after them. */
const KEEP_ORDERS = 200;

export class FillLedger {
  #pending: HedgeFill[] = [];
  readonly #streamed = new Map<string, Streamed>();

  /** A trade in the hedge instrument from the private stream, whoever's order it was. */
  noteFill(fill: FillEvent): void {
    const keys = [`id:${fill.orderId}`, ...(fill.label === null ? [] : [`label:${fill.label}`])];
    const record = keys.map((key) => this.#streamed.get(key)).find((found) => found) ?? {
      filled: 0,
      tradeIds: new Set<string>(),
      positionSince: false,
    };
    for (const key of keys) this.#keep(key, record);
    if (record.tradeIds.has(fill.tradeId)) return;
    record.tradeIds.add(fill.tradeId);
    record.filled += fill.size;
    record.positionSince = false;
  }

  /** A position update of the hedge instrument from the same stream: it includes every trade before it. */
  notePosition(): void {
    for (const record of this.#streamed.values()) record.positionSince = true;
  }

  add(fill: HedgeFill): void {
    if (fill.signed !== 0) this.#pending.push(fill);
  }

  /**
   * Drops the hedges the venue's position (`size`) now includes, `tolerance` being half a lot;
   * returns their labels.
   */
  reconcile(size: number, tolerance: number): string[] {
    const done = new Set<HedgeFill>();
    // Newest first: a position that shows a hedge shows every hedge sent before it.
    for (let i = this.#pending.length - 1; i >= 0; i -= 1) {
      const fill = this.#pending[i] as HedgeFill;
      if (Math.abs(size - (fill.before + fill.signed)) <= tolerance) {
        for (const earlier of this.#pending.slice(0, i + 1)) done.add(earlier);
        break;
      }
    }
    for (const fill of this.#pending) if (this.#streamedIn(fill)) done.add(fill);
    if (done.size === 0) return [];
    this.#pending = this.#pending.filter((fill) => !done.has(fill));
    return [...done].map((fill) => fill.label);
  }

  /** Signed total the position does not show yet. */
  get unreflected(): number {
    return this.#pending.reduce((sum, fill) => sum + fill.signed, 0);
  }

  get pending(): readonly HedgeFill[] {
    return this.#pending;
  }

  /** Forgets hedges the trader has taken over (`hon` after checking the venue). */
  drop(fills: readonly HedgeFill[]): void {
    this.#pending = this.#pending.filter((fill) => !fills.includes(fill));
  }

  #streamedIn(fill: HedgeFill): boolean {
    const record =
      (fill.orderId === null ? undefined : this.#streamed.get(`id:${fill.orderId}`)) ??
      this.#streamed.get(`label:${fill.label}`);
    if (record === undefined || !record.positionSince) return false;
    // A trade's size is exact to the lot; the tolerance only absorbs float sums.
    return record.filled >= Math.abs(fill.signed) * (1 - 1e-9);
  }

  #keep(key: string, record: Streamed): void {
    this.#streamed.delete(key);
    this.#streamed.set(key, record);
    if (this.#streamed.size > KEEP_ORDERS) {
      const oldest = this.#streamed.keys().next().value as string;
      this.#streamed.delete(oldest);
    }
  }
}
