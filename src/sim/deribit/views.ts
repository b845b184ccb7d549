// The exchange core's state rendered in Deribit's shapes, with the lookups each shape needs
// (contract sizes, the order behind a fill, the session's settlement marks).

import type { SimExchange, SimFill, SimOrder, SimPosition } from '../contract.js';
import type { InstrumentCatalog } from './catalog.js';
import { orderData, positionData, userTradeData, type OrderPricing } from './format-account.js';
import { SessionMarks, tickerData } from './format-market.js';

export class Views {
  readonly marks = new SessionMarks();
  /** Orders placed with `advanced: "usd"`, which the core prices in coin. */
  readonly usdPricing = new Map<string, OrderPricing>();

  constructor(
    private readonly exchange: SimExchange,
    readonly catalog: InstrumentCatalog,
  ) {}

  ticker(name: string): Record<string, unknown> | null {
    const instrument = this.catalog.get(name);
    const ticker = this.exchange.ticker(name);
    if (instrument === undefined || ticker === undefined) return null;
    return tickerData(instrument, ticker, this.marks);
  }

  order(order: SimOrder): Record<string, unknown> {
    return orderData(
      order,
      this.catalog.get(order.instrument)?.spec,
      this.usdPricing.get(order.orderId),
    );
  }

  /** A user trade, in a reply, on user.trades / user.changes, or read back from history. */
  fill(fill: SimFill): Record<string, unknown> {
    return userTradeData(fill, {
      spec: this.catalog.get(fill.instrument)?.spec,
      order: this.exchange.order(fill.accountId, fill.orderId),
    });
  }

  position(position: SimPosition): Record<string, unknown> {
    return positionData(position);
  }
}
