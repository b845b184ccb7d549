/**
 * The order path of an attached screen, in one place: the screen has no venue connection, so
 * its orders must travel to the one gateway in `ivtrade serve` as intents. Until that path is
 * wired, every order is answered with why it cannot go; browsing, listings and help work as
 * on a direct screen. The intents part replaces `attachedTrading`'s order door, nothing else.
 */
import { VenueOrderError, type OrderApi } from '../feeds/feed.js';
import { OrderGateway } from '../gateway/order-gateway.js';
import { CommandRunner, type CommandOutput, type MarketCap } from './command-runner.js';
import type { Trading } from './exec-lines.js';
import { EngineMarket } from './gateway-market.js';
import type { MarketEngine } from './market-engine.js';

export const ATTACHED_ORDERS_TEXT =
  'orders from an attached screen go through serve (not wired yet)';

export interface AttachedTradingSettings {
  readonly marketCap?: MarketCap;
}

function refusingOrders(venue: string): OrderApi {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new VenueOrderError({
        venue,
        reason: 'rejected',
        code: null,
        venueMessage: null,
        message: ATTACHED_ORDERS_TEXT,
      }),
    );
  return {
    place: refuse,
    edit: refuse,
    cancel: refuse,
    cancelAll: refuse,
    cancelByLabel: refuse,
    orderByLabel: refuse,
  };
}

/** The Trading of an attached session: commands over the Redis-fed engine, orders refused. */
export function attachedTrading(
  engine: MarketEngine,
  venue: string,
  settings: AttachedTradingSettings,
  output: CommandOutput,
): Trading {
  const venueNow = (): number => engine.venueNow(venue);
  const market = new EngineMarket(engine.market, venueNow);
  const orders = refusingOrders(venue);
  const gateway = new OrderGateway({ market, orders: () => orders });
  const unsubscribe = engine.onEvent((event) => gateway.observe(event));
  // The gateway words a refusal from below as the venue's; this one never left the screen.
  const reword = (text: string): string =>
    text.includes(ATTACHED_ORDERS_TEXT) ? text.replace(/ rejected by \S+: /, ' not sent: ') : text;
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
    // The hedger runs in serve; its switch from here is the intents part's.
    hedger: null,
    now: venueNow,
    ...(settings.marketCap === undefined ? {} : { marketCap: settings.marketCap }),
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
