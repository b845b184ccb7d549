/**
 * Hedging policies (issue 20): when to re-hedge and to where, from the book's own figures.
 * Pure; the hedger asks `policyBand` each decision and `hedgeTarget` when it trades.
 *
 * - **Fixed band**: ± a fraction of one coin's value or a dollar amount (today's hedger).
 * - **Gamma band** after Whalley and Wilmott's asymptotically optimal band for proportional
 *   costs: half-width H = (3 λ S Γ² / (2 γ))^(1/3) in coins, where
 *   λ is the cost of trading as a fraction of the notional traded (the hedge instrument's
 *   taker fee plus its half-spread over its mid), S the index in USD, Γ the book's gamma in
 *   coins per USD of spot, and γ the risk aversion in 1/USD (exponential utility of the
 *   book's USD value). A bigger gamma or a dearer hedge widens the band (trading it tight
 *   would be paid for again and again); more aversion narrows it. No gamma gives the minimum
 *   band, and a free hedge gives none.
 * - **Time**: back to the target every N minutes, and never between.
 *
 * Any policy hedges to a target delta (default 0) times the hedge ratio, either all the way
 * to the target or just back to the band's edge.
 */

export type HedgePolicy =
  | { readonly kind: 'fixed'; readonly bandUsd: number }
  | {
      readonly kind: 'gamma';
      /** γ, per USD. */
      readonly aversion: number;
      /** No band is narrower than this, in USD (a lot, the fixed band's floor). */
      readonly minBandUsd: number;
    }
  | { readonly kind: 'time'; readonly everyMs: number };

export interface PolicyInputs {
  /** Index, USD per coin. */
  readonly indexUsd: number;
  /** The book's gamma: change of its delta (coins) per USD of spot. */
  readonly gamma: number;
  /** The hedge instrument's taker fee, a fraction of the notional. */
  readonly feeRate: number;
  /** The hedge instrument's half-spread over its mid, a fraction. */
  readonly halfSpread: number;
  readonly now: number;
  /** When the last hedge went (ms), or null. */
  readonly lastHedgeAt: number | null;
}

/**
 * Where the band is and why, for the decision and the panel. `why` is a getter: the text is
 * built only when someone reads it (the policy bench asks for millions of bands).
 */
export interface PolicyBand {
  /** Half-width in coins; Infinity for a time policy between its times. */
  readonly coins: number;
  readonly usd: number;
  /** "Γ 5.6e-4/$ · cost 5.5 bp · γ 1e-3/$ → ±0.285 BTC", for the panel. */
  readonly why: string;
  /** A time policy's hedge is due now (its band is then 0). */
  readonly due: boolean;
}

/** Whalley–Wilmott half-width in coins; 0 when trading is free, NaN on meaningless input. */
export function whalleyWilmottBand(
  costRate: number,
  indexUsd: number,
  gamma: number,
  aversion: number,
): number {
  if (!(costRate >= 0) || !(indexUsd > 0) || !Number.isFinite(gamma) || !(aversion > 0)) {
    return NaN;
  }
  return Math.cbrt((3 * costRate * indexUsd * gamma * gamma) / (2 * aversion));
}

export function policyBand(policy: HedgePolicy, inputs: PolicyInputs): PolicyBand {
  const { indexUsd } = inputs;
  switch (policy.kind) {
    case 'fixed':
      return new Band(policy, policy.bandUsd / indexUsd, policy.bandUsd, false, 0, 0, false);
    case 'gamma': {
      const cost = inputs.feeRate + inputs.halfSpread;
      const optimal = whalleyWilmottBand(cost, indexUsd, inputs.gamma, policy.aversion);
      const floorCoins = policy.minBandUsd / indexUsd;
      const coins = Number.isFinite(optimal) ? Math.max(optimal, floorCoins) : floorCoins;
      const floored = !(optimal > floorCoins);
      return new Band(policy, coins, coins * indexUsd, false, inputs.gamma, cost, floored);
    }
    case 'time': {
      const due = inputs.lastHedgeAt === null || inputs.now - inputs.lastHedgeAt >= policy.everyMs;
      return new Band(policy, due ? 0 : Infinity, due ? 0 : Infinity, due, 0, 0, false);
    }
  }
}

/** A band with the figures its `why` is written from (a prototype getter: no text until read). */
class Band implements PolicyBand {
  constructor(
    private readonly policy: HedgePolicy,
    readonly coins: number,
    readonly usd: number,
    readonly due: boolean,
    private readonly gamma: number,
    private readonly cost: number,
    private readonly floored: boolean,
  ) {}

  get why(): string {
    const policy = this.policy;
    switch (policy.kind) {
      case 'fixed':
        return `fixed ±${usd(policy.bandUsd)}`;
      case 'gamma':
        return (
          `Γ ${this.gamma.toExponential(1)}/$ · cost ${(this.cost * 10_000).toFixed(1)} bp · ` +
          `γ ${policy.aversion.toExponential(0)}/$ → ±${this.coins.toPrecision(3)}` +
          (this.floored ? ` (the ±${usd(policy.minBandUsd)} floor)` : '')
        );
      case 'time': {
        const minutes = policy.everyMs / 60_000;
        return `every ${Number(minutes.toPrecision(6))} min` + (this.due ? ': due' : '');
      }
    }
  }
}

/** "To the edge" stops a tenth inside it, so lot rounding and the next tick do not cross back. */
export const EDGE_INSIDE = 0.9;

/**
 * The delta to trade to, in coins of net book delta: the target scaled by nothing (it is the
 * trader's), reached all the way (`toEdge` false) or only back to the band's nearer edge.
 * `ratio` (0, 1] hedges that share of the distance.
 */
export function hedgeTarget(
  net: number,
  target: number,
  bandCoins: number,
  options: { readonly toEdge: boolean; readonly ratio: number },
): number {
  const off = net - target;
  const ratio = Math.min(1, Math.max(0, options.ratio));
  const edge =
    options.toEdge && Number.isFinite(bandCoins) ? Math.sign(off) * bandCoins * EDGE_INSIDE : 0;
  const wanted = target + edge;
  return net - (net - wanted) * ratio;
}

function usd(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}
