import { ConfigError } from './config-error.js';

export { ConfigError } from './config-error.js';

export type VenueName = 'deribit' | 'bybit';

export interface DeribitEndpoints {
  readonly ws: string;
  readonly http: string;
}

export interface BybitEndpoints {
  readonly option: string;
  readonly linear: string;
  readonly private: string;
  readonly trade: string;
  readonly rest: string;
}

export interface Endpoints {
  readonly deribit: DeribitEndpoints;
  readonly bybit: BybitEndpoints;
}

export type Network = 'mainnet' | 'testnet';

const DEFAULTS: Readonly<Record<Network, Endpoints>> = {
  mainnet: {
    deribit: { ws: 'wss://www.deribit.com/ws/api/v2', http: 'https://www.deribit.com/api/v2' },
    bybit: {
      option: 'wss://stream.bybit.com/v5/public/option',
      linear: 'wss://stream.bybit.com/v5/public/linear',
      private: 'wss://stream.bybit.com/v5/private',
      trade: 'wss://stream.bybit.com/v5/trade',
      rest: 'https://api.bybit.com',
    },
  },
  testnet: {
    deribit: { ws: 'wss://test.deribit.com/ws/api/v2', http: 'https://test.deribit.com/api/v2' },
    bybit: {
      option: 'wss://stream-testnet.bybit.com/v5/public/option',
      linear: 'wss://stream-testnet.bybit.com/v5/public/linear',
      private: 'wss://stream-testnet.bybit.com/v5/private',
      trade: 'wss://stream-testnet.bybit.com/v5/trade',
      rest: 'https://api-testnet.bybit.com',
    },
  },
};

export function defaultEndpoints(network: Network): Endpoints {
  return DEFAULTS[network];
}

type Transport = 'socket' | 'rest';

/**
 * Every endpoint a `--url` may name, with the path it has on the venue's own host, so one
 * base URL (the simulator's port) can stand for all of a venue's endpoints.
 */
const ENDPOINT_SPECS = [
  { venue: 'deribit', key: 'ws', transport: 'socket', path: '/ws/api/v2' },
  { venue: 'deribit', key: 'http', transport: 'rest', path: '/api/v2' },
  { venue: 'bybit', key: 'option', transport: 'socket', path: '/v5/public/option' },
  { venue: 'bybit', key: 'linear', transport: 'socket', path: '/v5/public/linear' },
  { venue: 'bybit', key: 'private', transport: 'socket', path: '/v5/private' },
  { venue: 'bybit', key: 'trade', transport: 'socket', path: '/v5/trade' },
  { venue: 'bybit', key: 'rest', transport: 'rest', path: '' },
] as const satisfies readonly {
  venue: VenueName;
  key: string;
  transport: Transport;
  path: string;
}[];

type EndpointSpec = (typeof ENDPOINT_SPECS)[number];

const VENUES: readonly VenueName[] = ['deribit', 'bybit'];

/** What `--url` accepts before the `=`: a venue (every endpoint from a base) or one endpoint. */
export const URL_OVERRIDE_NAMES: readonly string[] = [
  ...VENUES,
  ...ENDPOINT_SPECS.map((spec) => `${spec.venue}.${spec.key}`),
];

const VALID_NAMES = `Valid names: ${URL_OVERRIDE_NAMES.join(', ')}`;

const SCHEMES: Readonly<Record<Transport, readonly string[]>> = {
  socket: ['ws:', 'wss:'],
  rest: ['http:', 'https:'],
};

/** A base's scheme says whether it is secure; each endpoint gets the matching one. */
const SECURE_SCHEMES = new Set(['wss:', 'https:']);

/**
 * Applies `--url` overrides in order (a later one wins), each `name=URL`: `deribit.ws`,
 * `deribit.http`, `bybit.option`, `bybit.linear`, `bybit.private`, `bybit.trade`,
 * `bybit.rest`; or `deribit=BASE` / `bybit=BASE`, which points every endpoint of that venue
 * at one server (e.g. `ivtrade sim --port 8765`): `ws://127.0.0.1:8765` gives
 * `ws://127.0.0.1:8765/ws/api/v2`, `http://127.0.0.1:8765/api/v2`, and so on, with wss/https
 * when the base is secure.
 */
export function applyUrlOverrides(base: Endpoints, overrides: readonly string[]): Endpoints {
  const deribit: Record<keyof DeribitEndpoints, string> = { ...base.deribit };
  const bybit: Record<keyof BybitEndpoints, string> = { ...base.bybit };
  const set = (spec: EndpointSpec, url: string): void => {
    if (spec.venue === 'deribit') deribit[spec.key] = url;
    else bybit[spec.key] = url;
  };

  for (const entry of overrides) {
    const { name, value } = splitEntry(entry);
    const venue = VENUES.find((candidate) => candidate === name);
    if (venue !== undefined) {
      const root = parseBase(entry, value);
      for (const spec of ENDPOINT_SPECS) {
        if (spec.venue === venue) set(spec, endpointFromBase(root, spec));
      }
      continue;
    }
    const spec = ENDPOINT_SPECS.find((candidate) => `${candidate.venue}.${candidate.key}` === name);
    if (spec === undefined) {
      throw badEntry(entry, `unknown name "${name}". ${VALID_NAMES}`);
    }
    set(spec, parseEndpoint(entry, value, spec.transport));
  }
  return { deribit, bybit };
}

function splitEntry(entry: string): { name: string; value: string } {
  const equals = entry.indexOf('=');
  if (equals < 0) {
    throw badEntry(entry, `expected name=URL, e.g. deribit=ws://127.0.0.1:8765. ${VALID_NAMES}`);
  }
  return { name: entry.slice(0, equals).trim(), value: entry.slice(equals + 1).trim() };
}

function parseUrl(entry: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badEntry(entry, 'not a URL');
  }
  if (url.hostname === '') throw badEntry(entry, 'no host');
  // The URL ends up in status events and logs; a password in it would leak there.
  if (url.username !== '' || url.password !== '') {
    throw badEntry(
      entry,
      'no user or password in a URL: credentials come from the environment or the file',
    );
  }
  if (url.hash !== '') throw badEntry(entry, 'no #fragment allowed');
  return url;
}

function parseEndpoint(entry: string, value: string, transport: Transport): string {
  const url = parseUrl(entry, value);
  if (!SCHEMES[transport].includes(url.protocol)) {
    const kind = transport === 'socket' ? 'WebSocket' : 'REST';
    const schemes = SCHEMES[transport].map((scheme) => `${scheme}//`).join(' or ');
    throw badEntry(entry, `a ${kind} endpoint needs ${schemes}`);
  }
  // Adapters append paths to REST bases; a trailing slash would double it.
  return url.search === '' ? value.replace(/\/+$/, '') : value;
}

interface BaseUrl {
  readonly secure: boolean;
  /** `host:port` plus any path prefix, without a trailing slash. */
  readonly hostAndPrefix: string;
}

function parseBase(entry: string, value: string): BaseUrl {
  const url = parseUrl(entry, value);
  if (![...SCHEMES.socket, ...SCHEMES.rest].includes(url.protocol)) {
    throw badEntry(entry, 'a venue base needs ws://, wss://, http:// or https://');
  }
  if (url.search !== '') {
    throw badEntry(entry, 'a venue base takes no ?query');
  }
  return {
    secure: SECURE_SCHEMES.has(url.protocol),
    hostAndPrefix: `${url.host}${url.pathname.replace(/\/+$/, '')}`,
  };
}

function endpointFromBase(base: BaseUrl, spec: EndpointSpec): string {
  const scheme =
    spec.transport === 'socket' ? (base.secure ? 'wss' : 'ws') : base.secure ? 'https' : 'http';
  return `${scheme}://${base.hostAndPrefix}${spec.path}`;
}

/** Names the entry as typed, except a user:password part, which is never echoed. */
function badEntry(entry: string, problem: string): ConfigError {
  return new ConfigError(
    `--url ${JSON.stringify(entry.replace(/\/\/[^/@]*@/, '//…@'))}: ${problem}`,
  );
}
