// One order or one position: `c3`, `e3 …`, `f …` parse to what they say, and every mistake is
// refused with where it is and a line that would work.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLine } from '../../src/commands/parse.js';
import type { Command } from '../../src/commands/types.js';

function only(line: string): Command {
  const parsed = parseLine(line);
  assert.ok(parsed.ok && !parsed.aborted, `${line}: ${JSON.stringify(parsed)}`);
  assert.equal(parsed.commands.length, 1);
  return parsed.commands[0]!;
}

function refused(line: string): { message: string; column: number; example: string } {
  const parsed = parseLine(line);
  assert.ok(!parsed.ok, `${line} parsed`);
  // The example a refusal offers always parses.
  assert.ok(parseLine(parsed.error.example).ok, parsed.error.example);
  return parsed.error;
}

describe('one-order commands', () => {
  it('c<k> cancels order #k, and only that', () => {
    assert.deepEqual(only('c3'), { kind: 'cancel-order', number: 3 });
    assert.deepEqual(only('C12'), { kind: 'cancel-order', number: 12 });
    assert.deepEqual(only('cc'), { kind: 'cancel-last' });
    assert.deepEqual(only('ca'), { kind: 'cancel-all' });
    const extra = refused('c3 0.01');
    assert.match(extra.message, /"c3" takes nothing after it/);
    assert.equal(extra.column, 4);
    assert.match(refused('c0').message, /order numbers start at 1/);
    assert.match(refused('c1234567').message, /expected an order number/);
  });

  it('e<k> moves a price, a vol or a size, or a price and a size', () => {
    assert.deepEqual(only('e3 0.013'), {
      kind: 'amend-order',
      number: 3,
      price: { kind: 'price', value: '0.013' },
      size: null,
      force: false,
    });
    assert.deepEqual(only('e3 v61.5'), {
      kind: 'amend-order',
      number: 3,
      price: { kind: 'vol', percent: '61.5' },
      size: null,
      force: false,
    });
    assert.deepEqual(only('e3 x2'), {
      kind: 'amend-order',
      number: 3,
      price: null,
      size: '2',
      force: false,
    });
    assert.deepEqual(only('e3 x2 0.013!'), {
      kind: 'amend-order',
      number: 3,
      price: { kind: 'price', value: '0.013' },
      size: '2',
      force: true,
    });
  });

  it('e<k> refuses what it cannot mean', () => {
    const bare = refused('e3');
    assert.match(bare.message, /needs a new price \(0\.013 or v61\) or size \(x2\)/);
    assert.equal(bare.column, 3);
    assert.match(refused('e3 0.01 0.02').message, /one new price/);
    assert.match(refused('e3 x1 x2').message, /one new size/);
    assert.match(refused('e3 x1.5').message, /whole multiples/);
    assert.match(refused('e3 x0').message, /above 0/);
    assert.match(refused('e3 abc').message, /expected a price or v<iv>/);
    assert.match(refused('e3 x2!').message, /changes only the size/);
  });

  it('f closes at market, f <price> at a limit; the c suffix still aborts', () => {
    assert.deepEqual(only('f'), { kind: 'flatten', price: null, force: false });
    assert.deepEqual(only('f 0.013'), {
      kind: 'flatten',
      price: { kind: 'price', value: '0.013' },
      force: false,
    });
    assert.deepEqual(only('f v55!'), {
      kind: 'flatten',
      price: { kind: 'vol', percent: '55' },
      force: true,
    });
    assert.match(refused('f 0.01 0.02').message, /at most one price/);
    for (const line of ['fc', 'f 0.013c', 'e3 0.013c', 'c3; fc']) {
      const parsed = parseLine(line);
      assert.ok(parsed.ok && parsed.aborted, line);
    }
  });

  it('runs in a ; line with the others, all or none', () => {
    const parsed = parseLine('c3; e4 0.02; f');
    assert.ok(parsed.ok && !parsed.aborted);
    assert.deepEqual(
      parsed.commands.map((command) => command.kind),
      ['cancel-order', 'amend-order', 'flatten'],
    );
    assert.ok(!parseLine('c3; e4').ok);
  });
});

describe('pnl', () => {
  it('counts the session, or from so long ago, or from a UTC time', () => {
    assert.deepEqual(only('pnl'), { kind: 'pnl', since: null });
    assert.deepEqual(only('pnl 90m'), { kind: 'pnl', since: { kind: 'ago', ms: 5_400_000 } });
    assert.deepEqual(only('pnl 2h'), { kind: 'pnl', since: { kind: 'ago', ms: 7_200_000 } });
    assert.deepEqual(only('pnl 08:30'), {
      kind: 'pnl',
      since: { kind: 'clock', minuteOfDay: 510 },
    });
    assert.match(refused('pnl 25:00').message, /expected a time after "pnl"/);
    assert.match(refused('pnl 0h').message, /above 0/);
    assert.match(refused('pnl 2h 3h').message, /takes one time/);
  });
});

describe('AccountState order numbers', () => {
  it('numbers orders as first seen open, never gives a number twice', async () => {
    const { AccountState } = await import('../../src/book/account-state.js');
    const account = new AccountState();
    const order = (orderId: string, status: 'open' | 'filled', ts: number) => ({
      kind: 'order' as const,
      venue: 'deribit',
      ts,
      orderId,
      label: null,
      instrument: 'BTC-PERPETUAL',
      side: 'buy' as const,
      orderType: 'limit' as const,
      amount: 10,
      price: 90000,
      triggerPrice: null,
      iv: null,
      filled: status === 'filled' ? 10 : 0,
      averagePrice: null,
      status,
      postOnly: true,
      reduceOnly: false,
      reason: null,
      createdTs: ts,
    });
    account.apply(order('a', 'open', 1));
    account.apply(order('b', 'open', 2));
    account.apply(order('a', 'filled', 3));
    account.apply(order('c', 'open', 4));
    assert.equal(account.orderNumber('deribit', 'a'), 1);
    assert.equal(account.orderNumber('deribit', 'b'), 2);
    // #1 filled: the next order is #3, so a c1 typed for the old one cannot hit it.
    assert.equal(account.orderNumber('deribit', 'c'), 3);
    assert.equal(account.orderByNumber('deribit', 1)?.status, 'filled');
    assert.equal(account.orderByNumber('deribit', 3)?.orderId, 'c');
    assert.equal(account.orderByNumber('deribit', 4), undefined);
    // An order first seen already final gets no number.
    account.apply(order('d', 'filled', 5));
    assert.equal(account.orderNumber('deribit', 'd'), undefined);
  });
});

describe('hb: the hedger band', () => {
  it('shows or sets the band, and refuses one that does not read at its column', () => {
    assert.deepEqual(only('hb'), { kind: 'hedge-set', setting: 'band', value: null });
    assert.deepEqual(only('hb 0.5%'), { kind: 'hedge-set', setting: 'band', value: '0.5%' });
    assert.deepEqual(only('hb $200'), { kind: 'hedge-set', setting: 'band', value: '$200' });
    assert.deepEqual(only('hb 0.001'), { kind: 'hedge-set', setting: 'band', value: '0.001' });
    const bare = refused('hb 50');
    assert.match(bare.message, /a bare number is a fraction below 1; for dollars write \$50/);
    assert.equal(bare.column, 4);
    assert.match(refused('hb wide').message, /expected 0\.25%/);
    const parsed = parseLine('hbc');
    assert.ok(parsed.ok && parsed.aborted);
  });

  it('hmode and htarget set the policy and the target delta, or show them', () => {
    assert.deepEqual(only('hmode'), { kind: 'hedge-set', setting: 'policy', value: null });
    assert.deepEqual(only('hmode gamma 1e-3'), {
      kind: 'hedge-set',
      setting: 'policy',
      value: 'gamma 1e-3',
    });
    assert.deepEqual(only('hmode time 15').kind, 'hedge-set');
    assert.deepEqual(only('htarget -0.5'), { kind: 'hedge-set', setting: 'target', value: '-0.5' });
    assert.match(refused('hmode wide').message, /expected fixed, gamma \[aversion/);
    assert.match(refused('hmode gamma 2').message, /below 1/);
    assert.match(refused('hmode time 0.5').message, /1 to 1440/);
    const target = refused('htarget half');
    assert.match(target.message, /a target is a signed number of coins/);
    assert.equal(target.column, 9);
  });

  it('hto and hratio set where a hedge trades to and its share, or show them', () => {
    assert.deepEqual(only('hto'), { kind: 'hedge-set', setting: 'to', value: null });
    assert.deepEqual(only('hto edge'), { kind: 'hedge-set', setting: 'to', value: 'edge' });
    assert.deepEqual(only('hratio 80%'), { kind: 'hedge-set', setting: 'ratio', value: '80%' });
    assert.deepEqual(only('hratio 0.5'), { kind: 'hedge-set', setting: 'ratio', value: '0.5' });
    const to = refused('hto middle');
    assert.match(to.message, /expected zero .* or edge/);
    assert.equal(to.column, 5);
    assert.match(refused('hratio 1.5').message, /at most 1/);
    assert.match(refused('hratio 0').message, /above 0/);
  });

  it('hinst counts every future, only the hedge, or names another instrument, or shows it', () => {
    assert.deepEqual(only('hinst'), { kind: 'hedge-set', setting: 'inst', value: null });
    assert.deepEqual(only('hinst net'), { kind: 'hedge-set', setting: 'inst', value: 'net' });
    assert.deepEqual(only('hinst only'), { kind: 'hedge-set', setting: 'inst', value: 'only' });
    assert.deepEqual(only('hinst BTC-27MAR26'), {
      kind: 'hedge-set',
      setting: 'inst',
      value: 'BTC-27MAR26',
    });
    const bad = refused('hinst two words');
    assert.match(bad.message, /expected net .* only .* or a future's name/);
    assert.equal(bad.column, 7);
  });
});
