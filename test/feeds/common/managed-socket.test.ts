import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { ConnectionLostError } from '../../../src/feeds/common/errors.js';
import {
  ManagedSocket,
  type ManagedSocketOptions,
  type SocketSession,
} from '../../../src/feeds/common/managed-socket.js';
import { PendingRequests } from '../../../src/feeds/common/pending-requests.js';
import {
  SilentServer,
  StatusLog,
  TestServer,
  delay,
  refusedPort,
  waitUntil,
} from './support/test-server.js';

// Delays of 15, 30, 30, … ms: the 0.5 draw takes a quarter off each ceiling of 20, 40, 40.
const FAST_BACKOFF = { initialMs: 20, maxMs: 40, factor: 2, jitter: 0.5, random: () => 0.5 };

interface Harness {
  readonly socket: ManagedSocket;
  readonly log: StatusLog;
  readonly frames: string[];
  readonly sessions: SocketSession[];
  readonly disconnects: string[];
}

function harness(url: string, overrides: Partial<ManagedSocketOptions> = {}): Harness {
  const log = new StatusLog();
  const frames: string[] = [];
  const sessions: SocketSession[] = [];
  const disconnects: string[] = [];
  const socket = new ManagedSocket({
    venue: 'testvenue',
    stream: 'public',
    url,
    backoff: FAST_BACKOFF,
    onConnected: (session) => {
      sessions.push(session);
      return Promise.resolve();
    },
    onFrame: (text) => frames.push(text),
    onStatus: log.record,
    onDisconnected: (reason) => disconnects.push(reason),
    ...overrides,
  });
  return { socket, log, frames, sessions, disconnects };
}

function closedOnServer(socket: WebSocket | undefined): boolean {
  return socket?.readyState === WebSocket.CLOSED;
}

describe('ManagedSocket: connecting', () => {
  it('goes live once onConnected is done, reporting connecting then live', async () => {
    const server = await TestServer.start();
    const { socket, log, sessions } = harness(server.url, { now: () => 1234 });
    try {
      assert.equal(socket.live, false);
      await socket.start();
      assert.equal(socket.live, true);
      assert.equal(socket.epoch, 1);
      assert.deepEqual(
        sessions.map((session) => session.epoch),
        [1],
      );
      assert.deepEqual(log.events, [
        { kind: 'status', venue: 'testvenue', stream: 'public', ts: 1234, status: 'connecting' },
        { kind: 'status', venue: 'testvenue', stream: 'public', ts: 1234, status: 'live' },
      ]);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('delivers frames to onFrame while onConnected is still running', async () => {
    const server = await TestServer.start();
    server.onConnection = (ws) =>
      ws.on('message', (data: Buffer) => ws.send(`echo:${data.toString()}`));
    let answered: (() => void) | null = null;
    const stamps: number[] = [];
    const { socket } = harness(server.url, {
      now: () => 777,
      onConnected: async (session) => {
        const answer = new Promise<void>((resolve) => (answered = resolve));
        session.send('hello');
        await answer;
      },
      onFrame: (text, localTs) => {
        stamps.push(localTs);
        if (text === 'echo:hello') answered?.();
      },
    });
    try {
      await socket.start();
      assert.equal(socket.live, true);
      assert.deepEqual(stamps, [777]);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('sends only while open', async () => {
    const server = await TestServer.start();
    const { socket } = harness(server.url);
    try {
      assert.equal(socket.send('too early'), false);
      await socket.start();
      assert.equal(socket.send('{"op":"subscribe"}'), true);
      await waitUntil(() => server.received.length === 1);
      assert.deepEqual(
        server.received.map((frame) => frame.text),
        ['{"op":"subscribe"}'],
      );
    } finally {
      await socket.stop();
      await server.close();
    }
    assert.equal(socket.send('too late'), false);
  });
});

describe('ManagedSocket: a failed first attempt fails fast', () => {
  it('rejects start() when the connection is refused, and does not retry', async () => {
    const port = await refusedPort();
    const { socket, log } = harness(`ws://127.0.0.1:${port}`);
    await assert.rejects(socket.start(), /ECONNREFUSED/);
    await delay(100);
    assert.deepEqual(log.statuses(), ['connecting', 'closed']);
    assert.match(log.of('closed')[0]?.detail ?? '', /ECONNREFUSED/);
    assert.equal(socket.live, false);
    await socket.stop();
  });

  it('rejects start() on a malformed URL', async () => {
    const { socket, log } = harness('not a url');
    await assert.rejects(socket.start(), /cannot connect/);
    assert.deepEqual(log.statuses(), ['connecting', 'closed']);
    await socket.stop();
  });

  it('rejects start() when the first onConnected throws, and closes that connection', async () => {
    const server = await TestServer.start();
    const { socket, log, disconnects } = harness(server.url, {
      onConnected: () => Promise.reject(new Error('bad credentials')),
    });
    try {
      await assert.rejects(socket.start(), /setup failed: bad credentials/);
      await waitUntil(() => closedOnServer(server.sockets[0]), 3000, 'server-side close');
      await delay(100);
      assert.equal(server.connections, 1, 'no retry');
      assert.deepEqual(log.statuses(), ['connecting', 'closed']);
      assert.deepEqual(disconnects, ['setup failed: bad credentials']);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('abandons an open that takes longer than connectTimeoutMs', async () => {
    const silent = await SilentServer.start();
    const { socket } = harness(silent.url, { connectTimeoutMs: 50 });
    try {
      await assert.rejects(socket.start(), /connect timeout after 50 ms/);
      await waitUntil(() => silent.openSockets === 0, 3000, 'the abandoned TCP socket to close');
    } finally {
      await socket.stop();
      await silent.close();
    }
  });
});

describe('ManagedSocket: reconnecting', () => {
  it('reconnects after the server closes, runs onConnected again and reports the retry', async () => {
    const server = await TestServer.start();
    server.onConnection = (ws, index) => {
      if (index === 1) setTimeout(() => ws.close(4000, 'maintenance'), 30);
    };
    const { socket, log, sessions, disconnects } = harness(server.url);
    try {
      await socket.start();
      await log.waitFor('live', 2);
      assert.deepEqual(log.statuses(), [
        'connecting',
        'live',
        'reconnecting',
        'connecting',
        'live',
      ]);
      const [retry] = log.of('reconnecting');
      assert.equal(retry?.attempt, 1);
      assert.equal(retry?.delayMs, 15);
      assert.match(retry?.detail ?? '', /4000 maintenance/);
      assert.equal(log.of('connecting')[1]?.attempt, 1);
      assert.deepEqual(
        sessions.map((session) => session.epoch),
        [1, 2],
      );
      assert.equal(socket.epoch, 2);
      assert.equal(socket.live, true);
      assert.equal(disconnects.length, 1);
      assert.match(disconnects[0] ?? '', /4000/);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('keeps retrying with growing delays while the venue is down, and resets once live', async () => {
    const server = await TestServer.start();
    const { socket, log } = harness(server.url);
    try {
      await socket.start();
      const port = await server.down();
      await log.waitFor('reconnecting', 3);
      const retries = log.of('reconnecting').slice(0, 3);
      assert.deepEqual(
        retries.map((event) => [event.attempt, event.delayMs]),
        [
          [1, 15],
          [2, 30],
          [3, 30],
        ],
      );
      assert.match(retries[1]?.detail ?? '', /ECONNREFUSED/);
      assert.equal(socket.live, false);

      await server.up(port);
      await log.waitFor('live', 2);
      const before = log.of('reconnecting').length;
      server.sockets.at(-1)?.close(4001, 'again');
      await log.waitFor('reconnecting', before + 1);
      const after = log.of('reconnecting')[before];
      assert.deepEqual([after?.attempt, after?.delayMs], [1, 15], 'backoff starts over once live');
      await log.waitFor('live', 3);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('retries when onConnected fails on a reconnection', async () => {
    const server = await TestServer.start();
    server.onConnection = (ws, index) => {
      if (index === 1) setTimeout(() => ws.close(4000, 'bye'), 20);
    };
    let calls = 0;
    const { socket, log } = harness(server.url, {
      onConnected: () => {
        calls += 1;
        return calls === 2 ? Promise.reject(new Error('auth refused')) : Promise.resolve();
      },
    });
    try {
      await socket.start();
      await log.waitFor('live', 2);
      assert.equal(calls, 3);
      assert.equal(server.connections, 3);
      assert.ok(closedOnServer(server.sockets[1]), 'the failed setup closed its connection');
      const retries = log.of('reconnecting');
      assert.deepEqual(
        retries.map((event) => [event.attempt, event.detail]),
        [
          [1, 'closed 4000 bye'],
          [2, 'setup failed: auth refused'],
        ],
      );
      assert.equal(socket.epoch, 3);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('rejects pending requests through onDisconnected when the server terminates mid-stream', async () => {
    const server = await TestServer.start();
    server.onConnection = (ws, index) => {
      if (index === 1) ws.on('message', () => ws.terminate());
    };
    const pending = new PendingRequests<number>({ defaultTimeoutMs: 5000 });
    const { socket, log } = harness(server.url, {
      onDisconnected: (reason) => pending.rejectAll(reason),
    });
    try {
      await socket.start();
      const reply = pending.add(1, 'private/get_positions');
      assert.equal(socket.send('{"id":1}'), true);
      await assert.rejects(reply, ConnectionLostError);
      assert.equal(pending.size, 0);
      await log.waitFor('live', 2);
      assert.match(log.of('reconnecting')[0]?.detail ?? '', /1006/);
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('reconnect(reason) drops the connection and comes back through the backoff', async () => {
    const server = await TestServer.start();
    const { socket, log } = harness(server.url);
    try {
      await socket.start();
      socket.reconnect('stale for 5 s');
      assert.equal(socket.live, false);
      await log.waitFor('live', 2);
      assert.deepEqual(
        log.of('reconnecting').map((event) => [event.attempt, event.detail]),
        [[1, 'stale for 5 s']],
      );
      await waitUntil(() => closedOnServer(server.sockets[0]), 3000, 'old connection closed');
    } finally {
      await socket.stop();
      await server.close();
    }
  });
});

describe('ManagedSocket: keep-alive and dead connections', () => {
  it('sends the keep-alive frame at the interval', async () => {
    const server = await TestServer.start();
    const { socket } = harness(server.url, {
      keepAlive: { intervalMs: 30, frame: () => '{"op":"ping"}' },
    });
    try {
      await socket.start();
      await waitUntil(() => server.received.length >= 3, 3000, 'three pings');
      const pings = server.received.slice(0, 3);
      assert.ok(pings.every((frame) => frame.text === '{"op":"ping"}'));
      const openedAt = server.connectedAt[0] ?? Number.NaN;
      // An interval never fires early, so the k-th ping cannot arrive before k intervals.
      pings.forEach((ping, k) => {
        assert.ok(ping.at - openedAt >= 30 * (k + 1) - 1, `ping ${k + 1} came too soon`);
      });
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('reconnects when no frame arrives for deadAfterMs, but not while frames flow', async () => {
    const server = await TestServer.start();
    let talking = true;
    server.onConnection = (ws, index) => {
      if (index !== 1) return;
      const ticker = setInterval(() => {
        if (talking) ws.send('tick');
      }, 10);
      ws.on('close', () => clearInterval(ticker));
    };
    const { socket, log, frames } = harness(server.url, { deadAfterMs: 250 });
    try {
      await socket.start();
      await delay(400);
      assert.deepEqual(log.of('reconnecting'), [], 'frames kept the connection alive');
      assert.ok(frames.length > 0);
      talking = false;
      await log.waitFor('reconnecting');
      assert.equal(log.of('reconnecting')[0]?.detail, 'no frame for 250 ms');
      await log.waitFor('live', 2);
      await waitUntil(() => closedOnServer(server.sockets[0]), 3000, 'the dead connection closed');
    } finally {
      await socket.stop();
      await server.close();
    }
  });

  it('reports a throwing onFrame as an error status and keeps the socket running', async () => {
    const server = await TestServer.start();
    server.onConnection = (ws) => {
      ws.send('bad');
      ws.send('good');
    };
    const seen: string[] = [];
    const { socket, log } = harness(server.url, {
      onFrame: (text) => {
        if (text === 'bad') throw new Error('boom');
        seen.push(text);
      },
    });
    try {
      await socket.start();
      await waitUntil(() => seen.length === 1);
      assert.deepEqual(seen, ['good']);
      assert.deepEqual(
        log.of('error').map((event) => event.detail),
        ['frame handler failed: boom'],
      );
      assert.equal(socket.live, true);
      assert.deepEqual(log.of('reconnecting'), []);
    } finally {
      await socket.stop();
      await server.close();
    }
  });
});

describe('ManagedSocket: stop', () => {
  it('closes for good, emits closed and never reconnects', async () => {
    const server = await TestServer.start();
    const { socket, log, disconnects } = harness(server.url, {
      keepAlive: { intervalMs: 20, frame: () => 'ping' },
      deadAfterMs: 1000,
    });
    try {
      await socket.start();
      await socket.stop();
      assert.equal(log.statuses().at(-1), 'closed');
      assert.equal(socket.live, false);
      assert.deepEqual(disconnects, ['stopped']);
      await waitUntil(() => closedOnServer(server.sockets[0]), 3000, 'server-side close');
      const pings = server.received.length;
      await delay(100);
      assert.equal(server.connections, 1);
      assert.equal(server.received.length, pings, 'no keep-alive after stop');
      await socket.stop();
      assert.equal(log.of('closed').length, 1);
      await assert.rejects(socket.start(), /stopped/);
    } finally {
      await server.close();
    }
  });

  it('cancels a scheduled retry', async () => {
    const server = await TestServer.start();
    const { socket, log } = harness(server.url, {
      backoff: { ...FAST_BACKOFF, initialMs: 200, maxMs: 400 },
    });
    try {
      await socket.start();
      await server.down();
      await log.waitFor('reconnecting');
      await socket.stop();
      const statuses = log.statuses();
      assert.deepEqual(statuses.slice(-2), ['reconnecting', 'closed']);
      await delay(250);
      assert.deepEqual(log.statuses(), statuses, 'no attempt after stop');
    } finally {
      await socket.stop();
    }
  });

  it('rejects a pending start() and abandons the half-open attempt', async () => {
    const silent = await SilentServer.start();
    const { socket, log } = harness(silent.url);
    try {
      const starting = socket.start();
      await waitUntil(() => silent.openSockets === 1, 3000, 'the TCP connection');
      await socket.stop();
      await assert.rejects(starting, /stopped/);
      assert.deepEqual(log.statuses(), ['connecting', 'closed']);
      await waitUntil(() => silent.openSockets === 0, 3000, 'the TCP socket to close');
    } finally {
      await silent.close();
    }
  });
});
