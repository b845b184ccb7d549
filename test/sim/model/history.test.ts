// The sim's market history on its own: generated per day on demand, the same whatever was asked
// before, meeting the live market at the start, and priced like the live model (its vol index
// above its realised vol by the variance risk premium and the smile's wings).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyParams } from '../../../src/sim/model/currency-params.js';
import { HISTORY_DAYS, MarketHistory } from '../../../src/sim/model/history.js';
import { HOUR, MINUTE, START, model } from './helpers.js';

const DAY = 86_400_000;

function history(seed = 1): { past: MarketHistory; live: ReturnType<typeof model> } {
  const live = model(seed);
  const past = new MarketHistory(
    seed,
    START,
    ['BTC', 'ETH'],
    ['BTC', 'ETH'].map((c) => currencyParams(c, undefined)),
    live,
  );
  past.record(START, live);
  return { past, live };
}

describe('sim market history', () => {
  it('a day reads the same alone, inside a longer range, and after other days were asked for', () => {
    const day = START - 123 * DAY;
    const alone = history().past.candles('index', 'BTC', MINUTE, day, day + DAY - 1);
    const { past } = history();
    past.candles('index', 'ETH', HOUR, START - 300 * DAY, START);
    const inside = past
      .candles('index', 'BTC', MINUTE, day - 2 * DAY, day + 3 * DAY)
      .filter((c) => c.ts >= day && c.ts < day + DAY);
    assert.equal(alone.length, 1440);
    assert.deepEqual(inside, alone);
  });

  it('the last minute before the start closes at the live index price and the live vol index', () => {
    const { past, live } = history();
    for (const coin of ['BTC', 'ETH']) {
      const minutes = past.candles('index', coin, MINUTE, START - 10 * MINUTE, START - 1);
      assert.ok(Math.abs(minutes.at(-1)!.close / live.indexPrice(coin) - 1) < 1e-12);
      const vol = past.candles('volatility', coin, MINUTE, START - 10 * MINUTE, START - 1);
      assert.ok(Math.abs(vol.at(-1)!.close / live.volIndex(coin) - 1) < 1e-12);
    }
  });

  it('over the past year the vol index sits a few points above realised vol, as the live surface prices it', () => {
    const { past } = history();
    const hours = past.candles('index', 'BTC', HOUR, START - 365 * DAY, START - 1);
    let sum = 0;
    for (let i = 1; i < hours.length; i++)
      sum += Math.log(hours[i]!.close / hours[i - 1]!.close) ** 2;
    const realised = Math.sqrt((sum / (hours.length - 1)) * 8760);
    const vol = past.candles('volatility', 'BTC', DAY, START - 365 * DAY, START - 1);
    const implied = vol.reduce((total, c) => total + c.close, 0) / vol.length;
    // Realised: the regime mix (0.36–0.90); implied: × 1.06, a long-run level 5 % above normal
    // and the smile's wings (the index is a variance swap: 1.09× the 30-day ATM vol here).
    assert.ok(realised > 0.4 && realised < 0.7, `realised ${realised}`);
    assert.ok(implied / realised > 1.05 && implied / realised < 1.3, `${implied} over ${realised}`);
  });

  it('history reaches back HISTORY_DAYS and no further; an unknown coin or period is a RangeError', () => {
    const { past } = history();
    const first = past.candles('index', 'BTC', DAY, 0, START)[0]!;
    assert.equal(first.ts, past.earliest);
    assert.ok(START - past.earliest >= HISTORY_DAYS * DAY);
    assert.throws(() => past.candles('index', 'XRP', MINUTE, 0, 1), RangeError);
    assert.throws(() => past.candles('index', 'BTC', 7 * MINUTE, 0, 1), RangeError);
  });
});
