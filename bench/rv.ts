// `node dist/bench/rv.js [--json]`: the realised-vol path of issue 18. Times the estimator
// table (5 estimators × 1/7/30/90 days) on 90 days of 1-minute bars, the bar builder's tick
// rate, the sim's history generation (cold and cached), and loading 90 days of 1-minute
// candles from the sim over loopback HTTP with the Deribit loader. No peer: these are budgets
// (an RV refresh once a minute, history loaded once at start), reported, never failed.

import { parseArgs } from 'node:util';
import { BarBuilder, MINUTE_MS, realizedVolTable, type Bar } from '../src/analytics/index.js';
import { loadDeribitCandles } from '../src/feeds/deribit/history.js';
import { DeribitHttpCaller } from '../src/feeds/deribit/http-caller.js';
import { startSim } from '../src/sim/server.js';
import { medianMs as ms } from './timing.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 20, 7, 0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const sim = await startSim({
    seed: 1,
    manualClock: true,
    start: START,
    currencies: ['BTC', 'ETH'],
  });
  try {
    const history = sim.world.history;
    const to = START - 1;
    const t0 = process.hrtime.bigint();
    const minutes = history.candles('index', 'BTC', MINUTE_MS, START - 90 * DAY, to);
    const coldMinutesMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    history.candles('index', 'ETH', 3_600_000, START - 365 * DAY, to);
    const coldYearHoursMs = Number(process.hrtime.bigint() - t1) / 1e6;
    const warmYearHoursMs = ms(
      () => history.candles('index', 'ETH', 3_600_000, START - 365 * DAY, to),
      5,
    );

    const bars: Bar[] = minutes.map(({ ts, open, high, low, close }) => ({
      ts,
      open,
      high,
      low,
      close,
    }));
    const end = bars[bars.length - 1]!.ts + MINUTE_MS;
    const tableMs = ms(() => realizedVolTable(bars, MINUTE_MS, end), 7);

    const ticks = 2_000_000;
    const tickMs = ms(() => {
      const builder = new BarBuilder(MINUTE_MS);
      let price = 90_000;
      for (let i = 0; i < ticks; i++) {
        price *= 1 + (((i * 2654435761) % 1000) - 500) * 1e-8;
        builder.tick(START + i * 100, price);
      }
    }, 5);

    const rpc = new DeribitHttpCaller(sim.urls.deribitHttp);
    const t2 = process.hrtime.bigint();
    const loaded = await loadDeribitCandles(rpc, {
      instrument: 'ETH-PERPETUAL',
      periodMs: MINUTE_MS,
      from: START - 90 * DAY,
      to,
    });
    const loadMs = Number(process.hrtime.bigint() - t2) / 1e6;

    const report = {
      simHistory90dMinutesColdMs: coldMinutesMs,
      simHistoryYearHoursColdMs: coldYearHoursMs,
      simHistoryYearHoursCachedMs: warmYearHoursMs,
      rvTable90dMinuteBarsMs: tableMs,
      rvTableBars: bars.length,
      barBuilderTicksPerSecond: ticks / (tickMs / 1000),
      deribitLoad90dMinutesOverLoopbackMs: loadMs,
      deribitLoadedBars: loaded.length,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else
      for (const [k, v] of Object.entries(report))
        process.stdout.write(`${k}: ${Math.round(v * 10) / 10}\n`);
  } finally {
    await sim.close();
  }
}

await main();
