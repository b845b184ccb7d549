/**
 * Bybit v5 HMAC signatures. Both are hex HMAC-SHA256 with the API secret; what differs is the
 * signed text. The secret and the signatures must never reach a log or an error message.
 */
import { createHmac } from 'node:crypto';

function hmacSha256Hex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/**
 * `X-BAPI-SIGN` for a REST request: over timestamp + apiKey + recvWindow + payload, where the
 * payload is the query string exactly as sent (GET) or the JSON body exactly as sent (POST).
 */
export function bybitRestSignature(
  secret: string,
  timestamp: number,
  apiKey: string,
  recvWindow: number,
  payload: string,
): string {
  return hmacSha256Hex(secret, `${timestamp}${apiKey}${recvWindow}${payload}`);
}

/** The private socket's auth op frame: {"op":"auth","args":[apiKey, expires, signature]} with signature over "GET/realtime"+expires. */
export function bybitWsAuthFrame(
  apiKey: string,
  secret: string,
  expiresMs: number,
  reqId?: string,
): string {
  // A fractional or exponent-formatted number would be signed as text the venue never sees.
  if (!Number.isSafeInteger(expiresMs)) {
    throw new RangeError('Bybit auth: expires must be an integer number of ms');
  }
  const signature = hmacSha256Hex(secret, `GET/realtime${expiresMs}`);
  return JSON.stringify({
    ...(reqId === undefined ? {} : { req_id: reqId }),
    op: 'auth',
    args: [apiKey, expiresMs, signature],
  });
}
