/**
 * Deltas in coins, by the positions panel's rules (src/view/positions-view.ts): an option
 * position's delta is its size (coins) times the per-coin delta; a USD-sized inverse
 * contract is worth size / mark coins. What the panel leaves out — the premium an inverse
 * option's holder also holds in coin — is applied here when the convention asks for it.
 *
 * Nothing is guessed: a held option without the figure its delta needs makes the whole sum
 * unknown, and the decision pauses rather than hedge a partial book.
 */
import type { PositionEvent } from '../book/events.js';
import type { OptionSpec } from '../instruments/types.js';
import { premiumAdjustedDelta } from '../pricing/premium.js';
import type { DeltaConvention, DeltaSource } from './types.js';

/**
 * What the options delta reads about one option. An OptionChain's `OptionQuote` fits; `ts`
 * (when the option's quote last changed, hedger clock) feeds the staleness check.
 */
export interface OptionDeltaQuote {
  readonly spec: Pick<OptionSpec, 'settlement'>;
  /** In the premium currency: coin for inverse options. */
  readonly mark: number | null;
  /** ivtrade's Black-76 forward delta per coin, at mark IV. */
  readonly delta: number | null;
  readonly ts?: number | null;
}

/**
 * The quote of a held option of the hedged currency; undefined for anything else (futures,
 * perpetuals, other currencies' options), which the sum then leaves out. A held option of the
 * currency with no quote yet must still be answered, with null mark and delta: undefined
 * would drop it from the book silently.
 */
export type OptionQuoteLookup = (instrument: string) => OptionDeltaQuote | undefined;

export interface OptionsDelta {
  /** Coins; null when any held option's delta is unknown. */
  readonly delta: number | null;
  /** The oldest `ts` among the held options' quotes; null when none carries one. */
  readonly oldestTs: number | null;
}

/**
 * Net delta of the currency's option positions, in coins.
 *
 * Source 'venue' takes the position's `venueDelta` as the venue publishes it (it is already
 * the whole position's delta, in the venue's own convention: Deribit's and the simulator's
 * are premium-adjusted for inverse options), falling back to ivtrade's figure when the venue
 * sent none. The convention applies to ivtrade's figure only.
 */
export function optionsDelta(
  positions: readonly PositionEvent[],
  quoteOf: OptionQuoteLookup,
  convention: DeltaConvention,
  source: DeltaSource,
): OptionsDelta {
  let sum = 0;
  let known = true;
  let oldestTs: number | null = null;
  for (const position of positions) {
    if (position.size === 0) continue;
    const quote = quoteOf(position.instrument);
    if (quote === undefined) continue;
    const ts = quote.ts ?? null;
    if (ts !== null && (oldestTs === null || ts < oldestTs)) oldestTs = ts;
    const delta = positionDelta(position, quote, convention, source);
    if (delta === null) known = false;
    else sum += delta;
  }
  return { delta: known ? sum : null, oldestTs };
}

function positionDelta(
  position: PositionEvent,
  quote: OptionDeltaQuote,
  convention: DeltaConvention,
  source: DeltaSource,
): number | null {
  if (source === 'venue' && finite(position.venueDelta)) return position.venueDelta;
  const perCoin = modelDelta(quote, convention);
  return perCoin === null ? null : position.size * perCoin;
}

function modelDelta(quote: OptionDeltaQuote, convention: DeltaConvention): number | null {
  if (!finite(quote.delta)) return null;
  if (convention === 'forward' || quote.spec.settlement !== 'inverse') return quote.delta;
  if (!finite(quote.mark)) return null;
  return premiumAdjustedDelta(quote.delta, quote.mark);
}

/**
 * The hedge position's delta in coins: a base-unit size is coins already; a USD-sized inverse
 * contract holds size / mark coins. Null when that needs a mark there is none of.
 */
export function hedgeDelta(
  size: number,
  sizeUnit: 'base' | 'usd',
  mark: number | null,
): number | null {
  if (size === 0) return 0;
  if (sizeUnit === 'base') return size;
  return finite(mark) && mark > 0 ? size / mark : null;
}

function finite(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}
