import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionChain } from '../../src/book/option-chain.js';
import type { MarketState } from '../../src/book/market-state.js';
import { MS_PER_YEAR } from '../../src/pricing/index.js';
import {
  atmIv,
  buildChainView,
  buildSmileView,
  buildTermView,
  chainKey,
  scrollTop,
  selectRow,
  selectStrike,
} from '../../src/view/chain-view.js';
import type { ViewRequest } from '../../src/view/types.js';
import {
  DEC25,
  DEC_ATM,
  DEC_FORWARD,
  DEC_STRIKES,
  INDEX,
  MAR26,
  MAR_STRIKES,
  NOV27,
  NOV_ATM,
  NOV_FORWARD,
  NOV_STRIKES,
  NOW,
  option,
  optionName,
  quotedMarket,
  smileVol,
  VENUE,
  type Type,
} from './support/market-fixture.js';

function btcChain(market: MarketState = quotedMarket()): OptionChain {
  const chain = market.chain(VENUE, 'BTC', 'BTC');
  assert.ok(chain !== undefined);
  return chain;
}

function request(overrides: Partial<ViewRequest> = {}): ViewRequest {
  return { chain: null, expiry: null, strike: null, top: 0, rows: 3, surface: true, ...overrides };
}

function markIvOf(chain: OptionChain, expiry: number, strike: number, type: Type): number {
  return chain.option(optionName(expiry, strike, type))?.markIv ?? NaN;
}

describe('selectRow', () => {
  const chain = btcChain();

  it('null selects the front expiry; a listed expiry selects itself', () => {
    assert.equal(selectRow(chain, null), 0);
    assert.equal(selectRow(chain, NOV27), 0);
    assert.equal(selectRow(chain, DEC25), 1);
    assert.equal(selectRow(chain, MAR26), 2);
  });

  it('a time between expiries selects the next one listed', () => {
    assert.equal(selectRow(chain, NOV27 + 1), 1);
    assert.equal(selectRow(chain, NOV27 - 1), 0);
    assert.equal(selectRow(chain, 0), 0);
  });

  it('after the last expiry selects the last', () => {
    assert.equal(selectRow(chain, MAR26 + 1), 2);
    assert.equal(selectRow(chain, Number.MAX_SAFE_INTEGER), 2);
  });

  it('an expiry that went away selects the next listed one', () => {
    const market = quotedMarket();
    for (const strike of DEC_STRIKES) {
      for (const type of ['call', 'put'] as const) {
        market.apply({
          kind: 'instrument-removed',
          venue: VENUE,
          ts: NOW,
          instrument: optionName(DEC25, strike, type),
        });
      }
    }
    market.settle(NOW);
    const relisted = btcChain(market);
    assert.deepEqual(
      relisted.rows.map((row) => row.expiry),
      [NOV27, MAR26],
    );
    assert.equal(selectRow(relisted, DEC25), 1);
    assert.equal(buildChainView(relisted, request({ expiry: DEC25 }))?.expiry, MAR26);
  });

  it('an empty chain has no row', () => {
    assert.equal(selectRow(new OptionChain(VENUE, 'BTC', 'BTC'), null), -1);
  });
});

describe('selectStrike', () => {
  const chain = btcChain();
  const nov = chain.rows[0]!;
  const mar = chain.rows[2]!;

  it('null selects the ATM strike', () => {
    assert.equal(nov.atmIndex, NOV_ATM);
    assert.equal(selectStrike(nov, null), NOV_ATM);
    assert.equal(selectStrike(chain.rows[1]!, null), DEC_ATM);
  });

  it('null selects the middle strike while an expiry has no forward', () => {
    assert.equal(mar.atmIndex, -1);
    assert.equal(selectStrike(mar, null), Math.floor(MAR_STRIKES.length / 2));
  });

  it('a strike selects the nearest listed one', () => {
    NOV_STRIKES.forEach((strike, index) => assert.equal(selectStrike(nov, strike), index));
    assert.equal(selectStrike(nov, 91_000), NOV_STRIKES.indexOf(90_000));
    assert.equal(selectStrike(nov, 93_000), NOV_STRIKES.indexOf(95_000));
    assert.equal(selectStrike(nov, 116_000), NOV_STRIKES.indexOf(120_000));
  });

  it('a strike beyond either end selects that end', () => {
    assert.equal(selectStrike(nov, 1), 0);
    assert.equal(selectStrike(nov, 1e9), NOV_STRIKES.length - 1);
  });
});

describe('scrollTop', () => {
  it('keeps the window while the cursor is inside it', () => {
    assert.equal(scrollTop(5, 3, 4, 20), 3);
    assert.equal(scrollTop(3, 3, 4, 20), 3);
    assert.equal(scrollTop(6, 3, 4, 20), 3);
  });

  it('moves just enough to bring the cursor back', () => {
    assert.equal(scrollTop(7, 3, 4, 20), 4);
    assert.equal(scrollTop(12, 3, 4, 20), 9);
    assert.equal(scrollTop(2, 3, 4, 20), 2);
    assert.equal(scrollTop(0, 3, 4, 20), 0);
  });

  it('clamps at both ends', () => {
    assert.equal(scrollTop(0, -5, 4, 20), 0);
    assert.equal(scrollTop(19, 18, 4, 20), 16);
    assert.equal(scrollTop(17, 100, 4, 20), 16);
  });

  it('starts at 0 when everything fits or nothing is shown', () => {
    assert.equal(scrollTop(3, 2, 10, 5), 0);
    assert.equal(scrollTop(4, 0, 5, 5), 0);
    assert.equal(scrollTop(3, 2, 0, 5), 0);
    assert.equal(scrollTop(0, 2, 4, 0), 0);
  });

  it('for every small case: in range, cursor visible, and no move when none is needed', () => {
    for (let total = 1; total <= 9; total += 1) {
      for (let visible = 1; visible <= 10; visible += 1) {
        for (let cursor = 0; cursor < total; cursor += 1) {
          for (let top = -2; top <= total + 2; top += 1) {
            const where = `cursor ${cursor} top ${top} visible ${visible} total ${total}`;
            const next = scrollTop(cursor, top, visible, total);
            const last = Math.max(0, total - visible);
            assert.ok(next >= 0 && next <= last, where);
            assert.ok(cursor >= next && cursor < next + visible, where);
            const clamped = Math.min(Math.max(0, top), last);
            const inView = cursor >= clamped && cursor < clamped + visible;
            if (inView) assert.equal(next, clamped, where);
            else assert.equal(next, cursor < clamped ? cursor : cursor - visible + 1, where);
          }
        }
      }
    }
  });
});

describe('buildChainView', () => {
  const chain = btcChain();

  it('describes the chain and the selected expiry', () => {
    const view = buildChainView(chain, request({ expiry: DEC25 }));
    assert.ok(view !== null);
    assert.equal(view.key, 'BTC/BTC');
    assert.equal(chainKey(chain), 'BTC/BTC');
    assert.equal(view.base, 'BTC');
    assert.equal(view.quote, 'BTC');
    assert.equal(view.settlement, 'inverse');
    assert.deepEqual(view.expiries, [
      { expiry: NOV27, label: '27NOV26' },
      { expiry: DEC25, label: '25DEC26' },
      { expiry: MAR26, label: '26MAR27' },
    ]);
    assert.equal(view.expiryIndex, 1);
    assert.equal(view.expiry, DEC25);
    assert.equal(view.forward, DEC_FORWARD);
    assert.equal(view.index, INDEX);
    assert.deepEqual(view.strikes, DEC_STRIKES);
    assert.equal(view.atmIndex, DEC_ATM);
  });

  it('holds only the visible rows, with the cursor on the ATM strike by default', () => {
    const view = buildChainView(chain, request({ rows: 3 }))!;
    assert.equal(view.cursorIndex, NOV_ATM);
    assert.equal(view.top, 1);
    assert.deepEqual(
      view.rows.map((row) => row.strike),
      NOV_STRIKES.slice(1, 4),
    );
    assert.deepEqual(
      view.rows.map((row) => row.atm),
      [false, false, true],
    );
    assert.equal(view.strikes.length, NOV_STRIKES.length);
  });

  it('scrolls to a requested strike; the ATM flag goes with the ATM row only', () => {
    const view = buildChainView(chain, request({ strike: 110_000, top: 0, rows: 4 }))!;
    assert.equal(view.cursorIndex, 7);
    assert.equal(view.top, 4);
    assert.deepEqual(
      view.rows.map((row) => row.strike),
      NOV_STRIKES.slice(4, 8),
    );
    assert.ok(view.rows.every((row) => !row.atm));
  });

  it('keeps the UI’s window while the cursor stays inside it', () => {
    const view = buildChainView(chain, request({ strike: 95_000, top: 2, rows: 4 }))!;
    assert.equal(view.top, 2);
    assert.equal(view.cursorIndex, 4);
  });

  it('shows every strike when more rows fit than there are', () => {
    const view = buildChainView(chain, request({ rows: 50, top: 7 }))!;
    assert.equal(view.top, 0);
    assert.deepEqual(
      view.rows.map((row) => row.strike),
      NOV_STRIKES,
    );
    assert.deepEqual(
      view.rows.map((row) => row.atm),
      NOV_STRIKES.map((_, k) => k === NOV_ATM),
    );
  });

  it('shows no rows when none fit', () => {
    const view = buildChainView(chain, request({ rows: 0 }))!;
    assert.deepEqual(view.rows, []);
    assert.equal(view.cursorIndex, NOV_ATM);
  });

  it('sides carry the option’s quotes and analytics', () => {
    const view = buildChainView(chain, request({ rows: 50 }))!;
    const row = view.rows[NOV_ATM]!;
    for (const type of ['call', 'put'] as const) {
      const side = row[type];
      const quote = chain.option(optionName(NOV27, 90_000, type))!;
      assert.equal(side.instrument, quote.spec.name);
      assert.equal(side.bid, quote.bid);
      assert.equal(side.ask, quote.ask);
      assert.equal(side.bidSize, 10);
      assert.equal(side.askSize, 12.5);
      assert.equal(side.mark, quote.mark);
      assert.equal(side.bidIv, quote.bidIv);
      assert.equal(side.askIv, quote.askIv);
      assert.equal(side.markIv, quote.markIv);
      assert.equal(side.delta, quote.delta);
      assert.equal(side.gamma, quote.gamma);
      assert.equal(side.vega, quote.vega);
      assert.equal(side.theta, quote.theta);
      assert.equal(side.stale, false);
      // One mark IV per strike, the OTM side's: 90000 is below the forward, so the put's.
      assert.ok(Math.abs(side.markIv - smileVol(90_000, NOV_FORWARD, 'put')) < 1e-6, type);
    }
    assert.ok(row.call.delta > 0 && row.put.delta < 0);
  });

  it('flags unlisted, unquoted and stalled sides as stale', () => {
    const market = quotedMarket();
    const live = btcChain(market);
    const byStrike = (strike: number) =>
      buildChainView(live, request({ rows: 50 }))!.rows.find((row) => row.strike === strike)!;
    // Only a call is listed at 70000 and only a put at 120000.
    assert.equal(byStrike(70_000).put.instrument, null);
    assert.equal(byStrike(70_000).put.stale, true);
    assert.ok(Number.isNaN(byStrike(70_000).put.bid));
    assert.equal(byStrike(70_000).call.stale, false);
    assert.equal(byStrike(120_000).call.instrument, null);
    assert.equal(byStrike(120_000).call.stale, true);
    assert.equal(byStrike(120_000).put.stale, false);
    // Listed but never quoted.
    assert.equal(byStrike(105_000).put.instrument, optionName(NOV27, 105_000, 'put'));
    assert.equal(byStrike(105_000).put.stale, true);
    assert.equal(byStrike(105_000).call.stale, false);
    // The stream carrying it went quiet: the last quotes stay, flagged.
    market.markStale(VENUE, [optionName(NOV27, 100_000, 'call')]);
    assert.equal(byStrike(100_000).call.stale, true);
    assert.ok(byStrike(100_000).call.bid > 0);
    assert.equal(byStrike(100_000).put.stale, false);
  });

  it('an expiry listed but not yet quoted has no ATM row and every side stale', () => {
    const view = buildChainView(chain, request({ expiry: MAR26, rows: 50 }))!;
    assert.ok(Number.isNaN(view.forward));
    assert.equal(view.atmIndex, -1);
    assert.ok(view.rows.every((row) => !row.atm && row.call.stale && row.put.stale));
  });

  it('an empty chain has no view', () => {
    assert.equal(buildChainView(new OptionChain(VENUE, 'BTC', 'BTC'), request()), null);
  });
});

describe('buildSmileView', () => {
  const chain = btcChain();

  it('takes puts below the forward and calls above it, at ln(K/F)', () => {
    const smile = buildSmileView(chain, NOV27)!;
    assert.equal(smile.expiry, NOV27);
    assert.equal(smile.label, '27NOV26');
    assert.equal(smile.forward, NOV_FORWARD);
    assert.deepEqual(
      smile.points.map((point) => point.strike),
      NOV_STRIKES,
    );
    for (const point of smile.points) {
      const where = String(point.strike);
      assert.equal(point.logMoneyness, Math.log(point.strike / NOV_FORWARD), where);
      if (point.strike === 70_000 || point.strike === 120_000) continue;
      const type = point.strike < NOV_FORWARD ? 'put' : 'call';
      const quote = chain.option(optionName(NOV27, point.strike, type))!;
      assert.equal(point.markIv, quote.markIv, where);
      assert.equal(point.bidIv, quote.bidIv, where);
      assert.equal(point.askIv, quote.askIv, where);
      assert.ok(Math.abs(point.markIv - smileVol(point.strike, NOV_FORWARD, type)) < 1e-6, where);
    }
    assert.ok(smile.points.filter((point) => point.logMoneyness < 0).length === 4);
  });

  it('a strike with one type listed is drawn from that type', () => {
    const smile = buildSmileView(chain, NOV27)!;
    const low = smile.points.find((point) => point.strike === 70_000)!;
    const high = smile.points.find((point) => point.strike === 120_000)!;
    assert.equal(low.markIv, markIvOf(chain, NOV27, 70_000, 'call'));
    assert.ok(Number.isFinite(low.markIv));
    assert.equal(high.markIv, markIvOf(chain, NOV27, 120_000, 'put'));
    assert.ok(Number.isFinite(high.markIv));
  });

  it('a strike exactly at the forward is the call', () => {
    const smile = buildSmileView(chain, DEC25)!;
    const at = smile.points.find((point) => point.strike === DEC_FORWARD)!;
    assert.equal(at.logMoneyness, 0);
    assert.equal(at.markIv, markIvOf(chain, DEC25, DEC_FORWARD, 'call'));
    assert.ok(Number.isFinite(at.markIv));
  });

  it('null selects the front expiry; a gone expiry the next', () => {
    assert.equal(buildSmileView(chain, null)?.expiry, NOV27);
    assert.equal(buildSmileView(chain, NOV27 + 1)?.expiry, DEC25);
  });

  it('without a forward there is no moneyness', () => {
    const smile = buildSmileView(chain, MAR26)!;
    assert.equal(smile.points.length, MAR_STRIKES.length);
    assert.ok(smile.points.every((point) => Number.isNaN(point.logMoneyness)));
  });

  it('an empty chain has no smile', () => {
    assert.equal(buildSmileView(new OptionChain(VENUE, 'BTC', 'BTC'), null), null);
  });
});

describe('atmIv', () => {
  const chain = btcChain();

  it('is the ATM strike’s one mark IV, the OTM side’s, though the call’s mark is off it', () => {
    const call = markIvOf(chain, NOV27, 90_000, 'call');
    const put = markIvOf(chain, NOV27, 90_000, 'put');
    // The fixture prices calls 2 vol points under puts; the strike takes the OTM put's.
    assert.equal(call, put);
    assert.ok(Math.abs(put - smileVol(90_000, NOV_FORWARD, 'put')) < 1e-6);
    assert.equal(atmIv(chain.rows[0]!), put);
  });

  it('is the one that exists when the other side has none', () => {
    // DEC25's ATM put was never quoted.
    const call = markIvOf(chain, DEC25, DEC_FORWARD, 'call');
    assert.ok(Number.isFinite(call));
    assert.equal(atmIv(chain.rows[1]!), call);
  });

  it('uses the put when only the put has one', () => {
    const lonely = new OptionChain(VENUE, 'BTC', 'BTC', [
      option(NOV27, 90_000, 'call'),
      option(NOV27, 90_000, 'put'),
    ]);
    const market = quotedMarket();
    const put = btcChain(market).option(optionName(NOV27, 90_000, 'put'))!;
    // Same forward and put quote as in the full market, no call quote.
    lonely.applyTicker({
      kind: 'ticker',
      venue: VENUE,
      instrument: put.spec.name,
      ts: NOW - 1000,
      bid: put.bid,
      bidSize: put.bidSize,
      ask: put.ask,
      askSize: put.askSize,
      mark: put.mark,
      index: INDEX,
      forward: NOV_FORWARD,
      venueIv: { bid: null, ask: null, mark: null },
      venueGreeks: null,
    });
    lonely.settle(NOW);
    assert.equal(atmIv(lonely.rows[0]!), put.markIv);
  });

  it('is NaN without a forward', () => {
    assert.ok(Number.isNaN(atmIv(chain.rows[2]!)));
  });
});

describe('buildTermView', () => {
  it('one point per expiry, in years from now, with its ATM IV', () => {
    const chain = btcChain();
    const term = buildTermView(chain, NOW);
    assert.deepEqual(
      term.points.map((point) => [point.expiry, point.label]),
      [
        [NOV27, '27NOV26'],
        [DEC25, '25DEC26'],
        [MAR26, '26MAR27'],
      ],
    );
    for (const point of term.points) {
      assert.ok(point.years > 0);
      assert.ok(Math.abs(point.years - (point.expiry - NOW) / MS_PER_YEAR) < 1e-12);
    }
    assert.ok(term.points[0]!.years < term.points[1]!.years);
    assert.equal(term.points[0]!.atmIv, atmIv(chain.rows[0]!));
    assert.equal(term.points[1]!.atmIv, atmIv(chain.rows[1]!));
    assert.ok(Number.isFinite(term.points[0]!.atmIv));
    assert.ok(Number.isNaN(term.points[2]!.atmIv));
  });

  it('an empty chain has no points', () => {
    assert.deepEqual(buildTermView(new OptionChain(VENUE, 'BTC', 'BTC'), NOW).points, []);
  });
});
