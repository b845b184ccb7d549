// Bybit order bodies (`/v5/order/create`, `/v5/order/amend`) read into the exchange core's
// requests, with Bybit's parameter errors for what the venue would refuse before matching.

import type {
  SimEditRequest,
  SimExchange,
  SimInstrument,
  SimOrderRequest,
  SimTimeInForce,
} from '../contract.js';
import { parseDecimal } from './decimal-text.js';
import { paramsError } from './errors.js';
import { inCategory, type Category } from './rest-market.js';

export type Body = Record<string, unknown>;

const LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
const TIME_IN_FORCE: Readonly<Record<string, SimTimeInForce>> = {
  GTC: 'good_til_cancelled',
  IOC: 'immediate_or_cancel',
  FOK: 'fill_or_kill',
  PostOnly: 'good_til_cancelled',
};
const TRIGGER_BY: Readonly<Record<string, SimOrderRequest['trigger']>> = {
  MarkPrice: 'mark_price',
  IndexPrice: 'index_price',
  LastPrice: 'last_price',
};

export function bodyCategory(body: Body): Category {
  const category = body['category'];
  if (category === 'option' || category === 'linear') return category;
  throw paramsError(`category ${category === undefined ? 'is required' : 'invalid'}`);
}

export function bodyInstrument(
  exchange: SimExchange,
  body: Body,
  category: Category,
): SimInstrument {
  const symbol = body['symbol'];
  const instrument = typeof symbol === 'string' ? exchange.instrument(symbol) : undefined;
  if (instrument === undefined || !inCategory(instrument, category)) {
    throw paramsError('symbol invalid');
  }
  return instrument;
}

function positive(body: Body, key: string): number | undefined {
  const raw = body[key];
  if (raw === undefined || raw === '') return undefined;
  const value = parseDecimal(raw);
  if (value === undefined || value <= 0) throw paramsError(`${key} invalid`);
  return value;
}

function flag(body: Body, key: string): boolean {
  const raw = body[key];
  return raw === true || raw === 'true';
}

export interface CreateRequest {
  readonly request: SimOrderRequest;
  readonly linkId: string;
}

export function createRequest(
  exchange: SimExchange,
  body: Body,
): CreateRequest & { instrument: SimInstrument } {
  const category = bodyCategory(body);
  const instrument = bodyInstrument(exchange, body, category);
  const side = body['side'];
  if (side !== 'Buy' && side !== 'Sell') throw paramsError('side invalid');
  const orderType = body['orderType'];
  if (orderType !== 'Limit' && orderType !== 'Market') throw paramsError('orderType invalid');
  const qty = positive(body, 'qty');
  if (qty === undefined) throw paramsError('qty is required');
  const rawLinkId = body['orderLinkId'];
  const linkId = typeof rawLinkId === 'string' ? rawLinkId : '';
  if (category === 'option' && linkId === '') throw paramsError('orderLinkId is required');
  if (linkId !== '' && !LINK_ID.test(linkId)) throw paramsError('orderLinkId invalid');
  const tifRaw = body['timeInForce'] ?? (orderType === 'Market' ? 'IOC' : 'GTC');
  const timeInForce = typeof tifRaw === 'string' ? TIME_IN_FORCE[tifRaw] : undefined;
  if (timeInForce === undefined) throw paramsError('timeInForce invalid');
  const price = positive(body, 'price');
  // orderIv wins over price when both are sent (v5 create-order: "orderIv has a higher priority").
  const iv = category === 'option' ? positive(body, 'orderIv') : undefined;
  if (orderType === 'Limit' && price === undefined && iv === undefined) {
    throw paramsError('price is required for a Limit order');
  }
  const triggerPrice = positive(body, 'triggerPrice');
  const triggerRaw = body['triggerBy'];
  const trigger = typeof triggerRaw === 'string' ? TRIGGER_BY[triggerRaw] : 'last_price';
  if (trigger === undefined) throw paramsError('triggerBy invalid');
  const postOnly = tifRaw === 'PostOnly';
  const type: SimOrderRequest['type'] =
    triggerPrice === undefined
      ? orderType === 'Market'
        ? 'market'
        : 'limit'
      : orderType === 'Market'
        ? 'stop_market'
        : 'stop_limit';
  const request: SimOrderRequest = {
    instrument: instrument.spec.name,
    side: side === 'Buy' ? 'buy' : 'sell',
    amount: qty,
    type,
    ...(orderType === 'Limit' && iv !== undefined ? { iv } : {}),
    ...(orderType === 'Limit' && iv === undefined && price !== undefined ? { price } : {}),
    ...(postOnly ? { postOnly: true, rejectPostOnly: true } : {}),
    reduceOnly: flag(body, 'reduceOnly'),
    timeInForce,
    label: linkId,
    ...(triggerPrice === undefined ? {} : { triggerPrice, trigger }),
  };
  return { request, linkId, instrument };
}

export function amendRequest(orderId: string, body: Body): SimEditRequest {
  const qty = positive(body, 'qty');
  const price = positive(body, 'price');
  const iv = positive(body, 'orderIv');
  if (qty === undefined && price === undefined && iv === undefined) {
    throw paramsError(
      'The order remains unchanged as the parameters entered match the existing ones',
    );
  }
  return {
    orderId,
    ...(qty === undefined ? {} : { amount: qty }),
    ...(iv !== undefined ? { iv } : price !== undefined ? { price } : {}),
  };
}
