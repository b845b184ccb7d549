// What the sim's perpetuals have accrued in funding, minute by minute, for
// `public/get_funding_rate_value` and `public/get_funding_rate_history`.
//
// The market model publishes a perpetual's funding rate per 8 h at every step (the ticker's
// `funding_8h`); the venue accrues funding continuously at that rate. After each step the rate
// the step ends with is taken to have held over the whole step, and its accrual (rate × time /
// 8 h) is filed under the minutes the step spans, so any range's accrual is a sum. Before the
// sim started nothing was recorded: those minutes accrue at the first rate recorded (the
// premium behind the rate reverts over hours, so the start's rate is the best guess of the
// hours just before), and before anything is recorded at all, at the ticker's rate now.

import type { SimExchange } from '../contract.js';

export const FUNDING_PERIOD_MS = 8 * 3_600_000;
const MINUTE = 60_000;
/** Minutes kept per perpetual: a little over the 30 days ccxt's history call asks for. */
const KEEP_MINUTES = 32 * 1440;

interface Filed {
  /** Funding accrued (decimal of notional) over the part of the minute the steps covered. */
  accrued: number;
  covered: number;
}

interface Accrual {
  /** Minute start → what was filed under it. */
  readonly minutes: Map<number, Filed>;
  readonly firstRate: number;
}

export class FundingRecord {
  private readonly byInstrument = new Map<string, Accrual>();
  /** The step before: the sim's start until the first step comes. */
  private lastStep: number;
  private readonly unsubscribe: () => void;

  constructor(private readonly exchange: SimExchange) {
    this.lastStep = exchange.now();
    this.unsubscribe = exchange.subscribe((event) => {
      if (event.type === 'step') this.onStep(event.ts);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Funding accrued over [from, to] (ms), decimal of notional; to is capped at now. */
  accrued(instrument: string, from: number, to: number): number {
    const end = Math.min(to, this.exchange.now());
    if (!(from < end)) return 0;
    const accrual = this.byInstrument.get(instrument);
    const flatRate = accrual?.firstRate ?? this.exchange.ticker(instrument)?.fundingRate ?? 0;
    const recordedFrom = this.firstMinute(accrual);
    let total = 0;
    for (let minute = Math.floor(from / MINUTE) * MINUTE; minute < end; minute += MINUTE) {
      const overlap = Math.min(end, minute + MINUTE) - Math.max(from, minute);
      if (overlap <= 0) continue;
      const filed = accrual?.minutes.get(minute);
      if (filed !== undefined && overlap >= filed.covered) {
        total += filed.accrued;
        // The minute the recording began in: its part before the start accrues flat.
        if (minute === recordedFrom && overlap > filed.covered) {
          total += (flatRate * (overlap - filed.covered)) / FUNDING_PERIOD_MS;
        }
      } else if (filed !== undefined) {
        // A range that cuts a minute takes its share at the minute's average rate.
        total += (filed.accrued * overlap) / filed.covered;
      } else if (recordedFrom === null || minute < recordedFrom) {
        total += (flatRate * overlap) / FUNDING_PERIOD_MS;
      }
    }
    return total;
  }

  private firstMinute(accrual: Accrual | undefined): number | null {
    if (accrual === undefined) return null;
    for (const minute of accrual.minutes.keys()) return minute;
    return null;
  }

  private onStep(ts: number): void {
    const last = this.lastStep;
    this.lastStep = ts;
    if (ts <= last) return;
    for (const instrument of this.exchange.instruments({ kind: 'perpetual' })) {
      const name = instrument.spec.name;
      const rate = this.exchange.ticker(name)?.fundingRate;
      if (rate === null || rate === undefined) continue;
      let accrual = this.byInstrument.get(name);
      if (accrual === undefined) {
        accrual = { minutes: new Map(), firstRate: rate };
        this.byInstrument.set(name, accrual);
      }
      file(accrual.minutes, last, ts, rate);
      // Maps iterate in insertion order: the oldest minutes go first.
      while (accrual.minutes.size > KEEP_MINUTES) {
        const oldest = accrual.minutes.keys().next().value as number;
        accrual.minutes.delete(oldest);
      }
    }
  }
}

/** Files rate × (to − from) / 8 h under the minutes (from, to] spans. */
function file(minutes: Map<number, Filed>, from: number, to: number, rate: number): void {
  for (let minute = Math.floor(from / MINUTE) * MINUTE; minute < to; minute += MINUTE) {
    const overlap = Math.min(to, minute + MINUTE) - Math.max(from, minute);
    if (overlap <= 0) continue;
    const filed = minutes.get(minute);
    const accrued = (rate * overlap) / FUNDING_PERIOD_MS;
    if (filed === undefined) minutes.set(minute, { accrued, covered: overlap });
    else {
      filed.accrued += accrued;
      filed.covered += overlap;
    }
  }
}
