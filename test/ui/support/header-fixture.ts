// A live Deribit BTC header on the sim, for the header's tests: each test says what it changes.

import type { HeaderView } from '../../../src/view/types.js';

export function liveHeader(fields: Partial<HeaderView> & Pick<HeaderView, 'now'>): HeaderView {
  return {
    venue: 'deribit',
    mode: 'SIM',
    connection: {
      state: 'live',
      retryAt: null,
      attempt: null,
      rttMs: 3,
      detail: null,
      quietSince: null,
    },
    base: 'BTC',
    quote: 'BTC',
    index: 90_008.12,
    indexStale: false,
    perpetual: { name: 'BTC-PERPETUAL', price: 90_002.5 },
    frontAtmIv: 0.552,
    nextExpiry: null,
    hedger: 'OFF',
    hedgerMode: 'off',
    loading: null,
    ...fields,
  };
}
