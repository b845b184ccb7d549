// A real HTTP hop between the REST client and the sim that can lose or hold back replies,
// the way a flaky network does: the sim still receives and executes every request.

import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/** What to do with the sim's reply to one request: pass it, cut the connection, or hold it. */
export type ReplyFate = 'pass' | 'cut' | { readonly holdMs: number };
export type ReplyRule = (request: SeenRequest, index: number) => ReplyFate;

export interface LossyProxy {
  readonly url: string;
  /** Every request the client sent, in order. */
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startLossyProxy(upstream: string, rule: ReplyRule): Promise<LossyProxy> {
  const target = new URL(upstream);
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', body };
      const fate = rule(seen, requests.length);
      requests.push(seen);
      forward(target, seen, incoming.headers, (status, headers, reply) => {
        if (fate === 'cut') {
          outgoing.socket?.destroy();
          return;
        }
        const send = (): void => {
          if (outgoing.destroyed) return;
          outgoing.writeHead(status, headers).end(reply);
        };
        if (fate === 'pass') {
          send();
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, fate.holdMs);
        timers.add(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  target: URL,
  seen: SeenRequest,
  headers: IncomingHttpHeaders,
  done: (status: number, headers: IncomingHttpHeaders, body: Buffer) => void,
): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: seen.method,
      path: seen.path,
      headers: { ...headers, host: target.host, connection: 'close' },
    },
    (reply) => {
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('end', () => {
        // The hop re-frames the body; the upstream's framing headers would lie about it.
        const kept = { ...reply.headers };
        delete kept.connection;
        delete kept['transfer-encoding'];
        done(reply.statusCode ?? 502, kept, Buffer.concat(chunks));
      });
    },
  );
  upstream.end(seen.body);
}
