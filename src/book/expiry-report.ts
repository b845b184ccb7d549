/**
 * What an expiry did to the book: each position it settled, at what price, and the PnL, in
 * the contract's settlement currency and in USD. The venue settles on its delivery price (an
 * average of the index before expiry); the report is told the price it may use: the venue's
 * delivery price once published, else the index when the position went, said to be an
 * estimate. Pure.
 */
import type { PositionEvent } from './events.js';
import type { InstrumentSpec } from '../instruments/types.js';

export interface SettledPosition {
  readonly spec: InstrumentSpec;
  readonly position: PositionEvent;
}

export interface SettlementLine {
  readonly instrument: string;
  readonly size: number;
  /** PnL against the position's average price, in its settlement currency. */
  readonly pnl: number;
  readonly currency: string;
  readonly pnlUsd: number;
}

/** One position settled at `delivery` (USD per coin). */
export function settlementOf(held: SettledPosition, delivery: number): SettlementLine {
  const { spec, position } = held;
  const size = position.size;
  let pnl: number;
  if (spec.kind === 'option') {
    const intrinsic =
      spec.type === 'call'
        ? Math.max(delivery - spec.strike, 0)
        : Math.max(spec.strike - delivery, 0);
    const value = spec.settlement === 'inverse' ? intrinsic / delivery : intrinsic;
    pnl = size * (value - position.averagePrice);
  } else if (spec.sizeUnit === 'usd') {
    pnl = size * (1 / position.averagePrice - 1 / delivery);
  } else {
    pnl = size * (delivery - position.averagePrice);
  }
  const inCoin = spec.settleCurrency === spec.base;
  return {
    instrument: spec.name,
    size,
    pnl,
    currency: spec.settleCurrency,
    pnlUsd: inCoin ? pnl * delivery : pnl,
  };
}

/** "27NOV26 settled at ~91,234.50 (index): BTC-27NOV26-90000-C +0.1 +0.0012 BTC (+$109.50); …". */
export function settlementText(
  label: string,
  delivery: number,
  lines: readonly SettlementLine[],
  source: 'index' | 'delivery' = 'index',
): string {
  const money = (value: number, digits: number): string =>
    `${value >= 0 ? '+' : '-'}${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
  const parts = lines.map(
    (line) =>
      `${line.instrument} ${line.size > 0 ? '+' : ''}${line.size} → ${money(line.pnl, line.currency === 'USDC' || line.currency === 'USDT' ? 2 : 6)} ${line.currency} (${money(line.pnlUsd, 2)} $)`,
  );
  const total = lines.reduce((sum, line) => sum + line.pnlUsd, 0);
  const price = delivery.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const at =
    source === 'delivery'
      ? `${price} (the venue's delivery price)`
      : `~${price} (the index then; the venue's delivery price may differ)`;
  return `${label} settled at ${at}: ${parts.join('; ')}; total ${money(total, 2)} $`;
}
