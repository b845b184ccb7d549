// The render bench's peer: the same visible screen as the App — same snapshot, same layout,
// same chain cells (src/ui/chain-columns.ts over src/view/format.ts), same chart lines — built
// as plain strings padded to the width and joined, with no React, Ink or Yoga. What the App
// costs above this is the component tree, layout and ANSI output.

import { connectionText } from '../src/ui/header.js';
import {
  sideText,
  sideTitles,
  strikeText,
  STRIKE_WIDTH,
  type ColumnId,
} from '../src/ui/chain-columns.js';
import { HEADER_ROWS, type Layout } from '../src/ui/layout.js';
import { fitLine, type PanelLine } from '../src/ui/chart-frame.js';
import { smileLines } from '../src/ui/smile-panel.js';
import { termLines } from '../src/ui/term-panel.js';
import {
  fmtClock,
  fmtDuration,
  fmtExpiry,
  fmtIv,
  fmtPrice,
  fmtSigned,
  fmtSize,
  fmtUsd,
} from '../src/view/format.js';
import type { ChainView, ScreenSnapshot } from '../src/view/types.js';

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, width) : text.padEnd(width);
}

function panelText(line: PanelLine, width: number): string {
  return fitLine(line, width)
    .map((segment) => segment.text)
    .join('');
}

function headerLines(snapshot: ScreenSnapshot): string[] {
  const { header } = snapshot;
  const perp =
    header.perpetual === null
      ? ''
      : `  ${header.perpetual.name} ${fmtPrice(header.perpetual.price)}`;
  const chain = header.base === null ? '' : `${header.base}  `;
  const next = header.nextExpiry === null ? '-' : fmtDuration(header.nextExpiry - header.now);
  return [
    ` ${header.mode}  ${header.venue.toUpperCase()} ${connectionText(header.connection, header.now)}` +
      `  ${chain}idx ${fmtPrice(header.index)}${perp}  ATM ${fmtIv(header.frontAtmIv)}`,
    `expiry in ${next}  hedger ${header.hedger}  ${fmtClock(header.now)} UTC  ? help`,
  ];
}

function tabsLine(chain: ChainView): string {
  const info = ` ${chain.base}/${chain.quote}  F ${fmtPrice(chain.forward)}  in ${chain.quote} `;
  return info + chain.expiries.map((choice) => ` ${fmtExpiry(choice.expiry)} `).join('');
}

function chainLines(chain: ChainView, columns: readonly ColumnId[], rows: number): string[] {
  const lines = [
    sideTitles(columns, false, true) +
      'strike'.padStart(STRIKE_WIDTH - 1).padEnd(STRIKE_WIDTH) +
      sideTitles(columns, false, false),
  ];
  for (const row of chain.rows.slice(0, rows)) {
    lines.push(
      sideText(row.call, columns, null, true) +
        strikeText(row.strike) +
        sideText(row.put, columns, null, false),
    );
  }
  return lines;
}

function positionLines(snapshot: ScreenSnapshot, width: number, height: number): string[] {
  const { rows, totals } = snapshot.positions;
  if (rows.length === 0) return ['no positions'];
  const lines = [
    `${fit('Instrument', 25)} ${'Size'.padStart(8)} ${'Avg'.padStart(9)} ${'Mark'.padStart(9)} ` +
      `${'PnL $'.padStart(11)} ${'Δ'.padStart(8)} ${'Γ'.padStart(10)} ${'Vega'.padStart(9)} ${'θ'.padStart(9)}`,
  ];
  for (const row of rows) {
    lines.push(
      `${fit(row.instrument, 25)} ${fmtSize(row.size).padStart(8)} ` +
        `${fmtPrice(row.averagePrice).padStart(9)} ${fmtPrice(row.mark).padStart(9)} ` +
        `${fmtUsd(row.pnlUsd).padStart(11)} ${fmtSigned(row.delta, 3).padStart(8)} ` +
        `${fmtSigned(row.gamma, 6).padStart(10)} ${fmtSigned(row.vega, 2).padStart(9)} ` +
        `${fmtSigned(row.theta, 2).padStart(9)}`,
    );
  }
  for (const total of totals) {
    lines.push(
      `${total.base} Δ opt ${fmtSigned(total.optionDelta, 3)} hedge ${fmtSigned(total.hedgeDelta, 3)} ` +
        `net ${fmtSigned(total.netDelta, 3)} PnL $ ${fmtUsd(total.pnlUsd)}`,
    );
  }
  return lines.slice(0, height).map((line) => fit(line, width));
}

function orderLines(snapshot: ScreenSnapshot, width: number, height: number): string[] {
  const { rows } = snapshot.orders;
  if (rows.length === 0) return ['no open orders'];
  const lines = [
    `${fit('Instrument', 25)} Side ${'Size'.padStart(6)} ${'Price'.padStart(8)} ` +
      `${'Filled'.padStart(6)} ${fit('Label', 10)} ${'Age'.padStart(6)}`,
  ];
  for (const row of rows) {
    lines.push(
      `${fit(row.instrument, 25)} ${fit(row.side, 4)} ${fmtSize(row.amount).padStart(6)} ` +
        `${fmtPrice(row.price).padStart(8)} ${fmtSize(row.filled).padStart(6)} ` +
        `${fit(row.label ?? '', 10)} ${fmtDuration(row.ageMs).padStart(6)}`,
    );
  }
  return lines.slice(0, height).map((line) => fit(line, width));
}

/** The whole screen, `layout.rows` lines of exactly `layout.cols` characters. */
export function plainScreen(snapshot: ScreenSnapshot, layout: Layout): string {
  const { cols, rows } = layout;
  const lines = headerLines(snapshot);
  const { chain } = snapshot;
  lines.push(chain === null ? '' : tabsLine(chain));
  const middle = layout.chainRows + 1;
  const left = chain === null ? [] : chainLines(chain, layout.columns, layout.chainRows);
  const right =
    layout.surface === 'beside'
      ? [
          ...smileLines(snapshot.smile, layout.surfaceWidth, layout.smileHeight, 'strike'),
          ...termLines(snapshot.term, layout.surfaceWidth, layout.termHeight),
        ]
      : [];
  for (let i = 0; i < middle; i++) {
    const chainPart = fit(left[i] ?? '', layout.chainWidth);
    const chart = right[i];
    lines.push(
      chart === undefined ? chainPart : `${chainPart} ${panelText(chart, layout.surfaceWidth)}`,
    );
  }
  const positions = positionLines(snapshot, layout.positionsWidth, layout.positionsHeight);
  const orders = orderLines(snapshot, layout.ordersWidth, layout.ordersHeight);
  if (layout.bottom === 'side-by-side') {
    for (let i = 0; i < Math.max(positions.length, orders.length); i++) {
      lines.push(`${fit(positions[i] ?? '', layout.positionsWidth)} ${orders[i] ?? ''}`);
    }
  } else {
    lines.push(...positions, ...orders);
  }
  const status = snapshot.status;
  const footer = [status === null ? '' : `${fmtClock(status.ts)} ${status.text}`, '>  '];
  // Pad the body to the rows the App fills, so both screens are as tall.
  while (lines.length < rows - footer.length) lines.push('');
  return [...lines.slice(0, Math.max(HEADER_ROWS, rows - footer.length)), ...footer]
    .map((line) => fit(line, cols))
    .join('\n');
}
