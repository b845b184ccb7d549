import type { OptionSpec, Settlement } from '../instruments/types.js';
import {
  allocateChainGreeks,
  black76GreeksBatch,
  black76GreeksInto,
  DELTA,
  GAMMA,
  impliedVol,
  PRICE,
  impliedVolBatch,
  THETA,
  VEGA,
  yearFraction,
  type ChainGreeks,
  type ChainInputs,
} from '../pricing/index.js';

/** Where an expiry's forward came from, best first. */
export type ForwardSource = 'venue' | 'future' | 'parity' | 'none';

/** Where an option's best bid/ask came from. */
export const QUOTE_NONE = 0;
export const QUOTE_TICKER = 1;
export const QUOTE_BOOK = 2;

// How many near-the-money strikes vote on a parity forward; the median shrugs off one bad quote.
const PARITY_VOTES = 3;

/**
 * One expiry of an option chain: strikes ascending, and per strike a call slot (2k) and a put
 * slot (2k+1). Struct-of-arrays in Float64Arrays, NaN for "none", so a forward move reprices
 * the whole row in one batch over contiguous memory, and a quote change reprices one slot.
 * Prices are in the option's quote unit (coin for inverse options); IVs are decimals; greeks
 * are Black-76 at the mark IV in USD (delta is the forward delta, vega per vol point, theta
 * per calendar day).
 */
export class ExpiryRow {
  readonly strikes: Float64Array;
  /** The listed contract in each slot, null where only the other type is listed. */
  readonly specs: (OptionSpec | null)[];
  readonly settlement: Settlement;
  readonly bid: Float64Array;
  readonly bidSize: Float64Array;
  readonly ask: Float64Array;
  readonly askSize: Float64Array;
  readonly mark: Float64Array;
  readonly bidIv: Float64Array;
  readonly askIv: Float64Array;
  /**
   * The strike's mark IV, the same on its call and its put: solved from the out-of-the-money
   * side's mark (puts below the forward, calls at and above), as the venues quote it. An
   * in-the-money mark is mostly intrinsic value, so its IV jumps with every tick of the
   * forward; the ITM side's own IV stands in only where the OTM side has none.
   */
  readonly markIv: Float64Array;
  readonly greeks: ChainGreeks;
  /** QUOTE_NONE, QUOTE_TICKER or QUOTE_BOOK per slot. */
  readonly quoteSource: Uint8Array;
  /** 1 where the slot's quotes can no longer be trusted (its book broke, its stream stopped). */
  readonly stale: Uint8Array;
  /** 1 where a book is subscribed for the slot, so the ticker's top is not used while it is good. */
  readonly hasBook: Uint8Array;

  forward = NaN;
  forwardSource: ForwardSource = 'none';
  /** Index into `strikes` of the strike nearest the forward; -1 without a forward. */
  atmIndex = -1;
  /** The forward moved since the row was last repriced as a whole. */
  dirty = false;

  #venueForward = NaN;
  #futureForward = NaN;
  readonly #inputs: ChainInputs;
  readonly #usd: Float64Array;
  /** Each slot's mark IV solved from its own mark, before the strike's OTM side is chosen. */
  readonly #ownMarkIv: Float64Array;
  readonly #slotGreeks = new Float64Array(5);

  constructor(
    readonly expiry: number,
    options: readonly OptionSpec[],
  ) {
    const strikes = [...new Set(options.map((option) => option.strike))].sort((a, b) => a - b);
    this.strikes = Float64Array.from(strikes);
    const slots = strikes.length * 2;
    this.specs = new Array<OptionSpec | null>(slots).fill(null);
    for (const option of options) {
      const slot = strikes.indexOf(option.strike) * 2 + (option.type === 'put' ? 1 : 0);
      this.specs[slot] = option;
    }
    this.settlement = options[0]?.settlement ?? 'inverse';
    const nans = (): Float64Array => new Float64Array(slots).fill(NaN);
    this.bid = nans();
    this.bidSize = nans();
    this.ask = nans();
    this.askSize = nans();
    this.mark = nans();
    this.bidIv = nans();
    this.askIv = nans();
    this.markIv = nans();
    this.greeks = allocateChainGreeks(slots);
    const { price, delta, gamma, vega, theta } = this.greeks;
    for (const array of [price, delta, gamma, vega, theta]) array.fill(NaN);
    this.quoteSource = new Uint8Array(slots);
    this.stale = new Uint8Array(slots);
    this.hasBook = new Uint8Array(slots);
    this.#inputs = {
      forward: new Float64Array(slots),
      strike: Float64Array.from({ length: slots }, (_, slot) => strikes[slot >> 1]!),
      expiry: new Float64Array(slots),
      isCall: Uint8Array.from({ length: slots }, (_, slot) => (slot % 2 === 0 ? 1 : 0)),
    };
    this.#usd = new Float64Array(slots);
    this.#ownMarkIv = nans();
  }

  get slots(): number {
    return this.specs.length;
  }

  /** Takes over another row's state for the same expiry after a relisting. */
  adoptForward(from: ExpiryRow): void {
    this.#venueForward = from.#venueForward;
    this.#futureForward = from.#futureForward;
    this.forward = from.forward;
    this.forwardSource = from.forwardSource;
    this.atmIndex = nearestStrike(this.strikes, this.forward);
    this.dirty = true;
  }

  /** Copies one option's quotes and analytics from its slot in an older row. */
  copySlot(from: ExpiryRow, fromSlot: number, slot: number): void {
    const arrays = [
      [from.bid, this.bid],
      [from.bidSize, this.bidSize],
      [from.ask, this.ask],
      [from.askSize, this.askSize],
      [from.mark, this.mark],
      [from.bidIv, this.bidIv],
      [from.askIv, this.askIv],
      [from.markIv, this.markIv],
      [from.#ownMarkIv, this.#ownMarkIv],
      [from.quoteSource, this.quoteSource],
      [from.stale, this.stale],
      [from.hasBook, this.hasBook],
      ...(Object.keys(this.greeks) as (keyof ChainGreeks)[]).map((key) => [
        from.greeks[key],
        this.greeks[key],
      ]),
    ] as const;
    for (const [source, target] of arrays) target[slot] = source[fromSlot]!;
  }

  /** The forward an option ticker of this expiry priced off (the venue's own). */
  setVenueForward(value: number): void {
    this.#venueForward = value;
    this.#resolveForward();
  }

  /** The mid (or mark) of the dated future expiring with these options. */
  setFutureForward(value: number): void {
    this.#futureForward = value;
    this.#resolveForward();
  }

  /**
   * Reprices one slot from its quotes at the row's forward: after a quote change. The whole
   * row waits for `reprice` when the forward has moved.
   */
  repriceSlot(slot: number, now: number): void {
    this.repriceQuotes(slot, now);
    const years = yearFraction(now, this.expiry);
    const forward = this.forward;
    const k = slot >> 1;
    const strike = this.strikes[k]!;
    const type = slot % 2 === 0 ? 'call' : 'put';
    this.#ownMarkIv[slot] = this.#iv(this.mark[slot]!, forward, strike, years, type);
    // The strike's one mark IV may have changed: both of its options are repriced.
    this.#resolveStrikeIv(k);
    for (const side of [2 * k, 2 * k + 1]) {
      if (this.specs[side] === null) continue;
      const out = this.#slotGreeks;
      black76GreeksInto(out, forward, strike, years, this.markIv[side]!, side % 2 === 0, 0);
      this.greeks.price[side] = out[PRICE]!;
      this.greeks.delta[side] = out[DELTA]!;
      this.greeks.gamma[side] = out[GAMMA]!;
      this.greeks.vega[side] = out[VEGA]!;
      this.greeks.theta[side] = out[THETA]!;
    }
  }

  /**
   * After a book top change: only the bid and ask moved, so only their IVs are re-solved. The
   * mark IV and greeks depend on neither and keep the time of their last repricing.
   */
  repriceQuotes(slot: number, now: number): void {
    const years = yearFraction(now, this.expiry);
    const forward = this.forward;
    const strike = this.strikes[slot >> 1]!;
    const type = slot % 2 === 0 ? 'call' : 'put';
    this.bidIv[slot] = this.#iv(this.bid[slot]!, forward, strike, years, type);
    this.askIv[slot] = this.#iv(this.ask[slot]!, forward, strike, years, type);
  }

  /** Reprices every slot in one batch at the current forward; clears `dirty`. */
  reprice(now: number): void {
    if (this.forwardSource !== 'venue' && this.forwardSource !== 'future') this.#parityForward();
    const inputs = this.#inputs;
    inputs.forward.fill(this.forward);
    inputs.expiry.fill(yearFraction(now, this.expiry));
    this.#batchIv(this.bid, this.bidIv);
    this.#batchIv(this.ask, this.askIv);
    this.#batchIv(this.mark, this.#ownMarkIv);
    for (let k = 0; k < this.strikes.length; k += 1) this.#resolveStrikeIv(k);
    black76GreeksBatch(inputs, this.markIv, this.greeks);
    this.dirty = false;
  }

  #batchIv(premium: Float64Array, out: Float64Array): void {
    const usd = this.#usd;
    const forward = this.forward;
    const inverse = this.settlement === 'inverse';
    for (let slot = 0; slot < usd.length; slot += 1) {
      const price = premium[slot]!;
      usd[slot] = inverse ? price * forward : price;
    }
    impliedVolBatch(this.#inputs, usd, out);
    // As in #iv: a premium without time value has no IV (the solver's limit is 0).
    for (let slot = 0; slot < out.length; slot += 1) if (out[slot] === 0) out[slot] = NaN;
  }

  /**
   * The strike's mark IV from its OTM side; from the ITM side only where the OTM option is
   * unlisted or has no mark yet. An OTM mark of zero leaves the strike without an IV: the
   * ITM mark there is intrinsic value plus noise.
   */
  #resolveStrikeIv(k: number): void {
    const call = 2 * k;
    const put = call + 1;
    const otm = this.forward > 0 && this.strikes[k]! < this.forward ? put : call;
    const otmPriced = this.specs[otm] !== null && !Number.isNaN(this.mark[otm]!);
    const iv = this.#ownMarkIv[otmPriced ? otm : otm ^ 1]!;
    // An option with no mark of its own (unlisted, never quoted) shows no IV and no greeks.
    this.markIv[call] = Number.isNaN(this.mark[call]!) ? NaN : iv;
    this.markIv[put] = Number.isNaN(this.mark[put]!) ? NaN : iv;
  }

  #iv(
    premium: number,
    forward: number,
    strike: number,
    years: number,
    type: 'call' | 'put',
  ): number {
    if (Number.isNaN(premium)) return NaN;
    const usd = this.settlement === 'inverse' ? premium * forward : premium;
    const iv = impliedVol(usd, forward, strike, years, type);
    // No time value (a zero mark, a bid at intrinsic) says nothing about volatility: no IV.
    return iv === 0 ? NaN : iv;
  }

  #resolveForward(): void {
    let forward = NaN;
    let source: ForwardSource = 'none';
    if (this.#venueForward > 0) {
      forward = this.#venueForward;
      source = 'venue';
    } else if (this.#futureForward > 0) {
      forward = this.#futureForward;
      source = 'future';
    }
    if (source === 'none') return; // parity is worked out when the row is repriced
    this.#setForward(forward, source);
  }

  #setForward(forward: number, source: ForwardSource): void {
    this.forwardSource = source;
    if (forward === this.forward) return;
    this.dirty = true;
    this.forward = forward;
    this.atmIndex = nearestStrike(this.strikes, forward);
  }

  /**
   * Forward from put–call parity of mids (r = 0): linear C − P = F − K, so F = K + (c − p);
   * inverse premiums are coin, c − p = (F − K)/F, so F = K / (1 − (c − p)). Strikes where the
   * call and put are closest in value sit nearest the forward and give the tightest estimate.
   */
  #parityForward(): void {
    const candidates: { gap: number; forward: number }[] = [];
    for (let k = 0; k < this.strikes.length; k += 1) {
      const call = mid(this.bid[2 * k]!, this.ask[2 * k]!);
      const put = mid(this.bid[2 * k + 1]!, this.ask[2 * k + 1]!);
      if (Number.isNaN(call) || Number.isNaN(put)) continue;
      const strike = this.strikes[k]!;
      const difference = call - put;
      const forward =
        this.settlement === 'inverse' ? strike / (1 - difference) : strike + difference;
      if (forward > 0 && Number.isFinite(forward)) {
        candidates.push({ gap: Math.abs(difference), forward });
      }
    }
    if (candidates.length === 0) return;
    candidates.sort((a, b) => a.gap - b.gap);
    const votes = candidates
      .slice(0, PARITY_VOTES)
      .map((candidate) => candidate.forward)
      .sort((a, b) => a - b);
    this.#setForward(votes[(votes.length - 1) >> 1]!, 'parity');
  }
}

function mid(bid: number, ask: number): number {
  return bid > 0 && ask > 0 ? (bid + ask) / 2 : NaN;
}

/** The strike nearest the forward in log-moneyness; the lower one on a tie. */
export function nearestStrike(strikes: Float64Array, forward: number): number {
  if (!(forward > 0) || strikes.length === 0) return -1;
  let best = 0;
  let bestDistance = Infinity;
  for (let k = 0; k < strikes.length; k += 1) {
    const distance = Math.abs(Math.log(strikes[k]! / forward));
    if (distance < bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}
