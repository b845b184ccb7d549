// Deribit's signed HTTP requests: `Authorization: deri-hmac-sha256 id=<client_id>,ts=<ms>,
// sig=<hex>,nonce=<text>`, where sig is HMAC-SHA256 with the client secret of
// `ts\nnonce\nRequestData` and RequestData is `METHOD\nURI\nbody\n` (the URI with its query
// string, the body empty for GET). This is how ccxt and other clients call private methods
// over REST without first fetching a token.

import type { TokenStore } from './auth.js';

export const HMAC_SCHEME = 'deri-hmac-sha256';

/** What the signature covers besides the header's own fields. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly uri: string;
  readonly body: string;
}

/** `id=a,ts=1,sig=f,nonce=x` as a record; values never contain commas or '='. */
function fields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The account a `deri-hmac-sha256` header proves, or null when it proves none. */
export function accountOfSignedRequest(
  tokens: TokenStore,
  headerValue: string,
  request: SignedRequest,
): string | null {
  const { id, ts, sig, nonce } = fields(headerValue);
  const timestamp = Number(ts);
  if (id === undefined || sig === undefined || nonce === undefined || !Number.isInteger(timestamp))
    return null;
  const data = `${request.method.toUpperCase()}\n${request.uri}\n${request.body}\n`;
  return tokens.accountOfSignature(id, timestamp, sig, nonce, data);
}
