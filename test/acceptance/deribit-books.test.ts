/**
 * Acceptance on the real Deribit capture (ten BTC and ETH option books, 46 book messages, 89
 * tickers): the book's top against a naive rebuild, against the venue's own tickers, and what
 * a lost message does.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { replayLines } from '../../src/app/replay.js';
import { Books } from '../../src/book/books.js';
import { emptyTop, type TopOfBook } from '../../src/book/order-book.js';
import { deribitBookFromMessage } from '../../src/feeds/deribit/book.js';
import { deribitTickerFromMessage } from '../../src/feeds/deribit/ticker.js';
import { readJsonLines, recordedMessage } from '../support/fixtures.js';
import { NaiveBook } from '../support/naive-book.js';
import { fixturePath } from '../support/paths.js';
import { TextSink } from '../support/streams.js';
import { readFileSync } from 'node:fs';

const FIXTURE = ['deribit', 'ws-capture-2021-07-22.jsonl'] as const;
const capture = readJsonLines(...FIXTURE).map(({ line, value }) => ({
  line,
  message: recordedMessage(value),
}));
const rawLines = readFileSync(fixturePath(...FIXTURE), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

interface RawBook {
  type: 'snapshot' | 'change';
  instrument_name: string;
  timestamp: number;
  bids: [string, number, number][];
  asks: [string, number, number][];
}

/** The book payload read straight off the JSON, sharing nothing with the feed's mapper. */
function rawBook(message: unknown): RawBook | null {
  const params = (message as { params?: { channel?: string; data?: RawBook } }).params;
  return params?.channel?.startsWith('book.') === true ? (params.data ?? null) : null;
}

function naiveLevels(levels: [string, number, number][]): number[] {
  return levels.flatMap(([action, price, amount]) => [price, action === 'delete' ? 0 : amount]);
}

function nullTop(top: TopOfBook): TopOfBook {
  return { ...top };
}

describe('Deribit capture: books', () => {
  it('after every book message the top equals a naive rebuild from scratch', () => {
    const books = new Books();
    const naive = new Map<string, NaiveBook>();
    let checked = 0;
    for (const { line, message } of capture) {
      const raw = rawBook(message);
      if (raw === null) continue;
      const reference = naive.get(raw.instrument_name) ?? new NaiveBook();
      naive.set(raw.instrument_name, reference);
      if (raw.type === 'snapshot') reference.snapshot(naiveLevels(raw.bids), naiveLevels(raw.asks));
      else reference.delta(naiveLevels(raw.bids), naiveLevels(raw.asks));

      const event = deribitBookFromMessage(message);
      assert.ok(event, `line ${line}`);
      books.apply(event);
      const book = books.get('deribit', raw.instrument_name);
      assert.ok(book);
      assert.equal(book.state, 'live', `line ${line}`);
      assert.equal(book.crossed, false, `line ${line}`);
      assert.deepEqual(nullTop(book.readTop(emptyTop())), reference.top(), `line ${line}`);
      assert.deepEqual(book.depth(1000).bids, reference.levels('bids'), `line ${line}`);
      assert.deepEqual(book.depth(1000).asks, reference.levels('asks'), `line ${line}`);
      checked += 1;
    }
    assert.equal(checked, 46);
  });

  it("the venue's tickers agree with our book at the ticker's time, all 89 of them", () => {
    // Each ticker is compared with the book as of the last book update at or before the
    // ticker's timestamp. 37 tickers follow a book update within 100 ms; the other 52 come
    // 0.6–30 s after the book last changed, and the book, unchanged since, must still agree.
    const books = new Books();
    const lastUpdate = new Map<string, { ts: number; top: TopOfBook }>();
    const pending = capture
      .map(({ line, message }) => ({ line, ticker: deribitTickerFromMessage(message) }))
      .filter(({ ticker }) => ticker !== null);
    const history: { instrument: string; ts: number; top: TopOfBook }[] = [];
    for (const { message } of capture) {
      const event = deribitBookFromMessage(message);
      if (event === null) continue;
      const book = books.bookFor(event.venue, event.instrument);
      book.apply(event);
      history.push({ instrument: event.instrument, ts: event.ts, top: book.readTop(emptyTop()) });
    }
    let within100ms = 0;
    let agreeing = 0;
    for (const { line, ticker } of pending) {
      assert.ok(ticker);
      const before = history.filter((h) => h.instrument === ticker.instrument && h.ts <= ticker.ts);
      const last = before.at(-1);
      assert.ok(last, `line ${line}: a book update precedes every ticker in this capture`);
      lastUpdate.set(ticker.instrument, last);
      if (ticker.ts - last.ts <= 100) within100ms += 1;
      assert.deepEqual(
        last.top,
        { bid: ticker.bid, bidSize: ticker.bidSize, ask: ticker.ask, askSize: ticker.askSize },
        `line ${line}: ${ticker.instrument}`,
      );
      agreeing += 1;
    }
    assert.equal(agreeing, 89);
    assert.equal(within100ms, 37);
  });

  it('removing any one change message gives exactly one gap line, then silence for that book', async () => {
    const full = await replayTops(rawLines);
    let removable = 0;
    for (const [index, text] of rawLines.entries()) {
      const raw = rawBook((JSON.parse(text) as { message: unknown }).message);
      if (raw?.type !== 'change') continue;
      const instrument = raw.instrument_name;
      const laterChanges = rawLines.slice(index + 1).filter((later) => {
        const next = rawBook((JSON.parse(later) as { message: unknown }).message);
        return next?.instrument_name === instrument;
      });
      const cut = [...rawLines.slice(0, index), ...rawLines.slice(index + 1)];
      const output = await replayTops(cut);
      const gaps = output.filter((line) => line['type'] === 'gap');
      if (laterChanges.length === 0) {
        // The last message of a book: nothing follows, so nothing can notice it was lost.
        assert.equal(gaps.length, 0);
        continue;
      }
      removable += 1;
      assert.equal(gaps.length, 1, `without line ${index + 1}`);
      const gap = gaps[0]!;
      assert.equal(gap['instrument'], instrument);
      assert.equal(gap['venue'], 'deribit');
      const next = rawBook((JSON.parse(laterChanges[0]!) as { message: unknown }).message) as {
        prev_change_id?: number;
      };
      assert.equal(gap['received'], next.prev_change_id);
      const gapAt = output.indexOf(gap);
      assert.ok(
        output.slice(gapAt + 1).every((line) => line['instrument'] !== instrument),
        `a top for ${instrument} was printed after its gap`,
      );
      // Every other book prints exactly what it printed from the full capture.
      const others = (lines: Record<string, unknown>[]): Record<string, unknown>[] =>
        lines.filter((line) => line['instrument'] !== instrument);
      assert.deepEqual(others(output), others(full));
    }
    // 36 change messages; 5 are the last message of their book.
    assert.equal(removable, 31);
  });
});

async function replayTops(lines: string[]): Promise<Record<string, unknown>[]> {
  const out = new TextSink();
  const err = new TextSink();
  const summary = await replayLines(
    Readable.from(lines),
    { emit: 'tops', compare: false },
    { out, err },
  );
  assert.equal(summary.malformed, 0, err.text);
  return out.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
}
