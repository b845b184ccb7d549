// The simulator's load mode against a bare `ws` server: messages per second a client receives.
// Server and client run in separate processes (2 cores), so the figure is what one client
// connection can be fed, not a loopback self-benchmark.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { Row } from './common.js';
import { median } from './timing.js';

export interface SimLoadConfig {
  reps: number;
  seconds: number;
  /** Rate asked of the sim, messages/s. */
  rate: number;
}

export interface SimLoadResult {
  rows: Row[];
  notes: string[];
}

export const PEER_TRANSPORT = 'ws';
const SERVER = fileURLToPath(new URL('./sim-load-server.js', import.meta.url));

interface Served {
  url: string;
  channels: string[];
}

interface Received {
  perSecond: number;
  gaps: number;
  checked: number;
}

async function receive(
  mode: 'sim' | 'bare',
  venue: string,
  config: SimLoadConfig,
): Promise<Received> {
  const child = spawn(process.execPath, [SERVER, mode, String(config.rate), venue], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const served = JSON.parse(line) as Served;
    const socket = new WebSocket(served.url, { perMessageDeflate: false });
    await once(socket, 'open');
    let count = 0;
    let gaps = 0;
    let checked = 0;
    const last = new Map<string, number>();
    socket.on('message', (data: Buffer) => {
      count++;
      // Parse a bounded sample so the client is never the bottleneck it measures.
      if (checked < 20_000) {
        checked++;
        gaps += chainBreaks(String(data), last);
      }
    });
    if (mode === 'bare') socket.send('go');
    else if (venue === 'bybit') {
      socket.send(JSON.stringify({ op: 'subscribe', req_id: 'load', args: served.channels }));
    } else {
      socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'public/subscribe',
          params: { channels: served.channels },
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const startCount = count;
    const started = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, config.seconds * 1000));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perSecond = (count - startCount) / seconds;
    socket.terminate();
    return { perSecond, gaps, checked };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Counts change-id (Deribit) or `u` (Bybit) breaks in one frame against the last seen. */
function chainBreaks(text: string, last: Map<string, number>): number {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 1;
  }
  const params = message.params as { channel?: string; data?: Record<string, unknown> } | undefined;
  if (params?.data !== undefined && typeof params.channel === 'string') {
    const d = params.data;
    const key = params.channel;
    const prev = last.get(key);
    last.set(key, Number(d.change_id));
    return prev !== undefined && d.type === 'change' && d.prev_change_id !== prev ? 1 : 0;
  }
  const topic = message.topic;
  const data = message.data as { u?: number } | undefined;
  if (typeof topic === 'string' && data?.u !== undefined) {
    const prev = last.get(topic);
    last.set(topic, data.u);
    return prev !== undefined && message.type === 'delta' && data.u !== prev + 1 ? 1 : 0;
  }
  return 0;
}

export async function runSimLoad(
  config: SimLoadConfig,
  log: (s: string) => void,
): Promise<SimLoadResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const peer: number[] = [];
  for (let r = 0; r < config.reps; r++)
    peer.push((await receive('bare', 'deribit', config)).perSecond);
  const peerValue = median(peer);
  log(`sim load: bare ws ceiling ${Math.round(peerValue)} msg/s`);
  for (const venue of ['deribit', 'bybit'] as const) {
    const runs: Received[] = [];
    for (let r = 0; r < config.reps; r++) runs.push(await receive('sim', venue, config));
    const value = median(runs.map((x) => x.perSecond));
    const gaps = runs.reduce((sum, x) => sum + x.gaps, 0);
    const checked = runs.reduce((sum, x) => sum + x.checked, 0);
    log(
      `sim load: ${venue} ${Math.round(value)} msg/s, ${gaps} chain breaks in ${checked} checked`,
    );
    rows.push({
      bench: 'sim',
      metric: `load mode ${venue} book changes delivered/s (asked ${config.rate})`,
      better: 'higher',
      unit: 'ops/s',
      ivtrade: value,
      peer: PEER_TRANSPORT,
      peerValue,
      target: { on: 'ivtrade', op: '>=', value: 100_000 },
    });
    notes.push(
      `sim load ${venue}: ${gaps} sequence breaks in ${checked} parsed frames (0 expected without faults)`,
    );
  }
  notes.push(
    'sim load peer: a bare ws server sending one pre-built frame in batches as the socket drains (the transport ceiling); server and client in separate processes',
  );
  return { rows, notes };
}
