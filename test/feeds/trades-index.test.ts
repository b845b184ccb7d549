import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bybitTradesFromMessage } from '../../src/feeds/bybit/trades.js';
import { deribitIndexFromMessage } from '../../src/feeds/deribit/index-price.js';
import { deribitTradesFromMessage } from '../../src/feeds/deribit/trades.js';
import { WireFormatError } from '../../src/feeds/wire-fields.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const stream2023 = readJsonLines('bybit', 'v5-option-stream-2023-04-05.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const shapes2026 = readJsonLines('bybit', 'v5-option-shapes-2026-09.jsonl').map(({ value }) =>
  recordedMessage(value),
);
const deribitCapture = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ value }) =>
  recordedMessage(value),
);

function bybitTrades(recording: unknown[]): { message: unknown; rows: Record<string, unknown>[] } {
  const found = recording.find((message) => field(message, 'topic') === 'publicTrade.BTC');
  assert.ok(found, 'the recording has trades');
  const message = structuredClone(found);
  return { message, rows: field(message, 'data') as Record<string, unknown>[] };
}

// The capture subscribed to trades but recorded none, so these are written from the
// examples on docs.deribit.com for trades.(instrument_name).(interval) and
// trades.(kind).(currency).(interval); the block trade id is made up in the documented shape.
function deribitOptionTrades(): { message: unknown; rows: Record<string, unknown>[] } {
  const rows: Record<string, unknown>[] = [
    {
      trade_seq: 2,
      trade_id: '48079289',
      timestamp: 1590484589306,
      tick_direction: 2,
      price: 0.0075,
      mark_price: 0.01062686,
      iv: 47.58,
      instrument_name: 'BTC-27MAY20-9000-C',
      index_price: 8956.17,
      direction: 'sell',
      amount: 3,
    },
    {
      trade_seq: 1,
      trade_id: '48079290',
      timestamp: 1590484589306,
      tick_direction: 0,
      price: 0.0425,
      mark_price: 0.0421,
      iv: 52.3,
      instrument_name: 'BTC-27MAY20-8750-P',
      index_price: 8956.17,
      direction: 'buy',
      amount: 25,
      block_trade_id: '154',
    },
  ];
  const message = {
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel: 'trades.option.BTC.raw', data: rows },
  };
  return { message, rows };
}

function deribitPerpetualTrade(): { message: unknown; rows: Record<string, unknown>[] } {
  const rows: Record<string, unknown>[] = [
    {
      trade_seq: 30289442,
      trade_id: '48079269',
      timestamp: 1590484156350,
      tick_direction: 2,
      price: 8950,
      mark_price: 8948.9,
      instrument_name: 'BTC-PERPETUAL',
      index_price: 8955.88,
      direction: 'sell',
      amount: 10,
    },
  ];
  const message = {
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel: 'trades.BTC-PERPETUAL.raw', data: rows },
  };
  return { message, rows };
}

/** From the example on docs.deribit.com for deribit_price_index.(index_name). */
function indexMessage(indexName = 'btc_usd'): { message: unknown; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {
    timestamp: 1550588002899,
    price: 3937.89,
    index_name: indexName,
  };
  const message = {
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel: `deribit_price_index.${indexName}`, data },
  };
  return { message, data };
}

function assertWireError(run: () => unknown, prefix: string, says: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WireFormatError, `a WireFormatError, not ${String(error)}`);
    assert.ok(error.message.startsWith(prefix), error.message);
    assert.match(error.message, says);
    return true;
  });
}

describe('bybitTradesFromMessage', () => {
  it('maps the 2023 trade, which has no IV, mark or index', () => {
    assert.deepEqual(bybitTradesFromMessage(bybitTrades(stream2023).message), [
      {
        kind: 'trade',
        venue: 'bybit',
        instrument: 'BTC-28APR23-29500-C',
        ts: 1680652922081,
        tradeId: '0404c393-8419-5bac-95c3-5fea28404754',
        price: 985,
        size: 0.01,
        takerSide: 'sell',
        iv: null,
        markPrice: null,
        indexPrice: null,
        block: false,
      },
    ]);
  });

  it('maps both 2026 trades with their IV, mark and index', () => {
    const common = { kind: 'trade', venue: 'bybit', ts: 1790373961369, takerSide: 'buy' };
    assert.deepEqual(bybitTradesFromMessage(bybitTrades(shapes2026).message), [
      {
        ...common,
        instrument: 'BTC-25JUN27-106000-C-USDT',
        tradeId: '44f06f5c-3628-5a2d-9a1c-0142ddf5e2ab',
        price: 240,
        size: 0.1,
        iv: 0.14,
        markPrice: 238.7827077,
        indexPrice: 83885.18491835,
        block: false,
      },
      {
        ...common,
        instrument: 'BTC-26SEP26-83750-C-USDT',
        tradeId: 'a34d7d60-0fbe-5ff2-865f-8621c27f64cb',
        price: 245,
        size: 0.3,
        iv: 0.14,
        markPrice: 244.1,
        indexPrice: 83885.18491835,
        block: false,
      },
    ]);
  });

  it('marks block trades', () => {
    const { message, rows } = bybitTrades(stream2023);
    assert.ok(rows[0]);
    rows[0]['BT'] = true;
    assert.equal(bybitTradesFromMessage(message)?.[0]?.block, true);
  });

  const breakages: [what: string, edit: (row: Record<string, unknown>) => void, says: RegExp][] = [
    ['a lower-case side', (row) => (row['S'] = 'buy'), /"S" must be Buy or Sell, got "buy"/],
    ['a missing block flag', (row) => delete row['BT'], /"BT" must be a boolean, missing/],
    ['an empty price', (row) => (row['p'] = ''), /"p" must be a decimal string, got ""/],
    ['a size that is no decimal', (row) => (row['v'] = '1 BTC'), /"v" .*"1 BTC"/],
    ['an IV that is no decimal', (row) => (row['iv'] = 'high'), /"iv" .*"high"/],
    ['a text trade time', (row) => (row['T'] = '1790373961369'), /"T" must be a number/],
  ];
  for (const [what, edit, says] of breakages) {
    it(`throws, naming the row and field, on ${what}`, () => {
      const { message, rows } = bybitTrades(shapes2026);
      assert.ok(rows[1]);
      edit(rows[1]);
      assertWireError(
        () => bybitTradesFromMessage(message),
        'Bybit publicTrade.BTC data[1]: ',
        says,
      );
    });
  }

  it('ignores every recorded message that is not a trade', () => {
    const others = [...stream2023, ...shapes2026].filter(
      (message) => field(message, 'topic') !== 'publicTrade.BTC',
    );
    assert.equal(others.length, 9);
    for (const message of [...others, { op: 'pong' }, null]) {
      assert.equal(bybitTradesFromMessage(message), null);
    }
  });
});

describe('deribitTradesFromMessage', () => {
  it('maps option prints of a kind-and-currency channel, IV in percent to a decimal', () => {
    const common = { kind: 'trade', venue: 'deribit', ts: 1590484589306, indexPrice: 8956.17 };
    assert.deepEqual(deribitTradesFromMessage(deribitOptionTrades().message), [
      {
        ...common,
        instrument: 'BTC-27MAY20-9000-C',
        tradeId: '48079289',
        price: 0.0075,
        size: 3,
        takerSide: 'sell',
        iv: 0.4758,
        markPrice: 0.01062686,
        block: false,
      },
      {
        ...common,
        instrument: 'BTC-27MAY20-8750-P',
        tradeId: '48079290',
        price: 0.0425,
        size: 25,
        takerSide: 'buy',
        iv: 0.523,
        markPrice: 0.0421,
        block: true,
      },
    ]);
  });

  it('maps a print of an instrument channel, with no IV off options', () => {
    assert.deepEqual(deribitTradesFromMessage(deribitPerpetualTrade().message), [
      {
        kind: 'trade',
        venue: 'deribit',
        instrument: 'BTC-PERPETUAL',
        ts: 1590484156350,
        tradeId: '48079269',
        price: 8950,
        size: 10,
        takerSide: 'sell',
        iv: null,
        markPrice: 8948.9,
        indexPrice: 8955.88,
        block: false,
      },
    ]);
  });

  it('throws on a print of another instrument than the channel names', () => {
    const { message, rows } = deribitPerpetualTrade();
    assert.ok(rows[0]);
    rows[0]['instrument_name'] = 'ETH-PERPETUAL';
    assertWireError(
      () => deribitTradesFromMessage(message),
      'Deribit trades.BTC-PERPETUAL.raw data[0]: ',
      /"instrument_name" is "ETH-PERPETUAL", not the channel's/,
    );
  });

  const breakages: [what: string, edit: (row: Record<string, unknown>) => void, says: RegExp][] = [
    [
      'an unknown direction',
      (row) => (row['direction'] = 'long'),
      /"direction" must be buy or sell/,
    ],
    ['a numeric trade id', (row) => (row['trade_id'] = 48079290), /"trade_id" must be a string/],
    ['a text price', (row) => (row['price'] = '0.0425'), /"price" must be a number/],
    ['a text IV', (row) => (row['iv'] = '52.3'), /"iv" must be a number/],
    ['a missing mark price', (row) => delete row['mark_price'], /"mark_price" .* missing/],
    ['a numeric block trade id', (row) => (row['block_trade_id'] = 154), /"block_trade_id"/],
  ];
  for (const [what, edit, says] of breakages) {
    it(`throws, naming the row and field, on ${what}`, () => {
      const { message, rows } = deribitOptionTrades();
      assert.ok(rows[1]);
      edit(rows[1]);
      assertWireError(
        () => deribitTradesFromMessage(message),
        'Deribit trades.option.BTC.raw data[1]: ',
        says,
      );
    });
  }

  it('ignores every message of the capture, none of which is a trade', () => {
    assert.equal(deribitCapture.length, 136);
    for (const message of deribitCapture) assert.equal(deribitTradesFromMessage(message), null);
    const userTrades = structuredClone(deribitPerpetualTrade().message) as {
      params: { channel: string };
    };
    userTrades.params.channel = 'user.trades.BTC-PERPETUAL.raw';
    assert.equal(deribitTradesFromMessage(userTrades), null);
  });
});

describe('deribitIndexFromMessage', () => {
  it('maps an index notification, base and quote from the index name', () => {
    assert.deepEqual(deribitIndexFromMessage(indexMessage().message), {
      kind: 'index',
      venue: 'deribit',
      base: 'BTC',
      quote: 'USD',
      ts: 1550588002899,
      price: 3937.89,
    });
    const sol = deribitIndexFromMessage(indexMessage('sol_usdc').message);
    assert.deepEqual([sol?.base, sol?.quote], ['SOL', 'USDC']);
  });

  it('throws on a malformed index notification', () => {
    const other = indexMessage();
    other.data['index_name'] = 'eth_usd';
    assertWireError(
      () => deribitIndexFromMessage(other.message),
      'Deribit deribit_price_index.btc_usd: ',
      /"index_name" is "eth_usd", not the channel's/,
    );
    const text = indexMessage();
    text.data['price'] = '3937.89';
    assertWireError(
      () => deribitIndexFromMessage(text.message),
      'Deribit deribit_price_index.btc_usd: ',
      /"price" must be a number, got "3937.89"/,
    );
    const odd = indexMessage('btcusd');
    assertWireError(
      () => deribitIndexFromMessage(odd.message),
      'Deribit deribit_price_index.btcusd: ',
      /"index_name" must be <base>_<quote>, got "btcusd"/,
    );
  });

  it('ignores every message of the capture, none of which is an index', () => {
    for (const message of deribitCapture) assert.equal(deribitIndexFromMessage(message), null);
    const ranking = structuredClone(indexMessage().message) as { params: { channel: string } };
    ranking.params.channel = 'deribit_price_ranking.btc_usd';
    assert.equal(deribitIndexFromMessage(ranking), null);
  });
});
