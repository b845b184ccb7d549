// The end-to-end pipeline: Deribit text frames → JSON.parse → venue mappers → the feed's
// per-frame bookkeeping → MarketState (books, chain, IVs and greeks settled every 100 ms of
// message time), in messages per second on one thread, beside bare JSON.parse of the same
// frames, the ceiling any pipeline that parses its frames is under. Then the resident memory
// of 2,000 live options, from fresh child processes (bench/pipeline-memory-child.ts).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Row, Target } from './common.js';
import { FramePipeline, SETTLE_MS, specsFromResult, VENUE } from './pipeline-feed.js';
import { DeribitFrameSource, SLICE_MS, START } from './pipeline-frames.js';
import type { PipelineMemoryMode, PipelineMemorySample } from './pipeline-memory-child.js';
import type { InstrumentSpec } from '../src/instruments/types.js';
import { median, seconds } from './timing.js';

export interface PipelineConfig {
  reps: number;
  /** 100 ms slices of message time per stream. */
  slices: number;
  /** Frames per slice: the feed's rate in message time is ten times this per second. */
  perSlice: number;
  /** Child processes per memory case; the median is reported. */
  memoryReps: number;
}

export interface PipelineResult {
  rows: Row[];
  notes: string[];
  sink: number;
}

export const PEER_PARSE = 'JSON.parse';
/** The issue's figure for the seed tracker it replaces; reported there, not measured here. */
export const SEED_TRACKER = 'seed tracker (reported)';
const SEED_TRACKER_MB = 340;
const FRAME_SEED = 0x5eed;
const CHILD = fileURLToPath(new URL('./pipeline-memory-child.js', import.meta.url));
const MB = 1024 * 1024;
const TOP_AGREEMENT_MS = 1_000;

/** Thrown when the pipeline did not take the frames cleanly: its timing would mean nothing. */
export class PipelineCheckError extends Error {
  override name = 'PipelineCheckError';
}

/** One way through a stream: the live feed's whole path, or the mappers and state alone. */
interface Variant {
  label: string;
  feedBookkeeping: boolean;
  targets?: Target[];
}

interface Mix {
  label: string;
  tickerShare: number;
  variants: Variant[];
}

const MIXES: readonly Mix[] = [
  {
    label: 'mixed 60/40',
    tickerShare: 0.6,
    variants: [
      {
        label: 'mixed 60/40',
        feedBookkeeping: true,
        targets: [
          { on: 'ivtrade', op: '>=', value: 100_000 },
          { on: 'ratio', op: '>=', value: 0.3 },
        ],
      },
      { label: 'mixed 60/40, mappers + state only', feedBookkeeping: false },
    ],
  },
  {
    label: 'tickers only',
    tickerShare: 1,
    variants: [{ label: 'tickers only', feedBookkeeping: true }],
  },
  {
    label: 'book changes only',
    tickerShare: 0,
    variants: [{ label: 'book changes only', feedBookkeeping: true }],
  },
];

interface Stream {
  specs: InstrumentSpec[];
  source: DeribitFrameSource;
  opening: string[];
  frames: string[];
  tickers: number;
  bookChanges: number;
  bytes: number;
}

function generate(mix: Mix, cfg: PipelineConfig): Stream {
  const source = new DeribitFrameSource(FRAME_SEED);
  const specs = specsFromResult(source.instrumentsResult());
  const opening = source.openingFrames();
  const before = { ...source.counts };
  const frames: string[] = [];
  for (let s = 0; s < cfg.slices; s++) frames.push(...source.slice(cfg.perSlice, mix.tickerShare));
  const { counts } = source;
  return {
    specs,
    source,
    opening,
    frames,
    tickers: counts.tickers - before.tickers,
    bookChanges: counts.bookChanges - before.bookChanges,
    bytes: counts.bytes - before.bytes,
  };
}

// One function per contender keeps each loop monomorphic.

function parseAll(frames: readonly string[]): number {
  let parsed = 0;
  for (let i = 0; i < frames.length; i++) if (JSON.parse(frames[i]!) !== null) parsed++;
  return parsed;
}

function pipeAll(pipeline: FramePipeline, frames: readonly string[]): number {
  for (let i = 0; i < frames.length; i++) pipeline.push(frames[i]!);
  return pipeline.counts.tops + pipeline.counts.repriced;
}

/** A pipeline with the listing loaded and the subscription's opening frames applied. */
function opened(stream: Stream, variant: Variant): FramePipeline {
  const pipeline = new FramePipeline(stream.specs, START, {
    feedBookkeeping: variant.feedBookkeeping,
  });
  for (const frame of stream.opening) pipeline.push(frame);
  pipeline.resetCounts();
  return pipeline;
}

interface Checked {
  topShare: number;
  settles: number;
  rowsPerSettle: number;
  ivMedianError: number;
  ivMaxError: number;
}

/**
 * Every frame mapped, no book broke, every option has an IV and greeks at the end, and
 * ivtrade's mark IVs agree with the σ the frames were priced at.
 */
function check(what: string, stream: Stream, pipeline: FramePipeline): Checked {
  const { counts } = pipeline;
  const { settles, repriced, tops } = counts;
  const problems: string[] = [];
  if (counts.malformed > 0) problems.push(`${counts.malformed} malformed`);
  if (counts.skipped > 0) problems.push(`${counts.skipped} unmapped`);
  if (counts.gaps > 0) problems.push(`${counts.gaps} book gaps`);
  if (pipeline.feedBookkeeping && stream.tickers > 0) {
    // Each ticker repeats its book's top, so no book may disagree with it for long (the
    // feed resyncs a book after 3 s of disagreement).
    const late = pipeline.disagreeingTops(stream.source.now - TOP_AGREEMENT_MS);
    if (late.length > 0) problems.push(`${late.length} books disagreeing with their tickers`);
  }
  pipeline.settle(stream.source.now + SLICE_MS);
  const errors: number[] = [];
  let unpriced = 0;
  for (const option of stream.source.options) {
    const quote = pipeline.state
      .chain(VENUE, option.coin.name, option.coin.name)
      ?.option(option.name);
    const markIv = quote?.markIv ?? null;
    if (markIv === null || quote?.delta === null) {
      unpriced++;
      continue;
    }
    errors.push(Math.abs(markIv - stream.source.markIv(option.name)));
  }
  if (unpriced > 0) problems.push(`${unpriced} options without a mark IV or greeks`);
  const ivMedianError = errors.length === 0 ? NaN : median(errors);
  // The frames carry premiums rounded to 1e-8 coin and forwards to the cent, and a row may
  // have moved on to a sibling's newer forward since an option's last ticker.
  if (!(ivMedianError < 1e-3)) problems.push(`median mark-IV error ${ivMedianError}`);
  if (problems.length > 0) throw new PipelineCheckError(`${what}: ${problems.join(', ')}`);
  return {
    topShare: stream.bookChanges === 0 ? NaN : tops / stream.bookChanges,
    settles,
    rowsPerSettle: repriced / settles,
    ivMedianError,
    ivMaxError: Math.max(...errors),
  };
}

function timeMix(
  mix: Mix,
  cfg: PipelineConfig,
  log: (s: string) => void,
  sink: { v: number },
): { rows: Row[]; note: string } {
  log(`pipeline ${mix.label}: generating ${cfg.slices * cfg.perSlice} frames`);
  const stream = generate(mix, cfg);
  log(`pipeline ${mix.label}: checking, then timing`);
  let checked: Checked | undefined;
  for (let w = 0; w < 2; w++) {
    sink.v += parseAll(stream.frames);
    for (const variant of mix.variants) {
      const pipeline = opened(stream, variant);
      sink.v += pipeAll(pipeline, stream.frames);
      if (w > 0) continue;
      const result = check(variant.label, stream, pipeline);
      checked ??= result;
    }
  }
  // Repetitions alternate between contenders so that drift hits all alike.
  const parse: number[] = [];
  const pipe = mix.variants.map(() => [] as number[]);
  for (let r = 0; r < cfg.reps; r++) {
    parse.push(seconds(() => parseAll(stream.frames), sink));
    mix.variants.forEach((variant, v) => {
      const pipeline = opened(stream, variant);
      pipe[v]!.push(seconds(() => pipeAll(pipeline, stream.frames), sink));
    });
  }
  const n = stream.frames.length;
  const rows = mix.variants.map((variant, v): Row => ({
    bench: 'pipeline',
    metric: `${variant.label}: messages/s`,
    better: 'higher',
    unit: 'ops/s',
    ivtrade: n / median(pipe[v]!),
    peer: PEER_PARSE,
    peerValue: n / median(parse),
    ...(variant.targets === undefined ? {} : { target: variant.targets }),
  }));
  const c = checked!;
  const note =
    `pipeline ${mix.label}: ${n.toLocaleString('en-US')} frames (${stream.tickers} tickers, ` +
    `${stream.bookChanges} book changes, mean ${(stream.bytes / n).toFixed(0)} bytes), ` +
    `${c.settles} settles repricing ${c.rowsPerSettle.toFixed(1)} expiry rows each` +
    (Number.isNaN(c.topShare) ? '' : `, ${pct(c.topShare)} of book changes moved a top`) +
    '; ' +
    `mark IVs within ${c.ivMedianError.toExponential(1)} (median; max ` +
    `${c.ivMaxError.toExponential(1)}) of the σ the frames were priced at.`;
  return { rows, note };
}

function sample(mode: PipelineMemoryMode): PipelineMemorySample {
  const child = spawnSync(process.execPath, ['--expose-gc', CHILD, mode], { encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(`pipeline-memory-child ${mode} exited ${child.status}: ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as PipelineMemorySample;
}

function memory(cfg: PipelineConfig, log: (s: string) => void): { rows: Row[]; notes: string[] } {
  log(`pipeline memory: ${cfg.memoryReps} child process(es) for each of 2 cases`);
  const runs = (mode: PipelineMemoryMode): PipelineMemorySample[] =>
    Array.from({ length: cfg.memoryReps }, () => sample(mode));
  const base = runs('baseline');
  const live = runs('live');
  const rss = (xs: PipelineMemorySample[]): number => median(xs.map((s) => s.rss)) / MB;
  const js = (xs: PipelineMemorySample[]): number =>
    median(xs.map((s) => s.heapUsed + s.arrayBuffers)) / MB;
  const first = live[0]!;
  const options = first.options.toLocaleString('en-US');
  return {
    rows: [
      {
        bench: 'pipeline',
        metric: `${options} options live: RSS`,
        better: 'lower',
        unit: 'MB',
        ivtrade: rss(live),
        peer: SEED_TRACKER,
        peerValue: SEED_TRACKER_MB,
        target: { on: 'ivtrade', op: '<=', value: 150 },
      },
    ],
    notes: [
      `pipeline memory: ${cfg.memoryReps === 1 ? 'one' : `median of ${cfg.memoryReps}`} fresh ` +
        '`node --expose-gc dist/bench/pipeline-memory-child.js` per case: the listing of ' +
        `${options} options and ${first.futures} futures loaded, every book's snapshot ` +
        `(${first.levels.toLocaleString('en-US')} levels held at the end) and ticker, then ` +
        `${first.rounds} rounds of a book change and a ticker for every option through the ` +
        `pipeline, settled; ${first.priced} options with IVs and greeks; gc() ×4. RSS ` +
        `${rss(live).toFixed(1)} MB, ${(rss(live) - rss(base)).toFixed(1)} MB above the ` +
        `baseline (modules loaded, nothing built: ${rss(base).toFixed(1)} MB); heap + ` +
        `ArrayBuffers ${(js(live) - js(base)).toFixed(1)} MB above baseline. The peer figure ` +
        `is the issue's report of the seed tracker (${SEED_TRACKER_MB} MB), not a measurement.`,
    ],
  };
}

export function runPipeline(cfg: PipelineConfig, log: (s: string) => void): PipelineResult {
  const sink = { v: 0 };
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const mix of MIXES) {
    const { rows: mixRows, note } = timeMix(mix, cfg, log, sink);
    rows.push(...mixRows);
    notes.push(note);
  }
  notes.push(
    "pipeline: the live Deribit feed's per-frame path without the socket (JSON.parse, " +
      "channel, mapper, the feed's watchdog touch, listing check, change-id chain and " +
      'book/ticker top cross-check, MarketState.apply); "mappers + state only" drops the ' +
      `feed's bookkeeping. ${cfg.perSlice.toLocaleString('en-US')} frames per 100 ms of ` +
      `message time (${(cfg.perSlice * (1000 / SLICE_MS)).toLocaleString('en-US')}/s, ` +
      `${cfg.slices} slices), settled every ${SETTLE_MS} ms of message time; each timed run ` +
      'starts from a fresh state with the listing and the opening snapshots and tickers ' +
      `applied (untimed). Ratio = pipeline / ${PEER_PARSE} of the same frames (target ≥ 0.3).`,
  );
  const mem = memory(cfg, log);
  rows.push(...mem.rows);
  notes.push(...mem.notes);
  return { rows, notes, sink: sink.v };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)} %`;
}
