// One print on the tape and what it does to the users on either side of it: fees, positions,
// balances and the orders' fill state.

import type { SimFill, SimPublicTrade, SimSide } from '../contract.js';
import { applyFill } from './accounts.js';
import { emit, emitOrder } from './events.js';
import type { ExchangeState } from './exchange-state.js';
import { tradeFee } from './fees.js';
import { snapAmount } from './grid.js';
import { markOf, yearsLeft, type Listing } from './listing.js';
import { feesFor, indexOf } from './lookups.js';
import { ivOfPrice } from './option-values.js';
import { remaining, type OrderRecord } from './orders.js';
import { nextTradeId } from './venue-ids.js';
import { positionView } from './views.js';

/** The public trade, then each user side's fill. Returns the taker's fill. */
export function printTrade(
  state: ExchangeState,
  listing: Listing,
  aggressor: SimSide,
  price: number,
  amount: number,
  maker: OrderRecord | null,
  taker: OrderRecord | null,
): SimFill | null {
  const { spec, tape } = listing;
  const ts = state.batchTs;
  const mark = markOf(listing, indexOf(state, listing));
  const iv =
    spec.kind === 'option' ? ivOfPrice(spec, price, mark.forward, yearsLeft(listing, ts)) : null;
  const trade: SimPublicTrade = {
    tradeId: nextTradeId(state, listing.instrument.currency),
    tradeSeq: tape.nextSeq(),
    instrument: spec.name,
    ts,
    price,
    amount,
    direction: aggressor,
    indexPrice: indexOf(state, listing),
    markPrice: mark.markPrice,
    iv,
    tickDirection: tape.tickDirection(price),
  };
  tape.record(trade);
  emit(state, { type: 'trade', trade });
  state.dirtyBooks.add(spec.name);
  state.dirtyTickers.add(spec.name);
  const at: MarketAtPrint = {
    markIv: spec.kind === 'option' ? mark.markIv : null,
    underlyingPrice: spec.kind === 'option' ? mark.forward : null,
  };
  if (maker !== null) fillOrder(state, listing, maker, 'maker', trade, at, true);
  return taker === null ? null : fillOrder(state, listing, taker, 'taker', trade, at, false);
}

/** An option's mark IV and forward when it traded; null for futures. */
interface MarketAtPrint {
  readonly markIv: number | null;
  readonly underlyingPrice: number | null;
}

/** A resting maker's order is announced with its fill; a taker's is announced once it is done
 * taking, by whoever placed it. */
function fillOrder(
  state: ExchangeState,
  listing: Listing,
  order: OrderRecord,
  liquidity: 'maker' | 'taker',
  trade: SimPublicTrade,
  at: MarketAtPrint,
  announceOrder: boolean,
): SimFill {
  const { spec } = listing;
  const { price, amount } = trade;
  const ledger = state.accounts.ledger(order.accountId, spec.settleCurrency);
  const fee = tradeFee(spec, feesFor(state, spec), liquidity, price, amount, trade.indexPrice);
  const position = ledger.position(spec.name);
  const heldBefore = Math.abs(position.size);
  const entryPrice = position.averagePrice;
  // The part of the fill against the position held before it (the rest opens or flips).
  const closedAmount =
    Math.sign(position.size) === (order.side === 'buy' ? -1 : 1) ? Math.min(amount, heldBefore) : 0;
  const { cash, realized } = applyFill(spec, position, order.side, amount, price);
  ledger.balance += cash - fee;
  ledger.feesPaid += fee;
  ledger.realizedPnl += realized;
  listing.userExposure = Math.max(0, listing.userExposure + Math.abs(position.size) - heldBefore);

  order.filledAmount = snapAmount(spec, order.filledAmount + amount);
  listing.book.invalidate();
  order.filledValue += price * amount;
  order.commission += fee;
  order.updatedAt = trade.ts;
  if (remaining(order) <= 0) {
    listing.book.remove(order);
    order.state = 'filled';
    state.live.delete(order.orderId);
  }

  const fill: SimFill = {
    tradeId: trade.tradeId,
    tradeSeq: trade.tradeSeq,
    orderId: order.orderId,
    accountId: order.accountId,
    instrument: spec.name,
    side: order.side,
    price,
    amount,
    fee,
    feeCurrency: spec.settleCurrency,
    liquidity,
    ts: trade.ts,
    indexPrice: trade.indexPrice,
    markPrice: trade.markPrice,
    iv: trade.iv,
    label: order.label,
    orderType: order.type,
    tickDirection: trade.tickDirection,
    ...at,
    leavesAmount: Math.max(remaining(order), 0),
  };
  state.fills.record(fill, listing.instrument);
  const notionalPrice = spec.kind === 'option' ? trade.indexPrice : price;
  state.cash.record(
    {
      accountId: order.accountId,
      type: 'trade',
      instrument: spec.name,
      currency: spec.settleCurrency,
      ts: trade.ts,
      side: order.side,
      amount,
      price,
      sizeAfter: position.size,
      cashFlow: cash,
      fee,
      funding: 0,
      balanceAfter: ledger.balance,
      rate: notionalPrice * amount > 0 ? fee / (notionalPrice * amount) : 0,
      tradeId: trade.tradeId,
      orderId: order.orderId,
      label: order.label,
      closedAmount,
      entryPrice: closedAmount > 0 ? entryPrice : 0,
      realized,
    },
    listing.instrument,
  );
  emit(state, { type: 'fill', accountId: order.accountId, fill });
  const view = positionView(ledger, listing, position, trade.ts, indexOf(state, listing));
  if (position.size === 0) ledger.positions.delete(spec.name);
  emit(state, { type: 'position', accountId: order.accountId, position: view });
  if (announceOrder) emitOrder(state, order);
  state.dirtyLedgers.add(ledger);
  return fill;
}
