// Volatility risk premium: what options charge over what the underlying delivered. The desk
// convention compares the forward-looking implied vol at a constant maturity with the trailing
// realised vol over the same length (30-day ATM IV against the last 30 days' RV): the only
// realised figure known when the option is priced.

/** ATM IV minus RV over the same tenor, both decimal (0.55 = 55 vol points); null when either is
 * unknown, since a premium against nothing means nothing. */
export function volRiskPremium(atmIv: number | null, realized: number | null): number | null {
  if (atmIv === null || realized === null) return null;
  if (!Number.isFinite(atmIv) || !Number.isFinite(realized) || atmIv < 0 || realized < 0) {
    throw new RangeError(`vols must be non-negative numbers, got IV ${atmIv} and RV ${realized}`);
  }
  return atmIv - realized;
}
