// The wallet and the account tree of a paper account: `private/get_deposits`,
// `…/get_withdrawals`, `…/get_transfers`, `…/get_current_deposit_address`, `…/get_subaccounts`,
// and the wallet writes `…/create_deposit_address`, `…/withdraw`,
// `…/submit_transfer_to_subaccount` and `…/submit_transfer_to_user`.
//
// A sim account is funded by configuration, never on chain, so it has made no deposit,
// withdrawal or transfer: the history methods answer as the venue does for an account with
// none, `{count: 0, data: []}` (docs.deribit.com, api-reference/wallet), after checking their
// params as the venue would. It has no deposit address either, and get_current_deposit_address
// answers null ("Object if address is created, null otherwise"). The sim's keys are issued
// with `wallet:read` but not `wallet:read_write` (auth.ts TOKEN_SCOPE), so every wallet write
// is refused as the venue refuses a key without that scope: 13021 forbidden.

import { accountOf, type DeribitCore, type Method, type MethodCall } from './core.js';
import { CODE, invalidParams } from './errors.js';
import { accountSummaryData } from './format-account.js';
import { instrumentId } from './format-market.js';
import { isVenueCurrency, venueCurrencies } from './markets.js';
import { optionalBoolean, optionalNumber, requireString, type Params } from './params.js';
import { RpcError } from './rpc.js';

/** get_deposits / get_withdrawals / get_transfers page size: default 10, at most 1000. */
const MAX_COUNT = 1000;

function requireCurrency(core: DeribitCore, params: Params): string {
  const currency = requireString(params, 'currency').toUpperCase();
  if (!isVenueCurrency(core.exchange, currency)) {
    throw invalidParams('currency', `must be one of ${venueCurrencies(core.exchange).join(', ')}`);
  }
  return currency;
}

function checkPage(params: Params): void {
  const count = optionalNumber(params, 'count');
  const offset = optionalNumber(params, 'offset');
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)) {
    throw invalidParams('count', `must be a whole number from 1 to ${MAX_COUNT}`);
  }
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
    throw invalidParams('offset', 'must be 0 or more');
  }
}

/** A history the paper account has none of. */
const noneYet: Method = (core, call) => {
  accountOf(core, call);
  requireCurrency(core, call.params);
  checkPage(call.params);
  return { count: 0, data: [] };
};

const currentDepositAddress: Method = (core, call) => {
  accountOf(core, call);
  requireCurrency(core, call.params);
  return null;
};

/** What the venue answers a key whose scope lacks `wallet:read_write`. */
function walletWrite(core: DeribitCore, call: MethodCall, required: readonly string[]): never {
  accountOf(core, call);
  requireCurrency(core, call.params);
  for (const name of required) {
    const value = call.params[name];
    if (value === undefined || value === null || value === '') {
      throw invalidParams(name, 'must be present');
    }
  }
  throw new RpcError(CODE.forbidden, 'forbidden', {
    reason: 'the paper account has no wallet: wallet:read_write is not in its scope',
  });
}

/** The account itself, as the main account of a tree with no subaccounts. */
const getSubaccounts: Method = (core, call) => {
  const account = accountOf(core, call);
  const withPortfolio = optionalBoolean(call.params, 'with_portfolio') === true;
  const record: Record<string, unknown> = {
    email: `${account}@sim.invalid`,
    id: instrumentId(account),
    is_password: false,
    login_enabled: false,
    receive_notifications: false,
    security_keys_enabled: false,
    security_keys_assignments: [],
    system_name: account,
    type: 'main',
    username: account,
  };
  if (withPortfolio) {
    // Keyed by the lower-case currency, as the venue's example lists it.
    const portfolio: Record<string, unknown> = {};
    for (const currency of venueCurrencies(core.exchange)) {
      const summary = accountSummaryData(core.exchange.summary(account, currency));
      portfolio[currency.toLowerCase()] = {
        available_funds: summary['available_funds'],
        available_withdrawal_funds: summary['available_withdrawal_funds'],
        balance: summary['balance'],
        currency: currency.toLowerCase(),
        equity: summary['equity'],
        initial_margin: summary['initial_margin'],
        maintenance_margin: summary['maintenance_margin'],
        margin_balance: summary['margin_balance'],
      };
    }
    record['portfolio'] = portfolio;
    record['not_confirmed_email'] = '';
  }
  return [record];
};

export const WALLET_METHODS: Readonly<Record<string, Method>> = {
  'private/get_deposits': noneYet,
  'private/get_withdrawals': noneYet,
  'private/get_transfers': noneYet,
  'private/get_current_deposit_address': currentDepositAddress,
  'private/get_subaccounts': getSubaccounts,
  'private/create_deposit_address': (core, call) => walletWrite(core, call, []),
  'private/withdraw': (core, call) => walletWrite(core, call, ['address', 'amount']),
  'private/submit_transfer_to_subaccount': (core, call) =>
    walletWrite(core, call, ['amount', 'destination']),
  'private/submit_transfer_to_user': (core, call) =>
    walletWrite(core, call, ['amount', 'destination']),
};
