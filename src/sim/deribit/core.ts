// What every method handler works with, and how a call proves which account it acts for.

import type { SimExchange } from '../contract.js';
import type { VenueServerContext } from '../venue-server.js';
import type { TokenStore } from './auth.js';
import type { ComboRegistry } from './combos.js';
import type { FundingRecord } from './funding-record.js';
import type { HttpFaults } from './http-faults.js';
import type { InstrumentCatalog } from './catalog.js';
import { CODE, unauthorized } from './errors.js';
import type { Params } from './params.js';
import type { Publisher } from './publisher.js';
import { RpcError } from './rpc.js';
import type { Session } from './session.js';
import type { Views } from './views.js';

export interface DeribitCore {
  readonly context: VenueServerContext;
  readonly exchange: SimExchange;
  readonly tokens: TokenStore;
  readonly catalog: InstrumentCatalog;
  readonly views: Views;
  readonly publisher: Publisher;
  /** Accounts whose orders are cancelled when any of their connections drops. */
  readonly accountCancelOnDisconnect: Set<string>;
  readonly combos: ComboRegistry;
  readonly httpFaults: HttpFaults;
  /** The perpetuals' funding accrued since the sim started. */
  readonly funding: FundingRecord;
}

export interface MethodCall {
  readonly params: Params;
  /** The WebSocket connection; null for HTTP requests. */
  readonly session: Session | null;
  /** Over HTTP: the account of an `Authorization` header, when one was valid. */
  readonly headerAccount: string | null;
  /** Work to do once the reply is on its way (a subscription's first snapshot). */
  readonly after: (() => void)[];
}

export type Method = (core: DeribitCore, call: MethodCall) => unknown;

/** The account a private call acts for: its access_token, its connection, or its header. */
export function accountOf(core: DeribitCore, call: MethodCall): string {
  const token = call.params['access_token'];
  if (typeof token === 'string') {
    const account = core.tokens.accountOf(token);
    if (account === null) throw unauthorized();
    return account;
  }
  const account = call.session?.accountId ?? call.headerAccount;
  if (account === null || account === undefined) throw unauthorized();
  return account;
}

export function websocketOnly(call: MethodCall): Session {
  if (call.session === null) {
    throw new RpcError(CODE.mustBeWebsocket, 'must_be_websocket_request');
  }
  return call.session;
}
