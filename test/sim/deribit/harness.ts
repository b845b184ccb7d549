// Shared set-up for the Deribit protocol tests: a manual-clock sim, plain `ws` JSON-RPC
// clients, and small waits on what the server sends.

import assert from 'node:assert/strict';
import type { SimInstrument } from '../../../src/sim/contract.js';
import { startSim, type RunningSim, type SimServerOptions } from '../../../src/sim/server.js';
import { RpcClient, type RpcReply } from '../support/rpc-client.js';

export const START = Date.UTC(2026, 10, 20, 7, 0);
const DAY_MS = 86_400_000;

export type Notification = Record<string, unknown>;

export async function openSim(options: SimServerOptions = {}): Promise<RunningSim> {
  const sim = await startSim({ seed: 1, manualClock: true, start: START, ...options });
  sim.advance(1000);
  return sim;
}

export function connect(sim: RunningSim): Promise<RpcClient> {
  return RpcClient.connect(sim.urls.deribitWs);
}

export async function authenticate(sim: RunningSim, client: RpcClient): Promise<RpcReply> {
  const key = sim.apiKeys.deribit[0];
  assert.ok(key !== undefined);
  const reply = await client.call('public/auth', {
    grant_type: 'client_credentials',
    client_id: key.key,
    client_secret: key.secret,
  });
  assert.equal(reply.error, undefined, JSON.stringify(reply.error));
  return reply;
}

export async function authedClient(sim: RunningSim): Promise<RpcClient> {
  const client = await connect(sim);
  await authenticate(sim, client);
  return client;
}

export function ok<T = unknown>(reply: RpcReply): T {
  assert.equal(reply.error, undefined, `unexpected error ${JSON.stringify(reply.error)}`);
  return reply.result as T;
}

export function errorCode(reply: RpcReply): number | undefined {
  return reply.error?.code;
}

export function channelOf(message: Notification): string {
  return String((message['params'] as Record<string, unknown> | undefined)?.['channel']);
}

export function dataOf<T = Record<string, unknown>>(message: Notification): T {
  return (message['params'] as Record<string, unknown>)['data'] as T;
}

export function onChannel(client: RpcClient, channel: string): Notification[] {
  return client.notifications.filter((n) => channelOf(n) === channel);
}

/** Polls the client's notifications until one matches, or fails after `timeoutMs`. */
export async function waitFor(
  client: RpcClient,
  predicate: (message: Notification) => boolean,
  timeoutMs = 3000,
): Promise<Notification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = client.notifications.find(predicate);
    if (found !== undefined) return found;
    if (Date.now() > deadline) assert.fail('timed out waiting for a notification');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function closed(client: RpcClient): Promise<number> {
  return new Promise((resolve) => client.socket.once('close', (code: number) => resolve(code)));
}

export function sortedKeys(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

export function present(value: number | null | undefined): value is number {
  return value !== null && value !== undefined;
}

/** A BTC option a week or more out with a two-sided book, nearest the money. */
export function liquidOption(sim: RunningSim, currency = 'BTC'): SimInstrument {
  const exchange = sim.world.exchanges.deribit;
  const now = exchange.now();
  let best: { instrument: SimInstrument; distance: number } | null = null;
  for (const instrument of exchange.instruments({ currency, kind: 'option' })) {
    const spec = instrument.spec;
    if (spec.kind !== 'option' || (spec.expiry ?? 0) < now + 7 * DAY_MS) continue;
    const ticker = exchange.ticker(spec.name);
    if (!present(ticker?.bestBidPrice) || !present(ticker?.bestAskPrice)) continue;
    if (ticker?.greeks === null || ticker?.greeks === undefined) continue;
    const distance = Math.abs(ticker.greeks.delta - 0.5);
    if (best === null || distance < best.distance) best = { instrument, distance };
  }
  assert.ok(best !== null, 'no liquid option');
  return best.instrument;
}

/** Advances the manual clock one second at a time until `done`, up to `steps` steps. */
export async function advanceUntil(
  sim: RunningSim,
  client: RpcClient,
  done: () => boolean,
  steps = 600,
): Promise<boolean> {
  for (let i = 0; i < steps; i++) {
    if (done()) return true;
    sim.advance(1000);
    await client.sync();
  }
  return done();
}
