import { memo, useMemo } from 'react';
import type { RiskGreeksView, RiskMatrixView, RiskScreenView } from '../view/types.js';
import { PanelFrame, type PanelLine, type Segment } from './chart-frame.js';

export interface RiskScreenProps {
  readonly view: RiskScreenView | null;
  readonly width: number;
  readonly height: number;
}

const CELL = 7;
const LABEL = 5;
/** Side by side (the book | with the line) from this width on. */
const TWO_BLOCKS = 100;
/** Spot moves in the order they are given room: the centre and the ends first. */
const SPOT_PRIORITY = [0, -0.1, 0.1, -0.2, 0.2, -0.05, 0.05, -0.02, 0.02, -0.15, 0.15];
const VOL_PRIORITY = [0, -0.1, 0.1, -0.05, 0.05, -0.2, 0.2, -0.15, 0.15];

/** A USD figure in at most 6 characters: 1,234 · 12.3k · 1.23M; "-" when unknown. */
export function compactUsd(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const sign = value < 0 ? '-' : '';
  const size = Math.abs(value);
  if (Math.round(size) === 0) return '0';
  if (size < 10_000) return `${sign}${Math.round(size).toLocaleString('en-US')}`;
  if (size < 1e6) return `${sign}${(size / 1e3).toFixed(size < 1e5 ? 1 : 0)}k`;
  if (size < 1e9) return `${sign}${(size / 1e6).toFixed(size < 1e8 ? 2 : 0)}M`;
  return `${sign}${(size / 1e9).toFixed(1)}G`;
}

function signed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '-';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

function greeksText(greeks: RiskGreeksView): string {
  return `Δ ${signed(greeks.delta, 3)}  Γ ${signed(greeks.gamma, 3)}/1%  ν ${signed(greeks.vega, 0)}$/pt`;
}

/** The indices of the values to show, in their order, at most `room` of them. */
function pick(values: readonly number[], priority: readonly number[], room: number): number[] {
  const chosen = new Set<number>();
  for (const want of priority) {
    if (chosen.size >= room) break;
    const at = values.findIndex((value) => Math.abs(value - want) < 1e-9);
    if (at >= 0) chosen.add(at);
  }
  for (let at = 0; at < values.length && chosen.size < room; at++) chosen.add(at);
  return [...chosen].sort((a, b) => a - b);
}

function pct(move: number): string {
  const points = Math.round(move * 100);
  return `${points > 0 ? '+' : ''}${points}%`;
}

function block(
  title: string,
  matrix: RiskMatrixView,
  columns: readonly number[],
  rows: readonly number[],
): PanelLine[] {
  const head: PanelLine = [
    {
      text: `${'vol'.padEnd(LABEL)}${columns.map((s) => pct(matrix.spotMoves[s]!).padStart(CELL)).join('')}`,
      tone: 'dim',
    },
  ];
  const body = rows.map((v): PanelLine => {
    const points = Math.round(matrix.volShifts[v]! * 100);
    return [
      { text: `${points > 0 ? '+' : ''}${points}`.padEnd(LABEL), tone: 'dim' },
      ...columns.map((s): Segment => {
        const value = matrix.pnlUsd[v]![s]!;
        const text = compactUsd(value).padStart(CELL);
        const tone = !Number.isFinite(value)
          ? 'dim'
          : Math.round(value) === 0
            ? 'dim'
            : value > 0
              ? 'bid'
              : 'ask';
        return { text, tone };
      }),
    ];
  });
  return [[{ text: title, tone: 'title' }], head, ...body];
}

/**
 * The lines of the risk view at this size: a headline with the greeks (and the line's), a
 * notice when something is missing or old, then the PnL matrices (now, then a week on): the
 * book's and, while a line is typed, the book with it, side by side when wide, else in turn.
 * Columns and rows are the spot moves and vol shifts that fit, centre and ends first.
 */
export function riskLines(view: RiskScreenView, width: number, height: number): PanelLine[] {
  const lines: PanelLine[] = [];
  const spot =
    view.spot === null ? '-' : view.spot.toLocaleString('en-US', { maximumFractionDigits: 2 });
  lines.push([
    { text: `${view.coin} scenario PnL, USD  `, tone: 'title' },
    {
      text: `spot ${spot}  ${view.positions} position${view.positions === 1 ? '' : 's'}  `,
      tone: 'dim',
    },
    { text: greeksText(view.greeks), tone: 'plain' },
  ]);
  const notices: PanelLine[] = [];
  if (view.stale !== null) notices.push([{ text: view.stale, tone: 'warn' }]);
  if (view.missing.length > 0) {
    notices.push([
      { text: `not valued (no forward or mark IV): ${view.missing.join(', ')}`, tone: 'warn' },
    ]);
  }
  if (view.whatIf !== null) {
    notices.push([
      { text: `with ${view.whatIf.line}: ${view.whatIf.added}  `, tone: 'line' },
      { text: greeksText(view.whatIf.greeks), tone: 'plain' },
    ]);
  } else if (view.whatIfProblem !== null) {
    notices.push([{ text: `what-if: ${view.whatIfProblem}`, tone: 'warn' }]);
  } else if (view.positions === 0) {
    notices.push([{ text: 'no positions: type an order to see what it would do', tone: 'dim' }]);
  }
  lines.push(...notices);
  const first = view.matrices[0];
  if (first === undefined) return lines;
  const sideBySide = view.whatIf !== null && width >= TWO_BLOCKS;
  const blockWidth = sideBySide ? Math.floor((width - 2) / 2) : width;
  const columns = pick(
    first.spotMoves,
    SPOT_PRIORITY,
    Math.max(3, Math.floor((blockWidth - LABEL) / CELL)),
  );
  // Rows: what is left, shared by the blocks stacked (each has a title and a head row).
  const pairs = view.matrices.map((matrix, at) => ({
    mine: matrix,
    line: view.whatIf?.matrices[at] ?? null,
  }));
  const stackedPerHorizon = view.whatIf !== null && !sideBySide ? 2 : 1;
  const left = height - lines.length;
  const perBlock = Math.floor(left / Math.max(1, pairs.length * stackedPerHorizon)) - 2;
  // Too low for every horizon: now only.
  const horizons = perBlock >= 1 ? pairs : pairs.slice(0, 1);
  const room = perBlock >= 1 ? perBlock : Math.floor(left / stackedPerHorizon) - 2;
  const rows = pick(first.volShifts, VOL_PRIORITY, Math.max(1, room));
  for (const { mine, line } of horizons) {
    const book = block(`book ${mine.label}`, mine, columns, rows);
    if (line === null) {
      lines.push(...book);
      continue;
    }
    const withLine = block(`with the line ${line.label}`, line, columns, rows);
    if (sideBySide) {
      book.forEach((row, at) => {
        const used = row.reduce((sum, segment) => sum + [...segment.text].length, 0);
        lines.push([
          ...row,
          { text: ' '.repeat(Math.max(2, blockWidth - used + 2)), tone: 'plain' },
          ...withLine[at]!,
        ]);
      });
    } else {
      lines.push(...book, ...withLine);
    }
  }
  return lines;
}

/** The scenario risk view in place of the chain (`!`). */
export const RiskScreen = memo(function RiskScreen({ view, width, height }: RiskScreenProps) {
  const lines = useMemo(
    () =>
      view === null
        ? [[{ text: 'risk: waiting for the book (account and marks)', tone: 'dim' }] as PanelLine]
        : riskLines(view, width, height),
    [view, width, height],
  );
  return <PanelFrame lines={lines} width={width} height={height} />;
});
