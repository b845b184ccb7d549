// The session's money on the sim: a round trip bought and sold back shows its realised PnL and
// fees in `funds`, per currency and in USD, matching the sim's own fills.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountLines, pnlLines } from '../../src/app/info-lines.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import { waitFor } from '../support/wait.js';
import { closeSimSession, openSimSession } from './support/sim-session.js';

describe('money in funds', () => {
  for (const venue of ['deribit', 'bybit'] as const) {
    it(`${venue}: a round trip's realised PnL and fees, in the coin and in USD`, async () => {
      const session = await openSimSession(venue);
      try {
        const market = new EngineMarket(session.engine.market);
        const call = await waitFor('a two-sided call', () =>
          session.engine.market
            .chains(venue)
            .flatMap((chain) => chain.options)
            .find(
              (spec) =>
                spec.type === 'call' &&
                spec.expiry - Date.now() > 7 * 86_400_000 &&
                market.touch(venue, spec.name).ask !== null &&
                market.touch(venue, spec.name).bid !== null,
            ),
        );
        session.runner.run(`i ${call.name}; aw1`, null);
        await session.runner.settled();
        await waitFor('bought', () => session.engine.account.position(venue, call.name));
        session.runner.run('ds1', null);
        await session.runner.settled();
        await waitFor('flat again', () =>
          session.engine.account.position(venue, call.name) === undefined ? true : undefined,
        );
        const fills = await waitFor('both fills', () => {
          const mine = session.engine.account
            .fills(venue)
            .filter((fill) => fill.instrument === call.name);
          return mine.length >= 2 ? mine : undefined;
        });
        const bought = fills.filter((fill) => fill.side === 'buy');
        const sold = fills.filter((fill) => fill.side === 'sell');
        const amount = (side: typeof fills) =>
          side.reduce((sum, fill) => sum + fill.size * fill.price, 0);
        const expected = amount(sold) - amount(bought);
        const fees = fills.reduce((sum, fill) => sum + fill.fee, 0);
        const lines = accountLines('funds', session.engine, market, venue);
        const row = lines.find(
          (line) =>
            line.startsWith(call.settleCurrency) &&
            /^\S+\s+-?\d/.test(line) &&
            lines.indexOf(line) > lines.findIndex((l) => l.startsWith('session')),
        );
        assert.ok(row !== undefined, lines.join('\n'));
        const [, realised, paid, open, realisedUsd] = row.trim().split(/\s+/);
        assert.ok(
          Math.abs(Number(realised) - expected) < 1e-6,
          `${realised} vs ${expected}\n${lines.join('\n')}`,
        );
        assert.ok(Math.abs(Number(paid) - fees) < 1e-6, `${paid} vs ${fees}`);
        assert.equal(Number(open), 0);
        assert.ok(realisedUsd !== '-', 'valued in USD');
        assert.match(
          lines.at(-1)!,
          /\(\d+ fills? this session; realised at average cost, fees as charged\)/,
        );
        assert.match(
          lines[0]!,
          /currency\s+equity\s+balance\s+available\s+init margin\s+maint margin\s+equity \$/,
        );
        // pnl: the same round trip counted over the last hour, and nothing since a minute on.
        const hour = pnlLines(session.engine, venue, Date.now() - 3_600_000);
        const coin = hour
          .find((line) => line.startsWith(call.settleCurrency))!
          .trim()
          .split(/\s+/);
        assert.ok(Math.abs(Number(coin[1]) - expected) < 1e-6, hour.join('\n'));
        assert.ok(Math.abs(Number(coin[3]) - (expected - fees)) < 1e-6, hour.join('\n'));
        assert.deepEqual(pnlLines(session.engine, venue, Date.now() + 60_000), [
          'no fills in that time',
        ]);
      } finally {
        await closeSimSession(session);
      }
    });
  }
});
