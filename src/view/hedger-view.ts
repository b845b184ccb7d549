/**
 * The hedger as the screen shows it: a headline for the header (mode, and net delta against
 * the band) and the panel's lines (the latest decisions, newest first).
 */
import type { HedgerState } from '../hedge/types.js';
import { fmtSigned, fmtUsd } from './format.js';
import type { HedgerView } from './types.js';

function netAgainstBand(state: HedgerState): string {
  const { netUsd, bandUsd } = state.measure;
  if (netUsd === null || bandUsd === null) return 'net -';
  const sign = netUsd < 0 ? '-' : '+';
  return `net ${sign}$${fmtUsd(Math.abs(netUsd))} / ±$${fmtUsd(bandUsd)}`;
}

export function buildHedgerView(
  state: HedgerState | null,
  settings: string | null = null,
): HedgerView | null {
  if (state === null) return null;
  const word = state.mode === 'on' ? 'ON' : state.mode === 'paused' ? 'PAUSED' : 'OFF';
  const why = state.reason === null ? '' : ` (${state.reason})`;
  const headline =
    state.mode === 'off' && state.reason === null
      ? 'OFF'
      : `${word}${why} ${netAgainstBand(state)}`;
  const delta =
    state.measure.netDelta === null ? '-' : `${fmtSigned(state.measure.netDelta, 4)} coin`;
  const summary =
    `${word} ${state.instrument}  net Δ ${delta}  ${netAgainstBand(state)}  hedges ${state.hedges}` +
    (state.inFlight === null ? '' : `  in flight ${state.inFlight}`);
  return {
    mode: state.mode,
    headline,
    level:
      state.mode === 'paused'
        ? 'warn'
        : state.mode === 'off' && state.reason !== null
          ? 'error'
          : 'info',
    lines: [
      summary,
      ...(state.reconciling === null ? [] : [state.reconciling]),
      ...(settings === null ? [] : [settings]),
      ...state.recent,
    ],
  };
}
