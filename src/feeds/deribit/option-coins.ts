/**
 * Which coins Deribit lists options on, from one `public/get_instruments` over every currency
 * (`currency: "any"`): what `ivtrade rank` ranks when no coin is named.
 */
import type { RpcCaller } from '../common/rpc-caller.js';
import { WireFormatError } from '../wire-fields.js';
import { optionCoinsOf } from './coin-markets.js';

export async function loadDeribitOptionCoins(rpc: RpcCaller): Promise<string[]> {
  const where = 'Deribit get_instruments any option';
  const rows = await rpc.call('public/get_instruments', {
    currency: 'any',
    kind: 'option',
    expired: false,
  });
  if (!Array.isArray(rows)) {
    throw new WireFormatError(`${where}: must be an array, got ${JSON.stringify(rows)}`);
  }
  return optionCoinsOf(rows as readonly unknown[]);
}
