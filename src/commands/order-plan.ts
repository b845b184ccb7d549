/**
 * Turns a parsed order line into the intents the gateway will round, check and send, using the
 * market as it stands: the touch for market and touch orders, the mark for stops. Amounts and
 * prices stay decimal all the way; the only floats are the venue's quotes, read once through
 * their shortest decimal spelling.
 */
import { Decimal } from 'decimal.js';
import type { OrderIntent } from '../gateway/types.js';
import type { InstrumentSpec, TradingRules } from '../instruments/types.js';
import { isPositiveDecimal } from './decimal-text.js';
import { LADDER_MAX_ORDERS, MAX_IV_PERCENT } from './parse-order.js';
import type { OrderCommand, PriceLevel } from './types.js';

export interface PlanContext {
  venue: string;
  spec: InstrumentSpec;
  /** Decimal text; every size typed is multiplied by it. */
  multiplier: string;
  bid: number | null;
  ask: number | null;
  mark: number | null;
  /** How far beyond the far touch a market order's limit goes. */
  marketCap: { optionTicks: number; futurePercent: number };
}

export type OrderPlan =
  | { readonly ok: true; readonly intents: readonly OrderIntent[]; readonly summary: string }
  | { readonly ok: false; readonly message: string };

/** Options' market caps beyond this many ticks are a configuration mistake, not a cap. */
export const MAX_CAP_TICKS = 1000;

// Typed numbers have at most 20 digits, so products are exact well inside 60; toString is
// kept in plain notation so intents never carry "1e-7".
const Exact = Decimal.clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });
type Exact = Decimal;

type Base = Pick<OrderIntent, 'venue' | 'instrument' | 'side' | 'amount' | 'force' | 'origin'>;

interface Planning {
  readonly command: OrderCommand;
  readonly context: PlanContext;
  readonly base: Base;
  /** "buy 0.5 BTC-27DEC26-100000-C", the start of most summaries. */
  readonly what: string;
}

export function planOrder(command: OrderCommand, context: PlanContext): OrderPlan {
  const size = exactText(command.size);
  if (size === null) return refuse(`invalid size "${command.size}"`);
  const multiplier = exactText(context.multiplier);
  if (multiplier === null) return refuse(`invalid size multiplier "${context.multiplier}"`);
  const amount = size.times(multiplier);
  const { spec } = context;
  const planning: Planning = {
    command,
    context,
    base: {
      venue: context.venue,
      instrument: spec.name,
      side: command.side,
      amount: amount.toString(),
      force: command.force,
      origin: 'manual',
    },
    what: `${command.side} ${amountLabel(amount, spec)} ${spec.name}`,
  };
  const plan = planPricing(planning);
  if (!plan.ok || !command.force) return plan;
  return { ...plan, summary: `${plan.summary} (forced)` };
}

function planPricing(planning: Planning): OrderPlan {
  const { pricing } = planning.command;
  switch (pricing.kind) {
    case 'market':
      return planMarket(planning);
    case 'touch':
      return planTouch(planning, pricing.at);
    case 'limit':
      return planLimit(planning, pricing.level);
    case 'stop':
      return planStop(planning, pricing.trigger);
    case 'ladder':
      return planLadder(planning, pricing.from, pricing.to, pricing.count);
  }
}

function planMarket({ command, context, base, what }: Planning): OrderPlan {
  const buy = command.side === 'buy';
  const farSide = buy ? 'ask' : 'bid';
  const far = quote(buy ? context.ask : context.bid);
  if (far === null) {
    return refuse(`no ${farSide} for ${context.spec.name}: nothing to ${command.side} at market`);
  }
  const capped = marketLimit(context, far, buy);
  if (!capped.ok) return capped;
  const price = capped.price.toString();
  return {
    ok: true,
    intents: [{ ...base, kind: 'limit', price, timeInForce: 'ioc', capFrom: far.toString() }],
    summary: `${what} at market: IOC limit ${price} (${farSide} ${far.toString()} ${capped.how})`,
  };
}

type Capped = { ok: true; price: Exact; how: string } | { ok: false; message: string };

/**
 * A market order's limit: `far` (the touch it takes from) plus the cap, for a buy, or minus it
 * for a sell; each leg of a package sent at market is capped the same way.
 */
export function cappedPrice(
  spec: InstrumentSpec,
  far: number,
  buy: boolean,
  marketCap: PlanContext['marketCap'],
): { ok: true; price: string; far: string; how: string } | { ok: false; message: string } {
  const touch = quote(far);
  if (touch === null) return { ok: false, message: `no price to cap on ${spec.name}` };
  const capped = marketLimit({ spec, marketCap } as PlanContext, touch, buy);
  return capped.ok
    ? { ok: true, price: capped.price.toString(), far: touch.toString(), how: capped.how }
    : capped;
}

function marketLimit(context: PlanContext, far: Exact, buy: boolean): Capped {
  const { spec, marketCap } = context;
  if (spec.kind === 'option') {
    const ticks = marketCap.optionTicks;
    if (!Number.isInteger(ticks) || ticks < 0 || ticks > MAX_CAP_TICKS) {
      return { ok: false, message: `market cap of ${ticks} ticks is not 0..${MAX_CAP_TICKS}` };
    }
    let price = far;
    for (let step = 0; step < ticks; step += 1) price = nextTick(spec, price, buy);
    // A sell cap cannot go below the smallest price there is.
    const floor = new Exact(spec.tickSize);
    if (!buy && price.lt(floor)) price = floor;
    const sign = buy ? '+' : '-';
    return { ok: true, price, how: `${sign} ${ticks} tick${ticks === 1 ? '' : 's'}` };
  }
  const percent = marketCap.futurePercent;
  if (!Number.isFinite(percent) || percent < 0 || percent >= 100) {
    return { ok: false, message: `market cap of ${percent}% is not 0..100` };
  }
  const fraction = new Exact(percent).div(100);
  const price = far.times(buy ? fraction.plus(1) : new Exact(1).minus(fraction));
  const shown = new Exact(percent).toString();
  return { ok: true, price, how: `${buy ? '+' : '-'} ${shown}%` };
}

/**
 * One tick up or down from `price`. Above a step's price the coarser tick applies, so going
 * up from exactly the step price already takes the coarse tick, and going down does not.
 */
function nextTick(rules: TradingRules, price: Exact, up: boolean): Exact {
  const tick = new Exact(tickAt(rules, price, up));
  return up ? price.plus(tick) : price.minus(tick);
}

function tickAt(rules: TradingRules, price: Exact, up: boolean): number {
  let tick = rules.tickSize;
  let reached = -Infinity;
  for (const step of rules.tickSteps) {
    const applies = up ? price.gte(step.abovePrice) : price.gt(step.abovePrice);
    if (applies && step.abovePrice > reached) {
      tick = step.tickSize;
      reached = step.abovePrice;
    }
  }
  return tick;
}

function planTouch({ command, context, base, what }: Planning, at: 'bid' | 'ask'): OrderPlan {
  const buy = command.side === 'buy';
  const join = buy === (at === 'bid');
  const price = quote(at === 'bid' ? context.bid : context.ask);
  if (price === null) {
    const wanted = join ? 'to join' : buy ? 'to buy from' : 'to sell to';
    return refuse(`no ${at} for ${context.spec.name} ${wanted}`);
  }
  const text = price.toString();
  if (join) {
    return {
      ok: true,
      intents: [{ ...base, kind: 'limit', price: text, timeInForce: 'gtc', postOnly: true }],
      summary: `${what} post-only at the ${at} ${text}`,
    };
  }
  return {
    ok: true,
    intents: [{ ...base, kind: 'limit', price: text, timeInForce: 'gtc' }],
    summary: `${what} at the ${at} ${text} (taker limit)`,
  };
}

function planLimit({ context, base, what }: Planning, level: PriceLevel): OrderPlan {
  const priced = levelValue(level, context.spec);
  if (!priced.ok) return priced;
  const intent: OrderIntent = {
    ...base,
    kind: 'limit',
    ...(level.kind === 'price' ? { price: priced.text } : { iv: priced.text }),
    timeInForce: 'gtc',
    postOnly: true,
  };
  return { ok: true, intents: [intent], summary: `${what} post-only at ${priced.shown}` };
}

function planStop({ command, context, base, what }: Planning, triggerText: string): OrderPlan {
  const trigger = exactText(triggerText);
  if (trigger === null) return refuse(`invalid stop trigger "${triggerText}"`);
  const mark = quote(context.mark);
  if (mark === null) {
    return refuse(`no mark for ${context.spec.name}: a stop on the mark cannot be checked`);
  }
  const sell = command.side === 'sell';
  if (sell ? trigger.gte(mark) : trigger.lte(mark)) {
    return refuse(
      `a ${command.side} stop at ${trigger.toString()} would trigger at once: ` +
        `the mark is ${mark.toString()} (a ${command.side} stop goes ${sell ? 'below' : 'above'} it)`,
    );
  }
  const triggerPrice = trigger.toString();
  return {
    ok: true,
    intents: [{ ...base, kind: 'stop-market', triggerPrice, trigger: 'mark', reduceOnly: true }],
    summary: `${what} stop-market at ${triggerPrice} on the mark (reduce-only, mark ${mark.toString()})`,
  };
}

function planLadder(
  { command, context, base }: Planning,
  from: PriceLevel,
  to: PriceLevel,
  count: number,
): OrderPlan {
  if (!Number.isInteger(count) || count < 2 || count > LADDER_MAX_ORDERS) {
    return refuse(`a ladder has 2 to ${LADDER_MAX_ORDERS} orders, not ${count}`);
  }
  if (from.kind !== to.kind) return refuse("a ladder's ends must both be prices or both vols");
  const start = levelValue(from, context.spec);
  if (!start.ok) return start;
  const end = levelValue(to, context.spec);
  if (!end.ok) return end;
  const first = new Exact(start.text);
  const last = new Exact(end.text);
  const span = last.minus(first);
  if (span.isZero()) return refuse('a ladder needs two different ends');
  const byPrice = from.kind === 'price';
  if (byPrice) {
    const tick = new Exact(tickAt(context.spec, first.gt(last) ? first : last, true));
    const step = span.abs().div(count - 1);
    if (step.lt(tick)) {
      return refuse(
        `a ladder of ${count} from ${start.shown} to ${end.shown} steps ${step.toString()}, ` +
          `finer than the tick ${tick.toString()}: orders would share prices`,
      );
    }
  }
  const intents: OrderIntent[] = [];
  for (let index = 0; index < count; index += 1) {
    const level = first.plus(span.times(index).div(count - 1)).toString();
    intents.push({
      ...base,
      kind: 'limit',
      ...(byPrice ? { price: level } : { iv: level }),
      timeInForce: 'gtc',
      postOnly: true,
    });
  }
  const amount = `${base.amount}${context.spec.sizeUnit === 'usd' ? ' USD' : ''}`;
  return {
    ok: true,
    intents,
    summary:
      `${command.side} ladder: ${count} x ${amount} from ${start.shown} to ${end.shown}, ` +
      `post-only on ${context.spec.name}`,
  };
}

type Level = { ok: true; text: string; shown: string } | { ok: false; message: string };

/** A level as intent text: a price as is, a vol as the decimal fraction the gateway takes. */
/** A typed level as order text: a price, or an IV as a decimal fraction (options only). */
export function levelText(
  level: PriceLevel,
  spec: InstrumentSpec,
):
  { ok: true; kind: 'price' | 'iv'; text: string; shown: string } | { ok: false; message: string } {
  const value = levelValue(level, spec);
  return value.ok ? { ...value, kind: level.kind === 'price' ? 'price' : 'iv' } : value;
}

function levelValue(level: PriceLevel, spec: InstrumentSpec): Level {
  if (level.kind === 'price') {
    const price = exactText(level.value);
    if (price === null) return { ok: false, message: `invalid price "${level.value}"` };
    return { ok: true, text: price.toString(), shown: price.toString() };
  }
  if (spec.kind !== 'option') {
    return {
      ok: false,
      message: `pricing by vol is for options, and ${spec.name} is a ${spec.kind}`,
    };
  }
  const percent = exactText(level.percent);
  if (percent === null || percent.gt(MAX_IV_PERCENT)) {
    return { ok: false, message: `invalid IV "${level.percent}"` };
  }
  return { ok: true, text: percent.div(100).toString(), shown: `${percent.toString()}% IV` };
}

function amountLabel(amount: Exact, spec: InstrumentSpec): string {
  return spec.sizeUnit === 'usd' ? `${amount.toString()} USD of` : amount.toString();
}

function exactText(text: string): Exact | null {
  return typeof text === 'string' && isPositiveDecimal(text) ? new Exact(text) : null;
}

/** A venue's quote as decimal; missing, non-finite or non-positive quotes are no quote. */
function quote(value: number | null): Exact | null {
  return value !== null && Number.isFinite(value) && value > 0 ? new Exact(value) : null;
}

function refuse(message: string): OrderPlan {
  return { ok: false, message };
}
