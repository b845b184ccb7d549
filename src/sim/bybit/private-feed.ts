// Fans the exchange's account events out to authenticated private sockets: `order`,
// `execution`, `position`, `wallet` (each also as `.option` / `.linear` where Bybit offers
// it) and `greeks`. Envelope `{id, topic, creationTime, data:[…]}` as the v5 private topics.

import type { SimEvent, SimExchange, SimOrder } from '../contract.js';
import type { OrderRegistry } from './account-orders.js';
import type { BybitConnection } from './connection.js';
import type { PositionTimes } from './position-times.js';
import { decimalText } from './decimal-text.js';
import {
  categoryOf,
  executionRow,
  orderRow,
  positionMargin,
  positionLeverage,
  positionTopicRow,
  walletRow,
  type OrderNote,
} from './private-format.js';
import { privateScope, type PrivateStream } from './topics.js';

export class PrivateFeed {
  private seq = 0;

  constructor(
    private readonly exchange: SimExchange,
    private readonly orders: OrderRegistry,
    private readonly positionTimes: PositionTimes,
    private readonly connections: () => Iterable<BybitConnection>,
  ) {}

  onEvent(event: SimEvent): void {
    switch (event.type) {
      case 'order':
        this.orders.record(event.accountId, event.order);
        this.publishOrder(event.accountId, event.order);
        return;
      case 'fill': {
        const { fill } = event;
        const instrument = this.exchange.instrument(fill.instrument);
        const row = executionRow(
          fill,
          instrument,
          this.exchange.order(event.accountId, fill.orderId),
        );
        this.publish(event.accountId, 'execution', categoryOf(instrument), [row]);
        return;
      }
      case 'position': {
        const instrument = this.exchange.instrument(event.position.instrument);
        const time = this.positionTimes.changed(event.position, this.exchange.now());
        const row = positionTopicRow(
          event.position,
          instrument,
          time,
          ++this.seq,
          positionLeverage(this.exchange, event.position),
        );
        this.publish(event.accountId, 'position', categoryOf(instrument), [row]);
        return;
      }
      case 'account':
        this.publish(event.accountId, 'wallet', null, () => [
          walletRow(
            this.exchange.summary(event.accountId, event.currency),
            positionMargin(this.exchange, event.accountId, event.currency),
          ),
        ]);
        this.publish(event.accountId, 'greeks', null, () => this.greeksRows(event.accountId));
        return;
      default:
        return;
    }
  }

  /** Also used for orders the venue cancels on creation, which the core never reports. */
  publishOrder(accountId: string, order: SimOrder, note?: OrderNote): void {
    const instrument = this.exchange.instrument(order.instrument);
    const known = note ?? this.orders.get(accountId, order.orderId)?.note;
    this.publish(accountId, 'order', categoryOf(instrument), () => [
      orderRow(order, instrument, true, known),
    ]);
  }

  private greeksRows(accountId: string): Record<string, unknown>[] {
    return this.exchange.currencies().map((currency) => {
      const positions = this.exchange.positions(accountId, { currency, kind: 'option' });
      const total = (pick: (p: (typeof positions)[number]) => number): string =>
        decimalText(
          positions.reduce((sum, p) => sum + pick(p), 0),
          8,
        );
      return {
        baseCoin: currency,
        totalDelta: total((p) => p.delta),
        totalGamma: total((p) => p.gamma),
        totalVega: total((p) => p.vega),
        totalTheta: total((p) => p.theta),
      };
    });
  }

  /** Rows are built lazily: most account events reach nobody. */
  private publish(
    accountId: string,
    stream: PrivateStream,
    category: 'option' | 'linear' | null,
    rows: Record<string, unknown>[] | (() => Record<string, unknown>[]),
  ): void {
    let data: Record<string, unknown>[] | null = null;
    for (const connection of this.connections()) {
      if (connection.key?.accountId !== accountId) continue;
      for (const topic of connection.topics) {
        if (topic.split('.')[0] !== stream) continue;
        const scope = privateScope(topic);
        if (scope !== 'all' && scope !== category) continue;
        data ??= typeof rows === 'function' ? rows() : rows;
        const creationTime = this.exchange.now();
        const id = `${accountId}-${stream}-${++this.seq}`;
        connection.send(JSON.stringify({ id, topic, creationTime, data }), 'notification');
      }
    }
  }
}
