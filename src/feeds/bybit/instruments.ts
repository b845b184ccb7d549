import type { OptionType } from '../../pricing/index.js';
import { mapInstrumentRows, type InstrumentListResult } from '../../instruments/list-result.js';
import { InstrumentNameError } from '../../instruments/option-symbol.js';
import type {
  FutureSpec,
  InstrumentSpec,
  OptionSpec,
  PriceBand,
  TradingRules,
} from '../../instruments/types.js';
import {
  isRecord,
  requireDecimalString,
  requireNumber,
  requireRecord,
  requireString,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';
import { parseBybitOptionName } from './instrument-name.js';

const WHERE = 'instruments-info';
const TRADING = 'Trading';
const INVERSE_QUOTE = 'USD';

/** A reply whose retCode is not 0: the venue refused the request, so there is no page. */
export class BybitRetCodeError extends WireFormatError {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
  ) {
    super(`${WHERE}: retCode ${retCode}: ${retMsg}`);
  }
}

type RowMapper = (row: WireRecord, symbol: string, where: string) => InstrumentSpec;

/** What a contract row's `contractType` means; linear and inverse pages may hold both. */
interface ContractKind {
  readonly kind: FutureSpec['kind'];
  readonly settlement: FutureSpec['settlement'];
}

// A linear or inverse page queried by baseCoin holds every contract of that coin, whatever
// the category asked for, so rows are told apart by their own contractType.
const CONTRACT_KINDS: ReadonlyMap<string, ContractKind> = new Map<string, ContractKind>([
  ['LinearPerpetual', { kind: 'perpetual', settlement: 'linear' }],
  ['LinearFutures', { kind: 'future', settlement: 'linear' }],
  ['InversePerpetual', { kind: 'perpetual', settlement: 'inverse' }],
  ['InverseFutures', { kind: 'future', settlement: 'inverse' }],
]);

/**
 * Maps one page of `GET /v5/market/instruments-info` (category option, linear or inverse).
 * Rows not in status Trading are skipped; a row that cannot be read is rejected with the
 * reason, and the others still map. Fetch the next page with `nextPageCursor` until it is ''.
 */
export function bybitInstrumentsFromPage(
  message: unknown,
): InstrumentListResult & { nextPageCursor: string } {
  if (!isRecord(message)) throw new WireFormatError(`${WHERE}: the reply must be an object`);
  const retCode = requireNumber(message, 'retCode', WHERE);
  if (retCode !== 0) {
    const retMsg = message['retMsg'];
    throw new BybitRetCodeError(retCode, typeof retMsg === 'string' ? retMsg : '');
  }
  const result = requireRecord(message, 'result', WHERE);
  const mapper = rowMapperFor(requireString(result, 'category', `${WHERE} result`));
  const nextPageCursor = requireString(result, 'nextPageCursor', `${WHERE} result`);
  const list = result['list'];
  if (!Array.isArray(list)) {
    throw new WireFormatError(`${WHERE} result: "list" must be an array`);
  }
  const mapped = mapInstrumentRows(list, {
    map: (row, index) => specFromRow(row, index, mapper),
    nameOf,
    isRowError,
  });
  return { ...mapped, nextPageCursor };
}

/** A spot page, or a category Bybit adds later, is a request ivtrade never meant to make. */
function rowMapperFor(category: string): RowMapper {
  if (category === 'option') return optionFrom;
  if (category === 'linear' || category === 'inverse') return contractFrom;
  throw new WireFormatError(
    `${WHERE} result: "category" must be option, linear or inverse, got ${JSON.stringify(category)}`,
  );
}

function specFromRow(value: unknown, index: number, mapper: RowMapper): InstrumentSpec | null {
  const where = `${WHERE} list[${index}]`;
  if (!isRecord(value)) throw new WireFormatError(`${where}: a row must be an object`);
  const symbol = requireString(value, 'symbol', where);
  const named = `${where} ${symbol}`;
  // Options are listed from PreLaunch to Delivering; only Trading ones take orders.
  if (requireString(value, 'status', named) !== TRADING) return null;
  return mapper(value, symbol, named);
}

/** No strike field: the strike (and 0.4-style decimals) come from the symbol. */
function optionFrom(row: WireRecord, symbol: string, where: string): OptionSpec {
  const contract = parseBybitOptionName(symbol);
  agree(where, 'optionsType', optionType(row, where), contract.type);
  agree(where, 'baseCoin', requireString(row, 'baseCoin', where), contract.base);
  return {
    ...contract,
    kind: 'option',
    // The symbol's date is a label; deliveryTime is when it actually expires.
    expiry: requireTimestamp(row, 'deliveryTime', where),
    settleCurrency: requireString(row, 'settleCoin', where),
    ...tradingRules(row, where, 'base'),
  };
}

function contractFrom(row: WireRecord, symbol: string, where: string): FutureSpec {
  const contractType = requireString(row, 'contractType', where);
  const contract = CONTRACT_KINDS.get(contractType);
  if (contract === undefined) {
    throw new WireFormatError(
      `${where}: "contractType" must be one of ${[...CONTRACT_KINDS.keys()].join(', ')}, got ${JSON.stringify(contractType)}`,
    );
  }
  const base = requireString(row, 'baseCoin', where);
  const linear = contract.settlement === 'linear';
  return {
    kind: contract.kind,
    name: symbol,
    base,
    quote: linear ? requireString(row, 'quoteCoin', where) : INVERSE_QUOTE,
    settlement: contract.settlement,
    settleCurrency: linear ? requireString(row, 'settleCoin', where) : base,
    // A perpetual's deliveryTime is "0", or its delisting time: neither is an expiry.
    expiry: contract.kind === 'perpetual' ? null : requireTimestamp(row, 'deliveryTime', where),
    // Inverse quantities are counted in 1-USD contracts, linear ones in coin.
    ...tradingRules(row, where, linear ? 'base' : 'usd'),
  };
}

function tradingRules(
  row: WireRecord,
  where: string,
  sizeUnit: TradingRules['sizeUnit'],
): TradingRules {
  const prices = requireRecord(row, 'priceFilter', where);
  const lots = requireRecord(row, 'lotSizeFilter', where);
  return {
    tickSize: requirePositiveDecimal(prices, 'tickSize', `${where} priceFilter`),
    tickSteps: [],
    lotSize: requirePositiveDecimal(lots, 'qtyStep', `${where} lotSizeFilter`),
    minSize: requirePositiveDecimal(lots, 'minOrderQty', `${where} lotSizeFilter`),
    contractSize: 1,
    sizeUnit,
    ...priceBand(prices, `${where} priceFilter`),
  };
}

/** minPrice/maxPrice where the row has both; an order outside them would be rejected. */
function priceBand(prices: WireRecord, where: string): { priceBand?: PriceBand } {
  if (prices['minPrice'] === undefined || prices['maxPrice'] === undefined) return {};
  const min = requirePositiveDecimal(prices, 'minPrice', where);
  const max = requirePositiveDecimal(prices, 'maxPrice', where);
  if (min > max) {
    throw new WireFormatError(`${where}: "minPrice" ${min} is above "maxPrice" ${max}`);
  }
  return { priceBand: { min, max } };
}

function optionType(row: WireRecord, where: string): OptionType {
  const value = requireString(row, 'optionsType', where);
  if (value === 'Call') return 'call';
  if (value === 'Put') return 'put';
  throw new WireFormatError(
    `${where}: "optionsType" must be "Call" or "Put", got ${JSON.stringify(value)}`,
  );
}

/** The row and its symbol must tell the same story, or neither can be trusted. */
function agree(where: string, key: string, rowValue: string, symbolValue: string): void {
  if (rowValue === symbolValue) return;
  throw new WireFormatError(
    `${where}: "${key}" says ${JSON.stringify(rowValue)} but the symbol says ${JSON.stringify(symbolValue)}`,
  );
}

/** Zero (or the blank Bybit sends for "none") would make rounding divide by zero. */
function requirePositiveDecimal(record: WireRecord, key: string, where: string): number {
  const value = requireDecimalString(record, key, where);
  if (value !== null && value > 0) return value;
  throw new WireFormatError(
    `${where}: "${key}" must be positive, got ${JSON.stringify(record[key])}`,
  );
}

function requireTimestamp(record: WireRecord, key: string, where: string): number {
  const value = requireDecimalString(record, key, where);
  if (value !== null && Number.isSafeInteger(value) && value > 0) return value;
  throw new WireFormatError(
    `${where}: "${key}" must be a positive ms timestamp, got ${JSON.stringify(record[key])}`,
  );
}

function nameOf(row: unknown): string | null {
  const symbol = isRecord(row) ? row['symbol'] : undefined;
  return typeof symbol === 'string' ? symbol : null;
}

function isRowError(error: unknown): error is Error {
  return error instanceof WireFormatError || error instanceof InstrumentNameError;
}
