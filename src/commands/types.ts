/**
 * The command language's output: what a line asks for, before any market data is looked at.
 * Numbers stay decimal text exactly as typed, so nothing on the order path passes through a
 * float before the gateway rounds it with decimal.js.
 */

export type OrderSide = 'buy' | 'sell';

/** A price level on an order line: a plain price in the quote unit, or `v<iv>` (IV in %). */
export type PriceLevel =
  | { readonly kind: 'price'; readonly value: string }
  | { readonly kind: 'vol'; readonly percent: string };

/** How an order line is priced. */
export type OrderPricing =
  /** `a3`, `d3`: at market, capped a little beyond the touch so it cannot sweep the book. */
  | { readonly kind: 'market' }
  /**
   * `as`, `dw`: join the own side of the book (buy at the bid, sell at the ask), post-only.
   * `aw`, `ds`: cross to the far side (buy at the ask, sell at the bid), a taker limit.
   */
  | { readonly kind: 'touch'; readonly at: 'bid' | 'ask' }
  /** `a1 0.0125`, `a1 v62.5`: one post-only limit. */
  | { readonly kind: 'limit'; readonly level: PriceLevel }
  /** `d1 25000s`: stop-market, reduce-only, triggered on the mark. */
  | { readonly kind: 'stop'; readonly trigger: string }
  /** `a1 0.01 0.02 5`: `count` post-only limits from `from` to `to`, both ends included. */
  | {
      readonly kind: 'ladder';
      readonly from: PriceLevel;
      readonly to: PriceLevel;
      readonly count: number;
    };

export interface OrderCommand {
  readonly kind: 'order';
  readonly side: OrderSide;
  /** As typed (positive decimal text); the size multiplier applies to it. */
  readonly size: string;
  readonly pricing: OrderPricing;
  /** The line ended with `!`: send even if the price is far through the mark. */
  readonly force: boolean;
}

/**
 * Multi-leg structures, named as traders say them: call/put spread, straddle, strangle, risk
 * reversal, call/put butterfly, call/put calendar.
 */
export type PackageShape = 'cs' | 'ps' | 'st' | 'sg' | 'rr' | 'cf' | 'pf' | 'ccal' | 'pcal';

/**
 * `a1 st 100k`, `d2 cs 100k/110k 0.012`, `a1 ccal 25dec/26mar 100k legs`: a package bought or
 * sold as one. Strikes and expiries are the words as typed; which instruments they name is
 * decided against the listing (the cursor's coin and expiry fill what the line leaves out).
 */
export interface PackageCommand {
  readonly kind: 'package';
  readonly side: OrderSide;
  /** Packages bought or sold, as typed; the size multiplier applies (each leg × its ratio). */
  readonly size: string;
  readonly shape: PackageShape;
  /** The expiry word (`25dec`), or for a calendar the near one; null for the cursor's. */
  readonly expiry: string | null;
  /** A calendar's far expiry word. */
  readonly farExpiry: string | null;
  /** Strike words as typed (`100k`); empty for the cursor's strike (straddle, calendar). */
  readonly strikes: readonly string[];
  /** Net premium per package in the quote unit, signed (a credit is negative); null: market. */
  readonly price: string | null;
  /** `legs`: send the legs as separate orders where the venue has no combos (leg risk). */
  readonly legs: boolean;
  readonly force: boolean;
}

/** The hedger's settings a command changes while it runs (`hb`, `hmode`, `htarget`, `hto`, `hratio`, `hinst`). */
export type HedgeSetting = 'band' | 'policy' | 'target' | 'to' | 'ratio' | 'inst';

export const HEDGE_SETTINGS: readonly HedgeSetting[] = [
  'band',
  'policy',
  'target',
  'to',
  'ratio',
  'inst',
];

export function isHedgeSetting(value: unknown): value is HedgeSetting {
  return (HEDGE_SETTINGS as readonly unknown[]).includes(value);
}

/** A time to count from: so long ago, or a UTC time of day today (yesterday if still ahead). */
export type PnlSince =
  | { readonly kind: 'ago'; readonly ms: number }
  | { readonly kind: 'clock'; readonly minuteOfDay: number };

export type InfoTopic = 'funds' | 'orders' | 'positions' | 'connection' | 'help';

export type Command =
  | OrderCommand
  | PackageCommand
  /** `i <query>`: choose the instrument; `i` alone shows the current one. */
  | { readonly kind: 'instrument'; readonly query: string | null }
  /** `m 0.1` sets the size multiplier; `m` shows it. */
  | { readonly kind: 'multiplier'; readonly value: string | null }
  | { readonly kind: 'cancel-all' }
  | { readonly kind: 'cancel-last' }
  /** `c3`: cancel order #3 (the number the orders panel shows). */
  | { readonly kind: 'cancel-order'; readonly number: number }
  /**
   * `e3 0.013`, `e3 v61`, `e3 x2`: move order #3's price (by price or vol) and/or its size
   * (as typed, in multiples of the size multiplier); `force` as on an order line.
   */
  | {
      readonly kind: 'amend-order';
      readonly number: number;
      readonly price: PriceLevel | null;
      readonly size: string | null;
      readonly force: boolean;
    }
  /** `f`: close the current instrument's position, reduce-only, at market; `f 0.013` at a limit. */
  | { readonly kind: 'flatten'; readonly price: PriceLevel | null; readonly force: boolean }
  | { readonly kind: 'hedge'; readonly action: 'on' | 'off' | 'status' }
  /**
   * The hedger's settings while it runs: `hb 0.5%` (band), `hmode gamma 1e-3` (policy),
   * `htarget -0.5` (target delta, coins); the word alone shows the setting.
   */
  | {
      readonly kind: 'hedge-set';
      readonly setting: HedgeSetting;
      readonly value: string | null;
    }
  | { readonly kind: 'info'; readonly topic: InfoTopic }
  /** `pnl`: the session's realised PnL and fees; `pnl 2h` / `pnl 08:00` since that time. */
  | { readonly kind: 'pnl'; readonly since: PnlSince | null }
  | { readonly kind: 'quit' };

/** Why a line was refused, said so that the trader can fix it without the manual. */
export interface ParseError {
  /** What is wrong, e.g. "expected a size after 'a'". */
  readonly message: string;
  /** 1-based column in the line where the problem starts. */
  readonly column: number;
  /** A line that would have worked, e.g. "a1 0.0125". */
  readonly example: string;
}

/**
 * A whole line: commands separated by `;` run in order. A line parses as a whole or not at
 * all, so a typo in its third command sends nothing from the first two. A line ending in `c`
 * (outside the commands where `c` means something: `cc`, and `i … c` for a call) is aborted.
 */
export type ParsedLine =
  | { readonly ok: true; readonly aborted: false; readonly commands: readonly Command[] }
  /** Aborted lines carry no commands: there is nothing to run. */
  | { readonly ok: true; readonly aborted: true; readonly commands: readonly [] }
  | { readonly ok: false; readonly error: ParseError };
