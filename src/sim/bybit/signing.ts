// Bybit's HMAC checks: REST headers (X-BAPI-*) and the private socket's `auth` op. Expiry and
// timestamps are judged on the wall clock, which is what the client signs with; the sim clock
// may run thousands of times faster. Secrets never leave this module, not even in messages.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SimApiKey } from '../venue-server.js';
import { BybitError, RET } from './errors.js';

export const DEFAULT_RECV_WINDOW = 5000;
/** Bybit accepts a timestamp at most this far ahead of its own clock. */
const FUTURE_TOLERANCE_MS = 1000;

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface RestCredentials {
  readonly apiKey: string | undefined;
  readonly timestamp: string | undefined;
  readonly recvWindow: string | undefined;
  readonly sign: string | undefined;
}

/**
 * The key a signed REST request belongs to, or the venue's error: 10003 unknown key, 10002
 * timestamp outside [now − recvWindow, now + 1 s), 10004 signature mismatch. `payload` is the
 * raw query string for GET and the raw body for POST.
 */
export function verifyRest(
  keys: readonly SimApiKey[],
  credentials: RestCredentials,
  payload: string,
  wallNow: number,
): SimApiKey {
  const key = keys.find((k) => k.key === credentials.apiKey);
  if (credentials.apiKey === undefined || key === undefined) {
    throw new BybitError(RET.apiKey, 'API key is invalid.');
  }
  const timestamp = Number(credentials.timestamp);
  const window =
    credentials.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(credentials.recvWindow);
  if (
    !Number.isFinite(timestamp) ||
    !Number.isFinite(window) ||
    timestamp < wallNow - window ||
    timestamp >= wallNow + FUTURE_TOLERANCE_MS
  ) {
    throw new BybitError(
      RET.timestamp,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${credentials.timestamp ?? ''}],server_timestamp[${wallNow}],recv_window[${credentials.recvWindow ?? DEFAULT_RECV_WINDOW}]`,
    );
  }
  const origin = `${credentials.timestamp}${key.key}${credentials.recvWindow ?? ''}${payload}`;
  if (credentials.sign === undefined || !sameHex(hmacHex(key.secret, origin), credentials.sign)) {
    throw new BybitError(RET.sign, `error sign! origin_string[${origin}]`);
  }
  return key;
}

export type WsAuthResult =
  { readonly ok: true; readonly key: SimApiKey } | { readonly ok: false; readonly retMsg: string };

/** `{"op":"auth","args":[apiKey, expires, signature]}`, signature over "GET/realtime" + expires. */
export function verifyWsAuth(
  keys: readonly SimApiKey[],
  args: unknown,
  wallNow: number,
): WsAuthResult {
  if (!Array.isArray(args) || args.length < 3) return { ok: false, retMsg: 'Params Error' };
  const [apiKey, expiresRaw, signature] = args as unknown[];
  const expires = typeof expiresRaw === 'number' ? expiresRaw : Number(expiresRaw);
  if (typeof apiKey !== 'string' || typeof signature !== 'string' || !Number.isFinite(expires)) {
    return { ok: false, retMsg: 'Params Error' };
  }
  // An expiry in the past is what a drifting client clock produces; Bybit calls it a params error.
  if (expires <= wallNow) return { ok: false, retMsg: 'Params Error' };
  const key = keys.find((k) => k.key === apiKey);
  if (key === undefined) return { ok: false, retMsg: 'Request not authorized' };
  const expected = hmacHex(key.secret, `GET/realtime${String(expiresRaw)}`);
  if (!sameHex(expected, signature)) return { ok: false, retMsg: 'Request not authorized' };
  return { ok: true, key };
}
