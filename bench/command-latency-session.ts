// The command latency bench's session: everything `ivtrade tui --venue sim` runs, minus the
// terminal, in this process: the embedded sim on loopback with its clock running (speed 1),
// the Deribit adapter with the paper keys, the engine, the read model, the session's wiring
// (SessionSource, TuiCommands, startCommands) and the Ink App on a fake 120×40 terminal with
// the session's render options. Around it, what the bench measures with: a keyboard for the
// App's stdin, the sim's order log hook (PlaceWatch), a tap on `ws`'s send (WireTap) and the
// peer, a bare JSON-RPC client on its own socket and paper account.

import { render, type Instance } from 'ink';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createElement } from 'react';
import { WebSocket } from 'ws';
import { CommandHistory } from '../src/app/command-history.js';
import type { CommandRunner } from '../src/app/command-runner.js';
import { startCommands } from '../src/app/exec-lines.js';
import { EngineMarket } from '../src/app/gateway-market.js';
import { MarketEngine } from '../src/app/market-engine.js';
import { ReadModel } from '../src/app/read-model.js';
import { SessionSource } from '../src/app/session-source.js';
import { TuiCommands } from '../src/app/tui-commands.js';
import { DeribitFeed } from '../src/feeds/deribit/feed.js';
import type { SimOrderRequest } from '../src/sim/contract.js';
import type { SimOrderLogEntry } from '../src/sim/order-log.js';
import { DEFAULT_SIM_KEYS, startSim, type RunningSim } from '../src/sim/server.js';
import type { SimApiKey } from '../src/sim/venue-server.js';
import { App } from '../src/ui/app.js';
import type { CommandPort } from '../src/ui/command-port.js';
import { FakeTtyOutput, FakeTtyInput } from './render-terminal.js';

export const VENUE = 'deribit';
const CURRENCY = 'BTC';
export const SCREEN = { cols: 120, rows: 40 } as const;
/** The session's render options (src/app/tui-session.tsx). */
const SESSION_OPTIONS = { exitOnCtrlC: false, patchConsole: false, maxFps: 60 } as const;
/** The gateway's order-rate cap (default 10/s) raised out of the bench's way. */
export const GATEWAY_LIMITS = { maxOrdersPerSecond: 1_000 } as const;
const SIM_SEED = 1;
const PAPER: SimApiKey = DEFAULT_SIM_KEYS.deribit[0]!;
/** The peer trades on a paper account of its own, so neither sees the other's orders. */
const PEER_KEY: SimApiKey = {
  key: 'bench-peer-client',
  secret: 'bench-peer-secret',
  accountId: 'bench-peer',
};
export const PAPER_ACCOUNT = PAPER.accountId;
export const PEER_ACCOUNT = PEER_KEY.accountId;
const ORDER_TIMEOUT_MS = 3_000;
const READY_TIMEOUT_MS = 15_000;

/** Process-wide and monotonic, so stamps taken in any callback compare. */
export const stamp = (): bigint => process.hrtime.bigint();
export const msBetween = (t0: bigint, t1: bigint): number => Number(t1 - t0) / 1e6;

/** What the exchange saw of one place request, stamped as the order log was called. */
export interface Place {
  readonly at: bigint;
  readonly instrument: string;
  readonly amount: number;
  /** Accepted and left open on the book. */
  readonly rested: boolean;
}

/** Waits for the next place request from an account to reach the exchange. */
class PlaceWatch {
  #waiting: { account: string; resolve: (place: Place) => void } | null = null;

  readonly hook = (entry: SimOrderLogEntry): void => {
    const at = stamp();
    const waiting = this.#waiting;
    if (waiting === null || entry.action !== 'place' || entry.account !== waiting.account) return;
    this.#waiting = null;
    const request = entry.request as SimOrderRequest;
    waiting.resolve({
      at,
      instrument: request.instrument,
      amount: request.amount,
      rested: entry.outcome === 'ok' && entry.status === 'open',
    });
  };

  /** Arm before sending; rejects with `why()` if nothing arrives in time. */
  next(account: string, why: () => string): Promise<Place> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        reject(new Error(`no order from ${account} reached the sim: ${why()}`));
      }, ORDER_TIMEOUT_MS);
      this.#waiting = {
        account,
        resolve: (place) => {
          clearTimeout(timer);
          resolve(place);
        },
      };
    });
  }
}

/**
 * Stamps the first order frame (`private/buy`) sent on any `ws` socket after `arm()`, as its
 * send returns: the frame is then with the kernel. On the prototype for the run only;
 * unarmed, it costs every other frame one check.
 */
class WireTap {
  #armed = false;
  #at: bigint | null = null;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to each socket below
  readonly #original = WebSocket.prototype.send;

  install(): void {
    const original = this.#original;
    const seen = (data: unknown): void => {
      if (!this.#armed || typeof data !== 'string' || !data.includes('"private/buy"')) return;
      this.#at = stamp();
      this.#armed = false;
    };
    WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]): void {
      Reflect.apply(original, this, args);
      seen(args[0]);
    } as WebSocket['send'];
  }

  uninstall(): void {
    WebSocket.prototype.send = this.#original;
  }

  arm(): void {
    this.#at = null;
    this.#armed = true;
  }

  /** The stamp since `arm()`. */
  take(): bigint {
    const at = this.#at;
    this.#armed = false;
    if (at === null) throw new Error('an order reached the sim without passing the wire tap');
    return at;
  }
}

/** A terminal's keyboard: each press is one chunk for Ink to read, as a key in raw mode is. */
class Keyboard extends FakeTtyInput {
  readonly #chunks: string[] = [];

  press(keys: string): void {
    this.#chunks.push(keys);
    this.emit('readable');
  }

  override read(): string | null {
    return this.#chunks.shift() ?? null;
  }
}

/** The session's command port, noting which instrument the screen points orders at. */
class WatchedCommands implements CommandPort {
  cursor: string | null = null;

  constructor(readonly inner: TuiCommands) {}

  get history(): CommandPort['history'] {
    return this.inner.history;
  }

  run(line: string, cursor: string | null): { readonly keep: boolean; readonly help: boolean } {
    return this.inner.run(line, cursor);
  }

  prompt(cursor: string | null): string {
    this.cursor = cursor;
    return this.inner.prompt(cursor);
  }

  cursorMoved(): void {
    this.inner.cursorMoved();
  }
}

/** The peer: a plain JSON-RPC client on a socket of its own. */
class RpcPeer {
  #nextId = 0;
  readonly #pending = new Map<number, (reply: Record<string, unknown>) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>;
      const id = reply['id'];
      if (typeof id !== 'number') return;
      this.#pending.get(id)?.(reply);
      this.#pending.delete(id);
    });
  }

  static async connect(url: string, key: SimApiKey): Promise<RpcPeer> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await once(socket, 'open');
    const peer = new RpcPeer(socket);
    const auth = await peer.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: key.key,
      client_secret: key.secret,
    });
    if (auth['error'] !== undefined) throw new Error(`peer auth: ${JSON.stringify(auth)}`);
    return peer;
  }

  /** Builds the frame and sends it at once; resolves with the reply. */
  call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = ++this.#nextId;
    const reply = new Promise<Record<string, unknown>>((resolve) => this.#pending.set(id, resolve));
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return reply;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = once(this.socket, 'close');
    this.socket.close();
    await closed;
  }
}

export interface Session {
  readonly sim: RunningSim;
  readonly watch: PlaceWatch;
  readonly tap: WireTap;
  readonly engine: MarketEngine;
  readonly model: ReadModel;
  readonly source: SessionSource;
  readonly commands: WatchedCommands;
  readonly runner: CommandRunner;
  readonly market: EngineMarket;
  readonly keyboard: Keyboard;
  readonly ink: Instance;
  readonly peer: RpcPeer;
}

/** Starts the sim and the app and mounts the screen; the `ws` tap is on until closeSession. */
export async function openSession(): Promise<Session> {
  const watch = new PlaceWatch();
  const sim = await startSim({
    seed: SIM_SEED,
    speed: 1,
    currencies: [CURRENCY],
    apiKeys: { deribit: [PAPER, PEER_KEY] },
    orderLog: watch.hook,
  });
  // What openFeeds builds for `--venue sim` with the paper keys, books as the TUI asks.
  const engine = new MarketEngine([
    new DeribitFeed({
      wsUrl: sim.urls.deribitWs,
      currencies: [CURRENCY],
      credentials: { clientId: PAPER.key, clientSecret: PAPER.secret },
      allBooks: false,
      books: [],
      log: () => undefined,
    }),
  ]);
  const model = new ReadModel(engine, {
    venue: VENUE,
    mode: 'SIM',
    currencies: [CURRENCY],
    logPath: null,
  });
  const source = new SessionSource(model);
  const tui = new TuiCommands(CommandHistory.open(null), source);
  const commands = new WatchedCommands(tui);
  const keyboard = new Keyboard();
  let ink: Instance | null = null;
  let peer: RpcPeer | null = null;
  try {
    ink = render(createElement(App, { source, commands, onQuit: () => undefined, size: SCREEN }), {
      ...SESSION_OPTIONS,
      stdout: new FakeTtyOutput(SCREEN.cols, SCREEN.rows).asWriteStream(),
      stdin: keyboard.asReadStream(),
    });
    [peer] = await Promise.all([RpcPeer.connect(sim.urls.deribitWs, PEER_KEY), engine.start()]);
    // As the session does once connected; no log file here: the figure is the order path.
    const runner = startCommands(
      engine,
      VENUE,
      { limits: GATEWAY_LIMITS },
      {
        note: (text, level) => source.note(text, level),
        info: (title, lines) => source.showInfo(title, lines),
        help: () => tui.askHelp(),
        quit: () => undefined,
      },
    );
    tui.attach(runner);
    const tap = new WireTap();
    tap.install();
    return {
      sim,
      watch,
      tap,
      engine,
      model,
      source,
      commands,
      runner,
      market: new EngineMarket(engine.market),
      keyboard,
      ink,
      peer,
    };
  } catch (error) {
    if (ink !== null) unmount(ink);
    await peer?.close();
    model.close();
    await engine.stop();
    await sim.close();
    throw error;
  }
}

function unmount(ink: Instance): void {
  ink.unmount();
  ink.cleanup();
}

export async function closeSession(session: Session): Promise<void> {
  session.tap.uninstall();
  unmount(session.ink);
  session.runner.close();
  await session.peer.close();
  session.model.close();
  await session.engine.stop();
  await session.sim.close();
}

/** The instrument under the cursor once it has a bid and a mark (`as1` needs both). */
export async function quotedCursor(session: Session): Promise<string> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const name = session.commands.cursor;
    if (name !== null) {
      const touch = session.market.touch(VENUE, name);
      if (touch.bid !== null && touch.mark !== null) return name;
    }
    if (performance.now() > deadline) {
      throw new Error(`no quoted instrument under the cursor after ${READY_TIMEOUT_MS} ms`);
    }
    await sleep(20);
  }
}

export function statusLine(session: Session): string {
  const snapshot = session.source.snapshot(
    { chain: null, expiry: null, strike: null, top: 0, rows: 1, surface: false },
    Date.now(),
  );
  return JSON.stringify(snapshot.status);
}

/**
 * Cancels the account's orders in the exchange itself, not over a socket: the adapter paces
 * its requests to the venue's allowance, and a cancel request per order would spend half of
 * it. The screen learns of the cancel from the private stream.
 */
export function cancelAt(session: Session, account: string): void {
  session.sim.world.exchanges.deribit.cancelAll(account);
}
