/**
 * The text of the listing commands (`funds`, `orders`, `positions`, `connection status`):
 * plain lines, so the screen shows them in an overlay and a headless run prints them.
 */
import type { InfoTopic } from '../commands/types.js';
import type { EngineMarket } from './gateway-market.js';
import type { MarketEngine } from './market-engine.js';

const num = (value: number | null, digits: number): string =>
  value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);

function fundsLines(engine: MarketEngine, venue: string): string[] {
  const balances = engine.account.balances(venue);
  if (balances.length === 0) return ['no balances (no credentials, or the account has not loaded)'];
  return [
    'currency      equity     balance   available  init margin  maint margin',
    ...balances.map(
      (b) =>
        `${b.currency.padEnd(8)} ${num(b.equity, 4).padStart(11)} ${num(b.balance, 4).padStart(11)} ` +
        `${num(b.available, 4).padStart(11)} ${num(b.initialMargin, 4).padStart(12)} ` +
        `${num(b.maintenanceMargin, 4).padStart(13)}`,
    ),
  ];
}

function ordersLines(engine: MarketEngine, venue: string): string[] {
  const open = engine.account
    .orders(venue)
    .filter((order) => order.status === 'open' || order.status === 'untriggered');
  if (open.length === 0) return ['no open orders'];
  return open.map((order) => {
    const price =
      order.iv !== null
        ? `v${(order.iv * 100).toFixed(2)}`
        : order.triggerPrice !== null
          ? `stop ${order.triggerPrice}`
          : String(order.price ?? 'market');
    return (
      `${order.side.padEnd(4)} ${String(order.amount).padStart(8)} ${order.instrument.padEnd(26)} ` +
      `${price.padStart(12)} filled ${String(order.filled).padStart(6)} ` +
      `${order.postOnly ? 'post-only ' : ''}${order.reduceOnly ? 'reduce-only ' : ''}` +
      `${order.label ?? '-'} ${order.orderId}`
    );
  });
}

function positionsLines(engine: MarketEngine, market: EngineMarket, venue: string): string[] {
  const held = engine.account.positions(venue).filter((position) => position.size !== 0);
  if (held.length === 0) return ['no positions'];
  return held.map((position) => {
    const mark = market.mark(venue, position.instrument) ?? position.markPrice;
    return (
      `${position.instrument.padEnd(26)} ${String(position.size).padStart(10)} ` +
      `avg ${num(position.averagePrice, 4).padStart(10)} mark ${num(mark, 4).padStart(10)} ` +
      `uPnL ${num(position.unrealizedPnl, 6).padStart(11)}`
    );
  });
}

export function accountLines(
  topic: Exclude<InfoTopic, 'help' | 'connection'>,
  engine: MarketEngine,
  market: EngineMarket,
  venue: string,
): string[] {
  switch (topic) {
    case 'funds':
      return fundsLines(engine, venue);
    case 'orders':
      return ordersLines(engine, venue);
    case 'positions':
      return positionsLines(engine, market, venue);
  }
}

export function connectionLines(engine: MarketEngine, venue: string): string[] {
  const feed = engine.feed(venue);
  if (feed === undefined) return [`not connected to ${venue}`];
  const c = feed.counters();
  const rtt = feed.roundTripMs();
  return [
    `venue ${feed.venue}: round trip ${rtt === null ? '-' : `${rtt.toFixed(1)} ms`}; ` +
      `trading ${feed.orders === null ? 'off (no credentials)' : 'on'}`,
    `messages ${c.messages}, malformed ${c.malformed}, book gaps ${c.gaps}, resyncs ${c.resyncs}`,
    `reconnects ${c.reconnects}, rate limited ${c.rateLimited}`,
  ];
}
