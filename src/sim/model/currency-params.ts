// Per-coin character of the simulated market. BTC and ETH carry figures close to their usual
// behaviour; any other coin gets a more volatile, less correlated profile so it still looks
// like a small-cap crypto rather than failing.

export interface CurrencyParams {
  readonly initialIndex: number;
  /** Scales the market regime's volatility (BTC = 1). */
  readonly volMultiplier: number;
  /** Loading on the common market factor; BTC–ETH correlation is the product of loadings. */
  readonly factorLoading: number;
  /** Scales the common jump (alts fall harder than BTC). */
  readonly jumpBeta: number;
  /** Skew level the smile's ρ reverts to (negative: puts richer). */
  readonly skewMean: number;
  /** Dollar value of a typical market-maker level, to size quotes in coin. */
  readonly levelNotionalUsd: number;
  /** Smallest option strike spacing as a fraction of spot at listing (BTC 500 at 90k). */
  readonly minStrikeStep: number;
}

const KNOWN: Readonly<Record<string, CurrencyParams>> = {
  BTC: {
    initialIndex: 90_000,
    volMultiplier: 1,
    factorLoading: 0.95,
    jumpBeta: 1,
    skewMean: -0.2,
    levelNotionalUsd: 180_000,
    minStrikeStep: 0.005,
  },
  ETH: {
    initialIndex: 3_000,
    volMultiplier: 1.3,
    factorLoading: 0.86,
    jumpBeta: 1.3,
    skewMean: -0.15,
    levelNotionalUsd: 90_000,
    minStrikeStep: 0.008,
  },
};

const OTHER: CurrencyParams = {
  initialIndex: 100,
  volMultiplier: 1.6,
  factorLoading: 0.7,
  jumpBeta: 1.6,
  skewMean: -0.1,
  levelNotionalUsd: 30_000,
  minStrikeStep: 0.01,
};

export function currencyParams(
  currency: string,
  initialIndex: Readonly<Record<string, number>> | undefined,
): CurrencyParams {
  const base = KNOWN[currency] ?? OTHER;
  const start = initialIndex?.[currency];
  if (start === undefined) return base;
  if (!(start > 0) || !Number.isFinite(start)) {
    throw new RangeError(`initial index for ${currency} must be a positive number, got ${start}`);
  }
  return { ...base, initialIndex: start };
}
