/**
 * The depth and tape of one instrument, from the engine: its L2 book (each level's size, the
 * size down to it, our own resting size there, and for options the level's IV at the chain's
 * forward) and its latest prints with their IVs, taker side and block flag. A book that is
 * not live says so and shows no levels as if they were.
 */
import type { AccountState } from '../book/account-state.js';
import type { MarketState } from '../book/market-state.js';
import type { BookSide } from '../book/book-side.js';
import { impliedVol } from '../pricing/iv.js';
import { usdFromPremium } from '../pricing/premium.js';
import { yearFraction } from '../pricing/time.js';
import type { DepthLevelView, DepthView } from '../view/types.js';

/** Levels a side: more than a screen shows, fewer than a venue sends. */
export const DEPTH_LEVELS = 25;
export const TAPE_SHOWN = 30;

export function buildDepthView(
  market: MarketState,
  account: AccountState,
  venue: string,
  instrument: string,
  now: number,
): DepthView {
  const spec = market.registry(venue).get(instrument);
  const option = spec?.kind === 'option';
  const book = market.books.get(venue, instrument);
  const own = ownSizes(account, venue, instrument);
  const levelIv = ivOf(market, venue, instrument, now);
  const state =
    book === undefined
      ? 'waiting'
      : book.state === 'awaiting-snapshot'
        ? 'waiting'
        : book.state === 'live'
          ? book.crossed
            ? 'broken'
            : 'live'
          : 'stale';
  const note =
    book === undefined
      ? 'asking for its book'
      : state === 'waiting'
        ? 'waiting for its snapshot'
        : state === 'broken'
          ? 'crossed: may not be current'
          : state === 'stale'
            ? 'broken or stale: resyncing, levels not shown'
            : null;
  const live = book !== undefined && state === 'live';
  return {
    instrument,
    option,
    book: state,
    bookNote: note,
    bids: live ? levels(book.bids, 'buy', own, levelIv) : [],
    asks: live ? levels(book.asks, 'sell', own, levelIv) : [],
    trades: market.recentTrades(venue, instrument, TAPE_SHOWN).map((trade) => ({
      ts: trade.ts,
      takerSide: trade.takerSide,
      price: trade.price,
      size: trade.size,
      iv: trade.iv,
      block: trade.block,
    })),
  };
}

type OwnSizes = ReadonlyMap<string, number>;

/** Our open orders' remaining size by side and price (`buy:0.0125`). */
function ownSizes(account: AccountState, venue: string, instrument: string): OwnSizes {
  const sizes = new Map<string, number>();
  for (const order of account.orders(venue)) {
    if (order.instrument !== instrument || order.price === null || order.status !== 'open')
      continue;
    const key = `${order.side}:${order.price}`;
    sizes.set(key, (sizes.get(key) ?? 0) + Math.max(0, order.amount - order.filled));
  }
  return sizes;
}

function levels(
  side: BookSide,
  ownSide: 'buy' | 'sell',
  own: OwnSizes,
  levelIv: (price: number) => number | null,
): DepthLevelView[] {
  const out: DepthLevelView[] = [];
  let cumulative = 0;
  for (let depth = 0; depth < Math.min(side.count, DEPTH_LEVELS); depth++) {
    const price = side.priceAt(depth);
    const size = side.sizeAt(depth);
    cumulative += size;
    out.push({
      price,
      size,
      cumulative,
      iv: levelIv(price),
      own: own.get(`${ownSide}:${price}`) ?? 0,
    });
  }
  return out;
}

/** A level's IV for an option at the chain's forward now; null for anything else. */
function ivOf(
  market: MarketState,
  venue: string,
  instrument: string,
  now: number,
): (price: number) => number | null {
  const chain = market.chains(venue).find((candidate) => candidate.has(instrument));
  const spec = chain?.option(instrument)?.spec;
  const forward = spec === undefined ? NaN : (chain?.row(spec.expiry)?.forward ?? NaN);
  const years = spec === undefined ? NaN : yearFraction(now, spec.expiry);
  if (spec === undefined || !(forward > 0) || !(years > 0)) return () => null;
  return (price) => {
    const iv = impliedVol(
      usdFromPremium(price, forward, spec.settlement),
      forward,
      spec.strike,
      years,
      spec.type,
    );
    return Number.isFinite(iv) ? iv : null;
  };
}
