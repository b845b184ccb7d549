// Private methods: orders, positions, the account, cancel-on-disconnect and the private
// subscriptions. Every handler acts for the account the call proved (see accountOf).

import { SimError, type SimOrder, type SimPlaceResult, type SimSide } from '../contract.js';
import { flatPosition } from '../flat-position.js';
import { placeOnCombo } from './combos.js';
import { accountOf, type DeribitCore, type Method, type MethodCall } from './core.js';
import { CODE, instrumentNotFound, invalidParams, rpcErrorFromSim } from './errors.js';
import { accountSummaryData } from './format-account.js';
import { ACCOUNT_METHODS } from './methods-account.js';
import { ORDER_HISTORY_METHODS } from './methods-order-history.js';
import { instrumentId } from './format-market.js';
import { KIND_SELECTORS, currencyMatches, kindMatches } from './kinds.js';
import { subscribe, unsubscribe } from './methods-public.js';
import { parseEdit, parseOrder } from './order-params.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalString,
  requireString,
  type Params,
} from './params.js';
import { RpcError } from './rpc.js';
import { instrumentCurrency, isVenueCurrency, venueCurrencies } from './markets.js';

function orderNotFound(): RpcError {
  return new RpcError(CODE.orderNotFound, 'order_not_found');
}

const ORDER_TYPE_FILTERS = [
  'all',
  'limit',
  'stop_all',
  'stop_limit',
  'stop_market',
  'trigger_all',
  'take_all',
  'take_limit',
  'take_market',
  'trailing_all',
  'trailing_stop',
] as const;
type OrderTypeFilter = (typeof ORDER_TYPE_FILTERS)[number];

function typeMatches(filter: OrderTypeFilter | undefined, order: SimOrder): boolean {
  switch (filter) {
    case undefined:
    case 'all':
      return true;
    case 'limit':
      return order.type === 'limit' || order.type === 'market_limit';
    case 'stop_all':
    case 'trigger_all':
      return order.type === 'stop_limit' || order.type === 'stop_market';
    case 'stop_limit':
    case 'stop_market':
      return order.type === filter;
    default:
      return false;
  }
}

function orderReply(core: DeribitCore, result: SimPlaceResult): Record<string, unknown> {
  return {
    order: core.views.order(result.order),
    trades: result.fills.map((fill) => core.views.fill(fill)),
  };
}

/** Runs a core call, naming SimErrors the way Deribit does for this instrument and side. */
function onExchange<T>(
  core: DeribitCore,
  instrument: string | undefined,
  side: SimSide | undefined,
  run: () => T,
): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SimError)) throw error;
    const spec = instrument === undefined ? undefined : core.catalog.get(instrument)?.spec;
    throw rpcErrorFromSim(error, {
      ...(spec !== undefined ? { futureLike: spec.kind !== 'option' } : {}),
      ...(side !== undefined ? { side } : {}),
    });
  }
}

function place(side: SimSide): Method {
  return (core, call) => {
    const account = accountOf(core, call);
    const name = requireString(call.params, 'instrument_name');
    const combo = core.combos.get(name);
    if (combo !== undefined) {
      const result = placeOnCombo(core, account, combo, side, call.params);
      call.session?.placedOrders.add(result.order.orderId);
      return orderReply(core, result);
    }
    const instrument = core.catalog.get(name);
    if (instrument === undefined || core.exchange.instrument(name) === undefined) {
      throw instrumentNotFound(name);
    }
    const parsed = parseOrder(call.params, side, instrument.spec, core.exchange);
    const result = onExchange(core, name, side, () => core.exchange.place(account, parsed.request));
    call.session?.placedOrders.add(result.order.orderId);
    if (parsed.usd !== undefined)
      core.views.usdPricing.set(result.order.orderId, { usd: parsed.usd });
    return orderReply(core, result);
  };
}

const edit: Method = (core, call) => {
  const account = accountOf(core, call);
  const orderId = requireString(call.params, 'order_id');
  const existing = core.exchange.order(account, orderId);
  if (existing === undefined) throw orderNotFound();
  const spec = core.catalog.get(existing.instrument)?.spec;
  if (spec === undefined) throw instrumentNotFound(existing.instrument);
  const parsed = parseEdit(call.params, orderId, spec, core.exchange);
  const result = onExchange(core, existing.instrument, existing.side, () =>
    core.exchange.edit(account, parsed.request),
  );
  if (parsed.usd !== undefined) core.views.usdPricing.set(orderId, { usd: parsed.usd });
  return orderReply(core, result);
};

const cancel: Method = (core, call) => {
  const account = accountOf(core, call);
  const orderId = requireString(call.params, 'order_id');
  return core.views.order(
    onExchange(core, undefined, undefined, () => core.exchange.cancel(account, orderId)),
  );
};

const cancelAll: Method = (core, call) => {
  const account = accountOf(core, call);
  return core.exchange.cancelAll(account).length;
};

/** Cancels the open orders that pass `keep`, one by one; returns how many. */
function cancelMatching(
  core: DeribitCore,
  account: string,
  keep: (order: SimOrder) => boolean,
): number {
  let cancelled = 0;
  for (const order of core.exchange.openOrders(account)) {
    if (!keep(order)) continue;
    onExchange(core, order.instrument, order.side, () =>
      core.exchange.cancel(account, order.orderId),
    );
    cancelled++;
  }
  return cancelled;
}

const cancelAllByCurrency: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = requireCurrency(core, call.params);
  const kind = optionalEnum(call.params, 'kind', KIND_SELECTORS);
  const type = optionalEnum(call.params, 'type', ORDER_TYPE_FILTERS);
  return cancelMatching(core, account, (order) => {
    const instrument = core.catalog.get(order.instrument);
    return (
      instrument !== undefined &&
      currencyMatches(currency, instrumentCurrency(instrument)) &&
      kindMatches(kind, instrument.spec.kind) &&
      typeMatches(type, order)
    );
  });
};

const cancelAllByInstrument: Method = (core, call) => {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  if (core.catalog.get(name) === undefined) throw instrumentNotFound(name);
  const type = optionalEnum(call.params, 'type', ORDER_TYPE_FILTERS);
  return cancelMatching(
    core,
    account,
    (order) => order.instrument === name && typeMatches(type, order),
  );
};

const cancelByLabel: Method = (core, call) => {
  const account = accountOf(core, call);
  const label = requireString(call.params, 'label');
  const currency = optionalString(call.params, 'currency');
  return cancelMatching(core, account, (order) => {
    if (order.label !== label) return false;
    const instrument = core.catalog.get(order.instrument);
    return (
      currency === undefined ||
      (instrument !== undefined && currencyMatches(currency, instrumentCurrency(instrument)))
    );
  });
};

function requireCurrency(core: DeribitCore, params: Params): string {
  const currency = requireString(params, 'currency').toUpperCase();
  if (currency !== 'ANY' && !isVenueCurrency(core.exchange, currency)) {
    const known = venueCurrencies(core.exchange).join(', ');
    throw invalidParams('currency', `must be one of ${known}, any`);
  }
  return currency;
}

const getPositions: Method = (core, call) => {
  const account = accountOf(core, call);
  // Without a currency the venue answers every currency's positions.
  const currency =
    call.params['currency'] === undefined ? 'ANY' : requireCurrency(core, call.params);
  const kind = optionalEnum(call.params, 'kind', KIND_SELECTORS);
  return core.exchange
    .positions(account, currency === 'ANY' ? {} : { currency })
    .filter((position) => kindMatches(kind, position.kind))
    .map((position) => core.views.position(position));
};

const getPosition: Method = (core, call) => {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  const instrument = core.catalog.get(name);
  if (instrument === undefined) throw instrumentNotFound(name);
  const position = core.exchange.positions(account, { instrument: name })[0];
  if (position !== undefined) return core.views.position(position);
  const ticker = core.exchange.ticker(name);
  return core.views.position(
    flatPosition(account, instrument, ticker, core.exchange.indexPrice(instrument.currency)),
  );
};

const getOpenOrdersByCurrency: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = requireCurrency(core, call.params);
  const kind = optionalEnum(call.params, 'kind', KIND_SELECTORS);
  const type = optionalEnum(call.params, 'type', ORDER_TYPE_FILTERS);
  return core.exchange
    .openOrders(account, currency === 'ANY' ? {} : { currency })
    .filter((order) => {
      const instrument = core.catalog.get(order.instrument);
      return (
        instrument !== undefined &&
        kindMatches(kind, instrument.spec.kind) &&
        typeMatches(type, order)
      );
    })
    .map((order) => core.views.order(order));
};

const getOpenOrdersByInstrument: Method = (core, call) => {
  const account = accountOf(core, call);
  const name = requireString(call.params, 'instrument_name');
  if (core.catalog.get(name) === undefined) throw instrumentNotFound(name);
  const type = optionalEnum(call.params, 'type', ORDER_TYPE_FILTERS);
  return core.exchange
    .openOrders(account, { instrument: name })
    .filter((order) => typeMatches(type, order))
    .map((order) => core.views.order(order));
};

const getOrderState: Method = (core, call) => {
  const account = accountOf(core, call);
  const orderId = requireString(call.params, 'order_id');
  const order = core.exchange.order(account, orderId);
  if (order === undefined) throw orderNotFound();
  return core.views.order(order);
};

/** Recent orders, open or closed, with the label in one currency: a list, as Deribit answers. */
const getOrderStateByLabel: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = requireCurrency(core, call.params);
  const label = requireString(call.params, 'label');
  const order = core.exchange.orderByLabel(account, label);
  const instrument = order === undefined ? undefined : core.catalog.get(order.instrument);
  if (order === undefined || instrument === undefined) return [];
  return currencyMatches(currency, instrumentCurrency(instrument)) ? [core.views.order(order)] : [];
};

const getAccountSummary: Method = (core, call) => {
  const account = accountOf(core, call);
  const currency = requireCurrency(core, call.params);
  if (currency === 'ANY') throw invalidParams('currency', 'must name one currency');
  const summary = accountSummaryData(core.exchange.summary(account, currency));
  if (optionalBoolean(call.params, 'extended') !== true) return summary;
  return {
    ...summary,
    id: instrumentId(account),
    username: account,
    system_name: account,
    type: 'main',
    referrer_id: null,
    login_enabled: false,
    security_keys_enabled: false,
    mmp_enabled: false,
    interuser_transfers_enabled: false,
    self_trading_reject_mode: 'reject_taker',
    self_trading_extended_to_subaccounts: false,
  };
};

const SCOPES = ['connection', 'account'] as const;

function codScope(call: MethodCall): 'connection' | 'account' {
  // Over HTTP there is no connection to watch; the venue applies the setting to the account.
  return (
    optionalEnum(call.params, 'scope', SCOPES) ?? (call.session === null ? 'account' : 'connection')
  );
}

function setCancelOnDisconnect(enabled: boolean): Method {
  return (core, call) => {
    const account = accountOf(core, call);
    const scope = codScope(call);
    if (scope === 'account') {
      if (enabled) core.accountCancelOnDisconnect.add(account);
      else core.accountCancelOnDisconnect.delete(account);
    } else if (call.session !== null) {
      call.session.cancelOnDisconnect = enabled;
    } else {
      throw invalidParams('scope', 'connection scope needs a WebSocket connection');
    }
    return 'ok';
  };
}

const getCancelOnDisconnect: Method = (core, call) => {
  const account = accountOf(core, call);
  const scope = codScope(call);
  const enabled =
    scope === 'account'
      ? core.accountCancelOnDisconnect.has(account)
      : call.session?.cancelOnDisconnect === true;
  return { scope, enabled };
};

const privateSubscribe: Method = (core, call) => {
  const account = accountOf(core, call);
  // A token passed with the request authenticates the connection it came on.
  if (call.session !== null && call.session.accountId === null) call.session.accountId = account;
  return subscribe(core, call);
};

const privateUnsubscribe: Method = (core, call) => {
  accountOf(core, call);
  return unsubscribe(core, call);
};

export const PRIVATE_METHODS: Readonly<Record<string, Method>> = {
  ...ACCOUNT_METHODS,
  ...ORDER_HISTORY_METHODS,
  'private/buy': place('buy'),
  'private/sell': place('sell'),
  'private/edit': edit,
  'private/cancel': cancel,
  'private/cancel_all': cancelAll,
  'private/cancel_all_by_currency': cancelAllByCurrency,
  'private/cancel_all_by_instrument': cancelAllByInstrument,
  'private/cancel_by_label': cancelByLabel,
  'private/get_positions': getPositions,
  'private/get_position': getPosition,
  'private/get_open_orders_by_currency': getOpenOrdersByCurrency,
  'private/get_open_orders_by_instrument': getOpenOrdersByInstrument,
  'private/get_order_state': getOrderState,
  'private/get_order_state_by_label': getOrderStateByLabel,
  'private/get_account_summary': getAccountSummary,
  'private/enable_cancel_on_disconnect': setCancelOnDisconnect(true),
  'private/disable_cancel_on_disconnect': setCancelOnDisconnect(false),
  'private/get_cancel_on_disconnect': getCancelOnDisconnect,
  'private/subscribe': privateSubscribe,
  'private/unsubscribe': privateUnsubscribe,
};
