import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedStatus, StatusEvent } from '../../src/book/events.js';
import {
  connectionOf,
  downConnection,
  trackQuiet,
  trackStream,
  type StreamStates,
} from '../../src/view/connection.js';
import { statusLine } from '../../src/view/status-line.js';

const T0 = Date.UTC(2026, 10, 20, 7, 0);

function status(
  stream: string,
  kind: FeedStatus,
  extra: Partial<Omit<StatusEvent, 'kind' | 'stream' | 'status'>> = {},
): StatusEvent {
  return { kind: 'status', venue: 'deribit', ts: T0, stream, status: kind, ...extra };
}

function track(...events: StatusEvent[]): StreamStates {
  return events.reduce<StreamStates>((states, event) => trackStream(states, event), {});
}

describe('trackStream', () => {
  it('keeps the latest connection status per stream', () => {
    const states = track(
      status('public', 'connecting'),
      status('private', 'connecting'),
      status('public', 'live'),
    );
    assert.deepEqual(Object.keys(states).sort(), ['private', 'public']);
    assert.equal(states['public']?.status, 'live');
    assert.equal(states['private']?.status, 'connecting');
  });

  it('ignores statuses that are not about the connection', () => {
    const live = track(status('public', 'live'));
    for (const other of [
      'stale',
      'fresh',
      'gap',
      'resynced',
      'malformed',
      'rate-limited',
      'instruments',
      'error',
    ] as const) {
      assert.equal(trackStream(live, status('public', other)), live, other);
      assert.deepEqual(trackStream({}, status('public', other)), {}, other);
    }
  });

  it('does not change the states it was given', () => {
    const before = track(status('public', 'connecting'));
    const after = trackStream(before, status('public', 'live'));
    assert.equal(before['public']?.status, 'connecting');
    assert.equal(after['public']?.status, 'live');
  });
});

describe('connectionOf', () => {
  it('no events yet: connecting', () => {
    assert.deepEqual(connectionOf({}, 12), {
      state: 'connecting',
      retryAt: null,
      attempt: null,
      rttMs: null,
      detail: null,
      quietSince: null,
    });
  });

  it('every stream live: live, with the round trip', () => {
    const states = track(status('public', 'live'), status('private', 'live'));
    assert.deepEqual(connectionOf(states, 42), {
      state: 'live',
      retryAt: null,
      attempt: null,
      rttMs: 42,
      detail: null,
      quietSince: null,
    });
    assert.equal(connectionOf(states, null).rttMs, null);
  });

  it('one stream still connecting: connecting, without a round trip', () => {
    const states = track(status('public', 'live'), status('private', 'connecting', { attempt: 2 }));
    const view = connectionOf(states, 42);
    assert.equal(view.state, 'connecting');
    assert.equal(view.rttMs, null);
    assert.equal(view.attempt, 2);
  });

  it('any stream reconnecting: reconnecting, with when and which attempt', () => {
    const states = track(
      status('public', 'live'),
      status('private', 'reconnecting', { ts: T0 + 500, delayMs: 4000, attempt: 3, detail: 'EOF' }),
    );
    assert.deepEqual(connectionOf(states, 42), {
      state: 'reconnecting',
      retryAt: T0 + 4500,
      attempt: 3,
      rttMs: null,
      detail: 'private: EOF',
      quietSince: null,
    });
  });

  it('reconnecting outranks a closed stream', () => {
    const states = track(status('public', 'closed'), status('private', 'reconnecting'));
    const view = connectionOf(states, null);
    assert.equal(view.state, 'reconnecting');
    assert.equal(view.retryAt, T0);
    assert.equal(view.attempt, null);
    assert.equal(view.detail, 'private');
  });

  it('a closed stream among live ones: closed, saying which', () => {
    const states = track(
      status('public', 'live'),
      status('private', 'closed', { detail: 'auth refused' }),
    );
    assert.deepEqual(connectionOf(states, 42), {
      state: 'closed',
      retryAt: null,
      attempt: null,
      rttMs: null,
      detail: 'private: auth refused',
      quietSince: null,
    });
  });

  it('a stream that reconnected is live again', () => {
    const states = track(
      status('public', 'live'),
      status('public', 'reconnecting', { delayMs: 1000, attempt: 1 }),
      status('public', 'connecting', { attempt: 1 }),
      status('public', 'live'),
    );
    assert.equal(connectionOf(states, 7).state, 'live');
    assert.equal(connectionOf(states, 7).rttMs, 7);
  });
});

describe('a stalled feed (quiet streams on an open socket)', () => {
  const live = track(status('ws', 'live'));

  it('is stale, not live, from the first quiet family until the last is fresh again', () => {
    let quiet = trackQuiet(
      {},
      status('ws', 'stale', {
        family: 'tickers',
        lastDataTs: T0 - 5_000,
        ts: T0,
        instruments: ['BTC-X'],
      }),
    );
    quiet = trackQuiet(
      quiet,
      status('ws', 'stale', { family: 'index', lastDataTs: T0 - 4_000, ts: T0 + 1_000 }),
    );
    assert.deepEqual(connectionOf(live, 0, quiet), {
      state: 'stale',
      retryAt: null,
      attempt: null,
      rttMs: 0,
      detail: 'quiet: ws tickers, ws index',
      quietSince: T0 - 5_000,
    });
    quiet = trackQuiet(quiet, status('ws', 'fresh', { family: 'tickers' }));
    assert.equal(connectionOf(live, 0, quiet).state, 'stale');
    assert.equal(connectionOf(live, 0, quiet).quietSince, T0 - 4_000);
    quiet = trackQuiet(quiet, status('ws', 'fresh', { family: 'index' }));
    assert.deepEqual(quiet, {});
    assert.equal(connectionOf(live, 0, quiet).state, 'live');
  });

  it('a reconnect outranks it; other statuses leave the quiet families alone', () => {
    const quiet = trackQuiet({}, status('ws', 'stale', { family: 'tickers', lastDataTs: T0 }));
    for (const other of ['gap', 'resynced', 'malformed', 'live', 'error'] as const) {
      assert.equal(trackQuiet(quiet, status('ws', other)), quiet, other);
    }
    const reconnecting = track(status('ws', 'live'), status('ws', 'reconnecting'));
    assert.equal(connectionOf(reconnecting, null, quiet).state, 'reconnecting');
  });
});

describe('downConnection', () => {
  it('says why and when the next attempt is', () => {
    assert.deepEqual(downConnection('connection refused', T0 + 8000, 4), {
      state: 'down',
      retryAt: T0 + 8000,
      attempt: 4,
      rttMs: null,
      detail: 'connection refused',
      quietSince: null,
    });
  });
});

describe('statusLine', () => {
  it('gives each status its level; connecting is the header’s business', () => {
    const levels: Record<FeedStatus, string | null> = {
      connecting: null,
      live: 'info',
      resynced: 'info',
      fresh: 'info',
      instruments: 'info',
      reconnecting: 'warn',
      stale: 'warn',
      gap: 'warn',
      'rate-limited': 'warn',
      closed: 'warn',
      malformed: 'error',
      error: 'error',
    };
    for (const [kind, level] of Object.entries(levels) as [FeedStatus, string | null][]) {
      assert.equal(statusLine(status('public', kind))?.level ?? null, level, kind);
    }
  });

  it('names the venue, stream and status, stamped with the event time', () => {
    assert.deepEqual(statusLine(status('public', 'live', { ts: T0 + 5 })), {
      text: 'deribit public: live',
      level: 'info',
      ts: T0 + 5,
    });
  });

  it('a reconnect says when it retries and which attempt it is', () => {
    const line = statusLine(
      status('private', 'reconnecting', { delayMs: 65_000, attempt: 2, detail: 'socket hang up' }),
    );
    assert.equal(
      line?.text,
      'deribit private: reconnecting — retry in 1m05s (attempt 2) — socket hang up',
    );
    assert.equal(line?.level, 'warn');
    assert.match(
      statusLine(status('public', 'reconnecting', { delayMs: 3000 }))?.text ?? '',
      /retry in 3s \(attempt 1\)/,
    );
  });

  it('lists up to three instruments and counts the rest', () => {
    const names = ['BTC-A', 'BTC-B', 'BTC-C', 'BTC-D', 'BTC-E'];
    assert.equal(
      statusLine(status('book', 'gap', { instruments: names }))?.text,
      'deribit book: gap — BTC-A, BTC-B, BTC-C +2',
    );
    assert.equal(
      statusLine(status('book', 'stale', { instruments: names.slice(0, 3) }))?.text,
      'deribit book: stale — BTC-A, BTC-B, BTC-C',
    );
    assert.equal(
      statusLine(status('book', 'stale', { instruments: names.slice(0, 4) }))?.text,
      'deribit book: stale — BTC-A, BTC-B, BTC-C +1',
    );
    assert.equal(
      statusLine(status('book', 'stale', { instruments: [] }))?.text,
      'deribit book: stale',
    );
  });

  it('appends the detail', () => {
    assert.equal(
      statusLine(status('public', 'instruments', { detail: '12 added, 3 removed' }))?.text,
      'deribit public: instruments — 12 added, 3 removed',
    );
  });
});
