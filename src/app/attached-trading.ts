/**
 * The order path of an attached screen, in one place: the screen has no venue connection, so
 * its orders and hedger switches travel as intents to the one gateway in `ivtrade serve`
 * (remote-trading). Should the intents connection itself not open, every order is answered
 * with why it cannot go; browsing, listings and help work as on a direct screen.
 */
import { VenueOrderError, type OrderApi } from '../feeds/feed.js';
import { OrderGateway } from '../gateway/order-gateway.js';
import type { BusFeed } from '../store/bus-feed.js';
import { errorText, openRedis } from '../store/connect.js';
import { keySchema } from '../store/keys.js';
import type { AttachPlan } from './bus-feeds.js';
import { CommandRunner, type CommandOutput } from './command-runner.js';
import type { Trading } from './exec-lines.js';
import { EngineMarket } from './gateway-market.js';
import type { MarketEngine } from './market-engine.js';
import { startRemoteTrading, type RemoteTrading } from './remote-trading.js';

/** What a session needs of its trading, direct or attached. */
export type SessionTrading = Pick<Trading, 'runner' | 'hedge' | 'hedgeError' | 'close'> & {
  /** Serve's order path, on an attached screen. */
  readonly remote?: RemoteTrading;
};

/**
 * The Trading of an attached session: the same command runner, its door the intents to serve,
 * with serve's published limits checked here first and serve's hedger watched.
 */
export async function attachedTrading(
  engine: MarketEngine,
  plan: AttachPlan,
  bus: BusFeed,
  output: CommandOutput,
): Promise<SessionTrading> {
  const meta = bus.meta();
  let client;
  try {
    client = await openRedis(plan.target, { clientName: 'ivtrade-screen' });
  } catch (error) {
    return refusingTrading(engine, plan.venue, output, errorText(error, plan.target));
  }
  try {
    const remote = await startRemoteTrading({
      engine,
      venue: plan.venue,
      redis: client,
      keys: keySchema(plan.prefix),
      username: plan.target.username,
      ...(meta?.limits === null || meta === null ? {} : { limits: meta.limits }),
      ...(meta?.marketCap === null || meta === null ? {} : { marketCap: meta.marketCap }),
      canSend: () => {
        const alive = bus.serveAlive();
        return alive.ok ? { ok: true } : { ok: false, reason: alive.reason ?? 'serve not running' };
      },
      output,
    });
    return {
      runner: remote.runner,
      hedge: null,
      hedgeError: null,
      remote,
      close: () => {
        remote.close();
        client.disconnect();
      },
    };
  } catch (error) {
    client.disconnect();
    return refusingTrading(engine, plan.venue, output, errorText(error, plan.target));
  }
}

/** Commands over the Redis-fed engine with every order refused, saying why. */
function refusingTrading(
  engine: MarketEngine,
  venue: string,
  output: CommandOutput,
  why: string,
): SessionTrading {
  const reason = `orders from this screen cannot reach serve (${why})`;
  const refuse = (): Promise<never> =>
    Promise.reject(
      new VenueOrderError({
        venue,
        reason: 'rejected',
        code: null,
        venueMessage: null,
        message: reason,
      }),
    );
  const orders: OrderApi = {
    place: refuse,
    edit: refuse,
    cancel: refuse,
    cancelAll: refuse,
    cancelByLabel: refuse,
    orderByLabel: refuse,
  };
  const venueNow = (): number => engine.venueNow(venue);
  const market = new EngineMarket(engine.market, venueNow);
  const gateway = new OrderGateway({ market, orders: () => orders });
  const unsubscribe = engine.onEvent((event) => gateway.observe(event));
  // The gateway words a refusal from below as the venue's; this one never left the screen.
  const reword = (text: string): string =>
    text.includes(reason) ? text.replace(/ rejected by \S+: /, ' not sent: ') : text;
  output.note(reason, 'error');
  const runner = new CommandRunner({
    venue,
    engine,
    market,
    gateway,
    output: {
      ...output,
      note: (text, level) => output.note(reword(text), level),
      orderReport: (text, level) => (output.orderReport ?? output.note)(reword(text), level),
    },
    hedger: null,
    now: venueNow,
  });
  return {
    runner,
    hedge: null,
    hedgeError: null,
    close: () => {
      runner.close();
      unsubscribe();
    },
  };
}
