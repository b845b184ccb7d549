// The book a scenario revalues, read from a live session on the sim: a held option comes with
// its chain's forward and ivtrade's mark IV, a perpetual with its mark, and a hypothetical
// position joins the same way; the matrix at +10 % is their independent Black-76 repricing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bs from 'black-scholes';
import { riskBook } from '../../src/app/risk-book.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { cellIndex, coinScenario, DEFAULT_SPOT_MOVES } from '../../src/risk/scenario.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { waitFor } from '../support/wait.js';
import { closeSimSession, openSimSession } from './support/sim-session.js';

const YEAR_MS = 365 * 86_400_000;

describe('the risk book of a live session', () => {
  it('revalues a bought option and an added perpetual as independent arithmetic does', async () => {
    const session = await openSimSession('deribit');
    try {
      const market = new EngineMarket(session.engine.market);
      const call = await waitFor('a two-sided call', () =>
        session.engine.market
          .chains('deribit')
          .flatMap((chain) => chain.options)
          .find(
            (spec: OptionSpec) =>
              spec.type === 'call' &&
              spec.expiry - Date.now() > 7 * 86_400_000 &&
              market.touch('deribit', spec.name).ask !== null &&
              Math.abs(spec.strike - 90_000) <= 5_000,
          ),
      );
      session.runner.run(`i ${call.name}; aw1`, null);
      await session.runner.settled();
      await waitFor('the position', () => session.engine.account.position('deribit', call.name));
      const now = session.engine.venueNow('deribit');
      session.engine.market.settle(now);
      const book = riskBook(session.engine.market, session.engine.account, 'deribit', [
        { instrument: 'BTC-PERPETUAL', size: -5_000 },
      ]);
      assert.deepEqual(book.unlisted, []);
      const option = book.positions.find((position) => position.instrument === call.name)!;
      const perpetual = book.positions.find((position) => position.instrument === 'BTC-PERPETUAL')!;
      assert.equal(option.size, call.minSize);
      assert.equal(option.settlement, 'inverse');
      assert.ok(option.forward > 0 && option.iv > 0, JSON.stringify(option));
      assert.equal(perpetual.size, -5_000);
      const spot = book.spots.get('BTC')!;
      assert.ok(spot > 0);

      const grid = { spotMoves: DEFAULT_SPOT_MOVES, volShifts: [0], horizonsMs: [0] };
      const matrix = coinScenario('BTC', book.positions, spot, grid, now);
      assert.deepEqual(matrix.missing, []);
      const T = (call.expiry - now) / YEAR_MS;
      const price = (F: number): number =>
        bs.blackScholes(F, call.strike, T, option.iv, 0, 'call') / F;
      const F = option.forward;
      const optionPnl = call.minSize * (price(F * 1.1) - price(F)) * spot * 1.1;
      const perpetualPnl =
        -5_000 * (1 / perpetual.forward - 1 / (perpetual.forward * 1.1)) * spot * 1.1;
      const got = matrix.pnlUsd[cellIndex(grid, 0, 0, DEFAULT_SPOT_MOVES.indexOf(0.1))]!;
      const expected = optionPnl + perpetualPnl;
      assert.ok(Math.abs(got - expected) < 1e-6 * Math.abs(perpetualPnl), `${got} vs ${expected}`);
    } finally {
      await closeSimSession(session);
    }
  });
});
