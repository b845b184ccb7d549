/**
 * One intent, rounded and checked: the order it would be, or why it may not go. Checks run in
 * the order a trader fixes things: credentials, instrument, the order's shape, size, price,
 * distance through the mark (skipped with `force`), notional. The rate cap is the gateway's,
 * over a whole submission.
 */
import type { OrderApi, OrderRequest } from '../feeds/feed.js';
import { Decimal } from 'decimal.js';
import type { InstrumentSpec, PriceBand } from '../instruments/types.js';
import { distanceRefusal, notionalRefusal } from './guards.js';
import { noCredentials, numberText, priceText } from './report-text.js';
import {
  DecimalTextError,
  exactDecimal,
  roundAmount,
  roundIv,
  roundPrice,
  roundTrigger,
  tickAt,
} from './rounding.js';
import type { GatewayLimits, GatewayMarket, OrderIntent } from './types.js';

export interface CheckContext {
  readonly market: GatewayMarket;
  readonly orders: (venue: string) => OrderApi | null;
  readonly limits: GatewayLimits;
}

export type Checked = Refused | Ready;

interface CheckedCommon {
  readonly intent: OrderIntent;
  /** Rounded where the checks got that far, else as given. */
  readonly amount: string;
  readonly price: string | null;
}

export interface Refused extends CheckedCommon {
  readonly refusal: string;
}

export interface Ready extends CheckedCommon {
  readonly refusal: null;
  readonly api: OrderApi;
  /** Everything but the label, which is spent only when the whole submission goes. */
  readonly request: Omit<OrderRequest, 'label'>;
  /** How the price reads in a line (`priceText`). */
  readonly at: string;
}

export function checkIntent(intent: OrderIntent, context: CheckContext): Checked {
  const refuse = (
    refusal: string,
    amount = intent.amount,
    price = intent.price ?? null,
  ): Refused => ({ intent, amount, price, refusal });
  const api = context.orders(intent.venue);
  if (api === null) return refuse(noCredentials(intent.venue));
  const spec = context.market.spec(intent.venue, intent.instrument);
  if (spec === undefined) {
    return refuse(`unknown instrument ${intent.instrument} on ${intent.venue}`);
  }
  try {
    const amount = roundAmount(intent.amount, spec);
    const shape = shapeRefusal(intent, spec);
    if (shape !== null) return refuse(shape, amount);
    const price = intent.price === undefined ? null : roundPrice(intent.price, intent.side, spec);
    const iv = intent.iv === undefined ? null : roundIv(intent.iv, intent.side);
    const trigger =
      intent.triggerPrice === undefined ? null : roundTrigger(intent.triggerPrice, spec);
    const refusal =
      sizeRefusal(intent, spec, amount) ??
      positiveRefusal(intent, spec, price, iv, trigger) ??
      priceBandRefusal(
        intent,
        spec,
        { amount, price, trigger },
        context.market.priceBand(intent.venue, intent.instrument),
      ) ??
      // Only a resting or taking limit has a price to be far from; stops are the trader's
      // levels, and the command that makes them checks they do not fire at once.
      (intent.force === true || intent.kind !== 'limit'
        ? null
        : markDistanceRefusal(intent, spec, price, iv, context)) ??
      notionalRefusal({
        spec,
        amount: Number(amount),
        usdPerCoin: context.market.usdPerCoin(intent.venue, intent.instrument),
        maxUsd: context.limits.maxNotionalUsd,
      });
    if (refusal !== null) return refuse(refusal, amount, price);
    const request: Omit<OrderRequest, 'label'> = {
      instrument: intent.instrument,
      side: intent.side,
      kind: intent.kind,
      amount,
      ...(price === null ? {} : { price }),
      ...(iv === null ? {} : { iv }),
      ...(trigger === null ? {} : { triggerPrice: trigger }),
      ...(intent.trigger === undefined ? {} : { trigger: intent.trigger }),
      ...(intent.timeInForce === undefined ? {} : { timeInForce: intent.timeInForce }),
      ...(intent.postOnly === undefined ? {} : { postOnly: intent.postOnly }),
      ...(intent.reduceOnly === undefined ? {} : { reduceOnly: intent.reduceOnly }),
    };
    return { intent, amount, price, refusal: null, api, request, at: priceText(request) };
  } catch (error) {
    if (error instanceof DecimalTextError) return refuse(error.message);
    throw error;
  }
}

/** The message for the intent at an index of a refused submission. */
export type Refusal = (checked: Checked, index: number) => string;

/** What each intent's report says when some of the submission were refused. */
export function batchRefusal(checked: readonly Checked[]): Refusal {
  const refused = checked.flatMap((c, i) => (c.refusal === null ? [] : [i]));
  const total = checked.length;
  if (total === 1) return (c) => c.refusal ?? '';
  const which =
    refused.length === 1
      ? `order ${refused[0]! + 1} of ${total} was`
      : `orders ${refused.map((i) => i + 1).join(', ')} of ${total} were`;
  const first = checked[refused[0]!]!.refusal;
  return (c, i) =>
    c.refusal !== null
      ? `order ${i + 1} of ${total}: ${c.refusal}`
      : `not sent: ${which} refused (${first})`;
}

function markDistanceRefusal(
  intent: OrderIntent,
  spec: InstrumentSpec,
  price: string | null,
  iv: string | null,
  { market, limits }: CheckContext,
): string | null {
  const { venue, instrument } = intent;
  // A market order is measured at the touch its cap was counted from (`capFrom`).
  const measured = intent.capFrom === undefined || price === null ? price : intent.capFrom;
  const priceNumber = measured === null ? null : Number(measured);
  const option = spec.kind === 'option';
  return distanceRefusal({
    spec,
    side: intent.side,
    price: priceNumber,
    iv: iv === null ? null : Number(iv),
    mark: market.mark(venue, instrument),
    markIv: option ? market.markIv(venue, instrument) : null,
    priceIv:
      option && priceNumber !== null ? market.impliedVol(venue, instrument, priceNumber) : null,
    limit: option ? limits.optionDistance : limits.futureDistance,
    tick: measured === null ? null : tickAt(exactDecimal(measured, 'price'), spec).toNumber(),
    maxTicks: limits.optionDistanceTicks,
  });
}

function shapeRefusal(intent: OrderIntent, spec: InstrumentSpec): string | null {
  const { kind } = intent;
  const priced = kind === 'limit' || kind === 'stop-limit';
  const stop = kind === 'stop-limit' || kind === 'stop-market';
  if (intent.iv !== undefined && intent.price !== undefined) {
    return 'give a price or an IV, not both';
  }
  if (intent.iv !== undefined && (spec.kind !== 'option' || kind !== 'limit')) {
    return `only option limit orders can be priced by IV (${spec.name} ${kind})`;
  }
  if (priced && intent.price === undefined && intent.iv === undefined) {
    return `a ${kind} order needs a price`;
  }
  if (!priced && intent.price !== undefined) return `a ${kind} order takes no price`;
  if (intent.capFrom !== undefined) {
    const { capFrom, price, side } = intent;
    const beyond =
      price !== undefined &&
      (side === 'buy'
        ? exactDecimal(capFrom, 'touch').lte(exactDecimal(price, 'price'))
        : exactDecimal(capFrom, 'touch').gte(exactDecimal(price, 'price')));
    if (kind !== 'limit' || intent.timeInForce !== 'ioc' || !beyond) {
      return `a market order's cap must be an IOC limit beyond the touch ${capFrom} it counts from`;
    }
  }
  if (stop && intent.triggerPrice === undefined) return `a ${kind} order needs a trigger price`;
  if (!stop && intent.triggerPrice !== undefined) return `a ${kind} order takes no trigger price`;
  return null;
}

/**
 * A size is never changed on the way: an amount off the lot is refused with the lot multiples
 * either side of it (a different size is a different risk; a price rounds, a size does not).
 */
function sizeRefusal(intent: OrderIntent, spec: InstrumentSpec, amount: string): string | null {
  const value = exactDecimal(amount);
  const asked = exactDecimal(intent.amount);
  if (!value.eq(asked)) {
    const lot = exactDecimal(numberText(spec.lotSize));
    const options = [value, value.plus(lot)].filter((v) => v.gt(0)).map((v) => v.toFixed());
    return (
      `${asked.toFixed()} ${spec.name} is not a whole number of lots ` +
      `(lot ${numberText(spec.lotSize)}): ask for ${options.join(' or ')}`
    );
  }
  if (value.gt(0) && value.gte(String(spec.minSize))) return null;
  return `${intent.amount} ${spec.name} is under the minimum size ${numberText(spec.minSize)}`;
}

/**
 * Beyond this a price is a typo in any quote unit any venue uses (a BTC option is worth under
 * a coin, a perpetual under ten million dollars), whatever band is known.
 */
export const MAX_SANE_PRICE = 1e9;

/**
 * Numbers leave as JSON numbers: one a double cannot hold exactly would reach the venue as a
 * different number (9007199254740993 goes as …992). Prices are held to the venue's band where
 * one is known (Deribit's ticker min_price/max_price, Bybit's priceFilter), and to a sane
 * bound always; `!` overrides neither.
 */
function priceBandRefusal(
  intent: OrderIntent,
  spec: InstrumentSpec,
  numbers: { amount: string; price: string | null; trigger: string | null },
  band: PriceBand | null,
): string | null {
  // Said as typed; the rounded figure is what would be sent.
  const named = [
    ['amount', numbers.amount, intent.amount],
    ['price', numbers.price, intent.price],
    ['trigger', numbers.trigger, intent.triggerPrice],
  ] as const;
  for (const [what, text, typed] of named) {
    if (text === null) continue;
    const value = exactDecimal(text, what);
    if (!value.eq(new Decimal(Number(text)))) {
      return `${what} ${typed ?? text} has more digits than a venue's number carries: it would not be sent as typed`;
    }
    if (what !== 'amount' && value.gt(MAX_SANE_PRICE)) {
      return `${what} ${typed ?? text} on ${spec.name} is beyond any price (over ${MAX_SANE_PRICE.toExponential()})`;
    }
  }
  const { price } = numbers;
  if (price === null) return null;
  const value = Number(price);
  const buy = intent.side === 'buy';
  const listed = spec.priceBand;
  const outside =
    listed !== undefined && (value < listed.min || value > listed.max)
      ? `${numberText(listed.min)} to ${numberText(listed.max)}`
      : band !== null && (buy ? value > band.max : value < band.min)
        ? buy
          ? `buys up to ${numberText(band.max)} now`
          : `sells down to ${numberText(band.min)} now`
        : null;
  if (outside === null) return null;
  const typed = intent.price ?? price;
  const rounded = exactDecimal(typed).eq(exactDecimal(price)) ? '' : ` (${price} on the tick)`;
  return (
    `${intent.side} at ${typed}${rounded} is outside ${spec.name}'s price band on ` +
    `${intent.venue}: ${outside}`
  );
}

function positiveRefusal(
  intent: OrderIntent,
  spec: InstrumentSpec,
  price: string | null,
  iv: string | null,
  trigger: string | null,
): string | null {
  if (price !== null && !(Number(price) > 0)) {
    return `${intent.side} at ${intent.price ?? ''} rounds to ${price} on ${spec.name}'s tick: a price must be above 0`;
  }
  if (iv !== null && !(Number(iv) > 0)) return `IV ${intent.iv ?? ''} must be above 0`;
  if (trigger !== null && !(Number(trigger) > 0)) {
    return `trigger ${intent.triggerPrice ?? ''} rounds to ${trigger}: it must be above 0`;
  }
  return null;
}
