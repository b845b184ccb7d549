// The terminal UI's cost (issue 6): time per frame of ivtrade's Ink App at 80×24 and 200×60
// over a 2,000-option market taking 5,000 updates a second, beside a plain-string renderer of
// the same screen from the same snapshot; and the CPU the App uses while the market is quiet,
// beside Ink rendering one static <Text>. bench/render-ink.tsx says what a frame sample
// covers. Everything runs in this process on fake TTYs, driven through `MarketEngine.apply`.

import chalk from 'chalk';
import type { Row } from './common.js';
import { appFrames, appIdle, inkFloorIdle, plainFrames, type FrameRun } from './render-ink.js';
import { BenchMarket, OPTION_COUNT, UpdatePump } from './render-market.js';
import { median, percentile } from './timing.js';

export interface RenderConfig {
  /** Timed blocks per contender and terminal size, alternating between the contenders. */
  reps: number;
  /** Seconds per timed block, each after `warmupSeconds` untimed on a fresh mount. */
  blockSeconds: number;
  warmupSeconds: number;
  /** The idle run: seconds over the live market, then seconds with no update. */
  idleWarmupSeconds: number;
  idleSeconds: number;
}

export interface RenderResult {
  rows: Row[];
  notes: string[];
}

export const PEER_PLAIN = 'plain strings';
export const PEER_INK_FLOOR = 'ink, one <Text>';
/** Updates per second, as the issue asks. */
export const RATE = 5_000;
export const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 200, rows: 60 },
] as const;
const IDLE_SIZE = SIZES[1];
/** The views issue 19 added, each timed open at the sizes that matter for it. */
export const VIEWS = [
  { name: 'risk view', size: SIZES[0], ui: { risk: true } },
  { name: 'risk view', size: SIZES[1], ui: { risk: true } },
  { name: 'depth view', size: SIZES[1], ui: { depth: true } },
] as const;
const MARKET_SEED = 0x6e4d;
const TARGET_MEDIAN_MS = 16;
const TARGET_P99_MS = 50;
const TARGET_IDLE_PCT = 5;

function merge(runs: readonly FrameRun[]): FrameRun {
  return {
    frames: runs.flatMap((r) => r.frames),
    snapshots: runs.flatMap((r) => r.snapshots),
    outputs: runs.flatMap((r) => r.outputs),
    coalesced: runs.reduce((sum, r) => sum + r.coalesced, 0),
    busy: runs.reduce((sum, r) => sum + r.busy, 0),
    bytes: runs.reduce((sum, r) => sum + r.bytes, 0),
    updates: runs.reduce((sum, r) => sum + r.updates, 0),
  };
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;

/** The median and p99 rows of the App's frames against the peer's, with their targets. */
function frameRows(what: string, app: FrameRun, peer: FrameRun): Row[] {
  return [
    {
      bench: 'render',
      metric: `${what} frame: median`,
      better: 'lower',
      unit: 'ms',
      ivtrade: median(app.frames),
      peer: PEER_PLAIN,
      peerValue: median(peer.frames),
      target: { on: 'ivtrade', op: '<=', value: TARGET_MEDIAN_MS },
    },
    {
      bench: 'render',
      metric: `${what} frame: p99`,
      better: 'lower',
      unit: 'ms',
      ivtrade: percentile(app.frames, 0.99),
      peer: PEER_PLAIN,
      peerValue: percentile(peer.frames, 0.99),
      target: { on: 'ivtrade', op: '<=', value: TARGET_P99_MS },
    },
  ];
}

function sizeName(size: { cols: number; rows: number }): string {
  return `${size.cols}×${size.rows}`;
}

async function frames(
  cfg: RenderConfig,
  log: (s: string) => void,
): Promise<{ rows: Row[]; notes: string[] }> {
  // One market per contender, from the same seed: both see the same kind of traffic.
  const start = Date.now();
  const markets = [new BenchMarket(MARKET_SEED, start), new BenchMarket(MARKET_SEED, start)];
  for (const market of markets) market.open(Date.now());
  const [ours, peers] = markets.map((market) => ({
    market,
    pump: new UpdatePump(market, RATE, performance.now()),
  }));
  const rows: Row[] = [];
  const notes: string[] = [];
  const plainBySize = new Map<string, FrameRun>();
  for (const size of SIZES) {
    const name = sizeName(size);
    const app: FrameRun[] = [];
    const plain: FrameRun[] = [];
    for (let r = 0; r < cfg.reps; r++) {
      log(`render ${name}: App block ${r + 1}/${cfg.reps}`);
      app.push(
        await appFrames(ours!.market, ours!.pump, size, cfg.warmupSeconds, cfg.blockSeconds),
      );
      log(`render ${name}: plain-string block ${r + 1}/${cfg.reps}`);
      plain.push(
        await plainFrames(peers!.market, peers!.pump, size, cfg.warmupSeconds, cfg.blockSeconds),
      );
    }
    const a = merge(app);
    const p = merge(plain);
    plainBySize.set(name, p);
    const timed = cfg.reps * cfg.blockSeconds;
    rows.push(...frameRows(name, a, p));
    const perFrame = (run: FrameRun): string => ms(run.busy / Math.max(1, run.frames.length));
    notes.push(
      `render ${name}: App ${a.frames.length} frames in ${timed.toFixed(1)} s ` +
        `(${(a.updates / timed).toFixed(0)} updates/s applied), ${a.coalesced} snapshots ` +
        `coalesced into a later frame; medians: snapshot ${ms(median(a.snapshots))}, Ink output ` +
        `pass ${ms(median(a.outputs))}, the rest (scheduling, React render and commit, Yoga, ` +
        `write) ~${ms(median(a.frames) - median(a.snapshots) - median(a.outputs))}; max frame ` +
        `${ms(Math.max(...a.frames))}; event loop busy ${perFrame(a)} per frame (less the ` +
        `pump; with React's passive effects and GC); ` +
        `${(a.bytes / Math.max(1, a.frames.length) / 1024).toFixed(1)} KiB written per frame. ` +
        `Plain strings: ${p.frames.length} frames (${(p.updates / timed).toFixed(0)} updates/s), ` +
        `median snapshot ${ms(median(p.snapshots))}, busy ${perFrame(p)} per frame, max ` +
        `${ms(Math.max(...p.frames))}.`,
    );
  }
  // Issue 19's views open over the same market: the scenario matrix (the held positions
  // revalued 21 × 9 × 2 each refresh) and the depth view. Their peer is the plain chain at
  // the same size: what the screen costs with the view against without it.
  for (const view of VIEWS) {
    const name = sizeName(view.size);
    const runs: FrameRun[] = [];
    for (let r = 0; r < cfg.reps; r++) {
      log(`render ${name} ${view.name}: App block ${r + 1}/${cfg.reps}`);
      runs.push(
        await appFrames(
          ours!.market,
          ours!.pump,
          view.size,
          cfg.warmupSeconds,
          cfg.blockSeconds,
          view.ui,
        ),
      );
    }
    const a = merge(runs);
    const p = plainBySize.get(name)!;
    rows.push(...frameRows(`${name} ${view.name}`, a, p));
    notes.push(
      `render ${name} ${view.name}: App ${a.frames.length} frames, median snapshot ` +
        `${ms(median(a.snapshots))}, max frame ${ms(Math.max(...a.frames))}; the peer is the ` +
        'plain chain at that size (the view against no view).',
    );
  }
  return { rows, notes };
}

async function idle(
  cfg: RenderConfig,
  log: (s: string) => void,
): Promise<{ rows: Row[]; notes: string[] }> {
  const market = new BenchMarket(MARKET_SEED + 1, Date.now());
  market.open(Date.now());
  const pump = new UpdatePump(market, RATE, performance.now());
  const name = sizeName(IDLE_SIZE);
  log(
    `render idle: App at ${name}, ${cfg.idleWarmupSeconds} s live then ${cfg.idleSeconds} s quiet`,
  );
  const app = await appIdle(market, pump, IDLE_SIZE, cfg.idleWarmupSeconds, cfg.idleSeconds);
  log(`render idle: Ink floor, ${cfg.idleSeconds} s`);
  const floor = await inkFloorIdle(IDLE_SIZE, cfg.idleSeconds);
  return {
    rows: [
      {
        bench: 'render',
        metric: 'idle UI: CPU, % of a core',
        better: 'lower',
        unit: '%',
        ivtrade: app.cpu,
        peer: PEER_INK_FLOOR,
        peerValue: floor.cpu,
        target: { on: 'ivtrade', op: '<=', value: TARGET_IDLE_PCT },
      },
    ],
    notes: [
      `render idle: the App at ${name} with the session's render options and its 30 fps ` +
        `clock, after ${cfg.idleWarmupSeconds} s of updates, then ${app.seconds.toFixed(1)} s ` +
        `with none: ${app.frames} frames (the clock's second), process CPU ` +
        `(process.cpuUsage, user + system, all threads) ${app.cpu.toFixed(2)} % of a core; ` +
        `Ink's floor (one static <Text>) ${floor.cpu.toFixed(2)} %.`,
    ],
  };
}

export async function runRender(
  cfg: RenderConfig,
  log: (s: string) => void,
): Promise<RenderResult> {
  // A terminal's 16 colours, whatever this process's own stdout is: the App's styling is part
  // of its cost. NO_COLOR still wins, as it does in the app.
  const level = chalk.level;
  chalk.level = process.env['NO_COLOR'] ? 0 : 1;
  try {
    const f = await frames(cfg, log);
    const i = await idle(cfg, log);
    const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some((key) => {
      const value = process.env[key];
      return value !== undefined && value !== '0' && value !== 'false';
    });
    return {
      rows: [...f.rows, ...i.rows],
      notes: [
        `render: ${OPTION_COUNT.toLocaleString('en-US')} BTC options (10 expiries × 100 strikes) ` +
          `and the perpetual, ${RATE.toLocaleString('en-US')} updates/s through ` +
          'MarketEngine.apply (option tickers with a moving index and forward and per-option ' +
          'vol walks; every 50th an index print or a perpetual ticker), applied as the frame ' +
          `clock ticks; ${cfg.reps} alternating block(s) of ${cfg.blockSeconds} s per contender ` +
          `and size after ${cfg.warmupSeconds} s untimed; React ` +
          `${process.env['NODE_ENV'] === 'production' ? 'production' : 'development'} build ` +
          `(NODE_ENV=${process.env['NODE_ENV'] ?? 'unset'}), chalk level ${chalk.level}` +
          (ci ? '; CI is set, so Ink skips its per-frame writes (its CI mode)' : '') +
          '. p99 is nearest-rank (under 100 frames, the slowest one). Frame ratio = plain ' +
          'strings / App (> 1: ivtrade ahead, as everywhere here).',
        ...f.notes,
        ...i.notes,
      ],
    };
  } finally {
    chalk.level = level;
  }
}
