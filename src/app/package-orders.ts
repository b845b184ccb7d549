/**
 * Package lines against the live market: which legs, what the package costs and risks, and
 * what it will send. Used by the command runner to check and send, and by the screen to show
 * the package's price while it is typed.
 */
import { packageLegs, type PackageLegs } from '../commands/package-legs.js';
import { planPackage, type PackagePlan } from '../commands/package-plan.js';
import type { PackageCommand } from '../commands/types.js';
import type { InstrumentSpec } from '../instruments/types.js';
import { packageQuote, type PackageLegQuote, type PackageQuote } from '../pricing/package-quote.js';
import type { EngineMarket } from './gateway-market.js';
import type { MarketCap } from './command-runner.js';

export interface PackageContext {
  readonly venue: string;
  readonly market: EngineMarket;
  readonly current: InstrumentSpec | undefined;
  readonly multiplierOf: (spec: InstrumentSpec) => string;
  readonly marketCap: MarketCap;
  readonly now: number;
}

export type PlannedPackage =
  | ({ readonly ok: true; readonly legs: PackageLegs } & Extract<PackagePlan, { ok: true }>)
  | { readonly ok: false; readonly message: string };

export function planPackageLine(command: PackageCommand, context: PackageContext): PlannedPackage {
  const { venue, market } = context;
  const legs = packageLegs(command, market.specs(venue), context.current, context.now);
  if (!legs.ok) return legs;
  const touches = legs.legs.map((leg) => market.touch(venue, leg.spec.name));
  const plan = planPackage(command, {
    venue,
    legs,
    touches,
    multiplier: context.multiplierOf(legs.legs[0]!.spec),
    marketCap: context.marketCap,
  });
  return plan.ok ? { ...plan, legs } : plan;
}

/** The package's market, vols and greeks per package, from its legs' quotes. */
export function quotePackage(legs: PackageLegs, venue: string, market: EngineMarket): PackageQuote {
  const quotes: PackageLegQuote[] = legs.legs.map((leg) => {
    const option = market.optionQuote(venue, leg.spec.name);
    const quote = option?.quote;
    return {
      ratio: leg.ratio,
      bid: quote?.bid ?? null,
      ask: quote?.ask ?? null,
      mark: quote?.mark ?? null,
      delta: quote?.delta ?? null,
      gamma: quote?.gamma ?? null,
      vega: quote?.vega ?? null,
      theta: quote?.theta ?? null,
      forward: option?.forward ?? null,
      years: option?.years ?? null,
      strike: leg.spec.strike,
      type: leg.spec.type,
      style: leg.spec.settlement,
    };
  });
  return packageQuote(quotes);
}

/**
 * One line for the status bar while a package is typed: its price at the touch and mark, its
 * vol where one vol means something, its greeks for the size typed, and how it will go.
 */
export function packageLine(
  planned: Extract<PlannedPackage, { ok: true }>,
  quote: PackageQuote,
  combos: boolean,
): string {
  const amount = Number(planned.intent.amount);
  const price = (value: number | null): string => (value === null ? '-' : fixed(value));
  const vol = (value: number | null): string => (value === null ? '-' : (value * 100).toFixed(1));
  const greek = (value: number | null, digits: number): string =>
    value === null ? '-' : signed(value * amount, digits);
  const iv =
    quote.markIv === null && quote.bidIv === null && quote.askIv === null
      ? ''
      : ` · IV ${vol(quote.bidIv)}/${vol(quote.askIv)} (mark ${vol(quote.markIv)})`;
  const how = combos
    ? 'one combo order'
    : planned.intent.legs.length > 0
      ? `no combos here: ${planned.intent.legs.length} separate orders (add legs)`
      : '';
  return (
    `${planned.legs.title} ×${planned.intent.amount}: ` +
    `bid ${price(quote.bid)} / ask ${price(quote.ask)} (mark ${price(quote.mark)})${iv} · ` +
    `Δ ${greek(quote.delta, 3)} Γ ${greek(quote.gamma, 6)} vega ${greek(quote.vega, 1)} $ ` +
    `θ ${greek(quote.theta, 1)} $/d · ${how}`
  );
}

/**
 * What a package sent as separate orders risks: each leg can fill without the others, and
 * alone it carries its own delta and vega. Said before anything is sent, with the word that
 * sends it anyway.
 */
export function legRiskText(
  planned: Extract<PlannedPackage, { ok: true }>,
  venue: string,
  market: EngineMarket,
  line: string,
): string {
  const amount = Number(planned.intent.amount);
  const buy = planned.intent.side === 'buy';
  const legs = planned.legs.legs.map((leg) => {
    const quote = market.optionQuote(venue, leg.spec.name)?.quote;
    const size = amount * leg.ratio * (buy ? 1 : -1);
    const delta =
      quote?.delta === null || quote?.delta === undefined ? '-' : signed(quote.delta * size, 3);
    const vega =
      quote?.vega === null || quote?.vega === undefined ? '-' : signed(quote.vega * size, 0);
    return `${signed(size, 4)} ${leg.spec.name} alone is Δ ${delta}, vega ${vega} $`;
  });
  const resend = `${line.trim().replace(/!$/, '')} legs${line.trim().endsWith('!') ? '!' : ''}`;
  return (
    `${venue} has no combo orders: the ${planned.legs.title} would go as ${legs.length} separate ` +
    `orders, and one can fill without the others (${legs.join('; ')}). To send them so: ${resend}`
  );
}

function fixed(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(2) : value.toFixed(4);
}

function signed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text === (-0).toFixed(digits) ? (0).toFixed(digits) : text;
}
