/**
 * What the hedger's own trades cost today (issue 20): the venue's fees on their fills, and
 * what each fill paid away from the instrument's mid as it stood when the decision sent the
 * order (the half spread crossed plus whatever the price moved before the fill). A trader
 * weighing a tighter band against a wider one needs that figure, not the number of hedges.
 *
 * The day is the UTC day on the clock it is told (the hedger's, as its panel's times are);
 * a fill counts on the day its hedge was sent, so a fill heard just after midnight of a hedge
 * sent before it does not start the new day with a cost and no hedge. Pure: told what was
 * sent and what filled, and when.
 */
import type { FillEvent } from '../book/events.js';
import { dollars } from './figures.js';
import type { HedgeDay, HedgeInstrumentView } from './types.js';

export const DAY_MS = 86_400_000;

/** Dollar stablecoins taken at par, as the funds listing takes them. */
const DOLLARS: ReadonlySet<string> = new Set(['USD', 'USDC', 'USDT']);

/** Hedges remembered for their fills: an IOC's trades come within seconds of its sending. */
const KEEP_HEDGES = 100;

/** 00:00 UTC of the day `ts` falls in (epoch milliseconds have no leap seconds). */
export function utcDayStart(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

export function emptyDay(now: number): HedgeDay {
  return { since: utcDayStart(now), hedges: 0, feesUsd: 0, spreadUsd: 0, costUsd: 0 };
}

/** The day as it stands at `now`: the same one, or a fresh one once midnight has passed. */
export function rollDay(day: HedgeDay, now: number): HedgeDay {
  return utcDayStart(now) === day.since ? day : emptyDay(now);
}

/**
 * A fee in USD: a dollar currency at par, the hedged coin at `coinUsd` (the fill's index, or
 * its price); null when it cannot be priced, which must show as unknown, not as nothing.
 */
export function feeUsd(
  fee: number,
  currency: string,
  coin: string,
  coinUsd: number | null,
): number | null {
  if (!Number.isFinite(fee)) return null;
  if (fee === 0) return 0;
  if (DOLLARS.has(currency)) return fee;
  if (currency === coin && coinUsd !== null && Number.isFinite(coinUsd) && coinUsd > 0) {
    return fee * coinUsd;
  }
  return null;
}

/**
 * What a fill paid away from `mid`, in USD. An inverse contract trades USD amounts: `size`
 * dollars at `price` are size / price coins, each |price − mid| dollars away. A linear one
 * trades coins, each |price − mid| away.
 */
export function spreadUsd(
  sizeUnit: HedgeInstrumentView['sizeUnit'],
  size: number,
  price: number,
  mid: number | null,
): number | null {
  if (mid === null || !(price > 0) || !(size >= 0)) return null;
  const away = Math.abs(price - mid);
  return sizeUnit === 'usd' ? (size * away) / price : size * away;
}

/** The middle of a two-sided, uncrossed quote; null otherwise (no mid to measure from). */
export function midOf(hedge: Pick<HedgeInstrumentView, 'bid' | 'ask'>): number | null {
  const { bid, ask } = hedge;
  if (bid === null || ask === null || !(bid > 0) || !(ask > bid)) return null;
  return (bid + ask) / 2;
}

/** One more hedge sent on the day. */
export function addHedge(day: HedgeDay): HedgeDay {
  return { ...day, hedges: day.hedges + 1 };
}

/** One fill's fee and spread added; an unknown part leaves that part, and the cost, unknown. */
export function addFill(day: HedgeDay, fee: number | null, spread: number | null): HedgeDay {
  const feesUsd = plus(day.feesUsd, fee);
  const spreadUsd = plus(day.spreadUsd, spread);
  return { ...day, feesUsd, spreadUsd, costUsd: plus(feesUsd, spreadUsd) };
}

function plus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** "today 12 hedges · cost $34.20 (fees $30.10, spread $4.10)"; "-" for what is unknown. */
export function todayText(day: HedgeDay): string {
  const money = (value: number | null): string => (value === null ? '-' : dollars(value));
  const count = `today ${day.hedges} hedge${day.hedges === 1 ? '' : 's'}`;
  if (day.hedges === 0) return `${count} · cost ${money(day.costUsd)}`;
  return (
    `${count} · cost ${money(day.costUsd)} ` +
    `(fees ${money(day.feesUsd)}, spread ${money(day.spreadUsd)})`
  );
}

/** A hedge order as sent: what its fills are matched by and measured against. */
export interface SentHedge {
  readonly label: string;
  readonly orderId: string | null;
  /** When the decision sent it (the day it counts on). */
  readonly sentAt: number;
  /** The instrument's mid then; null when the quote was not two-sided. */
  readonly mid: number | null;
  readonly sizeUnit: HedgeInstrumentView['sizeUnit'];
}

interface Followed extends SentHedge {
  orderId: string | null;
  /** Trades already counted: a trade heard twice (reply and stream) costs once. */
  readonly tradeIds: Set<string>;
}

/** The day's hedges and costs, from the hedges sent and the trades of the hedge instrument. */
export class HedgeCosts {
  readonly #coin: string;
  #day: HedgeDay;
  readonly #hedges = new Map<string, Followed>();

  /** `coin`: the currency hedged, in which an inverse contract's fees come. */
  constructor(coin: string, now: number) {
    this.#coin = coin;
    this.#day = emptyDay(now);
  }

  sent(hedge: SentHedge): void {
    this.#day = addHedge(rollDay(this.#day, hedge.sentAt));
    this.#hedges.set(hedge.label, { ...hedge, tradeIds: new Set() });
    if (this.#hedges.size > KEEP_HEDGES) {
      this.#hedges.delete(this.#hedges.keys().next().value as string);
    }
  }

  /** The venue's id for a hedge, once a report gives it (a trade may carry no label). */
  identify(label: string, orderId: string): void {
    const hedge = this.#hedges.get(label);
    if (hedge !== undefined) hedge.orderId = orderId;
  }

  /** A trade in the hedge instrument, whoever's; true when it was a hedge's and counted. */
  fill(fill: FillEvent, now: number): boolean {
    const hedge = this.#find(fill);
    if (hedge === undefined || hedge.tradeIds.has(fill.tradeId)) return false;
    hedge.tradeIds.add(fill.tradeId);
    this.#day = rollDay(this.#day, now);
    if (hedge.sentAt < this.#day.since) return false;
    const coinUsd = fill.indexPrice !== null && fill.indexPrice > 0 ? fill.indexPrice : fill.price;
    this.#day = addFill(
      this.#day,
      feeUsd(fill.fee, fill.feeCurrency, this.#coin, coinUsd),
      spreadUsd(hedge.sizeUnit, fill.size, fill.price, hedge.mid),
    );
    return true;
  }

  today(now: number): HedgeDay {
    this.#day = rollDay(this.#day, now);
    return this.#day;
  }

  #find(fill: FillEvent): Followed | undefined {
    const byLabel = fill.label === null ? undefined : this.#hedges.get(fill.label);
    if (byLabel !== undefined) return byLabel;
    for (const hedge of this.#hedges.values()) if (hedge.orderId === fill.orderId) return hedge;
    return undefined;
  }
}
