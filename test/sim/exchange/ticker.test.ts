import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { black76Greeks, black76Price, yearFraction } from '../../../src/pricing/index.js';
import {
  ACCOUNT,
  BTC_CALL,
  BTC_FUTURE,
  BTC_INDEX,
  BTC_PERP,
  BTC_PUT,
  inverseMarks,
  inverseVenue,
  linearVenue,
  USDT_CALL,
  USDT_PERP,
} from './harness.js';

function close(actual: number | null | undefined, expected: number, relative = 1e-10): void {
  assert.ok(typeof actual === 'number', `expected a number, got ${String(actual)}`);
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.max(Math.abs(expected), 1e-12),
    `${actual} ≠ ${expected}`,
  );
}

describe('tickers', () => {
  it('publish src/pricing greeks at the mark IV on the forward', () => {
    const venue = inverseVenue();
    venue.time += 3_600_000;
    for (const spec of [BTC_CALL, BTC_PUT]) {
      const ticker = venue.exchange.ticker(spec.name)!;
      const years = yearFraction(venue.time, spec.expiry);
      const expected = black76Greeks(BTC_INDEX, spec.strike, years, 0.5, spec.type);
      assert.deepEqual(ticker.greeks, {
        delta: expected.delta,
        gamma: expected.gamma,
        vega: expected.vega,
        theta: expected.theta,
        rho: 0,
      });
      assert.equal(ticker.markIv, 0.5);
      assert.equal(ticker.underlyingPrice, BTC_INDEX);
      assert.equal(ticker.indexPrice, BTC_INDEX);
      assert.equal(ticker.underlyingName, 'SYN.BTC-27NOV26');
      assert.equal(ticker.fundingRate, null);
    }
  });

  it('quote bid and ask IVs that price back to the bid and ask', () => {
    const venue = inverseVenue();
    const ticker = venue.exchange.ticker(BTC_CALL.name)!;
    const years = yearFraction(venue.time, BTC_CALL.expiry);
    assert.equal(ticker.bestBidPrice, 0.0055);
    assert.equal(ticker.bestBidAmount, 5);
    assert.equal(ticker.bestAskPrice, 0.0065);
    assert.equal(ticker.bestAskAmount, 2);
    assert.ok(ticker.bidIv! < ticker.markIv! && ticker.markIv! < ticker.askIv!);
    // Inverse premiums are coin: the IV prices the USD value bid × forward.
    close(
      black76Price(BTC_INDEX, BTC_CALL.strike, years, ticker.bidIv!, 'call') / BTC_INDEX,
      0.0055,
    );
    close(
      black76Price(BTC_INDEX, BTC_CALL.strike, years, ticker.askIv!, 'call') / BTC_INDEX,
      0.0065,
    );

    const linear = linearVenue();
    const usdt = linear.exchange.ticker(USDT_CALL.name)!;
    close(black76Price(BTC_INDEX, USDT_CALL.strike, years, usdt.bidIv!, 'call'), 480);
    close(black76Price(BTC_INDEX, USDT_CALL.strike, years, usdt.askIv!, 'call'), 540);
  });

  it('leave IVs out where there is no quote to invert', () => {
    const venue = inverseVenue();
    venue.step({ quotes: { [BTC_CALL.name]: { bids: [], asks: [0.0065, 1] } } }, 1_000);
    const ticker = venue.exchange.ticker(BTC_CALL.name)!;
    assert.equal(ticker.bestBidPrice, null);
    assert.equal(ticker.bestBidAmount, 0);
    assert.equal(ticker.bidIv, null);
    assert.ok(ticker.askIv !== null);
  });

  it('carry futures fields: funding on perpetuals, the index as delivery estimate', () => {
    const venue = inverseVenue();
    const perp = venue.exchange.ticker(BTC_PERP.name)!;
    assert.equal(perp.fundingRate, 0.0001);
    assert.equal(perp.greeks, null);
    assert.equal(perp.markIv, null);
    assert.equal(perp.bidIv, null);
    const future = venue.exchange.ticker(BTC_FUTURE.name)!;
    assert.equal(future.estimatedDeliveryPrice, BTC_INDEX);
    assert.equal(future.fundingRate, null);
    assert.equal(linearVenue().exchange.ticker(USDT_PERP.name)?.bestAskPrice, 84_000.1);
  });

  it('tick once per instrument per batch when top, mark or trades change', () => {
    const venue = inverseVenue();
    const from = venue.events.length;
    const dayBefore = venue.exchange.ticker(BTC_CALL.name)!.volume24h;
    venue.exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 3,
      type: 'limit',
      price: 0.007,
    });
    assert.deepEqual(
      venue.of('ticker', from).map((e) => e.instrument),
      [BTC_CALL.name],
    );
    const ticker = venue.exchange.ticker(BTC_CALL.name)!;
    assert.equal(ticker.lastPrice, 0.007);
    // The rest of the market's day, plus the 3 just traded.
    assert.equal(ticker.volume24h, dayBefore + 3);
    assert.equal(ticker.high24h, 0.007);
    assert.equal(ticker.low24h, 0.0065);
    assert.deepEqual(
      venue.exchange.recentTrades(BTC_CALL.name, 5).map((t) => t.price),
      [0.0065, 0.007],
    );

    // A deep bid far from the top changes the book, not the ticker.
    const quiet = venue.events.length;
    venue.exchange.place(ACCOUNT, {
      instrument: BTC_CALL.name,
      side: 'buy',
      amount: 1,
      type: 'limit',
      price: 0.001,
    });
    assert.equal(venue.of('book', quiet).length, 1);
    assert.equal(venue.of('ticker', quiet).length, 0);

    const moved = venue.events.length;
    venue.step({ marks: inverseMarks(venue.time + 1_000, 84_500) }, 1_000);
    assert.equal(venue.of('ticker', moved).length, 5);
    assert.equal(venue.exchange.ticker(BTC_CALL.name)?.underlyingPrice, 84_500);
  });
});
