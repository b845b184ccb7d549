// The sim's order log: every order request that reached the exchange through a venue's
// protocol, in arrival order, with what became of it. It is the sim-side witness for tests
// ("an invalid line sent nothing") and for a trader replaying a paper session.

import type {
  SimComboRequest,
  SimEditRequest,
  SimExchange,
  SimOrderFilter,
  SimOrderRequest,
  SimVenueName,
} from './contract.js';

export type SimOrderAction = 'place' | 'place-combo' | 'edit' | 'cancel' | 'cancel-all';

export interface SimOrderLogEntry {
  /** Sim time of arrival (ms). */
  readonly ts: number;
  readonly venue: SimVenueName;
  readonly account: string;
  readonly action: SimOrderAction;
  /** The request as the exchange got it (orders) or the order id / filter (cancels). */
  readonly request:
    | SimOrderRequest
    | SimComboRequest
    | SimEditRequest
    | { readonly orderId: string }
    | SimOrderFilter;
  readonly outcome: 'ok' | 'error';
  /** Orders touched: the placed or edited order, or the cancelled ones. */
  readonly orderIds: readonly string[];
  /** State of the placed or edited order after matching (open, filled, …). */
  readonly status?: string;
  readonly error?: string;
}

export type SimOrderLog = (entry: SimOrderLogEntry) => void;

/** The exchange as a venue server sees it, with every order call written to `log`. */
export function withOrderLog(exchange: SimExchange, log: SimOrderLog): SimExchange {
  const record = <T>(
    account: string,
    action: SimOrderAction,
    request: SimOrderLogEntry['request'],
    call: () => T,
    describe: (result: T) => { orderIds: readonly string[]; status?: string },
  ): T => {
    const base = { ts: exchange.now(), venue: exchange.venue, account, action, request };
    let result: T;
    try {
      result = call();
    } catch (error) {
      log({ ...base, outcome: 'error', orderIds: [], error: String(error) });
      throw error;
    }
    log({ ...base, outcome: 'ok', ...describe(result) });
    return result;
  };
  // Only the order calls are wrapped; everything else is the exchange itself.
  return Object.assign(Object.create(exchange) as SimExchange, {
    placeCombo: (account: string, request: SimComboRequest) =>
      record(
        account,
        'place-combo',
        request,
        () => exchange.placeCombo(account, request),
        (result) => ({ orderIds: [result.order.orderId], status: result.order.state }),
      ),
    place: (account: string, request: SimOrderRequest) =>
      record(
        account,
        'place',
        request,
        () => exchange.place(account, request),
        (r) => ({ orderIds: [r.order.orderId], status: r.order.state }),
      ),
    edit: (account: string, request: SimEditRequest) =>
      record(
        account,
        'edit',
        request,
        () => exchange.edit(account, request),
        (r) => ({ orderIds: [r.order.orderId], status: r.order.state }),
      ),
    cancel: (account: string, orderId: string) =>
      record(
        account,
        'cancel',
        { orderId },
        () => exchange.cancel(account, orderId),
        (order) => ({ orderIds: [order.orderId], status: order.state }),
      ),
    cancelAll: (account: string, filter?: SimOrderFilter) =>
      record(
        account,
        'cancel-all',
        filter ?? {},
        () => exchange.cancelAll(account, filter),
        (orders) => ({ orderIds: orders.map((order) => order.orderId) }),
      ),
  });
}
