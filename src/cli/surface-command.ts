// `ivtrade surface`: each coin's fitted surface from the live chain, headless: one JSON line
// (`--json`) or a table per chain, once the chain is quoted and then every `--every`.

import { LineSink } from '../app/line-sink.js';
import { MarketEngine } from '../app/market-engine.js';
import { SurfaceModel, type CoinSurface } from '../app/surface-model.js';
import { surfaceJson } from '../app/surface-report.js';
import { simOnlyMisuse } from './feed-flags.js';
import { elapsed, interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import { openOrExplain, planFrom, summary } from './stream-command.js';
import type { SurfaceFlags } from './surface-flags.js';

/** How long the first round waits for every chain to be quoted before printing what it has. */
const FIRST_ROUND_WAIT_MS = 10_000;

export async function runSurface(flags: SurfaceFlags, streams: CliStreams): Promise<number> {
  const misuse = simOnlyMisuse(flags);
  if (misuse !== null) {
    streams.err.write(`error: ${misuse} (see 'ivtrade surface --help')\n`);
    return 2;
  }
  if (flags.books !== undefined) {
    streams.err.write(
      "error: --books has no use here: the surface reads tickers (see 'ivtrade surface --help')\n",
    );
    return 2;
  }
  const opened = await openOrExplain({ ...planFrom(flags), books: [], private: false }, streams);
  if (opened === null) return 2;
  const engine = new MarketEngine(opened.feeds);
  const model = new SurfaceModel({ deltaConvention: flags.delta });
  const sink = new LineSink(streams.out);
  try {
    await engine.start();
  } catch (error) {
    streams.err.write(`ivtrade surface: cannot start: ${messageOf(error)}\n`);
    await opened.close();
    return 1;
  }
  const venues = opened.feeds.map((feed) => feed.venue);
  const round = (): number => {
    let printed = 0;
    for (const venue of venues) {
      const now = engine.venueNow(venue);
      for (const chain of engine.market.chains(venue)) {
        if (!flags.currency.includes(chain.base)) continue;
        const surface = model.surface(chain, now);
        for (const text of flags.json ? [JSON.stringify(surfaceJson(surface))] : table(surface)) {
          sink.write({ key: null, text });
        }
        printed += 1;
      }
    }
    return printed;
  };
  const stop = Promise.race([elapsed(flags.duration), interrupted(), sink.failed]);
  let stopped = false;
  void stop.then(() => (stopped = true));
  // The first round once every chain has a fitted expiry (or after a wait: then what there is).
  const firstBy = Date.now() + FIRST_ROUND_WAIT_MS;
  while (!stopped && Date.now() < firstBy && !chainsQuoted(engine, venues, model, flags.currency)) {
    await Promise.race([sleep(250), stop]);
  }
  let rounds = 0;
  while (!stopped) {
    round();
    rounds += 1;
    if (flags.count !== undefined && rounds >= flags.count) break;
    await Promise.race([sleep(flags.every), stop]);
  }
  await engine.stop();
  await opened.close();
  await sink.close();
  streams.err.write(summary('ivtrade surface', opened.feeds, sink.dropped));
  return 0;
}

/** Whether every followed chain has had its first quotes (each listed expiry fitted or empty). */
export function chainsQuoted(
  engine: MarketEngine,
  venues: readonly string[],
  model: SurfaceModel,
  coins: readonly string[],
): boolean {
  let chains = 0;
  for (const venue of venues) {
    for (const chain of engine.market.chains(venue)) {
      if (!coins.includes(chain.base)) continue;
      chains += 1;
      const surface = model.surface(chain, engine.venueNow(venue));
      if (surface.fit.expiries.length === 0 || surface.health.withoutForward > 0) return false;
    }
  }
  return chains > 0;
}

const pct = (value: number | null, digits = 1): string =>
  value === null ? '-' : (value * 100).toFixed(digits);

/** A human's view of one chain: a header line, then one line per fitted expiry. */
function table(s: CoinSurface): string[] {
  const index = s.index.value === null ? '-' : pct(s.index.value);
  const arbitrage = s.fit.arbitrageFree
    ? s.fit.flagged
      ? 'arbitrage repaired'
      : 'arbitrage-free'
    : 'ARBITRAGE (not repaired)';
  const lines = [
    `${s.venue} ${s.coin}/${s.quote} at ${new Date(s.ts).toISOString()}: 30d index ${index}, ` +
      `${s.health.quoted} quotes (${s.health.stale} stale left out), ${arbitrage}, ` +
      `delta ${s.deltaConvention}`,
    '  expiry      days  fit          ATM   RR25   BF25   RR10   BF10  inside  flags',
  ];
  s.fit.expiries.forEach((e, at) => {
    const r = s.expiries[at]!.readouts;
    const inside =
      e.quality.twoSided === 0
        ? '-'
        : `${Math.round((100 * e.quality.insideSpread) / e.quality.twoSided)}%`;
    const flags = e.arbitrage.map((f) => `${f.check}${f.repaired ? ' (repaired)' : ''}`).join(', ');
    lines.push(
      `  ${new Date(e.expiryMs).toISOString().slice(0, 10)} ${s.expiries[at]!.days.toFixed(1).padStart(6)}  ` +
        `${e.kind.padEnd(11)} ${pct(r.atmIv).padStart(5)} ${pct(r.rr25).padStart(6)} ${pct(r.bf25).padStart(6)} ` +
        `${pct(r.rr10).padStart(6)} ${pct(r.bf10).padStart(6)} ${inside.padStart(7)}  ${flags === '' ? '-' : flags}`,
    );
  });
  return lines;
}

/** A wait that does not keep the process alive once the command is done. */
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
