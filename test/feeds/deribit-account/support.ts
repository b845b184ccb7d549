// A tiny RpcCaller over the bare test client (test/sim/support/rpc-client.ts), so the order
// API and the snapshot loader run against the real simulator without ivtrade's feed client,
// plus helpers for picking instruments and spelling prices as the gateway would.

import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import {
  ConnectionLostError,
  RequestTimeoutError,
  VenueReplyError,
} from '../../../src/feeds/common/errors.js';
import type { RpcCaller, RpcCallOptions } from '../../../src/feeds/common/rpc-caller.js';
import { VenueOrderError, type OrderErrorReason } from '../../../src/feeds/feed.js';
import type { OptionSpec } from '../../../src/instruments/types.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { liquidOption, START } from '../../sim/deribit/harness.js';
import { RpcClient, type RpcReply } from '../../sim/support/rpc-client.js';

export const ACCOUNT = 'paper';
const DEFAULT_TIMEOUT_MS = 5000;

/** Every request the order code sent, in order: what "nothing was sent" is checked on. */
export interface SentRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

export class TestRpc implements RpcCaller {
  readonly sent: SentRequest[] = [];

  constructor(readonly client: RpcClient) {}

  async call(
    method: string,
    params: Record<string, unknown>,
    options: RpcCallOptions = {},
  ): Promise<unknown> {
    this.sent.push({ method, params });
    const socket = this.client.socket;
    if (socket.readyState !== WebSocket.OPEN)
      throw new ConnectionLostError(method, 'not connected');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let onClose: (() => void) | undefined;
    try {
      const reply = await Promise.race([
        this.client.call(method, params),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RequestTimeoutError(method, timeoutMs)), timeoutMs);
        }),
        new Promise<never>((_, reject) => {
          onClose = () => reject(new ConnectionLostError(method));
          socket.once('close', onClose);
        }),
      ]);
      return resultOf(method, reply);
    } finally {
      clearTimeout(timer);
      if (onClose !== undefined) socket.off('close', onClose);
    }
  }

  /** How many requests of this method were sent. */
  count(method: string): number {
    return this.sent.filter((request) => request.method === method).length;
  }
}

function resultOf(method: string, reply: RpcReply): unknown {
  if (reply.error !== undefined) {
    throw new VenueReplyError(method, reply.error.code, reply.error.message, reply.error.data);
  }
  return reply.result;
}

export async function openSim(options: SimServerOptions = {}): Promise<RunningSim> {
  const sim = await startSim({
    seed: 1,
    manualClock: true,
    start: START,
    currencies: ['BTC'],
    ...options,
  });
  sim.advance(1000);
  return sim;
}

/** A client authenticated as the sim's first Deribit key (`public/auth` client_credentials). */
export async function connectAuthenticated(sim: RunningSim): Promise<TestRpc> {
  const client = await RpcClient.connect(sim.urls.deribitWs);
  const key = sim.apiKeys.deribit[0];
  assert.ok(key !== undefined);
  const reply = await client.call('public/auth', {
    grant_type: 'client_credentials',
    client_id: key.key,
    client_secret: key.secret,
  });
  assert.equal(reply.error, undefined, JSON.stringify(reply.error));
  return new TestRpc(client);
}

export function exchangeOf(sim: RunningSim): RunningSim['world']['exchanges']['deribit'] {
  return sim.world.exchanges.deribit;
}

export function optionOf(sim: RunningSim): OptionSpec {
  const spec = liquidOption(sim).spec;
  assert.equal(spec.kind, 'option');
  return spec;
}

/** A second liquid option, for scoping cancels. */
export function otherOption(sim: RunningSim, not: string): OptionSpec {
  const exchange = exchangeOf(sim);
  for (const instrument of exchange.instruments({ currency: 'BTC', kind: 'option' })) {
    const spec = instrument.spec;
    if (spec.kind !== 'option' || spec.name === not) continue;
    const ticker = exchange.ticker(spec.name);
    if ((ticker?.bestBidPrice ?? 0) > 0.001 && (ticker?.bestAskPrice ?? 0) > 0) return spec;
  }
  assert.fail('no second option with a bid');
}

export interface Top {
  readonly bid: number;
  readonly ask: number;
}

export function topOf(sim: RunningSim, instrument: string): Top {
  const ticker = exchangeOf(sim).ticker(instrument);
  const bid = ticker?.bestBidPrice;
  const ask = ticker?.bestAskPrice;
  assert.ok(
    typeof bid === 'number' && typeof ask === 'number',
    `no two-sided top on ${instrument}`,
  );
  return { bid, ask };
}

// Deribit's inverse option grid: 0.0001 up to 0.005, 0.0005 above.
function optionTick(price: number): number {
  return price > 0.005 ? 0.0005 : 0.0001;
}

/** `ticks` option ticks below `price`, as the gateway would hand it over: a decimal string. */
export function ticksBelow(price: number, ticks: number): string {
  let p = price;
  for (let i = 0; i < ticks; i++) p = Math.round((p - optionTick(p - 1e-12)) * 1e8) / 1e8;
  assert.ok(p > 0, 'price went below zero');
  return decimal(p);
}

export function decimal(value: number): string {
  return String(Math.round(value * 1e8) / 1e8);
}

/** Runs `action` and returns the VenueOrderError it rejects with. */
export async function orderError(action: () => Promise<unknown>): Promise<VenueOrderError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof VenueOrderError, `not a VenueOrderError: ${String(error)}`);
    return error;
  }
  assert.fail('the request did not fail');
}

export function assertVenueError(
  error: VenueOrderError,
  expected: { reason: OrderErrorReason; code: number; venueMessage: string; says: RegExp },
): void {
  assert.equal(error.venue, 'deribit');
  assert.equal(error.reason, expected.reason, error.message);
  assert.equal(error.code, expected.code, error.message);
  assert.equal(error.venueMessage, expected.venueMessage);
  assert.equal(error.outcomeUnknown, false);
  assert.match(error.message, expected.says);
  assert.match(error.message, new RegExp(`Deribit ${expected.code} ${expected.venueMessage}`));
}

/** Waits until `predicate` holds for one of the client's notifications. */
export async function notification(
  client: RpcClient,
  predicate: (message: Record<string, unknown>) => boolean,
  timeoutMs = 3000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = client.notifications.find(predicate);
    if (found !== undefined) return found;
    assert.ok(Date.now() < deadline, 'timed out waiting for a notification');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function channelOf(message: Record<string, unknown>): string | undefined {
  const params = message['params'];
  if (typeof params !== 'object' || params === null) return undefined;
  const channel = (params as Record<string, unknown>)['channel'];
  return typeof channel === 'string' ? channel : undefined;
}

/** Within the wire's printed rounding (8 decimals for money, 6 for greeks). */
export function near(actual: number | null, expected: number, tolerance = 1e-8): void {
  assert.ok(actual !== null, `expected ${expected}, got null`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );
}
