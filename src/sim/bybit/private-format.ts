// Sim orders, fills, positions and accounts → the rows of Bybit's private topics and the
// matching REST lists. Field names follow the v5 documentation; the WebSocket rows add
// `category`, which REST lists carry once at the top of `result`.

import type {
  SimAccountSummary,
  SimExchange,
  SimFill,
  SimInstrument,
  SimOrder,
  SimPosition,
} from '../contract.js';
import { decimalText, gridText } from './decimal-text.js';
import type { PositionTime } from './position-times.js';
import { BYBIT_FUTURE_LEVERAGE } from './profile.js';

export type Category = 'option' | 'linear';

export function categoryOf(instrument: SimInstrument | undefined): Category {
  return instrument?.spec.kind === 'option' ? 'option' : 'linear';
}

/** Why an order the venue created left the book without being asked to, when it is ours. */
export interface OrderNote {
  readonly rejectReason: string;
}

const TRIGGER_BY: Readonly<Record<string, string>> = {
  mark_price: 'MarkPrice',
  index_price: 'IndexPrice',
  last_price: 'LastPrice',
};

const CANCEL_TYPE: Readonly<Record<string, string>> = {
  user: 'CancelByUser',
  settlement: 'CancelBySettle',
  reduce_only: 'CancelByReduceOnly',
  disconnect: 'CancelByDCP',
};

export function orderStatus(order: SimOrder): string {
  switch (order.state) {
    case 'open':
      return order.filledAmount > 0 ? 'PartiallyFilled' : 'New';
    case 'filled':
      return 'Filled';
    case 'cancelled':
      return 'Cancelled';
    case 'rejected':
      return 'Rejected';
    case 'untriggered':
      return 'Untriggered';
  }
}

function timeInForce(order: SimOrder): string {
  if (order.postOnly) return 'PostOnly';
  if (order.type === 'market' || order.type === 'stop_market' || order.type === 'market_limit') {
    return 'IOC';
  }
  switch (order.timeInForce) {
    case 'immediate_or_cancel':
      return 'IOC';
    case 'fill_or_kill':
      return 'FOK';
    default:
      return 'GTC';
  }
}

function rejectReason(order: SimOrder, note: OrderNote | undefined): string {
  if (note !== undefined) return note.rejectReason;
  if (order.state !== 'cancelled') return 'EC_NoError';
  if (order.cancelReason === 'fok') return 'EC_NoEnoughQtyToFill';
  if (order.cancelReason === 'ioc' && order.filledAmount === 0) return 'EC_NoImmediateQtyToFill';
  return 'EC_NoError';
}

export function orderRow(
  order: SimOrder,
  instrument: SimInstrument | undefined,
  withCategory: boolean,
  note?: OrderNote,
): Record<string, unknown> {
  const tick = instrument?.spec.tickSize ?? 0.0001;
  const lot = instrument?.spec.lotSize ?? 0.0001;
  const open = order.state === 'open' || order.state === 'untriggered';
  const leaves = open ? order.amount - order.filledAmount : 0;
  const isStop = order.type === 'stop_market' || order.type === 'stop_limit';
  const isMarket = order.type === 'market' || order.type === 'stop_market';
  const row: Record<string, unknown> = {
    ...(withCategory ? { category: categoryOf(instrument) } : {}),
    orderId: order.orderId,
    orderLinkId: order.label,
    blockTradeId: '',
    symbol: order.instrument,
    price: gridText(order.price ?? 0, tick),
    qty: gridText(order.amount, lot),
    side: order.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '',
    positionIdx: 0,
    orderStatus: orderStatus(order),
    cancelType:
      order.state === 'cancelled'
        ? (CANCEL_TYPE[order.cancelReason ?? ''] ?? 'UNKNOWN')
        : 'UNKNOWN',
    rejectReason: rejectReason(order, note),
    avgPrice: order.filledAmount > 0 ? decimalText(order.averagePrice, 8) : '0',
    leavesQty: gridText(leaves, lot),
    leavesValue: decimalText(leaves * (order.price ?? 0), 8),
    cumExecQty: gridText(order.filledAmount, lot),
    cumExecValue: decimalText(order.filledAmount * order.averagePrice, 8),
    cumExecFee: decimalText(order.commission, 8),
    timeInForce: timeInForce(order),
    orderType: isMarket ? 'Market' : 'Limit',
    stopOrderType: isStop ? 'Stop' : '',
    orderIv: order.iv === null ? '' : decimalText(order.iv, 4),
    triggerPrice: gridText(order.triggerPrice ?? 0, tick),
    takeProfit: '0',
    stopLoss: '0',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: isStop ? (order.side === 'buy' ? 1 : 2) : 0,
    triggerBy: TRIGGER_BY[order.trigger ?? ''] ?? '',
    lastPriceOnCreated: '',
    reduceOnly: order.reduceOnly,
    closeOnTrigger: false,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    placeType: instrument?.spec.kind === 'option' ? (order.iv === null ? 'price' : 'iv') : '',
    createdTime: String(order.createdAt),
    updatedTime: String(order.updatedAt),
  };
  if (withCategory) row['feeCurrency'] = '';
  return row;
}

/** An `execution` topic row, and (without `category`) a `/v5/execution/list` row. Built from
 * the fill alone, with the order's fixed terms, so both report a fill alike. `seq` is the
 * instrument's trade sequence: per symbol, as Bybit's is. */
export function executionRow(
  fill: SimFill,
  instrument: SimInstrument | undefined,
  order: SimOrder | undefined,
): Record<string, unknown> {
  const tick = instrument?.spec.tickSize ?? 0.0001;
  const lot = instrument?.spec.lotSize ?? 0.0001;
  const value = fill.price * fill.amount;
  const option = instrument?.spec.kind === 'option';
  return {
    category: categoryOf(instrument),
    symbol: fill.instrument,
    isLeverage: '0',
    orderId: fill.orderId,
    orderLinkId: fill.label,
    side: fill.side === 'buy' ? 'Buy' : 'Sell',
    orderPrice: gridText(order?.price ?? 0, tick),
    orderQty: gridText(order?.amount ?? fill.amount, lot),
    leavesQty: gridText(fill.leavesAmount, lot),
    createType: 'CreateByUser',
    orderType: fill.orderType === 'market' || fill.orderType === 'stop_market' ? 'Market' : 'Limit',
    stopOrderType: fill.orderType.startsWith('stop') ? 'Stop' : '',
    execFee: decimalText(fill.fee, 8),
    execId: fill.tradeId,
    execPrice: gridText(fill.price, tick),
    execQty: gridText(fill.amount, lot),
    execType: 'Trade',
    execValue: decimalText(value, 8),
    execTime: String(fill.ts),
    isMaker: fill.liquidity === 'maker',
    feeRate: value > 0 ? decimalText(fill.fee / value, 8) : '0',
    tradeIv: option && fill.iv !== null ? decimalText(fill.iv, 4) : '',
    markIv: option && fill.markIv !== null ? decimalText(fill.markIv, 4) : '',
    markPrice: decimalText(fill.markPrice, 8),
    indexPrice: decimalText(fill.indexPrice, 8),
    underlyingPrice: option ? decimalText(fill.underlyingPrice ?? 0, 8) : '',
    blockTradeId: '',
    closedSize: '0',
    seq: fill.tradeSeq,
  };
}

/** The leverage a futures position is margined at (the account's set-leverage choice); null
 * for options. An instrument already delisted shows the venue default. */
export function positionLeverage(exchange: SimExchange, position: SimPosition): number | null {
  if (position.kind === 'option') return null;
  if (exchange.instrument(position.instrument) === undefined) return BYBIT_FUTURE_LEVERAGE;
  return exchange.leverage(position.accountId, position.instrument);
}

function positionCore(
  position: SimPosition,
  instrument: SimInstrument | undefined,
  time: PositionTime,
  leverage: number | null,
): Record<string, unknown> {
  const lot = instrument?.spec.lotSize ?? 0.0001;
  const size = Math.abs(position.size);
  return {
    positionIdx: 0,
    tradeMode: 0,
    riskId: 1,
    riskLimitValue: instrument?.spec.kind === 'option' ? '' : '2000000',
    symbol: position.instrument,
    side: position.size > 0 ? 'Buy' : position.size < 0 ? 'Sell' : '',
    size: gridText(size, lot),
    positionValue: decimalText(size * position.averagePrice, 8),
    leverage: leverage === null ? '' : String(leverage),
    markPrice: decimalText(position.markPrice, 8),
    positionIM: decimalText(position.initialMargin, 8),
    positionMM: decimalText(position.maintenanceMargin, 8),
    positionBalance: '0',
    takeProfit: '0',
    stopLoss: '0',
    trailingStop: '0',
    sessionAvgPrice: '',
    unrealisedPnl: decimalText(position.unrealizedPnl, 8),
    curRealisedPnl: decimalText(position.realizedPnl, 8),
    cumRealisedPnl: decimalText(position.realizedPnl, 8),
    liqPrice: '',
    bustPrice: '',
    tpslMode: 'Full',
    positionStatus: 'Normal',
    adlRankIndicator: 0,
    autoAddMargin: 0,
    isReduceOnly: false,
    createdTime: String(time.created),
    updatedTime: String(time.updated),
    leverageSysUpdatedTime: '',
    mmrSysUpdatedTime: '',
  };
}

/** A `position` topic row: the entry price is `entryPrice` there. */
export function positionTopicRow(
  position: SimPosition,
  instrument: SimInstrument | undefined,
  time: PositionTime,
  seq: number,
  leverage: number | null,
): Record<string, unknown> {
  return {
    category: categoryOf(instrument),
    ...positionCore(position, instrument, time, leverage),
    entryPrice: decimalText(position.averagePrice, 8),
    seq,
  };
}

/** A `GET /v5/position/list` row: `avgPrice`, and greeks for options. */
export function positionListRow(
  position: SimPosition,
  instrument: SimInstrument | undefined,
  time: PositionTime,
  seq: number,
  leverage: number | null,
): Record<string, unknown> {
  const option = instrument?.spec.kind === 'option';
  return {
    ...positionCore(position, instrument, time, leverage),
    avgPrice: decimalText(position.averagePrice, 8),
    delta: option ? decimalText(position.delta, 8) : '',
    gamma: option ? decimalText(position.gamma, 8) : '',
    vega: option ? decimalText(position.vega, 8) : '',
    theta: option ? decimalText(position.theta, 8) : '',
    seq,
  };
}

/** The unified account: one USDT coin row, totals in USD(T). `positionIM` is what positions
 * post; the rest of the summary's initial margin is what open orders reserve. */
export function walletRow(summary: SimAccountSummary, positionIM: number): Record<string, unknown> {
  const equity = summary.equity;
  const rate = (margin: number): string => (equity > 0 ? decimalText(margin / equity, 4) : '0');
  const usd = (value: number): string => decimalText(value, 8);
  return {
    accountIMRate: rate(summary.initialMargin),
    accountMMRate: rate(summary.maintenanceMargin),
    totalEquity: usd(equity),
    totalWalletBalance: usd(summary.balance),
    totalMarginBalance: usd(equity),
    totalAvailableBalance: usd(summary.availableFunds),
    totalPerpUPL: usd(summary.futuresPnl),
    totalInitialMargin: usd(summary.initialMargin),
    totalMaintenanceMargin: usd(summary.maintenanceMargin),
    accountLTV: '0',
    accountType: 'UNIFIED',
    coin: [
      {
        coin: summary.currency,
        equity: usd(equity),
        usdValue: usd(equity),
        walletBalance: usd(summary.balance),
        availableToWithdraw: usd(summary.availableFunds),
        availableToBorrow: '',
        borrowAmount: '0',
        accruedInterest: '0',
        totalOrderIM: usd(Math.max(summary.initialMargin - positionIM, 0)),
        totalPositionIM: usd(positionIM),
        totalPositionMM: usd(summary.maintenanceMargin),
        unrealisedPnl: usd(summary.totalPnl),
        cumRealisedPnl: '0',
        bonus: '0',
        collateralSwitch: true,
        marginCollateral: true,
        locked: '0',
        spotHedgingQty: '0',
      },
    ],
  };
}

/** Initial margin the account's positions settled in `currency` post. */
export function positionMargin(exchange: SimExchange, accountId: string, currency: string): number {
  return exchange
    .positions(accountId)
    .filter((p) => p.settleCurrency === currency)
    .reduce((sum, p) => sum + p.initialMargin, 0);
}
