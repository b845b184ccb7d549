// The venue clients' HTTP request against a real socket server on loopback that drops
// connections on purpose: a GET whose connection was reset goes once more on a new one, a POST
// never does, and the failures keep their names.

import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { ConnectionLostError, RequestTimeoutError } from '../../../src/feeds/common/errors.js';
import { httpRequest } from '../../../src/feeds/common/http-request.js';
import { rejection } from '../../support/rejection.js';

/** What the server does with each request it reads, in order; the last one repeats. */
type Answer = 'reset' | 'ok' | 'hold';

interface DroppingServer {
  readonly url: string;
  /** Requests read so far (their first lines). */
  readonly requests: string[];
  close(): Promise<void>;
}

async function droppingServer(answers: readonly Answer[]): Promise<DroppingServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      if (!buffered.includes('\r\n\r\n')) return;
      const [head] = buffered.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head!)?.[1];
      if (buffered.length < head!.length + 4 + Number(length ?? 0)) return;
      requests.push(head!.split('\r\n')[0]!);
      buffered = '';
      const answer = answers[Math.min(requests.length, answers.length) - 1]!;
      if (answer === 'reset') socket.resetAndDestroy();
      else if (answer === 'ok') {
        const body = '{"fine":true}';
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a venue HTTP request', () => {
  const servers: DroppingServer[] = [];
  const serve = async (answers: readonly Answer[]): Promise<DroppingServer> => {
    const server = await droppingServer(answers);
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('sends a GET once more when the server reset its connection, and answers with the reply', async () => {
    const server = await serve(['reset', 'ok']);
    const reply = await httpRequest({
      url: `${server.url}/v5/market/time`,
      method: 'GET',
      what: 'GET /v5/market/time',
      timeoutMs: 5_000,
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '{"fine":true}');
    assert.deepEqual(server.requests, [
      'GET /v5/market/time HTTP/1.1',
      'GET /v5/market/time HTTP/1.1',
    ]);
  });

  it('gives a GET up after its second reset, as ConnectionLostError naming the request', async () => {
    const server = await serve(['reset']);
    const error = await rejection(
      httpRequest({
        url: `${server.url}/public/get_time`,
        method: 'GET',
        what: 'public/get_time',
        timeoutMs: 5_000,
      }),
    );
    assert.ok(error instanceof ConnectionLostError, String(error));
    assert.match(error.message, /^public\/get_time: (ECONNRESET|UND_ERR_SOCKET)/);
    assert.equal(server.requests.length, 2);
  });

  it('never sends a POST twice: a reset is ConnectionLostError after one request', async () => {
    const server = await serve(['reset', 'ok']);
    const error = await rejection(
      httpRequest({
        url: `${server.url}/v5/order/create`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"orderLinkId":"once"}',
        what: 'POST /v5/order/create',
        timeoutMs: 5_000,
      }),
    );
    assert.ok(error instanceof ConnectionLostError, String(error));
    assert.deepEqual(server.requests, ['POST /v5/order/create HTTP/1.1']);
  });

  it('times out a request the server holds, as RequestTimeoutError, and sends it once', async () => {
    const server = await serve(['hold']);
    const error = await rejection(
      httpRequest({
        url: `${server.url}/v5/market/time`,
        method: 'GET',
        what: 'GET /v5/market/time',
        timeoutMs: 150,
      }),
    );
    assert.ok(error instanceof RequestTimeoutError, String(error));
    assert.equal(error.timeoutMs, 150);
    assert.equal(server.requests.length, 1);
  });
});
