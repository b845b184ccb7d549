/**
 * Bybit's delivery prices: GET /v5/market/delivery-price {category: option, baseCoin, limit}
 * answers {list: [{symbol, deliveryPrice, deliveryTime}], nextPageCursor}, newest first, one
 * row per delivered contract (numbers as strings, time in ms). Every option of an expiry
 * delivers at one price; the venue may take a minute after the expiry to publish it.
 */
import { isRecord, requireArray, WireFormatError } from '../wire-fields.js';
import type { BybitRestClient } from './rest.js';

/** Expiries' options at the top of the list: enough rows for the latest few expiries. */
const RECENT = 200;

/** Delivery time (ms) → price, from one reply. */
export function parseBybitDeliveryPrices(result: unknown): Map<number, number> {
  const where = 'Bybit delivery-price';
  if (!isRecord(result)) throw new WireFormatError(`${where}: the result is not an object`);
  const prices = new Map<number, number>();
  for (const [index, row] of requireArray(result, 'list', where).entries()) {
    if (!isRecord(row)) throw new WireFormatError(`${where} list[${index}]: not an object`);
    const price = Number(row['deliveryPrice']);
    const time = Number(row['deliveryTime']);
    if (!(price > 0) || !Number.isInteger(time)) {
      throw new WireFormatError(`${where} list[${index}]: needs deliveryPrice and deliveryTime`);
    }
    prices.set(time, price);
  }
  return prices;
}

export async function bybitDeliveryPrice(
  rest: BybitRestClient,
  base: string,
  expiry: number,
): Promise<number | null> {
  const reply = await rest.get('/v5/market/delivery-price', {
    category: 'option',
    baseCoin: base.toUpperCase(),
    limit: RECENT,
  });
  return parseBybitDeliveryPrices(reply).get(expiry) ?? null;
}
