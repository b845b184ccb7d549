import type { OrderEvent, OrderStatus } from '../book/events.js';
import type { OrderRowView, OrdersView } from './types.js';

const WORKING: ReadonlySet<OrderStatus> = new Set(['open', 'untriggered']);

/**
 * Working orders (open, or stops waiting for their trigger), newest first. An order's age runs
 * from the venue's creation time; where the venue does not say, from when ivtrade first saw
 * it; where neither is known, it counts as new.
 */
export function buildOrdersView(
  orders: readonly OrderEvent[],
  now: number,
  firstSeen: (orderId: string) => number | undefined,
  numberOf: (orderId: string) => number | undefined = () => undefined,
): OrdersView {
  const rows = orders
    .filter((order) => WORKING.has(order.status))
    .map((order) => rowOf(order, now, firstSeen, numberOf(order.orderId) ?? null));
  rows.sort(
    (a, b) => a.ageMs - b.ageMs || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0),
  );
  return { rows };
}

function rowOf(
  order: OrderEvent,
  now: number,
  firstSeen: (orderId: string) => number | undefined,
  number: number | null,
): OrderRowView {
  const since = order.createdTs ?? firstSeen(order.orderId);
  return {
    orderId: order.orderId,
    number,
    instrument: order.instrument,
    side: order.side,
    orderType: order.orderType,
    amount: order.amount,
    price: order.price,
    triggerPrice: order.triggerPrice,
    iv: order.iv,
    filled: order.filled,
    label: order.label,
    // A venue clock slightly ahead of ours must not show a negative age.
    ageMs: since === undefined ? 0 : Math.max(0, now - since),
    status: order.status,
  };
}
