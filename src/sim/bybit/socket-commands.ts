// The ops a client sends on Bybit's sockets: subscribe, unsubscribe, ping, and auth on the
// private socket. Every op counts against the connection's request rate.

import type { SimExchange } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import type { BybitConnection } from './connection.js';
import { opReply, pong, topicAck } from './envelopes.js';
import type { MarketStreams } from './market-streams.js';
import { verifyWsAuth } from './signing.js';
import { parseTopic, type Topic } from './topics.js';

const RATE_LIMITED = 'Too many visits!';
const NOT_AUTHORIZED = 'Request not authorized';

export class SocketCommands {
  constructor(
    private readonly exchange: SimExchange,
    private readonly streams: MarketStreams,
    private readonly apiKeys: readonly SimApiKey[],
    private readonly onAuthenticated: (connection: BybitConnection, key: SimApiKey) => void,
  ) {}

  handle(connection: BybitConnection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      connection.send(
        opReply(connection.connId, undefined, '', false, 'error:request is not json'),
        'reply',
      );
      return;
    }
    const record = (typeof message === 'object' && message !== null ? message : {}) as Record<
      string,
      unknown
    >;
    const op = typeof record['op'] === 'string' ? record['op'] : '';
    const reqId = record['req_id'];
    if (!connection.faults.admitRequest()) {
      connection.send(opReply(connection.connId, reqId, op, false, RATE_LIMITED), 'reply');
      return;
    }
    switch (op) {
      case 'ping':
        connection.send(
          pong(connection.kind, connection.connId, reqId, this.exchange.now()),
          'reply',
        );
        return;
      case 'subscribe':
        this.subscribe(connection, reqId, record['args']);
        return;
      case 'unsubscribe':
        this.unsubscribe(connection, reqId, record['args']);
        return;
      case 'auth':
        this.auth(connection, reqId, record['args']);
        return;
      default:
        connection.send(opReply(connection.connId, reqId, op, false, 'error:invalid op'), 'reply');
    }
  }

  private topicNames(args: unknown): string[] {
    return Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [];
  }

  private subscribe(connection: BybitConnection, reqId: unknown, args: unknown): void {
    const names = this.topicNames(args);
    if (connection.kind === 'private' && connection.key === null) {
      connection.send(
        opReply(connection.connId, reqId, 'subscribe', false, NOT_AUTHORIZED),
        'reply',
      );
      return;
    }
    const accepted: Topic[] = [];
    const failed: string[] = [];
    for (const name of names) {
      const topic = connection.topics.has(name)
        ? null
        : parseTopic(this.exchange, connection.kind, name);
      if (topic === null) failed.push(name);
      else accepted.push(topic);
    }
    if (names.length === 0) failed.push('');
    for (const topic of accepted) connection.topics.add(topic.name);
    const reason = failed.some((name) => connection.topics.has(name))
      ? `error:already subscribed,topic:${failed.join(',')}`
      : `error:handler not found,topic:${failed.join(',')}`;
    connection.send(
      topicAck(
        connection.kind,
        'subscribe',
        connection.connId,
        reqId,
        accepted.map((t) => t.name),
        failed,
        reason,
      ),
      'reply',
    );
    // Snapshots follow the ack, as on the venue.
    for (const topic of accepted) this.streams.subscribe(connection, topic);
  }

  private unsubscribe(connection: BybitConnection, reqId: unknown, args: unknown): void {
    const names = this.topicNames(args);
    const removed = names.filter((name) => connection.topics.has(name));
    const failed = names.filter((name) => !connection.topics.has(name));
    for (const name of removed) {
      connection.topics.delete(name);
      this.streams.unsubscribe(connection, name);
    }
    connection.send(
      topicAck(
        connection.kind,
        'unsubscribe',
        connection.connId,
        reqId,
        removed,
        failed,
        `error:not subscribed,topic:${failed.join(',')}`,
      ),
      'reply',
    );
  }

  private auth(connection: BybitConnection, reqId: unknown, args: unknown): void {
    if (connection.kind !== 'private') {
      connection.send(
        opReply(connection.connId, reqId, 'auth', false, 'error:invalid op'),
        'reply',
      );
      return;
    }
    const result = verifyWsAuth(this.apiKeys, args, Date.now());
    if (result.ok) {
      connection.key = result.key;
      this.onAuthenticated(connection, result.key);
    }
    connection.send(
      opReply(connection.connId, reqId, 'auth', result.ok, result.ok ? '' : result.retMsg),
      'reply',
    );
  }
}
