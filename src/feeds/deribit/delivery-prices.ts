/**
 * Deribit's delivery prices: `public/get_delivery_prices` {index_name, offset, count} answers
 * {data: [{date: "YYYY-MM-DD", delivery_price}], records_total}, newest first, one price per
 * index and delivery day. Everything on an index delivers at 08:00 UTC on its expiry's date
 * at that day's price, so an expiry's price is the row of its UTC date.
 */
import type { RpcCaller } from '../common/rpc-caller.js';
import { isRecord, requireArray, WireFormatError } from '../wire-fields.js';
import { deribitCoinMarket } from './coin-markets.js';

/** The latest deliveries are the ones a settling position asks for. */
const RECENT = 10;

/** Date → delivery price, from one reply. */
export function parseDeliveryPrices(result: unknown): Map<string, number> {
  const where = 'Deribit get_delivery_prices';
  if (!isRecord(result)) throw new WireFormatError(`${where}: the result is not an object`);
  const prices = new Map<string, number>();
  for (const [index, row] of requireArray(result, 'data', where).entries()) {
    if (!isRecord(row)) throw new WireFormatError(`${where} data[${index}]: not an object`);
    const { date, delivery_price: price } = row;
    if (typeof date !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(date)) {
      throw new WireFormatError(`${where} data[${index}]: date must be YYYY-MM-DD`);
    }
    if (typeof price !== 'number' || !(price > 0)) {
      throw new WireFormatError(`${where} data[${index}]: delivery_price must be above 0`);
    }
    prices.set(date, price);
  }
  return prices;
}

/** The price `base`'s index delivered at on `expiry`'s date; null when not published yet. */
export async function deribitDeliveryPrice(
  rpc: RpcCaller,
  base: string,
  expiry: number,
): Promise<number | null> {
  const index = deribitCoinMarket(base).indexName;
  const result = await rpc.call('public/get_delivery_prices', {
    index_name: index,
    offset: 0,
    count: RECENT,
  });
  return parseDeliveryPrices(result).get(new Date(expiry).toISOString().slice(0, 10)) ?? null;
}
