// What one venue's exchange keeps between calls. The modules that trade, settle and publish
// share it as plain data so each stays a set of functions rather than a slice of one class.

import type { SimDelivery, SimInstrument, SimListener, SimVenueName } from '../contract.js';
import { Random } from '../random.js';
import { Accounts, type Ledger } from './accounts.js';
import type { FeeSchedule } from './fees.js';
import { CashLog } from './cash-log.js';
import { FillHistory } from './history-log.js';
import type { Listing } from './listing.js';
import type { OrderRecord } from './orders.js';

export interface SimExchangeOptions {
  readonly venue: SimVenueName;
  /** The sim clock. */
  readonly now: () => number;
  /** What a new account holds per currency: {BTC: 10, ETH: 100} or {USDT: 1_000_000}. */
  readonly funding: Readonly<Record<string, number>>;
  /** Defaults by settlement: the coin-margined venue's schedule for inverse contracts, the
   * USDT venue's for linear ones (see fees.ts). */
  readonly fees?: FeeSchedule;
  /** Seeds first change ids and the rest of the market's open interest. */
  readonly seed?: number;
  /** Futures and perpetuals post notional / leverage as initial margin; the venue's position
   * rows show the same figure. Defaults to DEFAULT_FUTURE_LEVERAGE. */
  readonly futureLeverage?: number;
}

/** 2 % initial margin: Deribit's for its futures' first tier. */
export const DEFAULT_FUTURE_LEVERAGE = 50;

export interface ExchangeState {
  readonly options: SimExchangeOptions;
  readonly listings: Map<string, Listing>;
  readonly indices: Map<string, number>;
  readonly currencyList: string[];
  readonly accounts: Accounts;
  /** Every order ever placed, for lookups after it closed. */
  readonly orders: Map<string, OrderRecord>;
  /** Open and untriggered orders, oldest first. */
  readonly live: Map<string, OrderRecord>;
  readonly labels: Map<string, OrderRecord>;
  readonly listeners: Set<SimListener>;
  readonly random: Random;
  orderNumber: number;
  tradeNumber: number;
  priority: number;
  /** Nesting of batches: only the outermost one publishes. */
  depth: number;
  /** Every event of a batch carries the time it started at. */
  batchTs: number;
  lastStepTs: number | null;
  readonly dirtyBooks: Set<string>;
  readonly dirtyTickers: Set<string>;
  readonly dirtyLedgers: Set<Ledger>;
  /** Settled instruments' delivery prices, oldest first, bounded. */
  readonly deliveries: SimDelivery[];
  /** Expired instruments, so history can still be filtered by currency and kind. */
  readonly delisted: Map<string, SimInstrument>;
  readonly fills: FillHistory;
  /** Cash movements per account and perpetuals' funding settlements. */
  readonly cash: CashLog;
}

const FIRST_ORDER_NUMBER = 1_000;

export function createExchangeState(options: SimExchangeOptions): ExchangeState {
  return {
    options,
    listings: new Map(),
    indices: new Map(),
    currencyList: [],
    accounts: new Accounts(options.funding),
    orders: new Map(),
    live: new Map(),
    labels: new Map(),
    listeners: new Set(),
    random: new Random(options.seed ?? 0).fork('exchange'),
    orderNumber: FIRST_ORDER_NUMBER,
    tradeNumber: 0,
    priority: 0,
    depth: 0,
    batchTs: 0,
    lastStepTs: null,
    dirtyBooks: new Set(),
    dirtyTickers: new Set(),
    dirtyLedgers: new Set(),
    deliveries: [],
    delisted: new Map(),
    fills: new FillHistory(),
    cash: new CashLog(),
  };
}
