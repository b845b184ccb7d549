// Stock ccxt clients pointed at the embedded exchange: only the URLs' origins and the API keys
// differ from how ccxt talks to the real venues. Every other option is ccxt's default, so a
// failure here is the sim's (or ccxt's own, which the suites name and work around alone).

import ccxt, { type Exchange } from 'ccxt';
import { DEFAULT_SIM_KEYS, type RunningSim } from '../../../src/sim/server.js';

type Venue = 'deribit' | 'bybit';

/** Rewrites every URL under `urls.api` to the sim's origin, keeping its path. */
function pointAt(api: unknown, port: number): unknown {
  if (typeof api === 'string') {
    return api
      .replace(/^https:\/\/[^/]+/, `http://127.0.0.1:${port}`)
      .replace(/^wss:\/\/[^/]+/, `ws://127.0.0.1:${port}`);
  }
  if (api !== null && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, pointAt(v, port)]));
  }
  return api;
}

function keysOf(venue: Venue): { apiKey: string; secret: string } {
  const [first] = DEFAULT_SIM_KEYS[venue];
  return { apiKey: first!.key, secret: first!.secret };
}

function configure<T extends Exchange>(client: T, sim: RunningSim): T {
  client.urls['api'] = pointAt(client.urls['api'], sim.port) as typeof client.urls.api;
  return client;
}

/** ccxt's REST client for the venue, with the sim's paper keys. */
export function restClient(venue: Venue, sim: RunningSim): Exchange {
  const Class = venue === 'deribit' ? ccxt.deribit : ccxt.bybit;
  return configure(new Class(keysOf(venue)), sim);
}

/** ccxt's WebSocket ("pro") client for the venue, with the sim's paper keys. */
export function proClient(venue: Venue, sim: RunningSim): Exchange {
  const Class = venue === 'deribit' ? ccxt.pro.deribit : ccxt.pro.bybit;
  return configure(new Class(keysOf(venue)), sim);
}
