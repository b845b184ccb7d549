// A model step reaching the exchange: new listings, index and marks, makers' quotes, expiries,
// then the orders and noise flow that react to them, in an order that keeps every event and id
// reproducible from the seed. The requote is one batch (one book event per instrument) and
// each taker another, as a venue's matching engine publishes them.

import type { ModelMark, ModelStep, SimInstrument } from '../contract.js';
import { InstrumentBook } from './book.js';
import { runBatch } from './batch.js';
import { emit } from './events.js';
import { DEFAULT_FUTURE_LEVERAGE, type ExchangeState } from './exchange-state.js';
import { crossWithMakers, runTakerFlow } from './execution.js';
import { snapAmount } from './grid.js';
import { repriceIvOrders } from './iv-repricing.js';
import { recordPastTrades } from './past-tape.js';
import { payFunding, settleExpired } from './settle-and-fund.js';
import { TradeTape } from './tape.js';

export function applyStep(state: ExchangeState, step: ModelStep): void {
  runBatch(state, step.ts, () => {
    list(state, step.listed);
    if (step.pastTrades !== undefined) recordPastTrades(state, step.pastTrades);
    for (const [currency, price] of step.index) setIndex(state, currency, price);
    for (const [name, mark] of step.marks) setMark(state, name, mark);
    for (const [name, quote] of step.quotes) {
      const listing = state.listings.get(name);
      if (listing === undefined) continue;
      listing.book.setMakerQuote(quote);
      state.dirtyBooks.add(name);
    }
    settleExpired(state, step.expired);
    for (const name of step.marks.keys()) repriceIvOrders(state, name);
    // Resting orders meet the new quotes before the noise flow arrives, so the takers walk an
    // uncrossed book.
    for (const listing of state.listings.values()) {
      if (listing.book.hasUserOrders()) crossWithMakers(state, listing);
    }
  });
  // Each taker arrives on its own, after the requote: a venue's raw book channel shows every
  // print's change apart, where its 100ms and agg2 channels merge them.
  for (const flow of step.takers) runBatch(state, step.ts, () => runTakerFlow(state, flow));
  runBatch(state, step.ts, () => {
    payFunding(state, step.ts);
    // Marks moved: every account holding something was revalued.
    for (const ledger of state.accounts.ledgers()) {
      if (ledger.positions.size > 0) state.dirtyLedgers.add(ledger);
    }
  });
  state.lastStepTs = step.ts;
  emit(state, { type: 'step', ts: step.ts });
}

function list(state: ExchangeState, listed: readonly SimInstrument[]): void {
  const added: SimInstrument[] = [];
  for (const instrument of listed) {
    const name = instrument.spec.name;
    if (state.listings.has(name)) continue;
    const spec = instrument.spec;
    // Draw order (open interest, then first change id) is part of the seed's reproducibility.
    const base =
      spec.kind === 'option'
        ? spec.minSize * state.random.int(20, 500)
        : spec.lotSize * state.random.int(1_000, 50_000);
    state.listings.set(name, {
      instrument,
      spec,
      book: new InstrumentBook(spec, state.random.int(1_000, 1_000_000)),
      tape: new TradeTape(),
      leverage: state.options.futureLeverage ?? DEFAULT_FUTURE_LEVERAGE,
      mark: null,
      baseOpenInterest: snapAmount(spec, base),
      baseVolume24h: snapAmount(spec, base * dayTurnover(name)),
      userExposure: 0,
      tickerState: [],
    });
    addCurrency(state, instrument.currency);
    added.push(instrument);
  }
  if (added.length > 0) emit(state, { type: 'listing', ts: state.batchTs, added, removed: [] });
}

/**
 * The share of its open interest an instrument traded over the last day, 0 to 60 %, fixed
 * by its name: no draw from the seeded generator, so the seed's market stays as it was.
 */
function dayTurnover(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return ((hash >>> 0) % 61) / 100;
}

function addCurrency(state: ExchangeState, currency: string): void {
  if (!state.currencyList.includes(currency)) state.currencyList.push(currency);
}

function setIndex(state: ExchangeState, currency: string, price: number): void {
  addCurrency(state, currency);
  if (state.indices.get(currency) === price) return;
  state.indices.set(currency, price);
  emit(state, { type: 'index', currency, price, ts: state.batchTs });
}

function setMark(state: ExchangeState, name: string, mark: ModelMark): void {
  const listing = state.listings.get(name);
  if (listing === undefined) return;
  listing.mark = mark;
  state.dirtyTickers.add(name);
}
