import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINE_LENGTH, parseLine } from '../../src/commands/parse.js';
import type { Command, OrderCommand, ParseError } from '../../src/commands/types.js';

function commands(line: string): readonly Command[] {
  const parsed = parseLine(line);
  assert.ok(parsed.ok, `${line}: ${parsed.ok ? '' : parsed.error.message}`);
  assert.equal(parsed.aborted, false, line);
  return parsed.commands;
}

function only(line: string): Command {
  const list = commands(line);
  assert.equal(list.length, 1, line);
  const [command] = list;
  assert.ok(command !== undefined);
  return command;
}

function error(line: string): ParseError {
  const parsed = parseLine(line);
  assert.ok(!parsed.ok, `${line} should not parse`);
  return parsed.error;
}

function order(
  side: OrderCommand['side'],
  size: string,
  pricing: OrderCommand['pricing'],
  force = false,
): OrderCommand {
  return { kind: 'order', side, size, pricing, force };
}

const price = (value: string) => ({ kind: 'price', value }) as const;
const vol = (percent: string) => ({ kind: 'vol', percent }) as const;

describe('order forms', () => {
  it('a<n> and d<n> are market orders', () => {
    assert.deepEqual(only('a1'), order('buy', '1', { kind: 'market' }));
    assert.deepEqual(only('d5'), order('sell', '5', { kind: 'market' }));
    assert.deepEqual(only('a007'), order('buy', '007', { kind: 'market' }));
    assert.deepEqual(only('d10'), order('sell', '10', { kind: 'market' }));
  });

  it('s and w pick the bid and the ask, whichever the side', () => {
    assert.deepEqual(only('as1'), order('buy', '1', { kind: 'touch', at: 'bid' }));
    assert.deepEqual(only('aw2'), order('buy', '2', { kind: 'touch', at: 'ask' }));
    assert.deepEqual(only('dw3'), order('sell', '3', { kind: 'touch', at: 'ask' }));
    assert.deepEqual(only('ds25'), order('sell', '25', { kind: 'touch', at: 'bid' }));
  });

  it('one level is a limit: a price or v<iv>', () => {
    assert.deepEqual(
      only('a1 0.0125'),
      order('buy', '1', { kind: 'limit', level: price('0.0125') }),
    );
    assert.deepEqual(
      only('d2 91000'),
      order('sell', '2', { kind: 'limit', level: price('91000') }),
    );
    assert.deepEqual(only('a1 v62.5'), order('buy', '1', { kind: 'limit', level: vol('62.5') }));
    assert.deepEqual(only('a1 v1000'), order('buy', '1', { kind: 'limit', level: vol('1000') }));
  });

  it('a price with s glued on is a stop, for either side', () => {
    assert.deepEqual(only('d1 25000s'), order('sell', '1', { kind: 'stop', trigger: '25000' }));
    assert.deepEqual(only('a3 95000.5s'), order('buy', '3', { kind: 'stop', trigger: '95000.5' }));
  });

  it('two levels and a count are a ladder', () => {
    assert.deepEqual(
      only('a1 0.01 0.02 5'),
      order('buy', '1', { kind: 'ladder', from: price('0.01'), to: price('0.02'), count: 5 }),
    );
    assert.deepEqual(
      only('d5 v70 v60 2'),
      order('sell', '5', { kind: 'ladder', from: vol('70'), to: vol('60'), count: 2 }),
    );
    assert.deepEqual(
      only('a1 1 2 50'),
      order('buy', '1', { kind: 'ladder', from: price('1'), to: price('2'), count: 50 }),
    );
  });

  it('a trailing ! forces, glued or apart', () => {
    assert.deepEqual(
      only('a1 0.05!'),
      order('buy', '1', { kind: 'limit', level: price('0.05') }, true),
    );
    assert.deepEqual(
      only('a1 0.05 !'),
      order('buy', '1', { kind: 'limit', level: price('0.05') }, true),
    );
    assert.deepEqual(only('a1!'), order('buy', '1', { kind: 'market' }, true));
    assert.deepEqual(only('dw1!'), order('sell', '1', { kind: 'touch', at: 'ask' }, true));
    assert.deepEqual(
      only('a1 0.01 0.02 3!'),
      order('buy', '1', { kind: 'ladder', from: price('0.01'), to: price('0.02'), count: 3 }, true),
    );
    assert.deepEqual(
      only('d1 25000s!'),
      order('sell', '1', { kind: 'stop', trigger: '25000' }, true),
    );
  });

  it('keywords are case-insensitive and whitespace is free', () => {
    assert.deepEqual(only('AS1'), order('buy', '1', { kind: 'touch', at: 'bid' }));
    assert.deepEqual(only('  Dw2  '), order('sell', '2', { kind: 'touch', at: 'ask' }));
    assert.deepEqual(only('A1 V62.5'), order('buy', '1', { kind: 'limit', level: vol('62.5') }));
    assert.deepEqual(only('D1 25000S'), order('sell', '1', { kind: 'stop', trigger: '25000' }));
    assert.deepEqual(
      only('\ta1\t 0.01   0.02\t4 '),
      order('buy', '1', { kind: 'ladder', from: price('0.01'), to: price('0.02'), count: 4 }),
    );
  });
});

describe('other commands', () => {
  it('i takes the rest of the command as typed, or nothing', () => {
    assert.deepEqual(only('i 27dec 100k c'), { kind: 'instrument', query: '27dec 100k c' });
    assert.deepEqual(only('I   BTC-PERPETUAL  '), { kind: 'instrument', query: 'BTC-PERPETUAL' });
    assert.deepEqual(only('i eth  Perp'), { kind: 'instrument', query: 'eth  Perp' });
    assert.deepEqual(only('i'), { kind: 'instrument', query: null });
  });

  it('m sets or shows the multiplier', () => {
    assert.deepEqual(only('m 0.1'), { kind: 'multiplier', value: '0.1' });
    assert.deepEqual(only('M 10'), { kind: 'multiplier', value: '10' });
    assert.deepEqual(only('m'), { kind: 'multiplier', value: null });
  });

  it('cancels, hedging, info and quit', () => {
    const expected: [string, Command][] = [
      ['ca', { kind: 'cancel-all' }],
      ['cc', { kind: 'cancel-last' }],
      ['CC', { kind: 'cancel-last' }],
      ['hon', { kind: 'hedge', action: 'on' }],
      ['hoff', { kind: 'hedge', action: 'off' }],
      ['hs', { kind: 'hedge', action: 'status' }],
      ['activate delta hedging', { kind: 'hedge', action: 'on' }],
      ['deactivate delta hedging', { kind: 'hedge', action: 'off' }],
      ['delta hedging status', { kind: 'hedge', action: 'status' }],
      ['  Activate   DELTA hedging ', { kind: 'hedge', action: 'on' }],
      ['deactivatedeltahedging', { kind: 'hedge', action: 'off' }],
      ['funds', { kind: 'info', topic: 'funds' }],
      ['orders', { kind: 'info', topic: 'orders' }],
      ['Positions', { kind: 'info', topic: 'positions' }],
      ['connection status', { kind: 'info', topic: 'connection' }],
      ['conn', { kind: 'info', topic: 'connection' }],
      ['help', { kind: 'info', topic: 'help' }],
      ['quit', { kind: 'quit' }],
      ['q', { kind: 'quit' }],
    ];
    for (const [line, command] of expected) assert.deepEqual(only(line), command, line);
  });

  it('h is not a command', () => {
    assert.match(error('h').message, /^unknown command "h"/);
  });
});

describe('lines', () => {
  it('an empty or blank line is no commands', () => {
    for (const line of ['', '   ', '\t \n']) {
      assert.deepEqual(parseLine(line), { ok: true, aborted: false, commands: [] });
    }
  });

  it('; separates commands that run in order; empty commands are skipped', () => {
    assert.deepEqual(commands('i BTC-PERPETUAL; m 10; as1'), [
      { kind: 'instrument', query: 'BTC-PERPETUAL' },
      { kind: 'multiplier', value: '10' },
      order('buy', '1', { kind: 'touch', at: 'bid' }),
    ]);
    assert.deepEqual(commands('a1;;d2 .5;'), [
      order('buy', '1', { kind: 'market' }),
      order('sell', '2', { kind: 'limit', level: price('.5') }),
    ]);
    assert.deepEqual(commands(';'), []);
  });

  it('one bad command sends nothing from the line', () => {
    const parsed = parseLine('as1; m 10; zz; ca');
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.column, 12);
  });

  it('! forces only the order it ends', () => {
    assert.deepEqual(commands('a1 0.05!; d1 0.06'), [
      order('buy', '1', { kind: 'limit', level: price('0.05') }, true),
      order('sell', '1', { kind: 'limit', level: price('0.06') }),
    ]);
  });
});

describe('a final c aborts the line', () => {
  const aborted = { ok: true, aborted: true, commands: [] };

  it('whatever comes before it, parsable or not', () => {
    for (const line of ['a1 0.05!c', 'as1c', 'd3 c', 'm 0.1c', 'c', ' a1 0.01 0.02 5 c ', 'zz c']) {
      assert.deepEqual(parseLine(line), aborted, line);
    }
    for (const line of [
      'd1 85000sc',
      'hsc',
      'ordersc',
      'ac',
      'asc',
      'a1 v62.5c',
      'a1 0.01 0.02 5c',
    ]) {
      assert.deepEqual(parseLine(line), aborted, line);
    }
    assert.deepEqual(parseLine('as1; d1 0.05C'), aborted);
    assert.deepEqual(parseLine(`${'x'.repeat(MAX_LINE_LENGTH + 10)} c`), aborted);
  });

  it('but not a c that ends a word of letters which is no command: that is an error', () => {
    assert.equal(error('a1 abc').message, 'expected a price or v<iv> after the size, found "abc"');
    assert.equal(error('a1 abc').column, 4);
    assert.match(error('zzc').message, /^unknown command "zzc"/);
    assert.match(error('a1 vc').message, /expected an IV in percent after "v", found "c"/);
  });

  it('but not cc, which cancels the last order', () => {
    assert.deepEqual(only('cc'), { kind: 'cancel-last' });
    assert.deepEqual(commands('as1; cc'), [
      order('buy', '1', { kind: 'touch', at: 'bid' }),
      { kind: 'cancel-last' },
    ]);
    assert.deepEqual(parseLine('cc c'), aborted);
    assert.deepEqual(parseLine('ccc'), aborted);
  });

  it('and not an i command, where c means a call', () => {
    assert.deepEqual(only('i 27dec 100k c'), { kind: 'instrument', query: '27dec 100k c' });
    assert.deepEqual(commands('m 1; I 27dec 100k C'), [
      { kind: 'multiplier', value: '1' },
      { kind: 'instrument', query: '27dec 100k C' },
    ]);
    assert.deepEqual(parseLine('i 27dec 100k c; a1c'), aborted);
  });
});

describe('errors say what, where, and how it should look', () => {
  const cases: [line: string, message: string, column: number, example: string][] = [
    ['asx', 'expected a size after "as", found "x"', 3, 'as1'],
    ['a', 'expected a size after "a", found nothing', 2, 'a1'],
    ['dw', 'expected a size after "dw", found nothing', 3, 'dw1'],
    ['a 1', 'expected a size right after "a" (no space), found a space', 2, 'a1'],
    ['a1x', 'expected a size after "a", found "1x"', 2, 'a1'],
    ['a0', 'a size must be above 0, found "0"', 2, 'a1'],
    ['d0.000', 'a size must be above 0, found "0.000"', 2, 'd1'],
    ['a-1', 'expected a size after "a", found "-1"', 2, 'a1'],
    ['a1e3', 'expected a size after "a", found "1e3"', 2, 'a1'],
    ['a1.', 'expected a size after "a", found "1."', 2, 'a1'],
    [
      'a123456789012345678901',
      'a size has at most 20 digits, found "123456789012345678901"',
      2,
      'a1',
    ],
    ['as1 0.05', 'the touch forms (as, aw, ds, dw) take no price, found "0.05"', 5, 'as1'],
    ['ds2 v60', 'the touch forms (as, aw, ds, dw) take no price, found "v60"', 5, 'ds1'],
    ['a1 x', 'expected a price or v<iv> after the size, found "x"', 4, 'a1 0.0125'],
    ['d1 0', 'a price must be above 0, found "0"', 4, 'd1 0.0125'],
    ['a1 v', 'expected an IV in percent after "v", found nothing', 5, 'a1 v62.5'],
    ['a1 vx', 'expected an IV in percent after "v", found "x"', 5, 'a1 v62.5'],
    ['a1 v0', 'an IV must be above 0 and at most 1000 (percent), found "0"', 5, 'a1 v62.5'],
    [
      'a1 v1000.01',
      'an IV must be above 0 and at most 1000 (percent), found "1000.01"',
      5,
      'a1 v62.5',
    ],
    ['d1 v60s', 'a stop triggers on a price, not on a vol', 4, 'd1 85000s'],
    ['d1 0s', 'a trigger price must be above 0, found "0"', 4, 'd1 85000s'],
    ['d1 1x5s', 'expected a trigger price before "s", found "1x5"', 4, 'd1 85000s'],
    [
      'd1 25000 s',
      'a stop\'s "s" goes right after its price, found a space before it',
      10,
      'd1 85000s',
    ],
    [
      'a1 0.01 0.02',
      'a ladder needs the number of orders after its two ends, found nothing',
      13,
      'a1 0.01 0.02 5',
    ],
    ['a1 0.01 0.02 1', 'a ladder needs at least 2 orders, got 1', 14, 'a1 0.01 0.02 5'],
    ['a1 0.01 0.02 0', 'a ladder needs at least 2 orders, got 0', 14, 'a1 0.01 0.02 5'],
    ['a1 0.01 0.02 51', 'a ladder has at most 50 orders, got 51', 14, 'a1 0.01 0.02 5'],
    [
      'a1 0.01 0.02 99999',
      'a ladder has at most 50 orders, got more than 999',
      14,
      'a1 0.01 0.02 5',
    ],
    [
      'a1 0.01 0.02 2.5',
      'expected the number of orders after the ladder\'s ends, found "2.5"',
      14,
      'a1 0.01 0.02 5',
    ],
    [
      'a1 0.01 v60 5',
      "a ladder's ends must both be prices or both vols, found a price then a vol",
      9,
      'a1 0.01 0.02 5',
    ],
    [
      'd1 v60 0.02 5',
      "a ladder's ends must both be prices or both vols, found a vol then a price",
      8,
      'd1 0.02 0.03 5',
    ],
    [
      'a1 0.01 0.010 5',
      'a ladder needs two different ends, found "0.01" twice',
      9,
      'a1 0.01 0.02 5',
    ],
    ['a1 v60 v60.0 5', 'a ladder needs two different ends, found "v60" twice', 8, 'a1 0.01 0.02 5'],
    [
      'a1 0.01 0.02 5 6',
      'unexpected "6" after the ladder\'s number of orders',
      16,
      'a1 0.01 0.02 5',
    ],
    ['a1 0.0!5', '"!" goes at the end of the order, found it inside "0.0!5"', 7, 'a1 0.0125!'],
    ['d1 ! 0.05', '"!" goes at the end of the order, found it before the end', 4, 'd1 0.0125!'],
    ['zz', 'unknown command "zz" (help lists the commands)', 1, 'help'],
    ['xa', 'unknown command "xa", did you mean "ca"?', 1, 'ca'],
    ['positons', 'unknown command "positons", did you mean "positions"?', 1, 'positions'],
    ['qiut', 'unknown command "qiut", did you mean "quit"?', 1, 'quit'],
    ['hof', 'unknown command "hof", did you mean "hoff"?', 1, 'hoff'],
    [
      'dleta hedging status',
      'unknown command "dleta", did you mean "delta hedging status"?',
      1,
      'delta hedging status',
    ],
    [
      'activate delta hedgin',
      'expected "activate delta hedging", found "activate delta hedgin"',
      1,
      'activate delta hedging',
    ],
    ['connection', 'expected "connection status", found "connection"', 1, 'connection status'],
    ['ca now', '"ca" takes nothing after it, found "now"', 4, 'ca'],
    ['ca!', 'unknown command "ca!", did you mean "ca"?', 1, 'ca'],
    ['m x', 'expected a positive number after "m", found "x"', 3, 'm 0.1'],
    ['m 0', 'the multiplier must be above 0, found "0"', 3, 'm 0.1'],
    ['m 0.1 2', '"m" takes one number, found "2" after it', 7, 'm 0.1'],
    ['m0.1', 'expected a space between "m" and the multiplier, found "m0.1"', 2, 'm 0.1'],
  ];

  for (const [line, message, column, example] of cases) {
    it(line, () => {
      assert.deepEqual(error(line), { message, column, example });
      assert.ok(parseLine(example).ok, `the example ${example} parses`);
    });
  }

  it('columns count from the start of the whole line, across ;', () => {
    assert.deepEqual(error('i BTC-PERPETUAL;  as1;d1 0.05 0.06'), {
      message: 'a ladder needs the number of orders after its two ends, found nothing',
      column: 35,
      example: 'd1 0.02 0.03 5',
    });
    assert.equal(error('i BTC-PERPETUAL;  as1;d1 0.05 x').column, 31);
    assert.equal(error('as1; asx').column, 8);
    assert.equal(error('  zz').column, 3);
  });

  it('long typed text is cut short in the message', () => {
    const junk = 'x'.repeat(60);
    assert.equal(
      error(`a1 ${junk}`).message,
      `expected a price or v<iv> after the size, found "${'x'.repeat(23)}…"`,
    );
  });

  it('a line over the cap is refused at the first character past it', () => {
    const line = `a1${' '.repeat(MAX_LINE_LENGTH)}`;
    assert.deepEqual(error(line), {
      message: `the line is too long: ${line.length} characters, at most ${MAX_LINE_LENGTH}`,
      column: MAX_LINE_LENGTH + 1,
      example: 'a1 0.0125',
    });
    assert.ok(parseLine(`a1${' '.repeat(MAX_LINE_LENGTH - 2)}`).ok);
  });

  it('control characters are pointed at; only spaces and tabs separate words', () => {
    assert.deepEqual(error('a1\u0007 0.05'), {
      message: 'unexpected U+0007: only plain spaces separate words',
      column: 3,
      example: 'a1 0.0125',
    });
    assert.equal(error('ca\u009b').column, 3);
    assert.equal(error('\u0000').message, 'unexpected U+0000: only plain spaces separate words');
    assert.deepEqual(only('a1\t0.05'), order('buy', '1', { kind: 'limit', level: price('0.05') }));
  });

  it('whitespace that is not a space or a tab is refused with its code point and column', () => {
    const cases: [line: string, what: string, column: number][] = [
      ['\ufeffa1 0.05', 'U+FEFF (byte-order mark)', 1],
      ['a1\u00a00.05', 'U+00A0 (no-break space)', 3],
      ['i perp;\u2028as1', 'U+2028 (line separator)', 8],
      ['a1\u000b0.05', 'U+000B (vertical tab)', 3],
      ['a1\u000c0.05', 'U+000C (form feed)', 3],
      ['a1 0.05\r', 'U+000D (carriage return)', 8],
      ['a1\n0.05', 'U+000A (line feed)', 3],
      ['a1\u200b 0.05', 'U+200B (zero-width space)', 3],
      ['a1\u2003 0.05', 'U+2003', 3],
      ['a1 0.05\u202e', 'U+202E', 8],
    ];
    for (const [line, what, column] of cases) {
      assert.deepEqual(
        error(line),
        {
          message: `unexpected ${what}: only plain spaces separate words`,
          column,
          example: 'a1 0.0125',
        },
        JSON.stringify(line),
      );
    }
  });

  it('a size is a whole count: a price glued to the count is refused, not bought at market', () => {
    assert.deepEqual(error('a10.05!'), {
      message:
        'a size counts whole multiples of the size multiplier, found "10.05"; for a price, put a space: "a1 0.05"',
      column: 2,
      example: 'a1 0.05',
    });
    assert.deepEqual(error('d2.5'), {
      message:
        'a size counts whole multiples of the size multiplier, found "2.5"; for a price, put a space: "d2 .5"',
      column: 2,
      example: 'd2 .5',
    });
    assert.deepEqual(error('as0.5'), {
      message:
        'a size counts whole multiples of the size multiplier, found "0.5" (m sets the unit)',
      column: 3,
      example: 'as1',
    });
  });

  it('unicode is an unknown command, not a crash', () => {
    assert.match(error('ä1').message, /^unknown command "ä1"/);
    assert.match(error('a1 0.05€').message, /found "0.05€"/);
    assert.equal(error('🙂 a1').column, 1);
  });
});
