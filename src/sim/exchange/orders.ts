// Order records as the exchange mutates them, and the frozen SimOrder views it hands out.

import type {
  SimOrder,
  SimOrderRequest,
  SimOrderState,
  SimOrderType,
  SimSide,
  SimTimeInForce,
} from '../contract.js';
import { clean } from './grid.js';

export interface OrderRecord {
  readonly orderId: string;
  readonly accountId: string;
  readonly instrument: string;
  readonly side: SimSide;
  readonly type: SimOrderType;
  price: number | null;
  iv: number | null;
  amount: number;
  filledAmount: number;
  /** Σ price × amount of the fills, for the average. */
  filledValue: number;
  state: SimOrderState;
  postOnly: boolean;
  rejectPostOnly: boolean;
  reduceOnly: boolean;
  readonly timeInForce: SimTimeInForce;
  readonly label: string;
  readonly triggerPrice: number | null;
  readonly trigger: SimOrderRequest['trigger'] | null;
  readonly createdAt: number;
  updatedAt: number;
  cancelReason: string | null;
  repriced: boolean;
  commission: number;
  /** Time priority within a price level: lower goes first. */
  priority: number;
}

export function remaining(order: OrderRecord): number {
  return order.amount - order.filledAmount;
}

export function isLive(order: OrderRecord): boolean {
  return order.state === 'open' || order.state === 'untriggered';
}

export function orderView(order: OrderRecord): SimOrder {
  return {
    orderId: order.orderId,
    accountId: order.accountId,
    instrument: order.instrument,
    side: order.side,
    type: order.type,
    price: order.price,
    iv: order.iv,
    amount: order.amount,
    filledAmount: order.filledAmount,
    averagePrice: order.filledAmount > 0 ? clean(order.filledValue / order.filledAmount) : 0,
    state: order.state,
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    timeInForce: order.timeInForce,
    label: order.label,
    triggerPrice: order.triggerPrice,
    trigger: order.trigger,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelReason: order.cancelReason,
    repriced: order.repriced,
    commission: order.commission,
  };
}
