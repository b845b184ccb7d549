import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE, START, isOption, model, venueStep } from './helpers.js';

const EXPIRY = Date.UTC(2026, 10, 20, 8);
const DAY = 86_400_000;

describe('settlement at 08:00 UTC', () => {
  it('settles exactly the expiring instruments at the index of 08:00 and lists the next day', () => {
    const crossing = model(3);
    const exact = model(3);
    const first = crossing.step(START);
    exact.step(START);
    crossing.step(START + 59 * MINUTE);
    exact.step(START + 59 * MINUTE);
    // One model steps straight across 08:00; its twin stops there to read the index.
    const across = crossing.step(START + HOUR + 10 * MINUTE);
    exact.step(EXPIRY);
    for (const venue of ['deribit', 'bybit'] as const) {
      const step = venueStep(across, venue);
      const expiring = venueStep(first, venue)
        .listed.filter((i) => i.spec.expiry !== null && i.spec.expiry <= EXPIRY)
        .map((i) => i.spec.name)
        .sort();
      assert.ok(expiring.length > 10);
      assert.deepEqual(step.expired.map((e) => e.name).sort(), expiring);
      for (const { name, settlementPrice } of step.expired) {
        const currency = name.startsWith('BTC') ? 'BTC' : 'ETH';
        assert.equal(settlementPrice, exact.indexPrice(currency), name);
      }
      assert.notEqual(exact.indexPrice('BTC'), crossing.indexPrice('BTC'));

      // The windows rolled: a new daily (23 Nov) and a new Friday (18 Dec) appear.
      const newExpiries = new Set(
        step.listed.filter((i) => isOption(i.spec)).map((i) => i.spec.expiry),
      );
      assert.deepEqual([...newExpiries].sort(), [
        Date.UTC(2026, 10, 23, 8),
        Date.UTC(2026, 11, 18, 8),
      ]);
      // Listed at the 08:00 that brought them into their windows, not when the step got there.
      for (const i of step.listed) assert.equal(i.listedAt, START + HOUR);
      const names = step.listed.map((i) => i.spec.name);
      if (venue === 'deribit') {
        assert.ok(names.includes('BTC-4DEC26'), 'the second Friday future rolls in');
        assert.ok(names.some((n) => n.startsWith('BTC-23NOV26-')));
      } else {
        assert.ok(names.every((n) => n.endsWith('-USDT')));
      }
      // Nothing that expired is still marked or quoted.
      for (const { name } of step.expired) {
        assert.equal(step.marks.has(name), false);
        assert.equal(step.quotes.has(name), false);
      }
    }
  });

  it('treats a step landing exactly on 08:00 as crossing it', () => {
    const m = model(4);
    m.step(START);
    const steps = m.step(EXPIRY);
    const expired = venueStep(steps, 'deribit').expired;
    assert.ok(expired.some((e) => e.name === 'BTC-20NOV26'));
    assert.ok(expired.every((e) => e.settlementPrice === m.indexPrice(e.name.slice(0, 3))));
    // And it is not settled again by the next step.
    assert.equal(venueStep(m.step(EXPIRY + MINUTE), 'deribit').expired.length, 0);
  });

  it('settles each day of a multi-day step at that day’s own 08:00 index', () => {
    const jump = model(5);
    const daily = model(5);
    jump.step(START);
    daily.step(START);
    const end = START + 4 * DAY;
    const steps = jump.step(end);
    const settled = new Map<string, number>();
    for (let day = 0; day < 4; day++) {
      const step = daily.step(EXPIRY + day * DAY);
      for (const e of venueStep(step, 'deribit').expired) settled.set(e.name, e.settlementPrice);
    }
    const jumpStep = venueStep(steps, 'deribit');
    const expired = new Map(jumpStep.expired.map((e) => [e.name, e.settlementPrice]));
    // Only what was listed before the jump can settle; what was listed and expired inside the
    // long step is never mentioned.
    for (const [name, price] of expired) assert.equal(settled.get(name), price, name);
    const listedNames = new Set(jumpStep.listed.map((i) => i.spec.name));
    for (const name of expired.keys()) assert.equal(listedNames.has(name), false);
    for (const i of jumpStep.listed) assert.ok(i.spec.expiry === null || i.spec.expiry > end);
    const settledDays = new Set([...expired.keys()].map((n) => n.split('-')[1]));
    assert.deepEqual([...settledDays].sort(), ['20NOV26', '21NOV26', '22NOV26']);
  });
});
