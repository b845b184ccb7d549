// What the exchange keeps per listed instrument.

import type { InstrumentSpec } from '../../instruments/types.js';
import { yearFraction } from '../../pricing/index.js';
import type { ModelMark, SimInstrument } from '../contract.js';
import type { InstrumentBook } from './book.js';
import type { TradeTape } from './tape.js';

export interface Listing {
  readonly instrument: SimInstrument;
  readonly spec: InstrumentSpec;
  readonly book: InstrumentBook;
  readonly tape: TradeTape;
  /** Futures: initial margin is notional / leverage. */
  readonly leverage: number;
  mark: ModelMark | null;
  /** Open interest the rest of the (imaginary) market holds. */
  readonly baseOpenInterest: number;
  /** What the rest of the market traded over the day before the sim began; trades add to it. */
  readonly baseVolume24h: number;
  /** Σ |size| of the sim's users' positions. */
  userExposure: number;
  /** What the last ticker event showed, to publish only when it changes. */
  tickerState: readonly (number | null)[];
}

/** The leverage an account trades the listing at: its own choice, else the listing's. */
export function leverageOf(
  listing: Listing,
  ledger: { readonly leverages: ReadonlyMap<string, number> } | undefined,
): number {
  return ledger?.leverages.get(listing.spec.name) ?? listing.leverage;
}

/** The latest model mark, or a flat stand-in before the model has valued the instrument. */
export function markOf(listing: Listing, indexPrice: number): ModelMark {
  return (
    listing.mark ?? {
      markPrice: 0,
      markIv: null,
      forward: indexPrice,
      underlyingName: '',
      indexPrice,
      fundingRate: null,
    }
  );
}

/** Years to expiry on the sim clock; 0 for perpetuals. */
export function yearsLeft(listing: Listing, now: number): number {
  const expiry = listing.spec.expiry;
  return expiry === null ? 0 : yearFraction(now, expiry);
}
