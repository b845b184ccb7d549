import { memo, useMemo } from 'react';
import { fmtClock, fmtIv, fmtPrice, fmtSize } from '../view/format.js';
import type { DepthLevelView, DepthView } from '../view/types.js';
import { PanelFrame, type PanelLine, type Segment } from './chart-frame.js';

export interface DepthScreenProps {
  readonly view: DepthView | null;
  readonly width: number;
  readonly height: number;
}

/** The tape beside the book from this width on; below it otherwise. */
const TAPE_BESIDE = 120;
const SIZE = 8;
const PRICE = 9;
const IV = 6;
const OWN = 6;

function cell(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text.padStart(width);
}

/** `own` is our resting size at the level, marked so it stands out; blank when none. */
function ownText(level: DepthLevelView | undefined): string {
  return level === undefined || level.own === 0 ? '' : `*${fmtSize(level.own)}`;
}

function bookRows(view: DepthView, rows: number): PanelLine[] {
  const iv = view.option;
  const head: PanelLine = [
    {
      text:
        `${cell('own', OWN)}${iv ? cell('IV', IV) : ''}${cell('cum', SIZE)}${cell('size', SIZE)}${cell('bid', PRICE)}` +
        ` │ ${cell('ask', PRICE).trimStart().padEnd(PRICE)}${cell('size', SIZE)}${cell('cum', SIZE)}${iv ? cell('IV', IV) : ''}${cell('own', OWN)}`,
      tone: 'dim',
    },
  ];
  const lines: PanelLine[] = [head];
  for (let depth = 0; depth < rows; depth++) {
    const bid = view.bids[depth];
    const ask = view.asks[depth];
    if (bid === undefined && ask === undefined) break;
    const left: Segment[] = [
      { text: cell(ownText(bid), OWN), tone: 'mark' },
      ...(iv
        ? [
            {
              text: cell(bid === undefined || bid.iv === null ? '' : fmtIv(bid.iv), IV),
              tone: 'dim' as const,
            },
          ]
        : []),
      { text: cell(bid === undefined ? '' : fmtSize(bid.cumulative), SIZE), tone: 'dim' },
      { text: cell(bid === undefined ? '' : fmtSize(bid.size), SIZE), tone: 'plain' },
      { text: cell(bid === undefined ? '' : fmtPrice(bid.price), PRICE), tone: 'bid' },
    ];
    const right: Segment[] = [
      { text: ' │ ', tone: 'dim' },
      { text: (ask === undefined ? '' : fmtPrice(ask.price)).padEnd(PRICE), tone: 'ask' },
      { text: cell(ask === undefined ? '' : fmtSize(ask.size), SIZE), tone: 'plain' },
      { text: cell(ask === undefined ? '' : fmtSize(ask.cumulative), SIZE), tone: 'dim' },
      ...(iv
        ? [
            {
              text: cell(ask === undefined || ask.iv === null ? '' : fmtIv(ask.iv), IV),
              tone: 'dim' as const,
            },
          ]
        : []),
      { text: cell(ownText(ask), OWN), tone: 'mark' },
    ];
    lines.push([...left, ...right]);
  }
  return lines;
}

function tapeRows(view: DepthView, rows: number): PanelLine[] {
  const head: PanelLine = [
    {
      text: `${'time'.padEnd(9)}${'taker'.padEnd(6)}${cell('size', SIZE)}${cell('price', PRICE)}${view.option ? cell('IV', IV) : ''}  `,
      tone: 'dim',
    },
  ];
  if (view.trades.length === 0) return [head, [{ text: 'no prints yet', tone: 'dim' }]];
  return [
    head,
    ...view.trades
      .slice(0, Math.max(0, rows))
      .map((trade): PanelLine => [
        { text: `${fmtClock(trade.ts)} `, tone: 'dim' },
        { text: trade.takerSide.padEnd(6), tone: trade.takerSide === 'buy' ? 'bid' : 'ask' },
        { text: cell(fmtSize(trade.size), SIZE), tone: 'plain' },
        { text: cell(fmtPrice(trade.price), PRICE), tone: 'plain' },
        ...(view.option
          ? [{ text: cell(trade.iv === null ? '-' : fmtIv(trade.iv), IV), tone: 'dim' as const }]
          : []),
        { text: trade.block ? '  block' : '', tone: 'warn' },
      ]),
  ];
}

/**
 * The depth view's lines: the instrument and its book's state, the ladder (bids left, asks
 * right, size down to each level, our own resting size marked with *, each level's IV for
 * options), and the tape (newest first: taker side, size, price, IV, block) beside it when
 * wide or below it when narrow.
 */
export function depthLines(view: DepthView, width: number, height: number): PanelLine[] {
  const title: PanelLine = [
    { text: `${view.instrument}  depth and tape  `, tone: 'title' },
    view.bookNote === null
      ? { text: 'book live', tone: 'dim' }
      : { text: `book ${view.bookNote}`, tone: 'warn' },
  ];
  const room = height - 1;
  if (width >= TAPE_BESIDE) {
    const book = bookRows(view, room - 1);
    const tape = tapeRows(view, room - 1);
    const bookWidth = Math.max(
      ...book.map((line) => line.reduce((sum, segment) => sum + [...segment.text].length, 0)),
    );
    const rows = Math.max(book.length, tape.length);
    const lines: PanelLine[] = [title];
    for (let at = 0; at < rows && lines.length < height; at++) {
      const left = book[at] ?? [];
      const used = left.reduce((sum, segment) => sum + [...segment.text].length, 0);
      lines.push([
        ...left,
        { text: ' '.repeat(bookWidth - used + 4), tone: 'plain' },
        ...(tape[at] ?? []),
      ]);
    }
    return lines;
  }
  // Narrow: the book first (at least 3 levels), the tape in what is left.
  const bookLevels = Math.max(3, Math.floor((room - 3) * 0.6));
  const book = bookRows(view, bookLevels);
  const tape = tapeRows(view, room - book.length - 2);
  return [title, ...book, [], ...tape].slice(0, height);
}

/** The cursor's instrument in depth, in place of the chain (`*`). */
export const DepthScreen = memo(function DepthScreen({ view, width, height }: DepthScreenProps) {
  const lines = useMemo(
    () =>
      view === null
        ? [[{ text: 'depth: move the cursor to an instrument', tone: 'dim' }] as PanelLine]
        : depthLines(view, width, height),
    [view, width, height],
  );
  return <PanelFrame lines={lines} width={width} height={height} />;
});
