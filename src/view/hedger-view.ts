/**
 * The hedger as the screen shows it: a headline for the header (mode, and net delta against
 * the band) and the panel's lines (the day's hedges and their cost, the latest decisions,
 * newest first).
 */
import { todayText } from '../hedge/hedge-cost.js';
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
      ...(state.policy === undefined ? [] : [policyLine(state.policy, state.measure.bandUsd)]),
      ...(state.buckets === undefined ? [] : [bucketsLine(state.buckets)]),
      ...(state.today === undefined ? [] : [todayText(state.today)]),
      ...(state.reconciling === null ? [] : [state.reconciling]),
      ...(settings === null ? [] : [settings]),
      ...state.recent,
    ],
  };
}

/**
 * Per expiry, "per expiry: BTC-27MAR26 +$120 / ±$2,400 · BTC-PERPETUAL -$15 / ±$225": each
 * bucket's net against its own band; "-" where a figure is unknown.
 */
function bucketsLine(buckets: NonNullable<HedgerState['buckets']>): string {
  const usd = (value: number | null, signed: boolean): string =>
    value === null
      ? '-'
      : `${signed && value >= 0 ? '+' : value < 0 ? '-' : ''}$${Math.round(Math.abs(value)).toLocaleString('en-US')}`;
  return (
    'per expiry: ' +
    buckets
      .map(
        (bucket) =>
          `${bucket.instrument} ${usd(bucket.netUsd, true)} / ±${usd(bucket.bandUsd, false)}`,
      )
      .join(' · ')
  );
}

/**
 * "gamma band ±0.286 coin ($25,700): Γ 5.6e-4/$ · cost 5.5 bp · γ 1e-3/$ → ±0.286 ·
 * target +0.1 · last hedge 16:21:05": the policy, its band in coins and USD, why, and when it
 * last traded.
 */
function policyLine(policy: NonNullable<HedgerState['policy']>, bandUsd: number | null): string {
  const band =
    policy.bandCoins === null || bandUsd === null
      ? ''
      : ` ±${policy.bandCoins.toPrecision(3)} coin ($${Math.round(bandUsd).toLocaleString('en-US')})`;
  const why = policy.why === null ? '' : `: ${policy.why}`;
  const target = policy.target === 0 ? '' : ` · target ${fmtSigned(policy.target, 4)}`;
  const last =
    policy.lastHedgeAt === null
      ? ' · no hedge yet'
      : ` · last hedge ${new Date(policy.lastHedgeAt).toISOString().slice(11, 19)}`;
  return `${policy.name}${policy.name === 'time' ? '' : ' band'}${band}${why}${target}${last}`;
}
