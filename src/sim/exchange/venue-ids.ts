// Order and trade ids as each venue writes them. Deribit numbers them per coin ("BTC-1234");
// Bybit's derivatives orders are random UUIDs (version 4) and its executions and public trades
// name-based ones (version 5). The sim's UUIDs are hashes of the venue, the seed and a serial
// number rather than draws from the seeded generator, so the seed's market stays as it was.

import { createHash } from 'node:crypto';
import type { ExchangeState } from './exchange-state.js';

type IdKind = 'order' | 'trade';

export function nextOrderId(state: ExchangeState, currency: string): string {
  return idFor(state, 'order', currency, ++state.orderNumber);
}

export function nextTradeId(state: ExchangeState, currency: string): string {
  return idFor(state, 'trade', currency, ++state.tradeNumber);
}

function idFor(state: ExchangeState, kind: IdKind, currency: string, serial: number): string {
  const { venue, seed = 0 } = state.options;
  if (venue === 'deribit') return `${currency}-${serial}`;
  return hashedUuid(`${venue}:${seed}:${kind}:${serial}`, kind === 'order' ? 4 : 5);
}

/** RFC 4122 layout: version nibble, then the variant bits 10xx. */
export function hashedUuid(name: string, version: 4 | 5): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | (version << 4);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
