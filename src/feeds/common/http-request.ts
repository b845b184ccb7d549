// One HTTP request to a venue's REST door with a time limit, and the failures named the way
// every venue client names them.

import { ConnectionLostError, RequestTimeoutError } from './errors.js';

export interface HttpReply {
  readonly status: number;
  readonly text: string;
}

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Names the request in errors, e.g. "GET /v5/market/time". */
  readonly what: string;
  readonly timeoutMs: number;
}

/** The connection was dropped under the request, not refused: the server never answered it. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * Sends the request: RequestTimeoutError when the time runs out, ConnectionLostError when the
 * connection fails. A GET whose connection the server dropped goes once more, on a new one:
 * fetch keeps sockets alive between requests, and a server closing an idle socket just as a
 * request goes out on it resets a request it never read (on a loaded machine, or behind a
 * balancer with a shorter idle timeout). Never a POST: an order the venue may have read must
 * not be sent twice.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpReply> {
  const attempts = request.method === 'GET' ? 2 : 1;
  for (let attempt = 1; ; attempt += 1) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), request.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        ...(request.headers === undefined ? {} : { headers: request.headers }),
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: abort.signal,
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (abort.signal.aborted) throw new RequestTimeoutError(request.what, request.timeoutMs);
      if (attempt < attempts && DROPPED_CODES.has(networkCode(error) ?? '')) continue;
      throw new ConnectionLostError(request.what, networkDetail(error));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** fetch's "fetch failed" carries the socket's error as its cause. */
function networkCause(error: unknown): Error | undefined {
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  return cause instanceof Error ? cause : undefined;
}

function networkCode(error: unknown): string | undefined {
  const code = (networkCause(error) as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function networkDetail(error: unknown): string {
  const cause = networkCause(error);
  if (cause !== undefined) {
    const code = networkCode(error);
    return code === undefined ? cause.message : `${code}: ${cause.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
