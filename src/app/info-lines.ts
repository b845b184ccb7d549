/**
 * The text of the listing commands (`funds`, `orders`, `positions`, `connection status`):
 * plain lines, so the screen shows them in an overlay and a headless run prints them.
 */
import type { InfoTopic } from '../commands/types.js';
import type { EngineMarket } from './gateway-market.js';
import type { MarketEngine } from './market-engine.js';
import { fmtFixed, fmtIv, fmtPrice, fmtSize } from '../view/format.js';
import { buildPositionsView } from '../view/positions-view.js';
import { coinIndex } from './risk-book.js';

// Fixed decimals, a dash for none, and no negative zero (-0.0000 reads as a short position).
const num = (value: number | null, digits: number): string => fmtFixed(value, digits);

/**
 * Balances and margin in each account currency and in USD, then the session's money: PnL
 * realised from our fills, fees paid and the open positions' unrealised PnL, per currency
 * and in USD. A coin is valued at its index; a dollar stablecoin at par; "-" where no price.
 */
function fundsLines(engine: MarketEngine, venue: string): string[] {
  const balances = engine.account.balances(venue);
  if (balances.length === 0) return ['no balances (no credentials, or the account has not loaded)'];
  const usdOf = (currency: string): number => usdPerUnit(engine, venue, currency);
  const usd = (value: number, currency: string): string => {
    const rate = usdOf(currency);
    return Number.isFinite(rate) ? num(value * rate, 2) : '-';
  };
  const account = tableLines(
    [
      'currency',
      'equity',
      'balance',
      'available',
      'init margin',
      'maint margin',
      'equity $',
      'available $',
      'IM $',
      'MM $',
    ],
    balances.map((b) => [
      b.currency,
      num(b.equity, 4),
      num(b.balance, 4),
      num(b.available, 4),
      num(b.initialMargin, 4),
      num(b.maintenanceMargin, 4),
      usd(b.equity, b.currency),
      usd(b.available, b.currency),
      usd(b.initialMargin, b.currency),
      usd(b.maintenanceMargin, b.currency),
    ]),
    new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]),
  );
  const session = engine.sessionPnl(venue);
  const unrealized = new Map<string, number>();
  for (const row of buildPositionsView(engine.market, engine.account, venue).rows) {
    if (row.pnlCurrency === '' || !Number.isFinite(row.pnl)) continue;
    unrealized.set(row.pnlCurrency, (unrealized.get(row.pnlCurrency) ?? 0) + row.pnl);
  }
  const currencies = [
    ...new Set([...session.realized().keys(), ...session.fees().keys(), ...unrealized.keys()]),
  ].sort();
  const money =
    currencies.length === 0
      ? ['session: no fills and no open positions yet']
      : tableLines(
          ['session', 'realised', 'fees', 'unrealised', 'realised $', 'fees $', 'unrealised $'],
          currencies.map((currency) => {
            const realized = session.realized().get(currency) ?? 0;
            const fees = session.fees().get(currency) ?? 0;
            const open = unrealized.get(currency) ?? 0;
            return [
              currency,
              num(realized, 6),
              num(fees, 6),
              num(open, 6),
              usd(realized, currency),
              usd(fees, currency),
              usd(open, currency),
            ];
          }),
          new Set([1, 2, 3, 4, 5, 6]),
        );
  return [
    ...account,
    '',
    ...money,
    `(${session.fills} fill${session.fills === 1 ? '' : 's'} this session; realised at average cost, fees as charged)`,
  ];
}

/**
 * Realised PnL and fees from `since` (−∞: the whole session), per currency and in USD: the
 * session's fills replayed at average cost from the account as it loaded.
 */
export function pnlLines(engine: MarketEngine, venue: string, since: number): string[] {
  const pnl = Number.isFinite(since) ? engine.pnlSince(venue, since) : engine.sessionPnl(venue);
  const currencies = [...new Set([...pnl.realized().keys(), ...pnl.fees().keys()])].sort();
  if (currencies.length === 0) return ['no fills in that time'];
  const usd = (value: number, currency: string): string => {
    const rate = usdPerUnit(engine, venue, currency);
    return Number.isFinite(rate) ? num(value * rate, 2) : '-';
  };
  return [
    ...tableLines(
      ['currency', 'realised', 'fees', 'net', 'realised $', 'fees $', 'net $'],
      currencies.map((currency) => {
        const realized = pnl.realized().get(currency) ?? 0;
        const fees = pnl.fees().get(currency) ?? 0;
        return [
          currency,
          num(realized, 6),
          num(fees, 6),
          num(realized - fees, 6),
          usd(realized, currency),
          usd(fees, currency),
          usd(realized - fees, currency),
        ];
      }),
      new Set([1, 2, 3, 4, 5, 6]),
    ),
    `(${pnl.fills} fill${pnl.fills === 1 ? '' : 's'}; realised at average cost from the account as it loaded; the account keeps its latest 1,000 fills)`,
  ];
}

/** USD per unit of an account currency: its index for a coin, 1 for a dollar stablecoin. */
function usdPerUnit(engine: MarketEngine, venue: string, currency: string): number {
  return DOLLARS.has(currency) ? 1 : coinIndex(engine.market, venue, currency);
}

const DOLLARS: ReadonlySet<string> = new Set(['USD', 'USDC', 'USDT']);

/** Lines of a text table: a title row, then the rows, each column as wide as its widest. */
export function tableLines(
  titles: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string[] {
  const widths = titles.map((title, c) =>
    Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(titles), ...rows.map(line)];
}

/**
 * Working orders as a table: what, how much, at what, how much of it done, and the flags
 * and ids to act on it. "Filled" reads as a fraction of the size ("0/1.5"), never a status.
 */
function ordersLines(engine: MarketEngine, venue: string): string[] {
  const open = engine.account
    .orders(venue)
    .filter((order) => order.status === 'open' || order.status === 'untriggered');
  if (open.length === 0) return ['no open orders'];
  const rows = open.map((order) => [
    numberCell(engine.account.orderNumber(venue, order.orderId)),
    order.instrument,
    order.side,
    order.orderType,
    fmtSize(order.amount),
    order.price === null ? 'market' : fmtPrice(order.price),
    order.iv === null ? '' : fmtIv(order.iv),
    order.triggerPrice === null ? '' : fmtPrice(order.triggerPrice),
    `${fmtSize(order.filled)}/${fmtSize(order.amount)}`,
    order.status,
    [order.postOnly ? 'post-only' : '', order.reduceOnly ? 'reduce-only' : '']
      .filter((flag) => flag !== '')
      .join(' '),
    order.label ?? '',
    order.orderId,
  ]);
  return tableLines(
    [
      '#',
      'Instrument',
      'Side',
      'Type',
      'Size',
      'Price',
      'IV',
      'Trigger',
      'Filled',
      'Status',
      'Flags',
      'Label',
      'Order id',
    ],
    rows,
    new Set([0, 4, 5, 6, 7, 8]),
  );
}

/** `#3`: what `c3` and `e3` name the order by. */
function numberCell(number: number | undefined): string {
  return number === undefined ? '' : `#${number}`;
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
