// Disconnection protection (`POST /v5/order/disconnected-cancel-all`, what ccxt calls
// cancelAllOrdersAfter): Bybit's is not a renewable dead man's switch but a window per
// product. When an account's private socket that subscribed the `dcp` topic goes away and no
// private socket of the account is back within the window, the account's orders in that
// product are cancelled (bybit-exchange.github.io/docs/v5/order/dcp: `product` OPTIONS (the
// default), DERIVATIVES or SPOT; `timeWindow` 3–300 seconds). The sim lists no spot, so SPOT is
// stored and never cancels anything.

import type { SimExchange } from '../contract.js';
import type { BybitConnection } from './connection.js';
import { paramsError } from './errors.js';
import type { Body } from './order-requests.js';

const PRODUCTS = ['OPTIONS', 'DERIVATIVES', 'SPOT'] as const;
type Product = (typeof PRODUCTS)[number];

export class DisconnectProtection {
  private readonly windows = new Map<string, Map<Product, number>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly exchange: SimExchange,
    /** The account's private connections still open. */
    private readonly privateConnections: (accountId: string) => number,
  ) {}

  /** The REST route: stores the window, answers an empty result. */
  set(accountId: string, body: Body): unknown {
    const product = body['product'] ?? 'OPTIONS';
    if (typeof product !== 'string' || !(PRODUCTS as readonly string[]).includes(product)) {
      throw paramsError('product invalid');
    }
    const window = Number(body['timeWindow']);
    if (!Number.isInteger(window) || window < 3 || window > 300) {
      throw paramsError('timeWindow must be an integer from 3 to 300');
    }
    let windows = this.windows.get(accountId);
    if (windows === undefined) {
      windows = new Map();
      this.windows.set(accountId, windows);
    }
    windows.set(product as Product, window);
    return {};
  }

  /** A private connection closed: start the account's windows if it followed `dcp`. */
  onClosed(connection: BybitConnection): void {
    const key = connection.key;
    if (connection.kind !== 'private' || key === null) return;
    if (![...connection.topics].some((topic) => topic === 'dcp' || topic.startsWith('dcp.'))) {
      return;
    }
    for (const [product, seconds] of this.windows.get(key.accountId) ?? []) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.privateConnections(key.accountId) > 0) return;
        if (product === 'OPTIONS') this.exchange.cancelAll(key.accountId, { kind: 'option' });
        if (product === 'DERIVATIVES') {
          this.exchange.cancelAll(key.accountId, { kind: 'perpetual' });
          this.exchange.cancelAll(key.accountId, { kind: 'future' });
        }
      }, seconds * 1000);
      timer.unref();
      this.timers.add(timer);
    }
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
