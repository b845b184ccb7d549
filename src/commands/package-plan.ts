/**
 * Turns a package line's legs into what the gateway sends, on the market as it stands: at
 * market, each leg capped just beyond its far touch (the package's limit is their sum); at a
 * net price, that price split over the legs. The split gives each leg its mid plus a share of
 * what the package price is above (or below) the package's mid, the wider legs taking more;
 * the legs' prices always add up to the package price, and the gateway rounds each one the
 * trader's way (a buy down, a sell up), so the legs together never pay more than asked.
 */
import { Decimal } from 'decimal.js';
import type { PackageIntent, PackageLegIntent } from '../gateway/types.js';
import { cappedPrice, type PlanContext } from './order-plan.js';
import type { PackageLegs } from './package-legs.js';
import type { PackageCommand } from './types.js';

const Exact = Decimal.clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });
type Exact = Decimal;

export interface LegTouch {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mark: number | null;
}

export interface PackagePlanContext {
  readonly venue: string;
  readonly legs: PackageLegs;
  /** One per leg, in the legs' order. */
  readonly touches: readonly LegTouch[];
  /** Decimal text: the option class's size multiplier. */
  readonly multiplier: string;
  readonly marketCap: PlanContext['marketCap'];
}

export type PackagePlan =
  | { readonly ok: true; readonly intent: PackageIntent; readonly summary: string }
  | { readonly ok: false; readonly message: string };

/** Digits a leg's share keeps before the gateway rounds it to its tick. */
const SHARE_DECIMALS = 12;

export function planPackage(command: PackageCommand, context: PackagePlanContext): PackagePlan {
  const { legs, touches } = context;
  const amount = new Exact(command.size).times(context.multiplier);
  const buy = command.side === 'buy';
  const base = {
    venue: context.venue,
    name: legs.name,
    side: command.side,
    amount: amount.toString(),
    ...(command.force ? { force: true } : {}),
    origin: 'manual' as const,
  };
  const what = `${command.side} ${amount.toString()} ${legs.title}`;
  const legIntents: PackageLegIntent[] = [];
  if (command.price === null) {
    let net = new Exact(0);
    for (const [index, leg] of legs.legs.entries()) {
      const touch = touches[index];
      const legBuys = leg.ratio > 0 === buy;
      const far = legBuys ? touch?.ask : touch?.bid;
      if (far === null || far === undefined || !(far > 0)) {
        return refuse(
          `no ${legBuys ? 'ask' : 'bid'} for ${leg.spec.name}: the ${legs.title} cannot ${command.side} at market`,
        );
      }
      const capped = cappedPrice(leg.spec, far, legBuys, context.marketCap);
      if (!capped.ok) return capped;
      legIntents.push({
        instrument: leg.spec.name,
        ratio: leg.ratio,
        price: capped.price,
        capFrom: capped.far,
      });
      net = net.plus(new Exact(capped.price).times(leg.ratio));
    }
    return {
      ok: true,
      intent: { ...base, price: net.toString(), timeInForce: 'ioc', legs: legIntents },
      summary: `${what} at market: IOC, legs capped ${context.marketCap.optionTicks} ticks beyond the touch (net ${net.toString()})`,
    };
  }
  const net = new Exact(command.price);
  const shares = splitPrice(legs, touches, net);
  if (!shares.ok) return shares;
  for (const [index, leg] of legs.legs.entries()) {
    const price = shares.prices[index]!;
    if (!price.gt(0)) {
      return refuse(
        `${command.price} for the ${legs.title} leaves ${leg.spec.name} at ${price.toDecimalPlaces(6).toString()} ` +
          `of its share: no price at or below 0 can go; the package's mid is ${shares.mid.toDecimalPlaces(6).toString()}`,
      );
    }
    legIntents.push({ instrument: leg.spec.name, ratio: leg.ratio, price: price.toString() });
  }
  return {
    ok: true,
    intent: { ...base, price: net.toString(), timeInForce: 'gtc', legs: legIntents },
    summary: `${what} at ${net.toString()} net (${shares.mid.toDecimalPlaces(6).toString()} mid)`,
  };
}

/**
 * Each leg's share of `net`: its reference (the mid, else the mark) plus the excess over the
 * package's reference, weighted by the leg's spread × |ratio| (equal shares when no leg has a
 * spread). Σ ratio × share = net exactly, before the shares are cut to SHARE_DECIMALS.
 */
export function splitPrice(
  legs: PackageLegs,
  touches: readonly LegTouch[],
  net: Exact,
): { ok: true; prices: Exact[]; mid: Exact } | { ok: false; message: string } {
  const refs: Exact[] = [];
  const weights: Exact[] = [];
  for (const [index, leg] of legs.legs.entries()) {
    const touch = touches[index];
    const { bid, ask, mark } = touch ?? { bid: null, ask: null, mark: null };
    const both = positive(bid) && positive(ask);
    const ref = both ? (bid! + ask!) / 2 : positive(mark) ? mark! : null;
    if (ref === null) {
      return refuse(`${leg.spec.name} has no bid/ask or mark to split the package price over`);
    }
    refs.push(new Exact(ref));
    weights.push(new Exact(both ? ask! - bid! : 0).times(Math.abs(leg.ratio)));
  }
  const mid = legs.legs.reduce(
    (total, leg, index) => total.plus(refs[index]!.times(leg.ratio)),
    new Exact(0),
  );
  const excess = net.minus(mid);
  let total = weights.reduce((sum, weight) => sum.plus(weight), new Exact(0));
  if (total.isZero()) {
    weights.fill(new Exact(1));
    for (const [index, leg] of legs.legs.entries()) weights[index] = new Exact(Math.abs(leg.ratio));
    total = weights.reduce((sum, weight) => sum.plus(weight), new Exact(0));
  }
  const prices = legs.legs.map((leg, index) => {
    const share = excess.times(weights[index]!).div(total).div(leg.ratio);
    return refs[index]!.plus(share).toDecimalPlaces(SHARE_DECIMALS);
  });
  return { ok: true, prices, mid };
}

function positive(value: number | null | undefined): boolean {
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0;
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
