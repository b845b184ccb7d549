/**
 * The hedger's decision: one snapshot of inputs in, one decision out. Checks run in a fixed
 * order of precedence — switch off after repeated rejections, pause when anything the
 * decision rests on is missing, stale or unsafe, wait while an order is in flight, do nothing
 * inside the band, pause when the per-minute cap is reached, else hedge — so the reason
 * given is always the most serious one.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide } from '../commands/types.js';
import { bandUsd } from './config.js';
import { dollars, grouped, plainNumber, seconds, signedCoins } from './figures.js';
import { hedgeTarget, policyBand, type HedgePolicy, type PolicyBand } from './policy.js';
import type {
  HedgeConfig,
  HedgeDecision,
  HedgeInputs,
  HedgeInstrumentView,
  HedgeMeasure,
} from './types.js';

/** Net delta and band in USD; null wherever an input is unknown. */
export function measure(inputs: HedgeInputs, config: HedgeConfig): HedgeMeasure {
  const index = positiveOrNull(inputs.indexUsd);
  const options = finiteOrNull(inputs.optionsDelta);
  const hedge = finiteOrNull(inputs.hedgeDelta);
  const netDelta = options === null || hedge === null ? null : options + hedge;
  const band = currentBand(inputs, config);
  return {
    netDelta,
    netUsd: netDelta === null || index === null ? null : netDelta * index,
    bandUsd: band === null ? null : Number.isFinite(band.usd) ? band.usd : null,
  };
}

/** Default risk aversion of the gamma band, per USD. */
export const DEFAULT_AVERSION = 1e-3;
/** Default interval of the time policy. */
export const DEFAULT_EVERY_MS = 15 * 60_000;
/** Default taker fee of the hedge instrument, as a fraction of notional. */
export const DEFAULT_FEE_RATE = 0.0005;

/** The band the policy sets now; null when a figure it needs is unknown. */
export function currentBand(inputs: HedgeInputs, config: HedgeConfig): PolicyBand | null {
  const index = positiveOrNull(inputs.indexUsd);
  if (index === null) {
    // A dollar band is known without the index; anything else rests on it.
    if ((config.policy ?? 'fixed') !== 'fixed' || config.band.kind !== 'usd') return null;
    const usd = config.band.value;
    return {
      coins: NaN,
      usd,
      get why() {
        return `fixed ±${dollars(usd)}`;
      },
      due: false,
    };
  }
  const fixed = bandUsd(config.band, index);
  if (fixed === null) return null;
  const kind = config.policy ?? 'fixed';
  const bid = positiveOrNull(inputs.hedge.bid);
  const ask = positiveOrNull(inputs.hedge.ask);
  const halfSpread = bid !== null && ask !== null && ask > bid ? (ask - bid) / (ask + bid) : 0;
  const policy: HedgePolicy =
    kind === 'gamma'
      ? { kind, aversion: config.aversion ?? DEFAULT_AVERSION, minBandUsd: fixed }
      : kind === 'time'
        ? { kind, everyMs: config.everyMs ?? DEFAULT_EVERY_MS }
        : { kind, bandUsd: fixed };
  const gamma = finiteOrNull(inputs.optionsGamma ?? null);
  if (kind === 'gamma' && gamma === null) return null;
  return policyBand(policy, {
    indexUsd: index,
    gamma: gamma ?? 0,
    feeRate: config.feeRate ?? DEFAULT_FEE_RATE,
    halfSpread,
    now: inputs.now,
    lastHedgeAt: inputs.lastHedgeAt ?? null,
  });
}

export function decide(inputs: HedgeInputs, config: HedgeConfig): HedgeDecision {
  if (inputs.consecutiveRejects >= config.maxConsecutiveRejects) {
    return {
      action: 'off',
      reason: `${inputs.consecutiveRejects} hedge orders rejected in a row: hedger off`,
    };
  }
  const paused = pauseReason(inputs, config);
  if (paused !== null) return { action: 'pause', reason: paused };
  if (inputs.inFlight) return { action: 'none', reason: 'hedge order in flight' };

  const index = positiveOrNull(inputs.indexUsd);
  const options = finiteOrNull(inputs.optionsDelta);
  const hedge = finiteOrNull(inputs.hedgeDelta);
  const policyBandNow = currentBand(inputs, config);
  // Unreachable once pauseReason has passed; kept so no unknown can ever reach an order.
  if (options === null || hedge === null || policyBandNow === null || index === null) {
    return { action: 'pause', reason: 'net delta unknown' };
  }
  const netDelta = options + hedge;
  const netUsd = netDelta * index;
  const target = config.target ?? 0;
  const off = netDelta - target;
  const offUsd = off * index;
  // Reasons are built only when read: a "none" is the common answer and nobody may look.
  const where = (): string =>
    target === 0
      ? `net ${signedCoins(netDelta)} ${config.currency} = ${dollars(netUsd)}`
      : `net ${signedCoins(netDelta)} ${config.currency} against target ${signedCoins(target)} = ${dollars(offUsd)} off`;
  const band = policyBandNow.usd;
  const bandWords = (): string => (Number.isFinite(band) ? `±${dollars(band)}` : policyBandNow.why);
  if (config.policy === 'time' && !policyBandNow.due) {
    return {
      action: 'none',
      get reason() {
        return `${where()}; ${policyBandNow.why}`;
      },
    };
  }
  if (config.policy !== 'time' && Math.abs(offUsd) <= band) {
    return {
      action: 'none',
      get reason() {
        return `${where()} inside ${bandWords()}`;
      },
    };
  }
  const outside =
    config.policy === 'time'
      ? `${where()}; ${policyBandNow.why}`
      : `${where()} outside ${bandWords()}`;
  const capped = capReason(inputs, config);
  if (capped !== null) return { action: 'pause', reason: `${outside}; ${capped}` };
  const to = hedgeTarget(netDelta, target, policyBandNow.coins, {
    toEdge: config.hedgeTo === 'edge' && config.policy !== 'time',
    ratio: config.ratio ?? 1,
  });
  return hedgeOrder(inputs.hedge, config, netDelta - to, index, outside);
}

function pauseReason(inputs: HedgeInputs, config: HedgeConfig): string | null {
  const hedge = inputs.hedge;
  if (hedge.name !== config.instrument) {
    return `hedge instrument is ${config.instrument}, inputs are for ${hedge.name}`;
  }
  if (!inputs.connected) return 'disconnected';
  if (!inputs.accountLoaded) return 'account snapshot not loaded since connecting';
  if (finiteOrNull(inputs.optionsDelta) === null) {
    return 'options delta unknown: a held option has no mark or delta';
  }
  if (finiteOrNull(inputs.hedgeDelta) === null) {
    return config.futures === 'net'
      ? `${config.currency} futures delta unknown: a held future has no mark`
      : `${hedge.name} position delta unknown: no mark`;
  }
  if (positiveOrNull(inputs.indexUsd) === null) return `${config.currency} index unknown`;
  if (inputs.marketAgeMs !== null && inputs.marketAgeMs > config.staleAfterMs) {
    return `option data stale: ${seconds(inputs.marketAgeMs)} old (limit ${seconds(config.staleAfterMs)})`;
  }
  const quote = quoteProblem(hedge, inputs.now, config.staleAfterMs);
  if (quote !== null) return quote;
  return null;
}

/** The per-minute cap matters only when a hedge is due: a flat book is not "paused". */
function capReason(inputs: HedgeInputs, config: HedgeConfig): string | null {
  if (inputs.hedgesLastMinute < config.maxHedgesPerMinute) return null;
  const count = inputs.hedgesLastMinute;
  return `${count} hedge${count === 1 ? '' : 's'} in the last minute (limit ${config.maxHedgesPerMinute})`;
}

function quoteProblem(
  hedge: HedgeInstrumentView,
  now: number,
  staleAfterMs: number,
): string | null {
  const bid = positiveOrNull(hedge.bid);
  const ask = positiveOrNull(hedge.ask);
  if (bid === null || ask === null) return `${hedge.name} quote missing`;
  if (bid >= ask) {
    return `${hedge.name} book crossed: bid ${plainNumber(bid)} ≥ ask ${plainNumber(ask)}`;
  }
  if (hedge.quoteTs === null) return `${hedge.name} quote age unknown`;
  const age = now - hedge.quoteTs;
  if (age > staleAfterMs) {
    return `${hedge.name} quote stale: ${seconds(age)} old (limit ${seconds(staleAfterMs)})`;
  }
  return null;
}

/**
 * The order that brings the net closest to zero in whole lots, capped. Rounding to the
 * nearest lot leaves at most half a lot, so a band of at least half a lot can never make the
 * next decision trade back: no loop.
 */
function hedgeOrder(
  hedge: HedgeInstrumentView,
  config: HedgeConfig,
  net: number,
  index: number,
  where: string,
): HedgeDecision {
  const side: OrderSide = net > 0 ? 'sell' : 'buy';
  const lot = hedge.lotSize;
  const unit = hedge.sizeUnit === 'usd' ? 'USD' : config.currency;
  let wanted: number;
  let capLots: number;
  if (hedge.sizeUnit === 'usd') {
    // USD per coin at the price the hedge delta is valued at (size / mark), so the rounded
    // order cancels the net as the next decision will measure it.
    const usdPerCoin = positiveOrNull(hedge.mark) ?? index;
    wanted = Math.round((Math.abs(net) * usdPerCoin) / lot);
    capLots = Math.floor(config.maxOrderUsd / lot);
  } else {
    wanted = Math.round(Math.abs(net) / lot);
    capLots = Math.floor(config.maxOrderUsd / (index * lot));
  }
  const lotText = `${plainNumber(lot)} ${unit}`;
  if (wanted === 0) {
    return { action: 'none', reason: `${where}, but under half a lot (${lotText})` };
  }
  if (capLots < 1) {
    return {
      action: 'none',
      reason: `${where}, but max order ${dollars(config.maxOrderUsd)} is under one lot (${lotText})`,
    };
  }
  const capped = wanted > capLots;
  const amount = new Decimal(String(lot)).mul(capped ? capLots : wanted);
  if (amount.lt(new Decimal(String(hedge.minSize)))) {
    return {
      action: 'none',
      reason: `${where}, but ${amount.toFixed()} ${unit} is under ${hedge.name}'s minimum ${plainNumber(hedge.minSize)}`,
    };
  }
  const amountText = amount.toFixed();
  const price = config.execution === 'limit-ioc' ? limitPrice(hedge, side, config) : undefined;
  const cap = capped ? ` (capped at ${dollars(config.maxOrderUsd)})` : '';
  const at = price === undefined ? 'at market' : `limit ${grouped(price)}`;
  return {
    action: 'hedge',
    side,
    amount: amountText,
    ...(price === undefined ? {} : { price }),
    reason: `${where}: ${side} ${grouped(amountText)} ${unit} ${hedge.name} ${at}${cap}`,
  };
}

/** The touch plus the cap, unrounded: the gateway puts it on the tick (buy down, sell up). */
function limitPrice(hedge: HedgeInstrumentView, side: OrderSide, config: HedgeConfig): string {
  const cap = new Decimal(String(config.capPercent)).div(100);
  const price =
    side === 'buy'
      ? new Decimal(String(hedge.ask)).mul(cap.plus(1))
      : new Decimal(String(hedge.bid)).mul(new Decimal(1).minus(cap));
  return price.toFixed();
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}
