/** The words of the gateway's reports: one status-bar line each, numbers as sent. */
import type { GatewayOutcome } from './types.js';
import { exactDecimal, plain } from './rounding.js';

/** What an order line names: its side, size, instrument and how it is priced. */
export interface OrderWords {
  readonly side: 'buy' | 'sell';
  readonly amount: string;
  readonly instrument: string;
  /** From `priceText`. */
  readonly at: string;
}

/** How an order is priced, in words: "0.0125", "IV 62.5 %", "market", "stop 25000". */
export function priceText(order: {
  readonly price?: string;
  readonly iv?: string;
  readonly triggerPrice?: string;
}): string {
  if (order.iv !== undefined) return `IV ${percentText(order.iv)}`;
  const trigger = order.triggerPrice === undefined ? '' : `stop ${order.triggerPrice}`;
  if (order.price !== undefined) return trigger === '' ? order.price : `${order.price}, ${trigger}`;
  return trigger === '' ? 'market' : trigger;
}

/** "buy 0.1 BTC-27NOV26-90000-C at 0.0125". */
export function orderText(order: OrderWords): string {
  return `${order.side} ${order.amount} ${order.instrument} at ${order.at}`;
}

/** "3 cancelled, 1 filled"; a lone order's outcome alone. */
export function outcomeSummary(outcomes: readonly GatewayOutcome[]): string {
  const counts = new Map<GatewayOutcome, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  if (outcomes.length === 1) return outcomes[0] ?? '';
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

export function noCredentials(venue: string): string {
  return `no trading credentials for ${venue}`;
}

/** A venue figure (a double) as short decimal text, without binary noise. */
export function numberText(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** A decimal IV as percent text, exactly: "0.5008" → "50.08 %". */
function percentText(iv: string): string {
  try {
    return `${plain(exactDecimal(iv).mul(100))} %`;
  } catch {
    return iv;
  }
}
