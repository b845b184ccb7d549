import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketState } from '../../src/book/market-state.js';
import type { OptionChain } from '../../src/book/option-chain.js';
import { atmIv } from '../../src/view/chain-view.js';
import { connectionOf, downConnection, trackQuiet } from '../../src/view/connection.js';
import { buildHeaderView, indexPrice, loadingOf } from '../../src/view/header-view.js';
import type { ConnectionView } from '../../src/view/types.js';
import {
  addListing,
  BTC_PERPETUAL,
  DEC25,
  futureTicker,
  INDEX,
  listing,
  NOV27,
  NOV_FORWARD,
  NOW,
  option,
  optionTicker,
  quotedMarket,
  VENUE,
} from './support/market-fixture.js';

const LIVE: ConnectionView = connectionOf(
  { public: { kind: 'status', venue: VENUE, ts: NOW, stream: 'public', status: 'live' } },
  20,
);
const CONNECTING: ConnectionView = connectionOf({}, null);

function btcChain(market: MarketState): OptionChain {
  const chain = market.chain(VENUE, 'BTC', 'BTC');
  assert.ok(chain !== undefined);
  return chain;
}

function header(market: MarketState, now = NOW, connection = LIVE) {
  return buildHeaderView(market, market.chain(VENUE, 'BTC', 'BTC'), {
    venue: VENUE,
    mode: 'SIM',
    connection,
    hedger: 'off',
    now,
  });
}

describe('loadingOf', () => {
  it('says connecting until the venue is live, and unreachable when it is down', () => {
    const market = new MarketState();
    assert.deepEqual(loadingOf(market, VENUE, undefined, CONNECTING), {
      phase: 'connecting',
      instruments: 0,
      quoted: 0,
    });
    const down = downConnection('connection refused', NOW + 5000, 2);
    assert.equal(loadingOf(market, VENUE, undefined, down)?.phase, 'venue unreachable');
  });

  it('says loading instruments while none are listed', () => {
    assert.deepEqual(loadingOf(new MarketState(), VENUE, undefined, LIVE), {
      phase: 'loading instruments',
      instruments: 0,
      quoted: 0,
    });
  });

  it('counts the options listed (every coin, not futures) while waiting for quotes', () => {
    const market = new MarketState();
    const eth = { ...option(NOV27, 3000, 'call'), name: 'ETH-27NOV26-3000-C', base: 'ETH' };
    addListing(market, [...listing(), eth, BTC_PERPETUAL]);
    market.settle(NOW);
    assert.deepEqual(loadingOf(market, VENUE, btcChain(market), LIVE), {
      phase: 'waiting for quotes',
      instruments: listing().length + 1,
      quoted: 0,
    });
  });

  it('counts quotes until an expiry has both a forward and a quote, then stops', () => {
    const market = new MarketState();
    addListing(market, listing());
    const call = option(NOV27, 90_000, 'call');
    // A quote without the venue's forward (nor a put to take parity from) is not a screen yet.
    market.apply(optionTicker(call, null, NOW - 1000, NOV_FORWARD));
    market.settle(NOW);
    assert.deepEqual(loadingOf(market, VENUE, btcChain(market), LIVE), {
      phase: 'waiting for quotes',
      instruments: listing().length,
      quoted: 1,
    });
    market.apply(optionTicker(call, NOV_FORWARD, NOW - 500));
    market.settle(NOW);
    assert.equal(loadingOf(market, VENUE, btcChain(market), LIVE), null);
  });

  it('a priced chain shows even while the connection is not live', () => {
    const market = quotedMarket();
    assert.equal(loadingOf(market, VENUE, btcChain(market), CONNECTING), null);
  });
});

describe('buildHeaderView', () => {
  it('passes the inputs through and names the chain', () => {
    const view = header(quotedMarket());
    assert.equal(view.venue, VENUE);
    assert.equal(view.mode, 'SIM');
    assert.equal(view.connection, LIVE);
    assert.equal(view.hedger, 'off');
    assert.equal(view.now, NOW);
    assert.equal(view.base, 'BTC');
    assert.equal(view.quote, 'BTC');
    assert.equal(view.loading, null);
  });

  it('without a chain: nothing to price, still loading', () => {
    const view = buildHeaderView(new MarketState(), undefined, {
      venue: VENUE,
      mode: 'LIVE',
      connection: CONNECTING,
      hedger: 'off',
      now: NOW,
    });
    assert.equal(view.base, null);
    assert.equal(view.quote, null);
    assert.equal(view.index, null);
    assert.equal(view.perpetual, null);
    assert.equal(view.frontAtmIv, null);
    assert.equal(view.nextExpiry, null);
    assert.equal(view.loading?.phase, 'connecting');
  });

  it('the perpetual’s price is its mid, else its mark; none without a ticker', () => {
    const market = quotedMarket();
    assert.equal(header(market).perpetual, null);
    addListing(market, [BTC_PERPETUAL]);
    market.settle(NOW);
    assert.equal(header(market).perpetual, null);
    market.apply(futureTicker('BTC-PERPETUAL', { bid: 91_000, ask: 91_010, mark: 91_002 }));
    assert.deepEqual(header(market).perpetual, { name: 'BTC-PERPETUAL', price: 91_005 });
    market.apply(futureTicker('BTC-PERPETUAL', { bid: null, ask: 91_010, mark: 91_002 }));
    assert.deepEqual(header(market).perpetual, { name: 'BTC-PERPETUAL', price: 91_002 });
    market.apply(futureTicker('BTC-PERPETUAL', { bid: 91_000, ask: null, mark: 91_001 }));
    assert.deepEqual(header(market).perpetual, { name: 'BTC-PERPETUAL', price: 91_001 });
    market.apply(futureTicker('BTC-PERPETUAL', { bid: null, ask: null, mark: null }));
    assert.equal(header(market).perpetual, null);
  });

  it('the front expiry’s ATM IV and expiry', () => {
    const market = quotedMarket();
    const chain = btcChain(market);
    const view = header(market);
    assert.equal(view.nextExpiry, NOV27);
    assert.equal(view.frontAtmIv, atmIv(chain.rows[0]!));
    assert.ok(view.frontAtmIv !== null && view.frontAtmIv > 0.4 && view.frontAtmIv < 0.6);
  });

  it('skips an expiry that has passed but is still listed', () => {
    const market = quotedMarket();
    const chain = btcChain(market);
    assert.ok(Number.isFinite(atmIv(chain.rows[0]!)));
    for (const now of [NOV27, NOV27 + 60_000]) {
      const view = header(market, now);
      assert.equal(view.nextExpiry, DEC25, String(now));
      assert.equal(view.frontAtmIv, atmIv(chain.rows[1]!), String(now));
    }
    assert.equal(header(market, NOV27 - 1).nextExpiry, NOV27);
  });

  it('no front ATM IV while the front expiry has none', () => {
    const market = new MarketState();
    addListing(market, listing());
    market.settle(NOW);
    const view = header(market);
    assert.equal(view.nextExpiry, NOV27);
    assert.equal(view.frontAtmIv, null);
  });

  it('the index: the venue’s index stream, else the chain’s last ticker index', () => {
    const market = quotedMarket();
    const chain = btcChain(market);
    assert.equal(header(market).index, INDEX);
    assert.equal(indexPrice(market, VENUE, chain), INDEX);
    market.apply({
      kind: 'index',
      venue: VENUE,
      base: 'BTC',
      quote: 'USD',
      ts: NOW,
      price: 90_750,
    });
    assert.equal(header(market).index, 90_750);
    assert.equal(indexPrice(market, VENUE, chain), 90_750);
  });

  it('the index is marked stale unless the connection is live with its streams flowing', () => {
    const market = quotedMarket();
    assert.equal(header(market).indexStale, false);
    const quiet = trackQuiet(
      {},
      {
        kind: 'status',
        venue: VENUE,
        ts: NOW,
        stream: 'public',
        status: 'stale',
        family: 'index',
        lastDataTs: NOW - 5_000,
      },
    );
    const stalled = connectionOf(
      { public: { kind: 'status', venue: VENUE, ts: NOW, stream: 'public', status: 'live' } },
      20,
      quiet,
    );
    assert.equal(stalled.state, 'stale');
    const view = header(market, NOW, stalled);
    assert.equal(view.index, INDEX, 'the last index is still shown');
    assert.equal(view.indexStale, true);
    assert.equal(header(market, NOW, downConnection('refused', NOW, 1)).indexStale, true);
    assert.equal(header(market, NOW, CONNECTING).indexStale, true);
  });

  it('no index before any ticker or index event', () => {
    const market = new MarketState();
    addListing(market, listing());
    market.settle(NOW);
    assert.equal(header(market).index, null);
  });
});
