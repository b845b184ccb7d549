/**
 * The composition root for market data: turns what the user asked for (a venue, coins,
 * endpoints, credentials) into running feeds. With `sim` it starts the embedded exchange and
 * follows both of its venues through the same adapters that follow the real ones.
 */
import {
  loadCredentials,
  type BybitCredentials,
  type Credentials,
  type DeribitCredentials,
} from '../config/credentials.js';
import { Secret } from '../config/secret.js';
import {
  applyUrlOverrides,
  defaultEndpoints,
  type BybitEndpoints,
  type Endpoints,
} from '../config/endpoints.js';
import { BybitFeed } from '../feeds/bybit/feed.js';
import { DeribitFeed } from '../feeds/deribit/feed.js';
import { DeribitHttpCaller } from '../feeds/deribit/http-caller.js';
import { loadDeribitOptionCoins } from '../feeds/deribit/option-coins.js';
import { loadBybitOptionCoins } from '../feeds/bybit/option-coins.js';
import { BybitRestClient } from '../feeds/bybit/rest.js';
import type { Feed } from '../feeds/feed.js';
import type { FaultOptions } from '../sim/faults.js';
import { startSim, type RunningSim } from '../sim/server.js';
import { simOrderLogTo } from './log-file.js';
import type { VenueChoice } from './venue-choice.js';

export { VENUE_CHOICES, type VenueChoice } from './venue-choice.js';

export interface SimPlan {
  readonly seed: number;
  readonly speed: number;
  readonly faults?: Partial<FaultOptions>;
  /** A JSON-lines file the sim appends every order request it receives to (mode 600). */
  readonly orderLogPath?: string;
}

export interface FeedPlan {
  readonly venue: VenueChoice;
  /** The coins to follow; with `listedCoins`, only what the embedded exchange lists. */
  readonly currencies: readonly string[];
  /** Follow every coin each venue lists options on, asked of the venue at start. */
  readonly listedCoins?: boolean;
  readonly testnet: boolean;
  /** `--url` entries, e.g. `deribit=ws://127.0.0.1:8765` or `bybit.rest=http://…`. */
  readonly urlOverrides: readonly string[];
  /** Books to follow: every option's, or these instruments'. */
  readonly books: 'all' | readonly string[];
  /** False for `record`: nothing private is ever opened, so nothing private can be written. */
  readonly private: boolean;
  readonly configPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly sim?: SimPlan;
  /** With `sim`: which adapters follow it (default both). The TUI shows one venue. */
  readonly simVenues?: readonly ('deribit' | 'bybit')[];
  /** Deribit: the venue cancels the session's orders when its connection closes (default off). */
  readonly cancelOnDisconnect?: boolean;
  /** Futures or perpetuals to follow as hedges beside each coin's perpetual (`--hedge-instrument`). */
  readonly hedgeInstruments?: readonly string[];
  /** Follow every dated future of the coins as a hedge (a hedger may trade any of them). */
  readonly hedgeFutures?: boolean;
  /** Tuning for tests and slow links; the feeds' defaults otherwise. */
  readonly staleAfterMs?: number;
  readonly log?: (line: string) => void;
}

export interface OpenFeeds {
  readonly feeds: readonly Feed[];
  /** The embedded exchange, when `sim` was chosen. */
  readonly sim: RunningSim | null;
  /** The coins each feed follows, by venue. */
  readonly coins: ReadonlyMap<string, readonly string[]>;
  /** Stops the feeds, then the embedded exchange. */
  close(): Promise<void>;
}

/** Builds the feeds (not yet started). Configuration errors throw ConfigError. */
export async function openFeeds(plan: FeedPlan): Promise<OpenFeeds> {
  const load = (): Credentials =>
    loadCredentials({
      ...(plan.env === undefined ? {} : { env: plan.env }),
      ...(plan.configPath === undefined ? {} : { path: plan.configPath }),
    });
  // A --config that is missing, unreadable or open to others is said at once, even by a run
  // that needs nothing private from it: the trader meant that file to be used.
  if (plan.configPath !== undefined && (plan.venue === 'sim' || !plan.private)) load();
  if (plan.venue === 'sim') return openSimFeeds(plan);
  const endpoints = applyUrlOverrides(
    defaultEndpoints(plan.testnet ? 'testnet' : 'mainnet'),
    plan.urlOverrides,
  );
  const credentials: Credentials = plan.private ? load() : { deribit: null, bybit: null };
  const coins = await coinsOf(plan, plan.venue, endpoints);
  const feed =
    plan.venue === 'deribit'
      ? deribitFeed(plan, coins, endpoints.deribit.ws, credentials.deribit)
      : bybitFeed(plan, coins, endpoints.bybit, credentials.bybit);
  return {
    feeds: [feed],
    sim: null,
    coins: new Map([[plan.venue, coins]]),
    close: () => feed.stop(),
  };
}

/**
 * The coins a venue's feed follows: the plan's, or with `listedCoins` every coin the venue
 * lists options on (Deribit answers in one call; Bybit is asked coin by coin).
 */
async function coinsOf(
  plan: FeedPlan,
  venue: 'deribit' | 'bybit',
  endpoints: Endpoints,
): Promise<readonly string[]> {
  if (plan.listedCoins !== true) return plan.currencies;
  const listed =
    venue === 'deribit'
      ? await loadDeribitOptionCoins(new DeribitHttpCaller(endpoints.deribit.http))
      : await loadBybitOptionCoins((path, query) =>
          new BybitRestClient({ baseUrl: endpoints.bybit.rest }).get(path, query),
        );
  if (listed.length === 0) throw new Error(`${venue} lists no options on any coin`);
  return listed;
}

async function openSimFeeds(plan: FeedPlan): Promise<OpenFeeds> {
  const sim = await startSim({
    seed: plan.sim?.seed ?? 1,
    speed: plan.sim?.speed ?? 1,
    currencies: plan.currencies,
    // Only the venues the feeds follow move: nobody sees the other's market.
    ...(plan.simVenues === undefined ? {} : { venues: plan.simVenues }),
    ...(plan.sim?.faults === undefined ? {} : { faults: plan.sim.faults }),
    ...(plan.sim?.orderLogPath === undefined
      ? {}
      : { orderLog: simOrderLogTo(plan.sim.orderLogPath) }),
  });
  const endpoints = simEndpoints(sim);
  const deribitKey = sim.apiKeys.deribit[0];
  const bybitKey = sim.apiKeys.bybit[0];
  const venues = plan.simVenues ?? ['deribit', 'bybit'];
  const feeds: Feed[] = [];
  const coins = new Map<string, readonly string[]>();
  try {
    for (const venue of venues) coins.set(venue, await coinsOf(plan, venue, endpoints));
  } catch (error) {
    await sim.close();
    throw error;
  }
  if (venues.includes('deribit')) {
    feeds.push(
      deribitFeed(
        plan,
        coins.get('deribit')!,
        endpoints.deribit.ws,
        plan.private && deribitKey !== undefined
          ? { clientId: deribitKey.key, clientSecret: new Secret(deribitKey.secret) }
          : null,
      ),
    );
  }
  if (venues.includes('bybit')) {
    feeds.push(
      bybitFeed(
        plan,
        coins.get('bybit')!,
        endpoints.bybit,
        plan.private && bybitKey !== undefined
          ? { apiKey: bybitKey.key, apiSecret: new Secret(bybitKey.secret) }
          : null,
      ),
    );
  }
  return {
    feeds,
    sim,
    coins,
    close: async () => {
      await Promise.allSettled(feeds.map((feed) => feed.stop()));
      await sim.close();
    },
  };
}

export function simEndpoints(sim: RunningSim): Endpoints {
  const u = sim.urls;
  return {
    deribit: { ws: u.deribitWs, http: u.deribitHttp },
    bybit: {
      option: u.bybitOptionWs,
      linear: u.bybitLinearWs,
      private: u.bybitPrivateWs,
      // ivtrade's adapter sends orders over signed REST; the sim's trade socket is for others.
      trade: u.bybitTradeWs,
      rest: u.bybitRest,
    },
  };
}

type DeribitKeys = DeribitCredentials;
type BybitKeys = BybitCredentials;

function deribitFeed(
  plan: FeedPlan,
  coins: readonly string[],
  wsUrl: string,
  keys: DeribitKeys | null,
): Feed {
  return new DeribitFeed({
    wsUrl,
    currencies: coins,
    credentials:
      keys === null ? null : { clientId: keys.clientId, clientSecret: keys.clientSecret.reveal() },
    cancelOnDisconnect: plan.cancelOnDisconnect ?? false,
    // DVOL, one channel per coin: the header shows it beside ivtrade's own 30-day index.
    volatilityIndex: true,
    ...bookOptions(plan),
    ...hedgeOptions(plan),
    ...(plan.staleAfterMs === undefined ? {} : { staleAfterMs: plan.staleAfterMs }),
    ...(plan.log === undefined ? {} : { log: plan.log }),
  });
}

function bybitFeed(
  plan: FeedPlan,
  coins: readonly string[],
  urls: BybitEndpoints,
  keys: BybitKeys | null,
): Feed {
  return new BybitFeed({
    urls: { option: urls.option, linear: urls.linear, private: urls.private, rest: urls.rest },
    baseCoins: coins,
    credentials: keys === null ? null : { apiKey: keys.apiKey, apiSecret: keys.apiSecret.reveal() },
    ...bookOptions(plan),
    ...hedgeOptions(plan),
    ...(plan.staleAfterMs === undefined ? {} : { staleAfterMs: plan.staleAfterMs }),
    ...(plan.log === undefined ? {} : { log: plan.log }),
  });
}

function hedgeOptions(plan: FeedPlan): {
  moreHedgeInstruments?: readonly string[];
  hedgeFutures?: boolean;
} {
  return {
    ...(plan.hedgeInstruments === undefined || plan.hedgeInstruments.length === 0
      ? {}
      : { moreHedgeInstruments: plan.hedgeInstruments }),
    ...(plan.hedgeFutures === true ? { hedgeFutures: true } : {}),
  };
}

function bookOptions(plan: FeedPlan): { allBooks: boolean; books: readonly string[] } {
  return plan.books === 'all'
    ? { allBooks: true, books: [] }
    : { allBooks: false, books: plan.books };
}
