// Paper accounts: one ledger per account and settle currency (a coin-margined venue keeps one
// per coin, a USDT venue a single wallet). The balance is cash: option premiums, realized
// futures PnL, fees and settlements move it; open positions are valued on top of it.

import type { InstrumentSpec } from '../../instruments/types.js';
import type { SimSide } from '../contract.js';
import { clean, snapAmount } from './grid.js';
import { futurePnl } from './valuation.js';

export interface PositionRecord {
  readonly instrument: string;
  size: number;
  averagePrice: number;
  realizedPnl: number;
}

export class Ledger {
  feesPaid = 0;
  /** Realized PnL of every position this ledger has held, closed ones included. */
  realizedPnl = 0;
  readonly positions = new Map<string, PositionRecord>();
  /** Futures leverage the account chose per instrument (Bybit's set-leverage); the listing's
   * default otherwise. */
  readonly leverages = new Map<string, number>();

  constructor(
    readonly accountId: string,
    readonly currency: string,
    public balance: number,
  ) {}

  position(instrument: string): PositionRecord {
    let position = this.positions.get(instrument);
    if (position === undefined) {
      position = { instrument, size: 0, averagePrice: 0, realizedPnl: 0 };
      this.positions.set(instrument, position);
    }
    return position;
  }
}

export class Accounts {
  private readonly byAccount = new Map<string, Map<string, Ledger>>();

  constructor(private readonly funding: Readonly<Record<string, number>>) {}

  open(accountId: string): void {
    if (this.byAccount.has(accountId)) return;
    const ledgers = new Map<string, Ledger>();
    for (const [currency, amount] of Object.entries(this.funding)) {
      ledgers.set(currency, new Ledger(accountId, currency, amount));
    }
    this.byAccount.set(accountId, ledgers);
  }

  has(accountId: string): boolean {
    return this.byAccount.has(accountId);
  }

  find(accountId: string, currency: string): Ledger | undefined {
    return this.byAccount.get(accountId)?.get(currency);
  }

  /** The ledger, created empty when the account first trades a currency it was not funded in. */
  ledger(accountId: string, currency: string): Ledger {
    this.open(accountId);
    const ledgers = this.byAccount.get(accountId)!;
    let ledger = ledgers.get(currency);
    if (ledger === undefined) {
      ledger = new Ledger(accountId, currency, 0);
      ledgers.set(currency, ledger);
    }
    return ledger;
  }

  currencies(accountId: string): readonly string[] {
    return [...(this.byAccount.get(accountId)?.keys() ?? [])];
  }

  *ledgers(): IterableIterator<Ledger> {
    for (const ledgers of this.byAccount.values()) yield* ledgers.values();
  }
}

/** Moves a position by one fill; returns the cash it moves (premium or realized futures PnL)
 * and the PnL it realizes. */
export function applyFill(
  spec: InstrumentSpec,
  position: PositionRecord,
  side: SimSide,
  amount: number,
  price: number,
): { cash: number; realized: number } {
  const signed = side === 'buy' ? amount : -amount;
  const size = position.size;
  const increasing = size === 0 || Math.sign(size) === Math.sign(signed);
  let realized = 0;
  if (!increasing) {
    const closing = Math.min(amount, Math.abs(size)) * Math.sign(size);
    realized =
      spec.kind === 'option'
        ? (price - position.averagePrice) * closing
        : futurePnl(spec, closing, position.averagePrice, price);
  }
  const next = snapAmount(spec, size + signed);
  if (next === 0) position.averagePrice = 0;
  else if (increasing) position.averagePrice = combinedAverage(spec, size, position, amount, price);
  else if (Math.sign(next) !== Math.sign(size)) position.averagePrice = price;
  position.size = next;
  position.realizedPnl += realized;
  // Option premiums change hands at the fill; futures only pay out what they realize.
  const cash = spec.kind === 'option' ? -signed * price : realized;
  return { cash, realized };
}

function combinedAverage(
  spec: InstrumentSpec,
  size: number,
  position: PositionRecord,
  amount: number,
  price: number,
): number {
  const held = Math.abs(size);
  if (held === 0) return price;
  // An inverse future's entry is the harmonic mean: its PnL is linear in 1/price.
  if (spec.kind !== 'option' && spec.settlement === 'inverse') {
    return clean((held + amount) / (held / position.averagePrice + amount / price));
  }
  return clean((held * position.averagePrice + amount * price) / (held + amount));
}
