/**
 * Public Deribit JSON-RPC over HTTP GET (`<http base>/public/<method>?<params>`), for one-shot
 * reads with no socket: history at start, `ivtrade rank`. The base URL comes from
 * configuration (endpoints.deribit.http). Public methods only: it never carries a token.
 */
import type { RpcCaller, RpcCallOptions } from '../common/rpc-caller.js';
import { VenueReplyError } from '../common/errors.js';
import { httpRequest } from '../common/http-request.js';
import { isRecord, WireFormatError } from '../wire-fields.js';

const DEFAULT_TIMEOUT_MS = 15_000;

export class DeribitHttpCaller implements RpcCaller {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(httpUrl: string, options: { readonly timeoutMs?: number } = {}) {
    this.#base = httpUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async call(
    method: string,
    params: Record<string, unknown>,
    options: RpcCallOptions = {},
  ): Promise<unknown> {
    if (!method.startsWith('public/')) {
      throw new RangeError(`${method}: the HTTP caller makes public calls only`);
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null) continue;
      const scalar =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
      query.set(key, scalar ? String(value) : JSON.stringify(value));
    }
    const { text } = await httpRequest({
      url: `${this.#base}/${method}?${query.toString()}`,
      method: 'GET',
      what: method,
      timeoutMs: options.timeoutMs ?? this.#timeoutMs,
    });
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      throw new WireFormatError(`${method}: the reply is not JSON: ${text.slice(0, 120)}`);
    }
    if (!isRecord(reply)) throw new WireFormatError(`${method}: the reply is not an object`);
    const error = reply['error'];
    if (isRecord(error)) {
      const code = typeof error['code'] === 'number' ? error['code'] : 0;
      const message = typeof error['message'] === 'string' ? error['message'] : 'error';
      throw new VenueReplyError(method, code, message, error['data'] ?? null);
    }
    if (!('result' in reply)) throw new WireFormatError(`${method}: the reply has no result`);
    return reply['result'];
  }
}
