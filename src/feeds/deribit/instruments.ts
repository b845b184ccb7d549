import type { OptionType } from '../../pricing/index.js';
import { mapInstrumentRows, type InstrumentListResult } from '../../instruments/list-result.js';
import { InstrumentNameError } from '../../instruments/option-symbol.js';
import type {
  FutureSpec,
  InstrumentSpec,
  OptionSpec,
  Settlement,
  TickStep,
} from '../../instruments/types.js';
import {
  isRecord,
  requireBoolean,
  requireNumber,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';
import { parseDeribitOptionName } from './instrument-name.js';

const WHERE = 'get_instruments';
const INVERSE_QUOTE = 'USD';
const DECLARED_SETTLEMENT: ReadonlyMap<string, Settlement> = new Map<string, Settlement>([
  ['linear', 'linear'],
  ['reversed', 'inverse'],
]);

/**
 * Maps a `public/get_instruments` result to specs. Options and futures (dated and perpetual)
 * are mapped; spot and combos are skipped, as are inactive instruments; a record that cannot
 * be read is rejected with the reason, and the others still map.
 */
export function deribitInstrumentsFromResult(result: unknown): InstrumentListResult {
  if (!Array.isArray(result)) {
    throw new WireFormatError(`${WHERE}: the result must be an array, got ${typeOf(result)}`);
  }
  return mapInstrumentRows(result, { map: specFromRecord, nameOf, isRowError });
}

function specFromRecord(value: unknown, index: number): InstrumentSpec | null {
  const where = `${WHERE}[${index}]`;
  if (!isRecord(value)) {
    throw new WireFormatError(`${where}: a record must be an object, got ${typeOf(value)}`);
  }
  const kind = requireString(value, 'kind', where);
  if (kind !== 'option' && kind !== 'future') return null;
  if (!requireBoolean(value, 'is_active', where)) return null;
  const name = requireString(value, 'instrument_name', where);
  const named = `${where} ${name}`;
  return kind === 'option' ? optionFrom(value, name, named) : futureFrom(value, name, named);
}

function optionFrom(record: WireRecord, name: string, where: string): OptionSpec {
  const contract = parseDeribitOptionName(name);
  const base = requireString(record, 'base_currency', where);
  const strike = requirePositive(record, 'strike', where);
  const type = optionType(record, where);
  agree(where, 'base_currency', base, contract.base);
  agree(where, 'strike', strike, contract.strike);
  agree(where, 'option_type', type, contract.type);
  const minSize = requirePositive(record, 'min_trade_amount', where);
  return {
    ...contract,
    kind: 'option',
    // The name's date is a label; the record's timestamp is when it actually expires.
    expiry: requireTimestamp(record, 'expiration_timestamp', where),
    // 2021 inverse records have no settlement_currency; linear options settle in their quote.
    settleCurrency:
      optionalString(record, 'settlement_currency', where) ??
      (contract.settlement === 'inverse' ? contract.base : contract.quote),
    tickSize: requirePositive(record, 'tick_size', where),
    tickSteps: tickStepsFrom(record, where),
    // Options trade in multiples of the minimum (0.1 BTC, 1 ETH).
    lotSize: minSize,
    minSize,
    contractSize: requirePositive(record, 'contract_size', where),
    sizeUnit: 'base',
  };
}

function futureFrom(record: WireRecord, name: string, where: string): FutureSpec {
  const base = requireString(record, 'base_currency', where);
  const quote = requireString(record, 'quote_currency', where);
  const settlement = futureSettlement(record, quote, where);
  const perpetual = requireString(record, 'settlement_period', where) === 'perpetual';
  const contractSize = requirePositive(record, 'contract_size', where);
  const linear = settlement === 'linear';
  return {
    kind: perpetual ? 'perpetual' : 'future',
    name,
    base,
    quote,
    settlement,
    settleCurrency: linear
      ? requireString(record, 'settlement_currency', where)
      : (optionalString(record, 'settlement_currency', where) ?? base),
    // A perpetual's expiration_timestamp is a placeholder in the year 3000.
    expiry: perpetual ? null : requireTimestamp(record, 'expiration_timestamp', where),
    tickSize: requirePositive(record, 'tick_size', where),
    tickSteps: tickStepsFrom(record, where),
    // Inverse amounts are USD in whole contracts (10 USD for BTC); linear ones coin in contracts.
    lotSize: contractSize,
    minSize: requirePositive(record, 'min_trade_amount', where),
    contractSize,
    sizeUnit: linear ? 'base' : 'usd',
  };
}

/**
 * Newer records say `instrument_type`, older ones `future_type` ("reversed" is Deribit's word
 * for inverse); the oldest say neither, and then only a USD quote means inverse.
 */
function futureSettlement(record: WireRecord, quote: string, where: string): Settlement {
  const key = record['instrument_type'] !== undefined ? 'instrument_type' : 'future_type';
  const declared = optionalString(record, key, where);
  const settlement =
    declared === null
      ? quote === INVERSE_QUOTE
        ? 'inverse'
        : 'linear'
      : DECLARED_SETTLEMENT.get(declared);
  if (settlement === undefined) {
    throw new WireFormatError(
      `${where}: "${key}" must be "linear" or "reversed", got ${JSON.stringify(declared)}`,
    );
  }
  if (settlement === 'inverse' && quote !== INVERSE_QUOTE) {
    throw new WireFormatError(
      `${where}: "quote_currency" of an inverse future must be ${INVERSE_QUOTE}, got ${JSON.stringify(quote)}`,
    );
  }
  return settlement;
}

/** Deribit's shape is `[{above_price, tick_size}]`; sorted here because TradingRules promises it. */
function tickStepsFrom(record: WireRecord, where: string): TickStep[] {
  const value = record['tick_size_steps'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new WireFormatError(`${where}: "tick_size_steps" must be an array, got ${typeOf(value)}`);
  }
  return value
    .map((step: unknown, index): TickStep => {
      const at = `${where} tick_size_steps[${index}]`;
      if (!isRecord(step))
        throw new WireFormatError(`${at}: must be an object, got ${typeOf(step)}`);
      return {
        abovePrice: requireNumber(step, 'above_price', at),
        tickSize: requirePositive(step, 'tick_size', at),
      };
    })
    .sort((a, b) => a.abovePrice - b.abovePrice);
}

function optionType(record: WireRecord, where: string): OptionType {
  const value = requireString(record, 'option_type', where);
  if (value === 'call' || value === 'put') return value;
  throw new WireFormatError(
    `${where}: "option_type" must be "call" or "put", got ${JSON.stringify(value)}`,
  );
}

/** The record and its name must tell the same story, or neither can be trusted. */
function agree(where: string, key: string, recordValue: unknown, nameValue: unknown): void {
  if (recordValue === nameValue) return;
  throw new WireFormatError(
    `${where}: "${key}" is ${JSON.stringify(recordValue)} but the name says ${JSON.stringify(nameValue)}`,
  );
}

/** Zero would make tick and lot rounding divide by zero, so it is as bad as missing. */
function requirePositive(record: WireRecord, key: string, where: string): number {
  const value = requireNumber(record, key, where);
  if (value > 0) return value;
  throw new WireFormatError(`${where}: "${key}" must be positive, got ${value}`);
}

function requireTimestamp(record: WireRecord, key: string, where: string): number {
  const value = requireNumber(record, key, where);
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new WireFormatError(`${where}: "${key}" must be a positive ms timestamp, got ${value}`);
}

function optionalString(record: WireRecord, key: string, where: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  throw new WireFormatError(`${where}: "${key}" must be a string, got ${JSON.stringify(value)}`);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

function nameOf(row: unknown): string | null {
  const name = isRecord(row) ? row['instrument_name'] : undefined;
  return typeof name === 'string' ? name : null;
}

function isRowError(error: unknown): error is Error {
  return error instanceof WireFormatError || error instanceof InstrumentNameError;
}
