import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COLUMN_IDS,
  COLUMNS,
  fit,
  NARROW_COLUMNS,
  parseColumns,
  sideText,
  sideTitles,
  sideWidth,
  STRIKE_WIDTH,
  strikeText,
  tableWidth,
  WIDE_COLUMNS,
  type ColumnId,
} from '../../src/ui/chain-columns.js';
import { computeLayout, HEADER_ROWS, type Layout } from '../../src/ui/layout.js';
import type { ChainSideView } from '../../src/view/types.js';

/** Terminal sizes as the app lays them out (one row short of the terminal). */
const SIZES = [
  [80, 23],
  [100, 33],
  [120, 39],
  [150, 44],
  [200, 59],
  [300, 80],
] as const;

const STRIP_ROWS = 1;
const TITLE_ROWS = 1;
const FOOTER_ROWS = 2;
const MIN_SURFACE_WIDTH = 38;

function layouts(): { layout: Layout; where: string; usd: boolean }[] {
  const all: { layout: Layout; where: string; usd: boolean }[] = [];
  for (const [cols, rows] of SIZES) {
    for (const usd of [false, true]) {
      for (const surfaceInstead of [false, true]) {
        all.push({
          layout: computeLayout(cols, rows, { usd, surfaceInstead }),
          where: `${cols}x${rows}${usd ? ' usd' : ''}${surfaceInstead ? ' surface' : ''}`,
          usd,
        });
      }
    }
  }
  return all;
}

const SIDE: ChainSideView = {
  instrument: 'BTC-27NOV26-90000-C',
  bid: 0.0123,
  bidSize: 12.3,
  ask: 0.0135,
  askSize: 5,
  mark: 0.013,
  bidIv: 0.5234,
  askIv: 0.5512,
  markIv: 0.54,
  delta: 0.4512,
  gamma: 2.1e-5,
  vega: 45.6,
  theta: -123.4,
  stale: false,
};

const EMPTY_SIDE: ChainSideView = {
  instrument: null,
  bid: NaN,
  bidSize: NaN,
  ask: NaN,
  askSize: NaN,
  mark: NaN,
  bidIv: NaN,
  askIv: NaN,
  markIv: NaN,
  delta: NaN,
  gamma: NaN,
  vega: NaN,
  theta: NaN,
  stale: true,
};

const INDEX = 90_800;

describe('computeLayout', () => {
  it('the chain never runs wider than the terminal', () => {
    for (const { layout, where } of layouts()) {
      assert.ok(layout.chainWidth <= layout.cols, where);
      assert.ok(layout.chainWidth > 0, where);
    }
  });

  // chainWidth is clamped to the terminal, so check the table the columns actually make: at
  // 80 columns in USD, 88 characters of cells would lose the puts' right-hand columns.
  it('the columns chosen fit the width, in the quote unit and in USD', () => {
    const overflowing = layouts()
      .filter(({ layout, usd }) => tableWidth(layout.columns, usd) > layout.cols)
      .map(({ layout, where, usd }) => `${where}: ${tableWidth(layout.columns, usd)} wide`);
    assert.deepEqual(overflowing, []);
  });

  it('everything stacked fits the height', () => {
    for (const { layout, where } of layouts()) {
      const bottom =
        layout.bottom === 'stacked'
          ? layout.positionsHeight + layout.ordersHeight
          : Math.max(layout.positionsHeight, layout.ordersHeight);
      const used = HEADER_ROWS + STRIP_ROWS + TITLE_ROWS + layout.chainRows + bottom + FOOTER_ROWS;
      assert.ok(used <= layout.rows, `${where}: ${used} rows`);
      assert.ok(layout.chainRows >= 5, where);
      assert.ok(layout.positionsHeight > 0 && layout.ordersHeight > 0, where);
    }
  });

  it('gives the panels the rows their orders and positions need, down to the chain’s share (issue 16 #14)', () => {
    for (const [cols, rows] of SIZES) {
      for (const demand of [
        { positions: 4, orders: 5 },
        { positions: 40, orders: 3 },
        { positions: 2, orders: 60 },
        { positions: 50, orders: 50 },
      ]) {
        const layout = computeLayout(cols, rows, { usd: false, surfaceInstead: false, demand });
        const where = `${cols}x${rows} ${JSON.stringify(demand)}`;
        const stacked = layout.bottom === 'stacked';
        const bottom = stacked
          ? layout.positionsHeight + layout.ordersHeight
          : Math.max(layout.positionsHeight, layout.ordersHeight);
        const used =
          HEADER_ROWS + STRIP_ROWS + TITLE_ROWS + layout.chainRows + bottom + FOOTER_ROWS;
        assert.ok(used <= layout.rows, `${where}: ${used} rows`);
        assert.ok(layout.chainRows >= 5, where);
        // Each panel shows a title, a row and its "+N more", or everything it has.
        assert.ok(layout.positionsHeight >= Math.min(3, demand.positions), where);
        assert.ok(layout.ordersHeight >= Math.min(3, demand.orders), where);
      }
      // A few orders and positions fit whole at 80×24 and above.
      const few = computeLayout(cols, rows, {
        usd: false,
        surfaceInstead: false,
        demand: { positions: 4, orders: 5 },
      });
      assert.ok(few.positionsHeight >= 4 && few.ordersHeight >= 5, `${cols}x${rows}`);
    }
  });

  it('the charts go beside the chain exactly when 38 columns are left next to it', () => {
    for (const { layout, where } of layouts()) {
      const left = layout.cols - layout.chainWidth - 1;
      assert.equal(layout.surface === 'beside', left >= MIN_SURFACE_WIDTH, where);
      if (layout.surface === 'beside') {
        assert.ok(layout.surfaceWidth >= MIN_SURFACE_WIDTH, where);
        assert.ok(layout.chainWidth + 1 + layout.surfaceWidth <= layout.cols, where);
      }
      if (layout.surface !== 'none') {
        assert.ok(layout.smileHeight > 0 && layout.termHeight > 0, where);
        assert.ok(layout.smileHeight + layout.termHeight <= layout.chainRows + TITLE_ROWS, where);
      } else {
        assert.deepEqual([layout.surfaceWidth, layout.smileHeight, layout.termHeight], [0, 0, 0]);
      }
    }
  });

  it('narrow screens show the charts only when asked, in place of the chain', () => {
    const plain = computeLayout(80, 23, { usd: false, surfaceInstead: false });
    assert.equal(plain.surface, 'none');
    const instead = computeLayout(80, 23, { usd: false, surfaceInstead: true });
    assert.equal(instead.surface, 'instead');
    assert.equal(instead.surfaceWidth, 80);
    // Wide screens have them beside the chain whatever the toggle says.
    assert.equal(computeLayout(200, 59, { usd: false, surfaceInstead: true }).surface, 'beside');
  });

  it('picks the richest chain that leaves the charts room, else the richest that fits', () => {
    const at = (cols: number) => computeLayout(cols, 40, { usd: false, surfaceInstead: false });
    assert.deepEqual(at(80).columns, NARROW_COLUMNS);
    assert.equal(at(80).chainWidth, 80);
    assert.deepEqual(at(110).columns, WIDE_COLUMNS);
    assert.equal(at(110).surface, 'none');
    assert.deepEqual(at(120).columns, NARROW_COLUMNS);
    assert.equal(at(120).surface, 'beside');
    assert.deepEqual(at(150).columns, WIDE_COLUMNS);
    assert.equal(at(150).surface, 'beside');
    assert.deepEqual(at(200).columns, WIDE_COLUMNS);
  });

  it('positions and orders sit side by side only from 180 columns', () => {
    for (const { layout, where } of layouts()) {
      assert.equal(layout.bottom === 'side-by-side', layout.cols >= 180, where);
      if (layout.bottom === 'side-by-side') {
        assert.ok(layout.positionsWidth + 1 + layout.ordersWidth <= layout.cols, where);
        assert.ok(layout.positionsWidth > layout.ordersWidth, where);
      } else {
        assert.equal(layout.positionsWidth, layout.cols, where);
        assert.equal(layout.ordersWidth, layout.cols, where);
      }
    }
    const edge = (cols: number) => computeLayout(cols, 40, { usd: false, surfaceInstead: false });
    assert.equal(edge(179).bottom, 'stacked');
    assert.equal(edge(180).bottom, 'side-by-side');
  });

  it('honours --columns', () => {
    const columns: ColumnId[] = ['bid', 'ask', 'theta'];
    for (const [cols, rows] of SIZES) {
      const layout = computeLayout(cols, rows, { columns, usd: false, surfaceInstead: false });
      assert.deepEqual(layout.columns, columns);
      assert.equal(layout.chainWidth, Math.min(cols, tableWidth(columns, false)));
    }
    const all = computeLayout(300, 80, { columns: COLUMN_IDS, usd: true, surfaceInstead: false });
    assert.deepEqual(all.columns, COLUMN_IDS);
    assert.equal(all.chainWidth, tableWidth(COLUMN_IDS, true));
  });
});

describe('chain columns', () => {
  const sets: readonly (readonly ColumnId[])[] = [
    NARROW_COLUMNS,
    WIDE_COLUMNS,
    COLUMN_IDS,
    ['mark'],
    ['ivs', 'gamma'],
  ];

  it('tableWidth is the length of a drawn row, in the quote unit and in USD', () => {
    for (const columns of sets) {
      for (const side of [SIDE, EMPTY_SIDE]) {
        for (const usd of [null, INDEX]) {
          const row =
            sideText(side, columns, usd, true) +
            strikeText(90_000) +
            sideText(side, columns, usd, false);
          const where = `${columns.join(',')} ${usd === null ? 'coin' : 'usd'}`;
          assert.equal(row.length, tableWidth(columns, usd !== null), where);
          assert.equal(
            sideText(side, columns, usd, false).length,
            sideWidth(columns, usd !== null),
          );
        }
      }
    }
  });

  it('titles line up with the cells', () => {
    for (const columns of sets) {
      for (const usd of [false, true]) {
        const titles =
          sideTitles(columns, usd, true) +
          'strike'.padStart(STRIKE_WIDTH - 1).padEnd(STRIKE_WIDTH) +
          sideTitles(columns, usd, false);
        assert.equal(titles.length, tableWidth(columns, usd));
      }
    }
  });

  it('calls read towards the strike: mirrored, with the bid next to it', () => {
    const calls = sideText(SIDE, ['bid', 'ask'], null, true);
    const puts = sideText(SIDE, ['bid', 'ask'], null, false);
    assert.equal(calls, `${fit('0.0135', 6)} ${fit('0.0123', 6)} `);
    assert.equal(puts, ` ${fit('0.0123', 6)} ${fit('0.0135', 6)}`);
  });

  it('USD cells are the coin premium at the index, grouped', () => {
    assert.equal(sideText(SIDE, ['bid'], INDEX, false), ` ${fit('1,116.84', 9)}`);
  });

  it('a typical side fills every cell without cutting any', () => {
    for (const usd of [null, INDEX]) {
      for (const id of COLUMN_IDS) {
        const text = COLUMNS[id].cell(SIDE, usd);
        const width = usd === null ? COLUMNS[id].width : COLUMNS[id].usdWidth;
        assert.ok(text.length <= width, `${id}: '${text}' in ${width}`);
      }
    }
  });

  // Short-dated crypto wings trade above 100 vol, and BTC books hold thousands of coins.
  it('cells of large IVs and sizes are not cut off', () => {
    const wild: ChainSideView = { ...SIDE, bidIv: 1.25, askIv: 1.312, bidSize: 1234.5 };
    const cut = (['ivs', 'bid-size'] as const)
      .map((id) => ({ id, text: COLUMNS[id].cell(wild, null), width: COLUMNS[id].width }))
      .filter(({ text, width }) => text.length > width)
      .map(({ id, text, width }) => `${id}: '${text}' in ${width}`);
    assert.deepEqual(cut, []);
  });

  it('strikes are right-aligned in a fixed width', () => {
    for (const strike of [500, 95_000, 100_000, 0.85, 3200.5]) {
      assert.equal(strikeText(strike).length, STRIKE_WIDTH, String(strike));
    }
    assert.equal(strikeText(95_000), '  95000 ');
    assert.equal(strikeText(100_000), ' 100000 ');
  });
});

describe('parseColumns', () => {
  it('reads names in order, ignoring spaces and empty entries', () => {
    assert.deepEqual(parseColumns('bid,ask'), ['bid', 'ask']);
    assert.deepEqual(parseColumns(' bid-size , mark-iv ,,theta, '), [
      'bid-size',
      'mark-iv',
      'theta',
    ]);
    assert.deepEqual(parseColumns(COLUMN_IDS.join(',')), [...COLUMN_IDS]);
  });

  it('an unknown name is named, with the choices listed', () => {
    assert.throws(
      () => parseColumns('bid,iv,ask'),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /'iv'/);
        for (const id of COLUMN_IDS) assert.ok(error.message.includes(id), id);
        return true;
      },
    );
    assert.throws(() => parseColumns('Bid'), /unknown column 'Bid'/);
  });

  it('no names at all is an error listing the choices', () => {
    for (const text of ['', ' ', ',,']) {
      assert.throws(
        () => parseColumns(text),
        (error: unknown) =>
          error instanceof Error &&
          /no columns/.test(error.message) &&
          COLUMN_IDS.every((id) => error.message.includes(id)),
        JSON.stringify(text),
      );
    }
  });
});

describe('fit', () => {
  it('right-aligns shorter text in exactly the width', () => {
    assert.equal(fit('abc', 5), '  abc');
    assert.equal(fit('abcde', 5), 'abcde');
    assert.equal(fit('', 3), '   ');
  });

  it('cuts longer text to the width, ending in an ellipsis', () => {
    assert.equal(fit('abcdef', 5), 'abcd…');
    assert.equal(fit('123456789', 4), '123…');
    assert.equal(fit('ab', 1), '…');
  });
});
