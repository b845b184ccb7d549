// Rounding for the wire: the core's arithmetic leaves float noise (0.0015000000000000002) that
// the venue never prints, and Deribit publishes IVs and greeks at fixed precision.

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Prices and amounts: exact enough for any tick, free of float noise. */
export function clean(value: number): number {
  return round(value, 10);
}

export function cleanOrNull(value: number | null): number | null {
  return value === null ? null : clean(value);
}

/** Decimal vol (0.6234) to Deribit's percent with two decimals (62.34). */
export function ivPercent(iv: number | null): number {
  return iv === null || !Number.isFinite(iv) ? 0 : round(iv * 100, 2);
}
