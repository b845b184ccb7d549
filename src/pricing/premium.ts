// Premium currencies. Inverse (coin-margined) options quote and settle the
// premium in coin: coin price = USD value / F. Linear options quote USD(C/T).

export type PremiumStyle = 'inverse' | 'linear';

export function usdFromPremium(premium: number, forward: number, style: PremiumStyle): number {
  return style === 'inverse' ? premium * forward : premium;
}

export function premiumFromUsd(usd: number, forward: number, style: PremiumStyle): number {
  return style === 'inverse' ? usd / forward : usd;
}

/**
 * Delta in coin of an inverse option: holding it also holds its premium in
 * coin, so the coin exposure is the Black delta less the coin price.
 */
export function premiumAdjustedDelta(delta: number, premiumInCoin: number): number {
  return delta - premiumInCoin;
}
