/**
 * A package as the orders it amounts to: each leg bought or sold (the package's side times the
 * leg's ratio's sign) for the package amount × |ratio|, at its share of the package price.
 * The gateway checks a package through these, and a venue without combos is sent these.
 */
import { Decimal } from 'decimal.js';
import type { OrderIntent, PackageIntent } from './types.js';

const Exact = Decimal.clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });

export function packageLegIntents(pkg: PackageIntent): OrderIntent[] {
  return pkg.legs.map((leg) => {
    const buys = leg.ratio > 0 === (pkg.side === 'buy');
    return {
      venue: pkg.venue,
      instrument: leg.instrument,
      side: buys ? 'buy' : 'sell',
      amount: new Exact(pkg.amount).times(Math.abs(leg.ratio)).toString(),
      kind: 'limit',
      price: leg.price,
      timeInForce: pkg.timeInForce,
      ...(leg.capFrom === undefined ? {} : { capFrom: leg.capFrom }),
      ...(pkg.force === undefined ? {} : { force: pkg.force }),
      origin: pkg.origin,
    };
  });
}
