// Issue 16, points 4 to 8, through the command runner, the gateway and each venue's real
// adapter against the sim: what a line promises is what reaches the exchange (the sim's
// order log is the witness). Sizes off the lot are refused; absurd prices stop at the
// gateway on the venue's own band; a `;` line is resolved whole before any order leaves;
// a ladder over the rate cap is paced, said once; input that reads differently from what
// would run is refused.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { EngineMarket } from '../../src/app/gateway-market.js';
import type { OptionSpec, PriceBand } from '../../src/instruments/types.js';
import { waitFor } from '../support/wait.js';
import {
  closeSimSession,
  openSimSession,
  tradableCall,
  simOrderLog,
  type SimSession,
  type SimVenueName,
} from './support/sim-session.js';

/** Deribit's band moves with the mark and comes with each ticker; Bybit's is listed. */
function bandOf(session: SimSession, call: OptionSpec): Promise<PriceBand> {
  const market = new EngineMarket(session.engine.market);
  return waitFor(`${call.name}'s price band`, () =>
    session.venue === 'deribit'
      ? (market.priceBand(session.venue, call.name) ?? undefined)
      : call.priceBand,
  );
}

/** Runs a line, waits for its answers, and returns the notes it added. */
async function say(session: SimSession, line: string): Promise<string[]> {
  const before = session.notes.length;
  session.runner.run(line, null);
  await session.runner.settled();
  return session.notes.slice(before);
}

function placed(session: SimSession): number {
  return simOrderLog(session).filter((entry) => entry.action === 'place').length;
}

interface Fixture {
  readonly session: SimSession;
  readonly call: OptionSpec;
  readonly perpetual: string;
  /** Orders placed at the exchange when the points' checks began. */
  readonly start: number;
}

function points(venue: SimVenueName): void {
  let fixture: Fixture | null = null;
  const use = (): Fixture & { runner: SimSession['runner'] } => {
    assert.ok(fixture !== null, 'the session opened');
    return { ...fixture, runner: fixture.session.runner };
  };
  before(async () => {
    const session = await openSimSession(venue);
    const call = await tradableCall(session);
    const perpetual = session.engine.market.registry(venue).perpetualOf('BTC');
    assert.ok(perpetual !== undefined);
    // The points trade the perpetual too: its first ticker can come after the options'.
    await waitFor(`${perpetual.name}'s ticker`, () =>
      session.engine.market.ticker(venue, perpetual.name),
    );
    await say(session, `i ${call.name}`);
    fixture = { session, call, perpetual: perpetual.name, start: placed(session) };
  });
  after(async () => {
    if (fixture !== null) await closeSimSession(fixture.session);
  });

  it('4: a multiplier off the lot is refused when set', async () => {
    const { session, call, runner, start } = use();
    const half = new Decimal(String(call.lotSize)).div(2).toFixed();
    const refusedM = await say(session, `m ${half}`);
    assert.deepEqual(refusedM, [
      `size multiplier ${half} is not a whole number of lots for BTC options ` +
        `(lot ${call.lotSize} BTC): use m ${call.lotSize}`,
    ]);
    assert.equal(runner.prompt(null), `${call.name} ×${call.minSize}`);
    assert.equal(placed(session), start, 'nothing reached the exchange');
  });

  it('5: absurd prices stop at the gateway, on the venue band', async () => {
    const { session, call, start } = use();
    // Forced or not: digits a double cannot carry, and a price outside the venue's band
    // (Deribit's ticker min/max_price, Bybit's priceFilter).
    const digits = await say(session, 'd1 9007199254740993!');
    assert.deepEqual(digits, [
      "price 9007199254740993 has more digits than a venue's number carries: it would not be sent as typed",
    ]);
    const band = await bandOf(session, call);
    const above = new Decimal(String(band.max)).plus(String(call.tickSize * 1000)).toFixed();
    const outside = await say(session, `a1 ${above}!`);
    assert.equal(outside.length, 1, outside.join('\n'));
    assert.match(
      outside[0]!,
      new RegExp(
        `^buy at ${above}( \\([\\d.]+ on the tick\\))? is outside ${call.name}'s price band on ${venue}: `,
      ),
    );
    assert.doesNotMatch(outside[0]!, /rejected/);
    assert.equal(placed(session), start, 'nothing reached the exchange');
  });

  it('6: a ; line is resolved whole before any order leaves', async () => {
    const { session, call, runner, start } = use();
    // The bogus instrument sends nothing of the line, and the instrument chosen stays.
    const chain = await say(session, 'i perp; as1; i bogus; as1');
    assert.equal(chain.length, 1, chain.join('\n'));
    assert.match(chain[0]!, /^nothing run: step 3 of 4 \(i bogus\): "bogus" is not a listed name/);
    assert.equal(runner.instrument(null), call.name);
    const badOrder = await say(session, `i perp; as1; i ${call.name}; d1 9007199254740993`);
    assert.match(
      badOrder[0] ?? '',
      /^nothing run: step 4 of 4 \(d1 9007199254740993\): price 9007199254740993 has more digits/,
    );
    assert.equal(placed(session), start, 'nothing reached the exchange');
  });

  it('7: a ladder over the rate cap is paced within it, said once', async () => {
    const { session, call, start } = use();
    // 25 bids a tick apart from the smallest price up, far under the market.
    const tick = new Decimal(String(call.tickSize));
    const level = (i: number): Decimal => tick.times(i + 1);
    const bid = new EngineMarket(session.engine.market).touch(venue, call.name).bid ?? 0;
    assert.ok(level(24).lt(bid), `the ladder stays under the bid ${bid}`);
    const ladder = await say(session, `a1 ${level(0).toFixed()} ${level(24).toFixed()} 25`);
    await waitFor('25 ladder orders at the exchange', () =>
      placed(session) === start + 25 ? true : undefined,
    );
    const paced = ladder.filter((note) => /more than the 10 a second/.test(note));
    assert.equal(paced.length, 1, ladder.join('\n'));
    assert.ok(!ladder.some((note) => /rate cap|refused/.test(note)), ladder.join('\n'));
    const prices = simOrderLog(session)
      .filter((entry) => entry.action === 'place')
      .slice(-25)
      .map((entry) => (entry.request as { price?: number }).price);
    assert.deepEqual(
      prices,
      Array.from({ length: 25 }, (_, i) => level(i).toNumber()),
    );
    await say(session, 'ca');
  });

  it('7: cc while a paced ladder is sending stops the waves not yet sent', async () => {
    const { session, call, runner } = use();
    const tick = new Decimal(String(call.tickSize));
    const sentBefore = placed(session);
    const noted = session.notes.length;
    const open = (): number =>
      session.engine.account
        .orders(venue)
        .filter((order) => order.status === 'open' || order.status === 'untriggered').length;
    runner.run(`a1 ${tick.toFixed()} ${tick.times(30).toFixed()} 30`, null);
    // The first wave rests (a cancel must find what it cancels), the rest wait for the cap.
    await waitFor('what was sent resting', () =>
      open() > 0 && open() === placed(session) - sentBefore ? true : undefined,
    );
    runner.run('cc', null);
    await runner.settled();
    const sent = placed(session) - sentBefore;
    assert.ok(sent > 0 && sent < 30, `${sent} of 30 sent`);
    const notes = session.notes.slice(noted);
    const stopped = notes.filter((note) => /stopped by a cancel/.test(note));
    assert.equal(stopped.length, 1, notes.join('\n'));
    await waitFor('nothing of the ladder left open', () => (open() === 0 ? true : undefined));
    assert.equal(placed(session) - sentBefore, sent, 'no wave after the cancel');
  });

  it('8: input that reads otherwise is refused, never sent', async () => {
    const { session, call, runner, perpetual } = use();
    const sentBefore = placed(session);
    const lines: [line: string, message: RegExp][] = [
      ['a1 abc', /expected a price or v<iv> after the size, found "abc"/],
      ['a10.05!', /a size counts whole multiples .* put a space: "a1 0\.05"/],
      ['a1\u00a00.05', /column 3: unexpected U\+00A0 \(no-break space\)/],
      ['\ufeffas1', /column 1: unexpected U\+FEFF \(byte-order mark\)/],
    ];
    for (const [line, message] of lines) {
      const result = runner.run(line, null);
      assert.equal(result.ok, false, JSON.stringify(line));
      assert.match(session.notes.at(-1) ?? '', message);
    }
    const mangled = await say(session, `i ${perpetual.slice(1)}`);
    assert.deepEqual(mangled, [
      `no instrument is named "${perpetual.slice(1)}": did you mean ${perpetual}?`,
    ]);
    assert.equal(runner.instrument(null), call.name);
    await runner.settled();
    assert.equal(placed(session), sentBefore, 'no order from a line that reads otherwise');
  });
}

describe('what a line promises is what reaches the exchange: Deribit protocol', () => {
  points('deribit');
});
describe('what a line promises is what reaches the exchange: Bybit protocol', () => {
  points('bybit');
});
