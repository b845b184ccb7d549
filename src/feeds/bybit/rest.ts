/**
 * Bybit v5 REST over Node's fetch: public and HMAC-signed requests, the
 * `{retCode, retMsg, result}` envelope, and cursor pagination. The base URL always comes from
 * the caller (configuration), so the same client talks to the venue, its testnet or the sim.
 */
import { httpRequest } from '../common/http-request.js';
import { isRecord, requireArray, requireString, WireFormatError } from '../wire-fields.js';
import { bybitRestSignature } from './signing.js';

export interface BybitCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export type BybitQuery = Record<string, string | number | undefined>;

// Bybit's 10004 text echoes the whole signed string (timestamp, API key, request): not for logs.
const ORIGIN_STRING = /origin_string\[[^\]]*\]/g;

/** The venue answered, and said no: its retCode and retMsg (an echoed signed string cut out). */
export class BybitApiError extends Error {
  readonly retMsg: string;

  constructor(
    readonly retCode: number,
    retMsg: string,
    readonly path: string,
    /** The HTTP status it came with (Bybit sends most refusals with 200). */
    readonly httpStatus = 200,
  ) {
    const redacted = retMsg.replace(ORIGIN_STRING, 'origin_string[…]');
    super(`${path}: Bybit retCode ${retCode}: ${redacted}`);
    this.name = 'BybitApiError';
    this.retMsg = redacted;
  }
}

/**
 * An HTTP error without Bybit's envelope: the venue's edge refusing the request (403 for an
 * IP over its rate limit, 5xx while it is down). The request was not processed.
 */
export class BybitHttpError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly bodyStart: string,
  ) {
    super(`${path}: HTTP ${status}${bodyStart === '' ? '' : `: ${bodyStart}`}`);
    this.name = 'BybitHttpError';
  }
}

export interface BybitRestOptions {
  readonly baseUrl: string;
  readonly credentials?: BybitCredentials | null;
  /** How long after its timestamp the venue may still accept a signed request. */
  readonly recvWindowMs?: number;
  /** Per request, including reading the reply. */
  readonly timeoutMs?: number;
  /** Wall clock for signing: the venue checks timestamps against its own wall clock. */
  readonly now?: () => number;
}

const DEFAULT_RECV_WINDOW_MS = 5000;
const DEFAULT_TIMEOUT_MS = 10_000;
const BODY_EXCERPT_CHARS = 200;

export class BybitRestClient {
  readonly #baseUrl: string;
  readonly #credentials: BybitCredentials | null;
  readonly #recvWindowMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: BybitRestOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#credentials = options.credentials ?? null;
    this.#recvWindowMs = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
  }

  get hasCredentials(): boolean {
    return this.#credentials !== null;
  }

  /** Public GET; resolves `result` when retCode is 0, else throws BybitApiError; timeouts → RequestTimeoutError, network failure → ConnectionLostError (src/feeds/common/errors.ts). */
  get(path: string, query: BybitQuery = {}): Promise<unknown> {
    return this.#send('GET', path, queryString(query), null);
  }

  async signedGet(path: string, query: BybitQuery = {}): Promise<unknown> {
    const text = queryString(query);
    return this.#send('GET', path, text, this.#signatureHeaders(path, text));
  }

  async signedPost(path: string, body: Record<string, unknown>): Promise<unknown> {
    // Signed and sent as the very same text: the venue signs the bytes it received.
    const text = JSON.stringify(body);
    return this.#send('POST', path, text, this.#signatureHeaders(path, text));
  }

  /** Cursor pagination (`nextPageCursor` until empty) over a GET that returns {list, nextPageCursor}; returns every row. */
  async getAllPages(path: string, query: BybitQuery, signed = false): Promise<unknown[]> {
    const rows: unknown[] = [];
    const seen = new Set<string>();
    let cursor = '';
    for (;;) {
      const pageQuery = cursor === '' ? query : { ...query, cursor };
      const result = signed
        ? await this.signedGet(path, pageQuery)
        : await this.get(path, pageQuery);
      const where = `${path} result`;
      if (!isRecord(result)) throw new WireFormatError(`${where}: must be an object`);
      rows.push(...requireArray(result, 'list', where));
      cursor = requireString(result, 'nextPageCursor', where);
      if (cursor === '') return rows;
      // A cursor that comes round again would page forever.
      if (seen.has(cursor)) {
        throw new WireFormatError(`${where}: "nextPageCursor" repeats ${JSON.stringify(cursor)}`);
      }
      seen.add(cursor);
    }
  }

  #signatureHeaders(path: string, payload: string): Record<string, string> {
    const credentials = this.#credentials;
    if (credentials === null) {
      throw new Error(`${path}: a signed Bybit request needs an API key and secret`);
    }
    const timestamp = this.#now();
    return {
      'X-BAPI-API-KEY': credentials.apiKey,
      'X-BAPI-TIMESTAMP': String(timestamp),
      'X-BAPI-RECV-WINDOW': String(this.#recvWindowMs),
      'X-BAPI-SIGN': bybitRestSignature(
        credentials.apiSecret,
        timestamp,
        credentials.apiKey,
        this.#recvWindowMs,
        payload,
      ),
    };
  }

  /** For GET `payload` is the query string, for POST the body. */
  async #send(
    method: 'GET' | 'POST',
    path: string,
    payload: string,
    signature: Record<string, string> | null,
  ): Promise<unknown> {
    const what = `${method} ${path}`;
    const url =
      method === 'GET' && payload !== ''
        ? `${this.#baseUrl}${path}?${payload}`
        : `${this.#baseUrl}${path}`;
    const headers: Record<string, string> = { ...signature };
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    const { status, text } = await httpRequest({
      url,
      method,
      headers,
      ...(method === 'POST' ? { body: payload } : {}),
      what,
      timeoutMs: this.#timeoutMs,
    });
    return resultOf(path, status, text);
  }
}

function queryString(query: BybitQuery): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

function resultOf(path: string, status: number, text: string): unknown {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    reply = undefined;
  }
  const retCode = isRecord(reply) ? reply['retCode'] : undefined;
  if (!isRecord(reply) || typeof retCode !== 'number') {
    if (status < 200 || status >= 300) {
      throw new BybitHttpError(status, path, text.slice(0, BODY_EXCERPT_CHARS));
    }
    throw new WireFormatError(`${path}: the reply is not a Bybit envelope`);
  }
  if (retCode !== 0) {
    const retMsg = reply['retMsg'];
    throw new BybitApiError(retCode, typeof retMsg === 'string' ? retMsg : '', path, status);
  }
  return reply['result'];
}

/** fetch hides the socket error in `cause` (ECONNREFUSED, ECONNRESET…). */
