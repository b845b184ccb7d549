// The same methods over HTTP: GET /api/v2/<method>?<params> or POST with a JSON-RPC body.
// Private methods take `Authorization: Bearer <access_token>`, Basic client_id:secret, a
// `deri-hmac-sha256` signature of the request (http-signature.ts), or an access_token param. Errors answer HTTP 400 with the JSON-RPC error body, as the venue does.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeribitCore } from './core.js';
import { asRequest, execute, rejection } from './dispatch.js';
import { CODE, tooManyRequests } from './errors.js';
import { readBody } from '../http-body.js';
import { accountOfSignedRequest, HMAC_SCHEME, type SignedRequest } from './http-signature.js';
import { RpcError } from './rpc.js';

export const HTTP_PREFIX = '/api/v2/';
const MAX_BODY_BYTES = 32 * 1024;

export function handleHttp(
  core: DeribitCore,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  const method = url.pathname.slice(HTTP_PREFIX.length);
  if (request.method === 'GET') {
    const params: Record<string, unknown> = {};
    for (const [key, value] of url.searchParams) params[key] = value;
    answer(core, request, response, { method, params }, '');
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  readBody(request, MAX_BODY_BYTES, (text) => {
    if (text === null) {
      send(response, 413, rejection(core, null, new RpcError(-32600, 'request entity too large')));
      return;
    }
    let body: unknown = {};
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      send(response, 400, rejection(core, null, new RpcError(CODE.parseError, 'Parse error')));
      return;
    }
    const record =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    // A JSON-RPC envelope, or the params object on its own.
    const envelope =
      'params' in record || 'jsonrpc' in record
        ? { ...record, method }
        : { method, params: record };
    answer(core, request, response, envelope, text);
  });
}

function answer(
  core: DeribitCore,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
  bodyText: string,
): void {
  const parsed = asRequest(body);
  if (parsed instanceof RpcError) {
    send(response, 400, rejection(core, null, parsed));
    return;
  }
  if (!core.httpFaults.admit(request.socket)) {
    send(response, 400, rejection(core, parsed.id, tooManyRequests()));
    return;
  }
  const signed = { method: request.method ?? 'GET', uri: request.url ?? '/', body: bodyText };
  const account = headerAccount(core, request.headers.authorization, signed);
  const outcome = execute(core, parsed, null, account);
  core.httpFaults.reply(() => send(response, outcome.ok ? 200 : 400, outcome.frame));
}

function headerAccount(
  core: DeribitCore,
  header: string | undefined,
  signed: SignedRequest,
): string | null {
  if (header === undefined) return null;
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return core.tokens.accountOf(value);
  if (scheme === HMAC_SCHEME) return accountOfSignedRequest(core.tokens, value, signed);
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return core.tokens.accountOfKey(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  return null;
}

function send(response: ServerResponse, status: number, frame: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(frame);
}
