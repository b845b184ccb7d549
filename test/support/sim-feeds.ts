// The embedded exchange's BTC market through ivtrade's adapters for one venue, with a paper
// account: what most session-level tests start from.

import { openFeeds, type OpenFeeds, type SimPlan } from '../../src/app/venue-feeds.js';

export function openSimBtcFeeds(venue: 'deribit' | 'bybit', sim: SimPlan): Promise<OpenFeeds> {
  return openFeeds({
    venue: 'sim',
    currencies: ['BTC'],
    testnet: false,
    urlOverrides: [],
    books: [],
    private: true,
    simVenues: [venue],
    sim,
  });
}
