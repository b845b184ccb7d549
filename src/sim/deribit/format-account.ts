// Orders, fills, positions and account summaries in Deribit's private-API shapes
// (private/buy result, user.orders / user.trades / user.changes / user.portfolio data).

import type { InstrumentSpec } from '../../instruments/types.js';
import type { SimAccountSummary, SimFill, SimOrder, SimPosition } from '../contract.js';
import { deribitKind } from './kinds.js';
import { clean, ivPercent, round } from './numbers.js';
import { LINEAR_CURRENCY } from './markets.js';

const CANCEL_REASONS: Readonly<Record<string, string>> = {
  user: 'user_request',
  disconnect: 'cancel_on_disconnect',
  settlement: 'settlement',
};

/** How the order was priced when placed with `advanced`, which the core does not keep. */
export interface OrderPricing {
  readonly usd?: number;
}

export function orderData(
  order: SimOrder,
  spec: InstrumentSpec | undefined,
  pricing: OrderPricing = {},
): Record<string, unknown> {
  const contractSize = spec?.contractSize ?? 1;
  const isStop = order.type === 'stop_market' || order.type === 'stop_limit';
  const advanced =
    order.iv !== null
      ? { advanced: 'implv', implv: ivPercent(order.iv) }
      : pricing.usd !== undefined
        ? { advanced: 'usd', usd: pricing.usd }
        : {};
  return {
    web: false,
    time_in_force: order.timeInForce,
    replaced: false,
    reduce_only: order.reduceOnly,
    price: order.price === null ? 'market_price' : clean(order.price),
    post_only: order.postOnly,
    order_type: order.type,
    order_state: order.state,
    order_id: order.orderId,
    max_show: clean(order.amount),
    last_update_timestamp: order.updatedAt,
    label: order.label,
    is_liquidation: false,
    instrument_name: order.instrument,
    filled_amount: clean(order.filledAmount),
    direction: order.side,
    creation_timestamp: order.createdAt,
    commission: round(order.commission, 10),
    average_price: clean(order.averagePrice),
    api: true,
    amount: clean(order.amount),
    contracts: clean(order.amount / contractSize),
    risk_reducing: false,
    mmp: false,
    ...(order.repriced ? { original_order_type: order.type, auto_replaced: true } : {}),
    ...advanced,
    ...(isStop || order.triggerPrice !== null
      ? {
          trigger: order.trigger,
          trigger_price: order.triggerPrice,
          triggered: order.state !== 'untriggered',
        }
      : {}),
    ...(order.cancelReason !== null
      ? { cancel_reason: CANCEL_REASONS[order.cancelReason] ?? order.cancelReason }
      : {}),
  };
}

/** Everything else comes from the fill itself, so a history read formats it as its stream
 * message did; only the order's state is the order's now, as the venue reports it. */
export interface FillContext {
  readonly spec: InstrumentSpec | undefined;
  readonly order: SimOrder | undefined;
}

export function userTradeData(fill: SimFill, context: FillContext): Record<string, unknown> {
  const isOption = context.spec?.kind === 'option';
  const order = context.order;
  return {
    trade_seq: fill.tradeSeq,
    trade_id: fill.tradeId,
    timestamp: fill.ts,
    tick_direction: fill.tickDirection,
    state: order?.state ?? 'filled',
    reduce_only: order?.reduceOnly ?? false,
    price: clean(fill.price),
    post_only: order?.postOnly ?? false,
    order_type: fill.orderType,
    order_id: fill.orderId,
    matching_id: null,
    mark_price: isOption ? round(fill.markPrice, 8) : round(fill.markPrice, 2),
    liquidity: fill.liquidity === 'maker' ? 'M' : 'T',
    label: fill.label,
    instrument_name: fill.instrument,
    // A leg of a combo order names the combo it traded for.
    ...(order !== undefined && order.instrument !== fill.instrument
      ? { combo_id: order.instrument, combo_trade_id: fill.tradeId }
      : {}),
    index_price: round(fill.indexPrice, 2),
    fee_currency: fill.feeCurrency,
    fee: round(fill.fee, 10),
    direction: fill.side,
    amount: clean(fill.amount),
    contracts: clean(fill.amount / (context.spec?.contractSize ?? 1)),
    api: true,
    mmp: false,
    risk_reducing: false,
    self_trade: false,
    profit_loss: 0,
    ...(isOption && fill.iv !== null ? { iv: ivPercent(fill.iv) } : {}),
    ...(isOption && fill.underlyingPrice !== null
      ? { underlying_price: round(fill.underlyingPrice, 2) }
      : {}),
  };
}

export function positionData(position: SimPosition): Record<string, unknown> {
  const isOption = position.kind === 'option';
  const direction = position.size > 0 ? 'buy' : position.size < 0 ? 'sell' : 'zero';
  const common = {
    average_price: clean(position.averagePrice),
    delta: round(position.delta, 6),
    direction,
    floating_profit_loss: round(position.unrealizedPnl, 8),
    index_price: round(position.indexPrice, 2),
    initial_margin: round(position.initialMargin, 8),
    instrument_name: position.instrument,
    kind: deribitKind(position.kind),
    maintenance_margin: round(position.maintenanceMargin, 8),
    mark_price: isOption ? round(position.markPrice, 8) : round(position.markPrice, 2),
    open_orders_margin: 0,
    realized_profit_loss: round(position.realizedPnl, 8),
    settlement_price: isOption ? round(position.markPrice, 8) : round(position.markPrice, 2),
    size: clean(position.size),
    total_profit_loss: round(position.realizedPnl + position.unrealizedPnl, 8),
  };
  if (isOption) {
    // Inverse options are priced in coin; a USDC-linear one is priced in dollars already.
    const usdPerUnit = position.settleCurrency === LINEAR_CURRENCY ? 1 : position.indexPrice;
    return {
      ...common,
      average_price_usd: round(position.averagePrice * usdPerUnit, 2),
      floating_profit_loss_usd: round(position.unrealizedPnl * usdPerUnit, 2),
      gamma: round(position.gamma, 6),
      vega: round(position.vega, 6),
      theta: round(position.theta, 6),
    };
  }
  return {
    ...common,
    estimated_liquidation_price: null,
    leverage: 50,
    size_currency:
      position.settleCurrency === LINEAR_CURRENCY
        ? clean(position.size)
        : position.markPrice > 0
          ? round(position.size / position.markPrice, 8)
          : 0,
    ...(position.kind === 'perpetual' ? { realized_funding: 0, interest_value: 0 } : {}),
  };
}

export function accountSummaryData(summary: SimAccountSummary): Record<string, unknown> {
  const r = (value: number): number => round(value, 8);
  return {
    currency: summary.currency,
    balance: r(summary.balance),
    equity: r(summary.equity),
    margin_balance: r(summary.equity),
    available_funds: r(summary.availableFunds),
    available_withdrawal_funds: r(Math.max(0, Math.min(summary.availableFunds, summary.balance))),
    initial_margin: r(summary.initialMargin),
    maintenance_margin: r(summary.maintenanceMargin),
    projected_initial_margin: r(summary.initialMargin),
    projected_maintenance_margin: r(summary.maintenanceMargin),
    options_value: r(summary.optionsValue),
    options_pl: r(summary.optionsPnl),
    options_session_rpl: 0,
    options_session_upl: r(summary.optionsPnl),
    futures_pl: r(summary.futuresPnl),
    futures_session_rpl: 0,
    futures_session_upl: r(summary.futuresPnl),
    session_rpl: 0,
    session_upl: r(summary.optionsPnl + summary.futuresPnl),
    total_pl: r(summary.totalPnl),
    delta_total: round(summary.deltaTotal, 6),
    projected_delta_total: round(summary.deltaTotal, 6),
    options_delta: round(summary.optionsDelta, 6),
    options_gamma: round(summary.optionsGamma, 6),
    options_vega: round(summary.optionsVega, 6),
    options_theta: round(summary.optionsTheta, 6),
    fee_balance: 0,
    fees: r(summary.feesPaid),
    estimated_liquidation_ratio: 0,
    spot_reserve: 0,
    margin_model: 'cross_sm',
    portfolio_margining_enabled: false,
    cross_collateral_enabled: false,
  };
}
