// Deribit groups perpetuals with futures: kind "future", settlement_period "perpetual".

import type { InstrumentKind } from '../../instruments/types.js';

export type DeribitKind = 'option' | 'future';
/** What a `kind` param or channel segment may select: one kind or every kind. */
export type KindSelector = DeribitKind | 'any';

export const KIND_SELECTORS: readonly KindSelector[] = ['option', 'future', 'any'];

export function deribitKind(kind: InstrumentKind): DeribitKind {
  return kind === 'option' ? 'option' : 'future';
}

export function kindMatches(selector: KindSelector | undefined, kind: InstrumentKind): boolean {
  return selector === undefined || selector === 'any' || selector === deribitKind(kind);
}

/** `currency` params accept "any" on the account methods. */
export function currencyMatches(selector: string | undefined, currency: string): boolean {
  return (
    selector === undefined ||
    selector.toLowerCase() === 'any' ||
    selector.toUpperCase() === currency
  );
}
