// `private/get_account_summaries`: every currency's summary at once, under the account's
// identity, as ccxt's fetchBalance reads it (result.summaries).

import { accountOf, type Method } from './core.js';
import { accountSummaryData } from './format-account.js';
import { instrumentId } from './format-market.js';
import { venueCurrencies } from './markets.js';
import { optionalBoolean } from './params.js';

const getAccountSummaries: Method = (core, call) => {
  const account = accountOf(core, call);
  // `extended` adds identity fields the sim always sends; it is still checked for its type.
  optionalBoolean(call.params, 'extended');
  const summaries = venueCurrencies(core.exchange).map((currency) =>
    accountSummaryData(core.exchange.summary(account, currency)),
  );
  return {
    id: instrumentId(account),
    username: account,
    system_name: account,
    type: 'main',
    email: `${account}@sim.invalid`,
    login_enabled: false,
    security_keys_enabled: false,
    mmp_enabled: false,
    interuser_transfers_enabled: false,
    self_trading_reject_mode: 'reject_taker',
    self_trading_extended_to_subaccounts: false,
    referrer_id: null,
    creation_timestamp: 0,
    summaries,
  };
};

export const ACCOUNT_METHODS: Readonly<Record<string, Method>> = {
  'private/get_account_summaries': getAccountSummaries,
};
