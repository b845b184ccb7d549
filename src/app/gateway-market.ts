/**
 * What the order gateway and the command planner read about the market, answered from the
 * engine's live state: specs from the registry, option quotes from their chain (ivtrade's own
 * mark IVs), futures' from their tickers.
 */
import type { MarketState } from '../book/market-state.js';
import type { OptionChain, OptionQuote } from '../book/option-chain.js';
import type { GatewayMarket } from '../gateway/types.js';
import type { InstrumentSpec, PriceBand } from '../instruments/types.js';
import { impliedVol, usdFromPremium, yearFraction } from '../pricing/index.js';

/** Best bid and ask and mark of one instrument, null where there is none. */
export interface Touch {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mark: number | null;
}

const finiteOrNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : value;

export class EngineMarket implements GatewayMarket {
  constructor(
    private readonly market: MarketState,
    private readonly now: () => number = Date.now,
  ) {}

  spec(venue: string, instrument: string): InstrumentSpec | undefined {
    return this.market.registry(venue).get(instrument);
  }

  /** Every listed instrument of the venue, for `i <query>`. */
  specs(venue: string): InstrumentSpec[] {
    return [...this.market.registry(venue).all()];
  }

  touch(venue: string, instrument: string): Touch {
    const option = this.#chainOf(venue, instrument)?.option(instrument);
    if (option !== undefined) {
      return {
        bid: finiteOrNull(option.bid),
        ask: finiteOrNull(option.ask),
        mark: finiteOrNull(option.mark),
      };
    }
    const ticker = this.market.ticker(venue, instrument);
    return {
      bid: finiteOrNull(ticker?.bid),
      ask: finiteOrNull(ticker?.ask),
      mark: finiteOrNull(ticker?.mark),
    };
  }

  /**
   * An option's quote and greeks (repriced if its forward moved), with its expiry's forward
   * and the years left; null for anything else.
   */
  optionQuote(
    venue: string,
    instrument: string,
  ): { quote: OptionQuote; forward: number | null; years: number | null } | null {
    const chain = this.#chainOf(venue, instrument);
    if (chain === undefined) return null;
    this.#settle(chain, instrument);
    const quote = chain.option(instrument);
    if (quote === undefined) return null;
    const forward = finiteOrNull(chain.row(quote.spec.expiry)?.forward);
    const years = yearFraction(this.now(), quote.spec.expiry);
    return { quote, forward, years: years > 0 ? years : null };
  }

  mark(venue: string, instrument: string): number | null {
    return this.touch(venue, instrument).mark;
  }

  markIv(venue: string, instrument: string): number | null {
    const chain = this.#chainOf(venue, instrument);
    if (chain === undefined) return null;
    this.#settle(chain, instrument);
    return finiteOrNull(chain.option(instrument)?.markIv);
  }

  impliedVol(venue: string, instrument: string, price: number): number | null {
    const chain = this.#chainOf(venue, instrument);
    const spec = chain?.option(instrument)?.spec;
    if (chain === undefined || spec === undefined) return null;
    this.#settle(chain, instrument);
    const forward = chain.row(spec.expiry)?.forward ?? NaN;
    if (!Number.isFinite(forward)) return null;
    const years = yearFraction(this.now(), spec.expiry);
    if (!(years > 0)) return null;
    const usd = usdFromPremium(price, forward, spec.settlement);
    return finiteOrNull(impliedVol(usd, forward, spec.strike, years, spec.type));
  }

  priceBand(venue: string, instrument: string): PriceBand | null {
    return this.market.priceBand(venue, instrument) ?? null;
  }

  usdPerCoin(venue: string, instrument: string): number | null {
    const chain = this.#chainOf(venue, instrument);
    if (chain !== undefined) return finiteOrNull(chain.index);
    const ticker = this.market.ticker(venue, instrument);
    return finiteOrNull(ticker?.index ?? ticker?.mark);
  }

  #chainOf(venue: string, instrument: string): OptionChain | undefined {
    return this.market.chains(venue).find((candidate) => candidate.has(instrument));
  }

  /**
   * IVs and greeks of an expiry whose forward moved are recomputed lazily: an order checked
   * against them must see them current, screen or no screen. Only the order's own expiry is
   * repriced (a whole-chain settle costs milliseconds right after a market step).
   */
  #settle(chain: OptionChain, instrument: string): void {
    const spec = chain.option(instrument)?.spec;
    const row = spec === undefined ? undefined : chain.row(spec.expiry);
    if (row?.dirty === true) row.reprice(this.now());
  }
}
