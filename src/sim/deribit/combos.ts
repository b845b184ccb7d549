// Combo books as Deribit keeps them: one combo per set of legs, created on first ask
// (private/create_combo answers an existing one as it is), named by what the legs make, with
// whole ratios and a sense of its own (the legs are signed so the first, in listing order,
// is bought). Orders on a combo go through private/buy and private/sell like any other.

import type { InstrumentSpec } from '../../instruments/types.js';
import { expiryCode } from '../expiry-code.js';
import type { SimInstrument, SimSide } from '../contract.js';
import { accountOf, type DeribitCore, type Method } from './core.js';
import { instrumentNotFound, invalidParams, rpcErrorFromSim } from './errors.js';
import { instrumentCurrency } from './markets.js';
import { optionalEnum, optionalString, requireString, type Params } from './params.js';
import { SimError, SIM_TIMES_IN_FORCE, type SimTimeInForce } from '../contract.js';

export interface SimCombo {
  readonly id: string;
  readonly instrumentId: number;
  readonly currency: string;
  readonly legs: readonly { readonly instrument: string; readonly ratio: number }[];
  readonly createdAt: number;
}

/** Deribit combos hold at most four legs. */
const MAX_LEGS = 4;
const FIRST_COMBO_ID = 900_000;

export class ComboRegistry {
  readonly #byId = new Map<string, SimCombo>();
  #next = FIRST_COMBO_ID;

  get(id: string): SimCombo | undefined {
    return this.#byId.get(id);
  }

  all(): readonly SimCombo[] {
    return [...this.#byId.values()];
  }

  /** The combo of these signed legs (ratios already whole and coprime), created if new. */
  findOrCreate(
    legs: readonly { instrument: SimInstrument; ratio: number }[],
    now: number,
  ): SimCombo {
    const id = comboName(legs);
    const known = this.#byId.get(id);
    if (known !== undefined) return known;
    const combo: SimCombo = {
      id,
      instrumentId: this.#next++,
      currency: instrumentCurrency(legs[0]!.instrument),
      legs: legs.map((leg) => ({ instrument: leg.instrument.spec.name, ratio: leg.ratio })),
      createdAt: now,
    };
    this.#byId.set(id, combo);
    return combo;
  }
}

function comboData(combo: SimCombo): Record<string, unknown> {
  return {
    id: combo.id,
    instrument_id: combo.instrumentId,
    state: 'active',
    state_timestamp: combo.createdAt,
    creation_timestamp: combo.createdAt,
    legs: combo.legs.map((leg) => ({ instrument_name: leg.instrument, amount: leg.ratio })),
  };
}

/** Legs in listing order: expiry, strike, calls before puts. */
function listingOrder(a: InstrumentSpec, b: InstrumentSpec): number {
  const expiry = (a.expiry ?? 0) - (b.expiry ?? 0);
  if (expiry !== 0) return expiry;
  const strike = (a.kind === 'option' ? a.strike : 0) - (b.kind === 'option' ? b.strike : 0);
  if (strike !== 0) return strike;
  const put = (spec: InstrumentSpec): number =>
    spec.kind === 'option' && spec.type === 'put' ? 1 : 0;
  return put(a) - put(b);
}

/** What the legs make, Deribit-style: BTC-CS-25DEC26-100000_110000, else a numbered combo. */
function comboName(legs: readonly { instrument: SimInstrument; ratio: number }[]): string {
  const specs = legs.map((leg) => leg.instrument.spec);
  const prefix = specs[0]!.name.split('-')[0] ?? 'COMBO';
  const options = specs.every((spec) => spec.kind === 'option');
  const fallback = `${prefix}-CMB-${specs.map((spec) => spec.name.split('-').slice(1).join('')).join('_')}`;
  if (!options) return fallback;
  const opts = specs.filter((spec) => spec.kind === 'option');
  const ratios = legs.map((leg) => leg.ratio);
  const expiries = [...new Set(opts.map((spec) => spec.expiry))];
  const strikes = [...new Set(opts.map((spec) => spec.strike))].sort((a, b) => a - b);
  const types = opts.map((spec) => spec.type);
  const strikeText = strikes.map((strike) => String(strike)).join('_');
  const allCalls = types.every((type) => type === 'call');
  const allPuts = types.every((type) => type === 'put');
  const sameSign = ratios.every((ratio) => Math.sign(ratio) === Math.sign(ratios[0]!));
  if (
    expiries.length === 2 &&
    legs.length === 2 &&
    strikes.length === 1 &&
    (allCalls || allPuts) &&
    !sameSign
  ) {
    const [near, far] = expiries.sort((a, b) => a - b) as [number, number];
    return `${prefix}-${allCalls ? 'CCAL' : 'PCAL'}-${expiryCode(near)}_${expiryCode(far)}-${strikeText}`;
  }
  if (expiries.length !== 1) return fallback;
  const date = expiryCode(expiries[0]!);
  let tag: string | null = null;
  if (legs.length === 2) {
    if (strikes.length === 1 && !allCalls && !allPuts) tag = sameSign ? 'STRD' : 'REV';
    else if (strikes.length === 2 && (allCalls || allPuts) && !sameSign)
      tag = allCalls ? 'CS' : 'PS';
    else if (strikes.length === 2 && !allCalls && !allPuts) tag = sameSign ? 'STRG' : 'RR';
  } else if (legs.length === 3 && strikes.length === 3 && (allCalls || allPuts)) {
    const sorted = [...legs].sort((a, b) => listingOrder(a.instrument.spec, b.instrument.spec));
    const shape = sorted.map((leg) => leg.ratio / Math.abs(sorted[0]!.ratio)).join(',');
    if (shape === '1,-2,1') tag = allCalls ? 'CBUT' : 'PBUT';
  }
  return tag === null ? fallback : `${prefix}-${tag}-${date}-${strikeText}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const createCombo: Method = (core, call) => {
  accountOf(core, call);
  const trades = call.params['trades'];
  if (!Array.isArray(trades) || trades.length < 2 || trades.length > MAX_LEGS) {
    throw invalidParams('trades', `2 to ${MAX_LEGS} trades`);
  }
  const legs: { instrument: SimInstrument; units: number; side: SimSide }[] = [];
  for (const trade of trades as unknown[]) {
    const params = (typeof trade === 'object' && trade !== null ? trade : {}) as Params;
    const name = requireString(params, 'instrument_name');
    const instrument = core.exchange.instrument(name);
    if (instrument === undefined) throw instrumentNotFound(name);
    const amountText = params['amount'];
    const amount = typeof amountText === 'string' ? Number(amountText) : amountText;
    if (typeof amount !== 'number' || !(amount > 0))
      throw invalidParams('amount', 'must be above 0');
    const lots = amount / instrument.spec.lotSize;
    if (Math.abs(lots - Math.round(lots)) > 1e-9)
      throw invalidParams('amount', 'must be whole lots');
    const side = params['direction'];
    if (side !== 'buy' && side !== 'sell') throw invalidParams('direction', 'buy or sell');
    if (legs.some((leg) => leg.instrument.spec.name === name)) {
      throw invalidParams('trades', `${name} twice`);
    }
    legs.push({ instrument, units: Math.round(lots), side });
  }
  const currency = instrumentCurrency(legs[0]!.instrument);
  if (legs.some((leg) => instrumentCurrency(leg.instrument) !== currency)) {
    throw invalidParams('trades', 'legs settle in different currencies');
  }
  const common = legs.reduce((g, leg) => gcd(g, leg.units), 0);
  const sorted = [...legs].sort((a, b) => listingOrder(a.instrument.spec, b.instrument.spec));
  const sense = sorted[0]!.side === 'buy' ? 1 : -1;
  const combo = core.combos.findOrCreate(
    sorted.map((leg) => ({
      instrument: leg.instrument,
      ratio: ((leg.side === 'buy' ? 1 : -1) * sense * leg.units) / common,
    })),
    core.exchange.now(),
  );
  core.catalog.rememberCombo(combo.id, combo.currency);
  return comboData(combo);
};

const getComboDetails: Method = (core, call) => {
  const id = requireString(call.params, 'combo_id');
  const combo = core.combos.get(id);
  if (combo === undefined) throw instrumentNotFound(id);
  return comboData(combo);
};

const getComboIds: Method = (core, call) => {
  const currency = optionalString(call.params, 'currency')?.toUpperCase();
  return core.combos
    .all()
    .filter((combo) => currency === undefined || combo.currency === currency)
    .map((combo) => combo.id);
};

const getCombos: Method = (core, call) => {
  const currency = requireString(call.params, 'currency').toUpperCase();
  return core.combos
    .all()
    .filter((combo) => currency === 'ANY' || combo.currency === currency)
    .map(comboData);
};

export const COMBO_METHODS: Readonly<Record<string, Method>> = {
  'private/create_combo': createCombo,
  'public/get_combo_details': getComboDetails,
  'public/get_combo_ids': getComboIds,
  'public/get_combos': getCombos,
};

/**
 * private/buy or private/sell on a combo: a whole number of the legs' lots, a price on the
 * finest leg tick (negative for a credit), limit or market; traded against the legs' books.
 */
export function placeOnCombo(
  core: DeribitCore,
  accountId: string,
  combo: SimCombo,
  side: SimSide,
  params: Params,
): ReturnType<DeribitCore['exchange']['placeCombo']> {
  const amount = params['amount'];
  if (typeof amount !== 'number' || !(amount > 0)) throw invalidParams('amount', 'must be above 0');
  const specs = combo.legs.map((leg) => core.exchange.instrument(leg.instrument)?.spec);
  if (specs.some((spec) => spec === undefined)) throw instrumentNotFound(combo.id);
  for (const [index, spec] of specs.entries()) {
    const lots = (amount * Math.abs(combo.legs[index]!.ratio)) / spec!.lotSize;
    if (Math.abs(lots - Math.round(lots)) > 1e-9) {
      throw rpcErrorFromSim(
        new SimError('amount_off_lot', `${amount} is not whole lots of ${spec!.name}`),
      );
    }
  }
  const type = optionalEnum(params, 'type', ['limit', 'market'] as const) ?? 'limit';
  let price: number;
  if (type === 'market') {
    price = side === 'buy' ? Number.MAX_VALUE : -Number.MAX_VALUE;
  } else {
    const given = params['price'];
    if (typeof given !== 'number' || !Number.isFinite(given))
      throw invalidParams('price', 'a number');
    const tick = Math.min(...specs.map((spec) => spec!.tickSize));
    const steps = given / tick;
    if (Math.abs(steps - Math.round(steps)) > 1e-6) {
      throw rpcErrorFromSim(
        new SimError('price_off_tick', `${given} is not a multiple of ${tick}`),
      );
    }
    price = given;
  }
  const timeInForce: SimTimeInForce =
    optionalEnum(params, 'time_in_force', SIM_TIMES_IN_FORCE) ?? 'good_til_cancelled';
  const label = optionalString(params, 'label');
  try {
    return core.exchange.placeCombo(accountId, {
      combo: combo.id,
      currency: combo.currency,
      legs: combo.legs,
      side,
      amount,
      price,
      timeInForce,
      ...(label === undefined ? {} : { label }),
    });
  } catch (error) {
    if (error instanceof SimError) throw rpcErrorFromSim(error);
    throw error;
  }
}
