// Multi-leg orders through each venue's real adapter against the sim. On Deribit a package
// goes as one combo order (private/create_combo, then private/buy or sell on the combo) and
// fills whole, leg by leg; on Bybit, which has no combos, the line is refused with each
// leg's risk until the trader adds `legs`, and then the legs go as separate orders. A package
// whose leg fails a check sends nothing. The sim's order log is the witness of what was sent.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineMarket } from '../../src/app/gateway-market.js';
import type { SimComboRequest, SimOrderRequest } from '../../src/sim/contract.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  simOrderLog,
  tradableCall,
  type SimSession,
} from './support/sim-session.js';

async function run(
  session: SimSession,
  line: string,
  cursor: string | null = null,
): Promise<string> {
  const before = session.notes.length;
  const result = session.runner.run(line, cursor);
  assert.ok(result.ok, `${line}: ${JSON.stringify(result)}`);
  await session.runner.settled();
  return session.notes.slice(before).join('\n');
}

function held(session: SimSession, instrument: string): number {
  return (
    session.engine.account
      .positions(session.venue)
      .find((position) => position.instrument === instrument)?.size ?? 0
  );
}

function putOf(call: string): string {
  return call.replace(/-C(-|$)/, '-P$1');
}

describe('packages on Deribit: one combo order', () => {
  it('a straddle at market is one combo order that fills both legs, and selling it flattens both', async () => {
    const session = await openSimSession('deribit');
    try {
      const call = await tradableCall(session);
      const put = putOf(call.name);
      const quote = session.runner.quote('a1 st', call.name);
      assert.ok(quote !== null && quote.includes('straddle'), String(quote));
      assert.match(quote, /IV \d+\.\d\/\d+\.\d \(mark \d+\.\d\)/);
      assert.match(quote, /one combo order/);

      const said = await run(session, 'a1 st', call.name);
      assert.match(said, /bought 0\.1 BTC-STRD-\w+-\d+ at -?\d/, said);
      const log = simOrderLog(session);
      const combos = log.filter((entry) => entry.action === 'place-combo');
      assert.equal(combos.length, 1, JSON.stringify(log));
      assert.equal(log.filter((entry) => entry.action === 'place').length, 0);
      const request = combos[0]!.request as SimComboRequest;
      assert.match(request.combo, /^BTC-STRD-/);
      assert.deepEqual(
        request.legs.map((leg) => [leg.instrument, leg.ratio]).sort(),
        [
          [call.name, 1],
          [put, 1],
        ].sort(),
      );
      assert.equal(combos[0]!.status, 'filled');
      // The combo order itself reaches the account on the private stream (user.changes.any).
      const comboId = combos[0]!.orderIds[0]!;
      await waitFor('the combo order on the stream', () =>
        session.engine.account.order('deribit', comboId)?.status === 'filled' ? true : undefined,
      );
      assert.match(session.engine.account.order('deribit', comboId)!.instrument, /^BTC-STRD-/);
      await waitFor('both legs held', () =>
        held(session, call.name) === call.minSize && held(session, put) === call.minSize
          ? true
          : undefined,
      );

      // Selling the same straddle: the same combo, sold; both legs go back to flat.
      await run(session, 'd1 st', call.name);
      const sold = simOrderLog(session).filter((entry) => entry.action === 'place-combo');
      assert.equal(sold.length, 2);
      assert.equal((sold[1]!.request as SimComboRequest).side, 'sell');
      assert.equal((sold[1]!.request as SimComboRequest).combo, request.combo);
      await waitFor('both legs flat', () =>
        held(session, call.name) === 0 && held(session, put) === 0 ? true : undefined,
      );
    } finally {
      await closeSimSession(session);
    }
  });

  it('a put spread bought is the venue combo sold at the negated price; a price below what the legs allow does not trade', async () => {
    const session = await openSimSession('deribit');
    try {
      const call = await tradableCall(session);
      const strikes = [...session.engine.market.registry('deribit').all()]
        .flatMap((spec) =>
          spec.kind === 'option' && spec.expiry === call.expiry && spec.type === 'put'
            ? [spec.strike]
            : [],
        )
        .sort((a, b) => a - b);
      const at = strikes.indexOf(call.strike);
      const high = strikes[at]!;
      const low = strikes[at - 1]!;
      // Far below the spread's worth: checked as two legs, each its share; nothing trades.
      const cheap = await run(session, `a1 ps ${high}/${low} 0.0001!`, call.name);
      const log = simOrderLog(session).filter((entry) => entry.action === 'place-combo');
      assert.equal(log.length, 1, cheap);
      const request = log[0]!.request as SimComboRequest;
      assert.match(request.combo, /^BTC-PS-/);
      // The venue's put spread buys the lower strike first: ours is its opposite.
      assert.equal(request.side, 'sell');
      assert.equal(request.price, -0.0001);
      assert.equal(log[0]!.status, 'cancelled');
      assert.match(cheap, /cancelled/, cheap);
      assert.equal(held(session, putOf(call.name)), 0);
    } finally {
      await closeSimSession(session);
    }
  });

  it('a package with a leg that fails a check sends nothing and names the leg', async () => {
    const session = await openSimSession('deribit');
    try {
      const call = await tradableCall(session);
      const before = simOrderLog(session).length;
      const market = new EngineMarket(session.engine.market);
      const mid = (name: string): number => {
        const touch = market.touch('deribit', name);
        return ((touch.bid ?? NaN) + (touch.ask ?? NaN)) / 2;
      };
      const through = (mid(call.name) + mid(putOf(call.name)) + 0.03).toFixed(4);
      const said = await run(session, `a1 st ${call.strike} ${through}`, call.name);
      assert.match(said, /leg \d of 2 .*: .*add ! to send anyway/, said);
      const wrong = await run(session, 'a1 cs 1k/2k', call.name);
      assert.match(wrong, /no 1000 call on \d+[A-Z]{3}\d\d; nearest: /, wrong);
      assert.equal(simOrderLog(session).length, before);
    } finally {
      await closeSimSession(session);
    }
  });
});

describe('packages on Bybit: legs, after their risk is shown', () => {
  it('refuses a straddle with each leg risk named, and sends two orders with legs', async () => {
    const session = await openSimSession('bybit');
    try {
      const call = await tradableCall(session);
      const put = putOf(call.name);
      const quote = session.runner.quote('a1 st', call.name);
      assert.match(String(quote), /no combos here: 2 separate orders \(add legs\)/);
      const before = simOrderLog(session).length;
      const refused = await run(session, 'a1 st', call.name);
      assert.match(refused, /bybit has no combo orders: .* would go as 2 separate orders/, refused);
      assert.match(refused, /alone is Δ [+-]\d/, refused);
      assert.match(refused, /To send them so: a1 st legs/, refused);
      assert.equal(simOrderLog(session).length, before);

      await run(session, 'a1 st legs', call.name);
      const placed = simOrderLog(session)
        .slice(before)
        .filter((entry) => entry.action === 'place');
      assert.deepEqual(
        placed.map((entry) => (entry.request as SimOrderRequest).instrument).sort(),
        [call.name, put].sort(),
      );
      assert.ok(placed.every((entry) => (entry.request as SimOrderRequest).side === 'buy'));
      // Two orders' fills then two positions on the private stream: on a loaded 2-core CI
      // machine that once took over the default 5 s.
      await waitFor(
        'both legs held',
        () => (held(session, call.name) > 0 && held(session, put) > 0 ? true : undefined),
        15_000,
      );
    } finally {
      await closeSimSession(session);
    }
  });
});
