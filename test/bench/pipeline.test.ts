// The pipeline bench's frames must be what the venue sends and what the mappers take, or its
// timings would measure some other workload. No timing here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FramePipeline, specsFromResult, VENUE } from '../../bench/pipeline-feed.js';
import { DeribitFrameSource, START } from '../../bench/pipeline-frames.js';
import type { OptionSpec } from '../../src/instruments/types.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';

const capture = readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl').map(({ value }) =>
  recordedMessage(value),
);

function channelOf(message: unknown): string {
  const channel = field(message, 'params', 'channel');
  return typeof channel === 'string' ? channel : '';
}

function recorded(test: (message: unknown) => boolean): unknown {
  const message = capture.find(test);
  assert.ok(message !== undefined);
  return message;
}

function keys(value: unknown, ...path: string[]): string[] {
  return Object.keys(field(value, ...path) as object);
}

const isTicker = (m: unknown): boolean => channelOf(m).startsWith('ticker.');
const isBook = (type: string) => (m: unknown) =>
  channelOf(m).startsWith('book.') && field(m, 'params', 'data', 'type') === type;

describe('pipeline bench frames', () => {
  const source = new DeribitFrameSource(7);
  const specs = specsFromResult(source.instrumentsResult());
  const opening = source.openingFrames();
  const slices = Array.from({ length: 8 }, () => source.slice(2_500, 0.6));

  it('lists 2,000 BTC and ETH inverse options over 12 expiries, plus futures', () => {
    const options = specs.filter((spec): spec is OptionSpec => spec.kind === 'option');
    assert.equal(options.length, 2_000);
    for (const base of ['BTC', 'ETH']) {
      const ofBase = options.filter((o) => o.base === base);
      assert.equal(ofBase.length, 1_000);
      assert.equal(new Set(ofBase.map((o) => o.expiry)).size, 12);
      assert.ok(ofBase.every((o) => o.settlement === 'inverse' && o.quote === base));
    }
    assert.ok(specs.some((spec) => spec.kind === 'perpetual'));
    assert.ok(specs.some((spec) => spec.kind === 'future'));
  });

  it('shapes tickers and book frames key for key as the recorded ones', () => {
    const all = [...opening, ...slices.flat()].map((text) => JSON.parse(text) as unknown);
    const samples = [
      { ours: all.find(isTicker), theirs: recorded(isTicker) },
      { ours: all.find(isBook('snapshot')), theirs: recorded(isBook('snapshot')) },
      { ours: all.find(isBook('change')), theirs: recorded(isBook('change')) },
    ];
    for (const { ours, theirs } of samples) {
      assert.ok(ours !== undefined);
      assert.deepEqual(keys(ours), keys(theirs));
      assert.deepEqual(keys(ours, 'params'), keys(theirs, 'params'));
      assert.deepEqual(keys(ours, 'params', 'data'), keys(theirs, 'params', 'data'));
    }
    const [ticker] = samples;
    for (const nested of ['greeks', 'stats']) {
      assert.deepEqual(
        keys(ticker!.ours, 'params', 'data', nested),
        keys(ticker!.theirs, 'params', 'data', nested),
      );
    }
    assert.match(
      channelOf(ticker!.ours),
      /^ticker\.(BTC|ETH)-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]\.100ms$/,
    );
  });

  it('feeds the pipeline without a malformed frame, an unmapped one or a book gap', () => {
    const pipeline = new FramePipeline(specs, START);
    for (const frame of opening) pipeline.push(frame);
    for (const frame of slices.flat()) {
      const message = JSON.parse(frame) as unknown;
      if (isTicker(message)) {
        // A ticker's top is its book's top at that moment, as on the venue.
        const data = field(message, 'params', 'data');
        const book = pipeline.state.books.get(VENUE, field(data, 'instrument_name') as string);
        assert.ok(book?.good);
        const best = (price: number): number => (price > 0 ? price : 0);
        assert.equal(field(data, 'best_bid_price'), best(book.bids.bestPrice));
        assert.equal(field(data, 'best_ask_price'), best(book.asks.bestPrice));
      }
      pipeline.push(frame);
    }
    assert.equal(pipeline.counts.frames, opening.length + 8 * 2_500);
    assert.equal(pipeline.counts.malformed, 0);
    assert.equal(pipeline.counts.skipped, 0);
    assert.equal(pipeline.counts.gaps, 0);
    assert.ok(pipeline.counts.tops > 0);
    assert.ok([...pipeline.state.books.all()].every((book) => book.good));
    // Tickers come round within 200 ms, and each repeats its book's top: the feed's top
    // cross-check finds nothing disagreeing for longer.
    assert.deepEqual(pipeline.disagreeingTops(source.now - 300), []);
  });

  it('prices every option at the σ its frames were built from', () => {
    const pipeline = new FramePipeline(specs, START);
    for (const frame of [...opening, ...slices.flat()]) pipeline.push(frame);
    pipeline.settle(source.now);
    const errors = source.options.map((option) => {
      const quote = pipeline.state
        .chain(VENUE, option.coin.name, option.coin.name)
        ?.option(option.name);
      const markIv = quote?.markIv ?? null;
      assert.ok(markIv !== null && quote?.delta !== null, option.name);
      return Math.abs(markIv - source.markIv(option.name));
    });
    errors.sort((a, b) => a - b);
    assert.ok(errors[errors.length >> 1]! < 1e-4, `median error ${errors[errors.length >> 1]}`);
  });

  it('is the same stream for the same seed', () => {
    const again = new DeribitFrameSource(7);
    assert.deepEqual(again.openingFrames(), opening);
    assert.deepEqual(again.slice(2_500, 0.6), slices[0]);
  });
});
