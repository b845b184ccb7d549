/**
 * Runs command lines: the parser says what a line asks for, this decides what that means
 * against the live session (which instrument, which multiplier, which prices) and hands
 * orders to the gateway. The same runner serves the screen's command line and `--exec`.
 */
import { Decimal } from 'decimal.js';
import { findInstrument } from '../commands/instrument-query.js';
import { splitSegments } from '../commands/line-tokens.js';
import { levelText, planOrder, type OrderPlan } from '../commands/order-plan.js';
import { parseLine } from '../commands/parse.js';
import type {
  Command,
  HedgeSetting,
  InfoTopic,
  OrderCommand,
  PackageCommand,
  ParseError,
  PnlSince,
  PriceLevel,
} from '../commands/types.js';
import type { OrderEvent } from '../book/events.js';
import type {
  GatewayReport,
  OrderAmend,
  OrderChangeOutcome,
  OrderDoor,
  OrderIntent,
} from '../gateway/types.js';
import type { InstrumentSpec } from '../instruments/types.js';
import type { RiskWhatIf, StatusLevel } from '../view/types.js';
import type { EngineMarket } from './gateway-market.js';
import type { MarketEngine } from './market-engine.js';
import { accountLines, connectionLines, pnlLines } from './info-lines.js';
import { packageLegIntents } from '../gateway/package-intents.js';
import {
  legRiskText,
  packageLine,
  planPackageLine,
  quotePackage,
  type PlannedPackage,
} from './package-orders.js';

/** Where a runner's words go: the screen (status line, overlays) or stdout when headless. */
export interface CommandOutput {
  note(text: string, level: StatusLevel): void;
  /** The gateway's reports on orders; to `note` when not given. */
  orderReport?(text: string, level: StatusLevel): void;
  /** A listing (funds, orders, positions, connection): an overlay, or printed lines. */
  info(title: string, lines: readonly string[]): void;
  /** `help`: the same table `?` shows. */
  help(): void;
  quit(): void;
}

/**
 * The hedger's switch: the hedger itself, or on an attached screen a stand-in that asks the
 * one in `serve` and answers with its words once they come back.
 */
export interface HedgerControl {
  activate(): string | Promise<string>;
  deactivate(): string | Promise<string>;
  status(): string | Promise<string>;
  /**
   * `hb`, `hmode`, `htarget`, `hto`, `hratio`: a setting's new value as typed (`0.5%`,
   * `gamma 1e-3`, `-0.5`, `edge`, `0.8`), or null to say it.
   */
  set?(setting: HedgeSetting, value: string | null): string | Promise<string>;
}

export interface MarketCap {
  /** Options: ticks beyond the touch a market order may pay. */
  readonly optionTicks: number;
  /** Futures: percent beyond the touch a market order may pay. */
  readonly futurePercent: number;
}

export const DEFAULT_MARKET_CAP: MarketCap = { optionTicks: 3, futurePercent: 0.1 };

export interface CommandRunnerOptions {
  readonly venue: string;
  readonly engine: MarketEngine;
  readonly market: EngineMarket;
  /** The order gateway, or an attached screen's door to the one in `serve`. */
  readonly gateway: OrderDoor;
  readonly output: CommandOutput;
  readonly marketCap?: MarketCap;
  readonly hedger?: HedgerControl | null;
  readonly now?: () => number;
}

export type RunResult =
  | { readonly ok: true; readonly aborted: boolean; readonly commands: number }
  | { readonly ok: false; readonly error: ParseError };

const LEVEL: Record<GatewayReport['outcome'], StatusLevel> = {
  refused: 'error',
  sent: 'info',
  accepted: 'info',
  'partially-filled': 'info',
  filled: 'info',
  cancelled: 'warn',
  rejected: 'error',
  unknown: 'warn',
};

export class CommandRunner {
  readonly #options: CommandRunnerOptions;
  readonly #now: () => number;
  /** Set by `i`; the cursor's instrument counts again once the cursor moves. */
  #chosen: string | null = null;
  /** `m` per instrument class: every option of a coin shares one, each future its own. */
  readonly #multipliers = new Map<string, string>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #unsubscribe: () => void;

  constructor(options: CommandRunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.gateway.onReport((report) => {
      if (report.outcome === 'sent') return;
      const { output } = options;
      if (output.orderReport === undefined) output.note(report.message, LEVEL[report.outcome]);
      else output.orderReport(report.message, LEVEL[report.outcome]);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The instrument orders go to: the one chosen with `i`, else the one under the cursor. */
  instrument(cursor: string | null): string | null {
    return this.#chosen ?? cursor;
  }

  /** What the command line shows before the text: instrument and size multiplier. */
  prompt(cursor: string | null): string {
    const name = this.instrument(cursor);
    if (name === null) return '';
    const spec = this.#spec(name);
    return spec === undefined ? name : `${name} ×${this.#multiplier(spec)}`;
  }

  /** The trader pointed at something else: the cursor's instrument counts again. */
  cursorMoved(): void {
    this.#chosen = null;
  }

  /** Resolves once every order sent so far has its answer from the venue. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * What a line would add to the book if it ran and filled, planned on the market as it
   * stands and sending nothing: each order's instrument and signed size (a stop, which waits
   * for its trigger, adds nothing). Null when the line holds no order; `problem` when it does
   * not plan (a half-typed line, a refusal).
   */
  preview(line: string, cursor: string | null): RiskWhatIf | null {
    const parsed = parseLine(line);
    if (!parsed.ok) {
      return /^\s*[adf]/i.test(line)
        ? { line, positions: [], problem: parsed.error.message }
        : null;
    }
    if (parsed.aborted) return null;
    let chosen = this.#chosen;
    const multipliers = new Map(this.#multipliers);
    const positions: { instrument: string; size: number }[] = [];
    let any = false;
    for (const command of parsed.commands) {
      if (command.kind === 'instrument' && command.query !== null) {
        const found = findInstrument(
          command.query,
          this.#options.market.specs(this.#options.venue),
          this.#now(),
        );
        if (!found.ok) return { line, positions: [], problem: found.message };
        chosen = found.spec.name;
        continue;
      }
      if (command.kind === 'multiplier' && command.value !== null) {
        const name = chosen ?? cursor;
        const spec = name === null ? undefined : this.#spec(name);
        if (spec !== undefined && multiplierProblem(command.value, spec) === null) {
          multipliers.set(classOf(spec), command.value);
        }
        continue;
      }
      if (command.kind === 'package') {
        any = true;
        const planned = this.#packagePlan(command, chosen ?? cursor, (spec) =>
          multipliers.get(classOf(spec)),
        );
        if (!planned.ok) return { line, positions: [], problem: planned.message };
        const sign = command.side === 'buy' ? 1 : -1;
        for (const leg of planned.legs.legs) {
          const size = Number(planned.intent.amount) * leg.ratio * sign;
          const held = positions.find((entry) => entry.instrument === leg.spec.name);
          if (held === undefined) positions.push({ instrument: leg.spec.name, size });
          else held.size += size;
        }
        continue;
      }
      if (command.kind !== 'order' && command.kind !== 'flatten') continue;
      any = true;
      const name = chosen ?? cursor;
      const plan =
        command.kind === 'order'
          ? this.#plan(command, name, (spec) => multipliers.get(classOf(spec)))
          : this.#flattenPlan(command.price, command.force, name);
      if (!plan.ok) return { line, positions: [], problem: plan.message };
      for (const intent of plan.intents) {
        if (intent.kind === 'stop-market' || intent.kind === 'stop-limit') continue;
        const size = Number(intent.amount) * (intent.side === 'buy' ? 1 : -1);
        const held = positions.find((entry) => entry.instrument === intent.instrument);
        if (held === undefined) positions.push({ instrument: intent.instrument, size });
        else held.size += size;
      }
    }
    return any ? { line, positions, problem: null } : null;
  }

  /** Parses and runs one line; nothing of a line that does not parse is run. */
  run(line: string, cursor: string | null): RunResult {
    const parsed = parseLine(line);
    if (!parsed.ok) {
      const { error } = parsed;
      this.#options.output.note(
        `column ${error.column}: ${error.message} (e.g. ${error.example})`,
        'error',
      );
      return parsed;
    }
    if (parsed.aborted) {
      this.#options.output.note('aborted: nothing sent', 'info');
      return { ok: true, aborted: true, commands: 0 };
    }
    const steps = stepTexts(line);
    const problem = this.#resolve(parsed.commands, cursor, steps);
    if (problem !== null) {
      const { index, message } = problem;
      this.#options.output.note(
        parsed.commands.length === 1
          ? message
          : `nothing run: step ${index + 1} of ${parsed.commands.length} (${steps[index] ?? ''}): ${message}`,
        'error',
      );
      return { ok: true, aborted: false, commands: parsed.commands.length };
    }
    this.#runFrom(parsed.commands, 0, cursor, steps);
    return { ok: true, aborted: false, commands: parsed.commands.length };
  }

  /**
   * Walks a line before any of it runs, as it would run: instruments looked up, multipliers
   * checked against the lot, every order planned on the market as it stands and put through
   * the gateway's checks. The first step that cannot go stops the whole line, so nothing of
   * `i perp; as1; i bogus; as1` is sent. What it cannot foresee (the venue's answer, a market
   * that moves while an earlier step waits) is said when it happens, with what had run.
   */
  #resolve(
    commands: readonly Command[],
    cursor: string | null,
    steps: readonly string[],
  ): { index: number; message: string } | null {
    const { venue, market, gateway } = this.#options;
    let chosen = this.#chosen;
    const multipliers = new Map(this.#multipliers);
    const current = (): InstrumentSpec | undefined => {
      const name = chosen ?? cursor;
      return name === null ? undefined : this.#spec(name);
    };
    let ordered = false;
    for (const [index, command] of commands.entries()) {
      const fail = (message: string): { index: number; message: string } => ({ index, message });
      const afterAnOrder = ordered;
      if (command.kind === 'order' || command.kind === 'flatten' || command.kind === 'package') {
        ordered = true;
      }
      if (command.kind === 'instrument' && command.query !== null) {
        const found = findInstrument(command.query, market.specs(venue), this.#now());
        if (!found.ok) return fail(found.message);
        chosen = found.spec.name;
      } else if (command.kind === 'multiplier' && command.value !== null) {
        const spec = current();
        if (spec === undefined) return fail(NO_INSTRUMENT_FOR_MULTIPLIER);
        const problem = multiplierProblem(command.value, spec);
        if (problem !== null) return fail(problem);
        multipliers.set(classOf(spec), command.value);
      } else if (command.kind === 'order') {
        const name = chosen ?? cursor;
        const planned = this.#plan(command, name, (spec) => multipliers.get(classOf(spec)));
        if (!planned.ok) return fail(planned.message);
        const refusal = gateway.check(planned.intents);
        if (refusal !== null) return fail(refusal);
      } else if (command.kind === 'package') {
        const planned = this.#packagePlan(command, chosen ?? cursor, (spec) =>
          multipliers.get(classOf(spec)),
        );
        if (!planned.ok) return fail(planned.message);
        if (gateway.hasCombos(venue)) {
          const refusal = gateway.checkPackage(planned.intent);
          if (refusal !== null) return fail(refusal);
        } else if (!command.legs) {
          return fail(legRiskText(planned, venue, market, steps[index] ?? ''));
        } else {
          const refusal = gateway.check(packageLegIntents(planned.intent));
          if (refusal !== null) return fail(refusal);
        }
      } else if (
        afterAnOrder &&
        (command.kind === 'cancel-order' || command.kind === 'amend-order')
      ) {
        // The order it names may be the one an earlier step places: checked at its turn.
        continue;
      } else if (command.kind === 'cancel-order') {
        const order = this.#numbered(command.number);
        if (!order.ok) return fail(order.message);
      } else if (command.kind === 'amend-order') {
        const order = this.#numbered(command.number);
        if (!order.ok) return fail(order.message);
        const change = this.#amendOf(command, order.order, (spec) =>
          multipliers.get(classOf(spec)),
        );
        if (!change.ok) return fail(change.message);
      } else if (command.kind === 'flatten') {
        // After an order in the same line the position is whatever that order leaves: it is
        // planned when its turn comes, not now (`aw1; f` is a round trip, not a refusal).
        if (afterAnOrder) continue;
        const planned = this.#flattenPlan(command.price, command.force, chosen ?? cursor);
        if (!planned.ok) return fail(planned.message);
        const refusal = gateway.check(planned.intents);
        if (refusal !== null) return fail(refusal);
      }
    }
    return null;
  }

  /**
   * Runs commands in order. The first goes at once (the keypress-to-wire path); a command after
   * an order or a cancel waits for the venue's answer to it, so `as1; orders` lists the order.
   * A refused or rejected order stops the rest of the line: what follows may have counted on it.
   */
  #runFrom(
    commands: readonly Command[],
    from: number,
    cursor: string | null,
    steps: readonly string[],
  ): void {
    for (let index = from; index < commands.length; index += 1) {
      const step = this.#runOne(commands[index]!, cursor);
      if (step === false) {
        this.#stopped(index, commands.length, steps);
        return;
      }
      if (step === true) continue;
      if (index + 1 < commands.length) {
        void this.#track(
          step.then((goOn) => {
            if (goOn) this.#runFrom(commands, index + 1, cursor, steps);
            else this.#stopped(index, commands.length, steps);
          }),
        );
      }
      return;
    }
  }

  /** A step failed once the line was running: what ran before it, and what was not run. */
  #stopped(index: number, total: number, steps: readonly string[]): void {
    if (total === 1) return;
    const span = (from: number, to: number): string =>
      from === to ? `step ${from}` : `steps ${from}-${to}`;
    const ran = index === 0 ? 'nothing before it ran' : `${span(1, index)} ran`;
    const left = index + 1 < total ? `; ${span(index + 2, total)} not run` : '';
    this.#options.output.note(
      `line stopped at step ${index + 1} of ${total} (${steps[index] ?? ''}): ${ran}${left}`,
      'error',
    );
  }

  /** True: done, go on; false: stop the line; a promise: the venue's answer, then go on or not. */
  #runOne(command: Command, cursor: string | null): boolean | Promise<boolean> {
    const { output } = this.#options;
    switch (command.kind) {
      case 'order':
        return this.#order(command, cursor);
      case 'package':
        return this.#package(command, cursor);
      case 'instrument':
        return this.#choose(command.query, cursor);
      case 'multiplier':
        return this.#setMultiplier(command.value, cursor);
      case 'cancel-all':
        return this.#track(
          this.#options.gateway.cancelAll(this.#options.venue).then(
            (count) => {
              output.note(
                count === 0
                  ? 'cancel all: no open orders'
                  : `cancel all: ${count} order${count === 1 ? '' : 's'} cancelled`,
                'info',
              );
              return true;
            },
            (error: unknown) => {
              output.note(`cancel all failed: ${messageOf(error)}`, 'error');
              return false;
            },
          ),
        );
      case 'cancel-last':
        return this.#track(
          this.#options.gateway.cancelLast().then((outcome) => {
            output.note(outcome.message, 'info');
            return true;
          }),
        );
      case 'cancel-order':
        return this.#cancelOrder(command.number);
      case 'amend-order':
        return this.#amend(command);
      case 'flatten':
        return this.#flatten(command.price, command.force, cursor);
      case 'hedge':
        return this.#hedge(command.action);
      case 'hedge-set':
        return this.#hedgeSet(command.setting, command.value);
      case 'info':
        this.#info(command.topic);
        return true;
      case 'pnl': {
        const { since, title } = sinceOf(command.since, this.#now());
        output.info(title, pnlLines(this.#options.engine, this.#options.venue, since));
        return true;
      }
      case 'quit':
        output.quit();
        return true;
    }
  }

  /** The order's intents on the market as it stands, or why there are none. */
  #plan(
    command: OrderCommand,
    name: string | null,
    multiplierOf: (spec: InstrumentSpec) => string | undefined = (spec) =>
      this.#multipliers.get(classOf(spec)),
  ): OrderPlan {
    const { venue, market } = this.#options;
    if (name === null) {
      return {
        ok: false,
        message: 'no instrument: move the cursor to one, or choose it with i <query>',
      };
    }
    const spec = this.#spec(name);
    if (spec === undefined) return { ok: false, message: `${name} is not listed on ${venue}` };
    const touch = market.touch(venue, name);
    return planOrder(command, {
      venue,
      spec,
      multiplier: multiplierOf(spec) ?? String(spec.minSize),
      bid: touch.bid,
      ask: touch.ask,
      mark: touch.mark,
      marketCap: this.#options.marketCap ?? DEFAULT_MARKET_CAP,
    });
  }

  /** A package line's legs and what it sends, on the market as it stands. */
  #packagePlan(
    command: PackageCommand,
    name: string | null,
    multiplierOf: (spec: InstrumentSpec) => string | undefined = (spec) =>
      this.#multipliers.get(classOf(spec)),
  ): PlannedPackage {
    const { venue, market } = this.#options;
    return planPackageLine(command, {
      venue,
      market,
      current: name === null ? undefined : this.#spec(name),
      multiplierOf: (spec) => multiplierOf(spec) ?? String(spec.minSize),
      marketCap: this.#options.marketCap ?? DEFAULT_MARKET_CAP,
      now: this.#now(),
    });
  }

  /**
   * While a package is typed: its price, vol and greeks and how it would go, in one line for
   * the status bar; null when the line holds no package (or it names none yet).
   */
  quote(line: string, cursor: string | null): string | null {
    const parsed = parseLine(line);
    if (!parsed.ok || parsed.aborted) return null;
    const command = parsed.commands.at(-1);
    if (command?.kind !== 'package') return null;
    const planned = this.#packagePlan(command, this.instrument(cursor));
    if (!planned.ok) return planned.message;
    const { venue, market, gateway } = this.#options;
    return packageLine(
      planned,
      quotePackage(planned.legs, venue, market),
      gateway.hasCombos(venue),
    );
  }

  #package(command: PackageCommand, cursor: string | null): boolean | Promise<boolean> {
    const { output, gateway, venue } = this.#options;
    const planned = this.#packagePlan(command, this.instrument(cursor));
    if (!planned.ok) {
      output.note(planned.message, 'error');
      return false;
    }
    if (gateway.hasCombos(venue)) {
      return this.#track(
        gateway
          .submitPackage(planned.intent)
          .then((report) => report.outcome !== 'refused' && report.outcome !== 'rejected'),
      );
    }
    if (!command.legs) {
      output.note(legRiskText(planned, venue, this.#options.market, ''), 'error');
      return false;
    }
    output.note(`${planned.summary}: ${planned.intent.legs.length} separate orders`, 'info');
    return this.#track(
      gateway
        .submit(packageLegIntents(planned.intent))
        .then((reports) =>
          reports.every((report) => report.outcome !== 'refused' && report.outcome !== 'rejected'),
        ),
    );
  }

  #order(command: OrderCommand, cursor: string | null): boolean | Promise<boolean> {
    const { output, gateway } = this.#options;
    const plan = this.#plan(command, this.instrument(cursor));
    if (!plan.ok) {
      output.note(plan.message, 'error');
      return false;
    }
    const max = gateway.limits.maxOrdersPerSecond;
    if (plan.intents.length > max) {
      const seconds = Math.ceil(plan.intents.length / max) - 1;
      output.note(
        `${plan.intents.length} orders are more than the ${max} a second the cap allows: ` +
          `sending ${max} now and the rest as it frees (about ${seconds} s more; cc stops them)`,
        'info',
      );
    }
    return this.#track(
      gateway
        .submit(plan.intents)
        .then((reports) =>
          reports.every((report) => report.outcome !== 'refused' && report.outcome !== 'rejected'),
        ),
    );
  }

  /** The open order a short number names, or why there is none to act on. */
  #numbered(number: number): { ok: true; order: OrderEvent } | { ok: false; message: string } {
    const { engine, venue } = this.#options;
    const order = engine.account.orderByNumber(venue, number);
    if (order === undefined) {
      return { ok: false, message: `no order #${number} (the orders panel shows the numbers)` };
    }
    const open = engine.account.orders(venue).some((held) => held.orderId === order.orderId);
    if (!open) {
      const filled = order.filled > 0 ? `, ${numberWords(order.filled)} filled` : '';
      const status = order.status === 'open' ? 'no longer open' : order.status;
      return {
        ok: false,
        message: `order #${number} (${order.side} ${numberWords(order.amount)} ${order.instrument}) is ${status}${filled}`,
      };
    }
    return { ok: true, order };
  }

  #cancelOrder(number: number): boolean | Promise<boolean> {
    const { output, gateway, venue } = this.#options;
    const found = this.#numbered(number);
    if (!found.ok) {
      output.note(found.message, 'error');
      return false;
    }
    const { order } = found;
    return this.#track(
      gateway
        .cancelOrder({ venue, orderId: order.orderId, label: order.label, name: `#${number}` })
        .then((outcome) => this.#said(outcome, number)),
    );
  }

  /** The amend an `e<n>` line asks for, checked against the order as it stands here. */
  #amendOf(
    command: Extract<Command, { kind: 'amend-order' }>,
    order: OrderEvent,
    multiplierOf: (spec: InstrumentSpec) => string | undefined = (spec) =>
      this.#multipliers.get(classOf(spec)),
  ): { ok: true; change: OrderAmend } | { ok: false; message: string } {
    const { venue } = this.#options;
    const name = `#${command.number}`;
    if (order.orderType !== 'limit') {
      return {
        ok: false,
        message: `${name} is a ${order.orderType} order: e moves limit orders (c${command.number} cancels it)`,
      };
    }
    const spec = this.#spec(order.instrument);
    if (spec === undefined) {
      return { ok: false, message: `${order.instrument} is not listed on ${venue}` };
    }
    let amount = new Decimal(String(order.amount));
    if (command.size !== null) {
      const unit = multiplierOf(spec) ?? String(spec.minSize);
      amount = new Decimal(command.size).times(unit);
      if (amount.lte(String(order.filled))) {
        return {
          ok: false,
          message: `${name} has ${numberWords(order.filled)} filled already: a size of ${amount.toString()} leaves nothing to rest`,
        };
      }
    }
    const priced = this.#amendPrice(command.price, order, spec);
    if (!priced.ok) return priced;
    return {
      ok: true,
      change: {
        venue,
        orderId: order.orderId,
        label: order.label,
        name,
        instrument: order.instrument,
        side: order.side,
        amount: amount.toString(),
        ...priced.value,
        ...(command.force ? { force: true } : {}),
      },
    };
  }

  /** The new price or IV; the order's own when the line changes only the size. */
  #amendPrice(
    level: PriceLevel | null,
    order: OrderEvent,
    spec: InstrumentSpec,
  ): { ok: true; value: { price: string } | { iv: string } } | { ok: false; message: string } {
    if (level === null) {
      if (order.iv !== null) return { ok: true, value: { iv: String(order.iv) } };
      if (order.price !== null) return { ok: true, value: { price: String(order.price) } };
      return { ok: false, message: `${order.instrument}: the order has no price to keep` };
    }
    const text = levelText(level, spec);
    if (!text.ok) return text;
    return {
      ok: true,
      value: text.kind === 'price' ? { price: text.text } : { iv: text.text },
    };
  }

  #amend(command: Extract<Command, { kind: 'amend-order' }>): boolean | Promise<boolean> {
    const { output, gateway } = this.#options;
    const found = this.#numbered(command.number);
    const change = found.ok ? this.#amendOf(command, found.order) : found;
    if (!change.ok) {
      output.note(change.message, 'error');
      return false;
    }
    return this.#track(
      gateway.amend(change.change).then((outcome) => this.#said(outcome, command.number)),
    );
  }

  /** Says a cancel's or an amend's outcome; an order that closed meanwhile says how it ended. */
  #said(outcome: OrderChangeOutcome, number: number): boolean {
    const { output, engine, venue } = this.#options;
    let message = outcome.message;
    if (outcome.closed && !outcome.ok) {
      const order = engine.account.orderByNumber(venue, number);
      if (order !== undefined && order.status !== 'open' && order.status !== 'untriggered') {
        const average = order.averagePrice === null ? '' : ` at ${numberWords(order.averagePrice)}`;
        message += ` (it is ${order.status}, ${numberWords(order.filled)} filled${average})`;
      }
    }
    output.note(message, outcome.ok ? 'info' : outcome.closed ? 'warn' : 'error');
    return outcome.ok;
  }

  /**
   * `f`: a reduce-only order for the whole position in the instrument, the other way: at
   * market (an IOC limit capped beyond the touch, as `a`/`d`) or at a limit (not post-only: a
   * flatten is meant to trade). Reduce-only, so a position that shrank meanwhile is closed,
   * never turned into the opposite one.
   */
  #flattenPlan(price: PriceLevel | null, force: boolean, name: string | null): OrderPlan {
    const { engine, venue } = this.#options;
    if (name === null) {
      return { ok: false, message: 'no instrument: move the cursor to one, or choose it with i' };
    }
    const position = engine.account.position(venue, name);
    if (position === undefined) return { ok: false, message: `no position in ${name} to flatten` };
    const size = new Decimal(String(Math.abs(position.size)));
    const command: OrderCommand = {
      kind: 'order',
      side: position.size > 0 ? 'sell' : 'buy',
      size: size.toString(),
      pricing: price === null ? { kind: 'market' } : { kind: 'limit', level: price },
      force,
    };
    const plan = this.#plan(command, name, () => '1');
    if (!plan.ok) return plan;
    return {
      ...plan,
      intents: plan.intents.map((intent) => {
        const flatten: { -readonly [K in keyof OrderIntent]: OrderIntent[K] } = {
          ...intent,
          reduceOnly: true,
        };
        delete flatten.postOnly;
        return flatten;
      }),
    };
  }

  #flatten(
    price: PriceLevel | null,
    force: boolean,
    cursor: string | null,
  ): boolean | Promise<boolean> {
    const { output, gateway } = this.#options;
    const plan = this.#flattenPlan(price, force, this.instrument(cursor));
    if (!plan.ok) {
      output.note(plan.message, 'error');
      return false;
    }
    return this.#track(
      gateway
        .submit(plan.intents)
        .then((reports) =>
          reports.every((report) => report.outcome !== 'refused' && report.outcome !== 'rejected'),
        ),
    );
  }

  #choose(query: string | null, cursor: string | null): boolean {
    const { output, venue, market } = this.#options;
    if (query === null) {
      const name = this.instrument(cursor);
      output.note(name === null ? 'no instrument chosen' : `instrument: ${name}`, 'info');
      return true;
    }
    const found = findInstrument(query, market.specs(venue), this.#now());
    if (!found.ok) {
      output.note(found.message, 'error');
      return false;
    }
    this.#chosen = found.spec.name;
    output.note(`instrument: ${describe(found.spec, this.#multiplier(found.spec))}`, 'info');
    return true;
  }

  #setMultiplier(value: string | null, cursor: string | null): boolean {
    const { output } = this.#options;
    const name = this.instrument(cursor);
    const spec = name === null ? undefined : this.#spec(name);
    if (spec === undefined) {
      output.note(NO_INSTRUMENT_FOR_MULTIPLIER, 'error');
      return false;
    }
    if (value !== null) {
      const problem = multiplierProblem(value, spec);
      if (problem !== null) {
        output.note(problem, 'error');
        return false;
      }
      this.#multipliers.set(classOf(spec), value);
    }
    output.note(
      `size multiplier ${this.#multiplier(spec)} for ${classLabel(spec)} (a1 = ${this.#multiplier(spec)} ${unitOf(spec)})`,
      'info',
    );
    return true;
  }

  #hedge(action: 'on' | 'off' | 'status'): boolean | Promise<boolean> {
    const { hedger, output } = this.#options;
    if (hedger === undefined || hedger === null) {
      // Every session ivtrade starts has one (screen, `hedge`, `stream --exec`); only a runner
      // built without one (an embedding, a test) lands here.
      output.note('no hedger in this session', 'warn');
      return true;
    }
    const text =
      action === 'on'
        ? hedger.activate()
        : action === 'off'
          ? hedger.deactivate()
          : hedger.status();
    if (typeof text === 'string') {
      output.note(text, 'info');
      return true;
    }
    return this.#track(
      text.then((answer) => {
        output.note(answer, 'info');
        return true;
      }),
    );
  }

  #hedgeSet(setting: HedgeSetting, value: string | null): boolean | Promise<boolean> {
    const { hedger, output } = this.#options;
    const set =
      hedger === undefined || hedger === null || hedger.set === undefined
        ? undefined
        : (text: string | null) => hedger.set!(setting, text);
    if (set === undefined) {
      output.note('no hedger in this session', 'warn');
      return true;
    }
    const level = (answer: string): StatusLevel =>
      / not changed: /.test(answer) ? 'error' : 'info';
    const text = set(value);
    if (typeof text === 'string') {
      output.note(text, level(text));
      return true;
    }
    return this.#track(
      text.then((answer) => {
        output.note(answer, level(answer));
        return true;
      }),
    );
  }

  #info(topic: InfoTopic): void {
    const { output, engine, venue } = this.#options;
    if (topic === 'help') {
      output.help();
      return;
    }
    if (topic === 'connection') {
      output.info('connection', connectionLines(engine, venue));
      return;
    }
    output.info(topic, accountLines(topic, engine, this.#options.market, venue));
  }

  #spec(name: string): InstrumentSpec | undefined {
    return this.#options.market.spec(this.#options.venue, name);
  }

  #multiplier(spec: InstrumentSpec): string {
    return this.#multipliers.get(classOf(spec)) ?? String(spec.minSize);
  }

  /** Counted in `settled()`; an unexpected failure is said, and stops the line. */
  #track<T>(promise: Promise<T>): Promise<T | false> {
    const tracked = promise.catch((error: unknown) => {
      this.#options.output.note(`order path error: ${messageOf(error)}`, 'error');
      return false as const;
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return tracked;
  }
}

const NO_INSTRUMENT_FOR_MULTIPLIER =
  'no instrument: the multiplier belongs to one (choose it first)';

/** Each `;` command's text as typed, in the order the parser returns them. */
function stepTexts(line: string): string[] {
  return splitSegments(line)
    .filter((segment) => segment.tokens.length > 0)
    .map((segment) => segment.text.trim());
}

/**
 * A multiplier off the lot would make every size it scales off the lot too (`m 0.05` where
 * the lot is 0.1): refused when set, not at each order.
 */
function multiplierProblem(value: string, spec: InstrumentSpec): string | null {
  const lot = new Decimal(String(spec.lotSize));
  const asked = new Decimal(value);
  if (asked.mod(lot).isZero()) return null;
  const below = asked.div(lot).floor().times(lot);
  const options = [below, below.plus(lot)].filter((v) => v.gt(0)).map((v) => `m ${v.toFixed()}`);
  return (
    `size multiplier ${value} is not a whole number of lots for ${classLabel(spec)} ` +
    `(lot ${String(spec.lotSize)} ${unitOf(spec)}): use ${options.join(' or ')}`
  );
}

/** The time a `pnl` line counts from, and the listing's title. */
function sinceOf(since: PnlSince | null, now: number): { since: number; title: string } {
  if (since === null) return { since: -Infinity, title: 'pnl this session' };
  const at =
    since.kind === 'ago'
      ? now - since.ms
      : (() => {
          const today = Math.floor(now / DAY_MS) * DAY_MS + since.minuteOfDay * 60_000;
          return today > now ? today - DAY_MS : today;
        })();
  return {
    since: at,
    title: `pnl since ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

const DAY_MS = 86_400_000;

/** A venue figure (a double) as short decimal text. */
function numberWords(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function classOf(spec: InstrumentSpec): string {
  return spec.kind === 'option' ? `option:${spec.base}:${spec.quote}` : `future:${spec.name}`;
}

function classLabel(spec: InstrumentSpec): string {
  return spec.kind === 'option' ? `${spec.base} options` : spec.name;
}

function unitOf(spec: InstrumentSpec): string {
  return spec.sizeUnit === 'usd' ? 'USD' : spec.base;
}

function describe(spec: InstrumentSpec, multiplier: string): string {
  return `${spec.name} (tick ${spec.tickSize}, lot ${spec.lotSize}, min ${spec.minSize}; ×${multiplier})`;
}
