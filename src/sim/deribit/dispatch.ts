// One request in, one reply out: method lookup, authentication of private methods, the
// method itself, and every failure turned into a Deribit error. Shared by WebSocket and HTTP.

import { SimError } from '../contract.js';
import { accountOf, type DeribitCore, type Method } from './core.js';
import { CODE, rpcErrorFromSim } from './errors.js';
import { COMBO_METHODS } from './combos.js';
import { FUNDING_METHODS } from './methods-funding.js';
import { SETTLEMENT_METHODS } from './methods-settlements.js';
import { WALLET_METHODS } from './methods-wallet.js';
import { VOLATILITY_METHODS } from './realised-vol.js';
import { PRIVATE_METHODS } from './methods-private.js';
import { PUBLIC_METHODS } from './methods-public.js';
import { TRADE_HISTORY_METHODS } from './methods-trades.js';
import type { Params } from './params.js';
import { errorFrame, resultFrame, RpcError, type RpcId } from './rpc.js';
import type { Session } from './session.js';

const METHODS: Readonly<Record<string, Method>> = {
  ...PUBLIC_METHODS,
  ...PRIVATE_METHODS,
  ...COMBO_METHODS,
  ...TRADE_HISTORY_METHODS,
  ...FUNDING_METHODS,
  ...VOLATILITY_METHODS,
  ...SETTLEMENT_METHODS,
  ...WALLET_METHODS,
};

export interface RpcRequest {
  readonly id?: RpcId;
  readonly method: string;
  readonly params: Params;
}

export interface Outcome {
  readonly frame: string;
  readonly ok: boolean;
  readonly code: number | null;
  readonly after: readonly (() => void)[];
}

/** A decoded frame or body as a request, or the error to answer it with. */
export function asRequest(value: unknown): RpcRequest | RpcError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new RpcError(-32600, 'Invalid Request');
  }
  const record = value as Record<string, unknown>;
  const method = record['method'];
  const params = record['params'] ?? {};
  const id = record['id'];
  if (typeof method !== 'string') return new RpcError(-32600, 'Invalid Request');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return new RpcError(CODE.invalidParams, 'Invalid params', {
      param: 'params',
      reason: 'must be an object',
    });
  }
  return {
    ...(typeof id === 'number' || typeof id === 'string' ? { id } : {}),
    method,
    params: params as Params,
  };
}

export function execute(
  core: DeribitCore,
  request: RpcRequest,
  session: Session | null,
  headerAccount: string | null,
): Outcome {
  const usIn = core.exchange.now() * 1000;
  const after: (() => void)[] = [];
  try {
    const method = METHODS[request.method];
    if (method === undefined) throw new RpcError(CODE.methodNotFound, 'Method not found');
    const call = { params: request.params, session, headerAccount, after };
    if (request.method.startsWith('private/')) accountOf(core, call);
    const result = method(core, call);
    const timing = { usIn, usOut: core.exchange.now() * 1000 };
    return { frame: resultFrame(request.id, result, timing), ok: true, code: null, after };
  } catch (caught) {
    const error = toRpcError(core, caught, request.method);
    const timing = { usIn, usOut: core.exchange.now() * 1000 };
    return { frame: errorFrame(request.id, error, timing), ok: false, code: error.code, after: [] };
  }
}

/** Answers a request that never reached a method (bad frame, rate limit). */
export function rejection(core: DeribitCore, id: RpcId | undefined, error: RpcError): string {
  const now = core.exchange.now() * 1000;
  return errorFrame(id, error, { usIn: now, usOut: now });
}

function toRpcError(core: DeribitCore, caught: unknown, method: string): RpcError {
  if (caught instanceof RpcError) return caught;
  if (caught instanceof SimError) return rpcErrorFromSim(caught);
  const reason = caught instanceof Error ? caught.message : String(caught);
  core.context.log(`deribit: ${method} failed: ${reason}`);
  return new RpcError(CODE.internalError, 'internal_server_error');
}
