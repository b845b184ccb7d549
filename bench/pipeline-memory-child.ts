// Run by bench/pipeline.ts in a fresh `node --expose-gc` per measurement:
// `node --expose-gc dist/bench/pipeline-memory-child.js <baseline|live>` feeds 2,000 options'
// frames through the pipeline (live) or only loads the modules (baseline), collects garbage
// and prints process.memoryUsage() as one JSON line. The frames are generated a slice at a
// time and dropped once applied, as a socket's would be, so what stays is the market state.

import { FramePipeline, specsFromResult, VENUE } from './pipeline-feed.js';
import { DeribitFrameSource, START } from './pipeline-frames.js';

const MODES = ['baseline', 'live'] as const;
export type PipelineMemoryMode = (typeof MODES)[number];

export interface PipelineMemorySample {
  mode: PipelineMemoryMode;
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  options: number;
  futures: number;
  /** Book levels and priced options when measured: proof the state was still alive. */
  levels: number;
  priced: number;
  rounds: number;
}

const ROUNDS = 3;
const SEED = 0x5eed;

function live(): { pipeline: FramePipeline | null; options: number; futures: number } {
  const source = new DeribitFrameSource(SEED);
  const specs = specsFromResult(source.instrumentsResult());
  const pipeline = new FramePipeline(specs, START);
  for (const frame of source.openingFrames()) pipeline.push(frame);
  for (let round = 0; round < ROUNDS; round++) {
    for (const frame of source.everyOption()) pipeline.push(frame);
  }
  pipeline.settle(source.now);
  const { counts } = pipeline;
  if (counts.malformed + counts.skipped + counts.gaps > 0) {
    throw new Error(`pipeline-memory-child: frames not taken cleanly ${JSON.stringify(counts)}`);
  }
  const options = specs.filter((spec) => spec.kind === 'option').length;
  return { pipeline, options, futures: specs.length - options };
}

function levelsOf(pipeline: FramePipeline): number {
  let levels = 0;
  for (const book of pipeline.state.books.all()) levels += book.bids.count + book.asks.count;
  return levels;
}

function pricedOf(pipeline: FramePipeline): number {
  let priced = 0;
  for (const chain of pipeline.state.chains(VENUE)) {
    for (const row of chain.rows) {
      for (let slot = 0; slot < row.slots; slot++) {
        if (Number.isFinite(row.markIv[slot]) && Number.isFinite(row.greeks.delta[slot])) priced++;
      }
    }
  }
  return priced;
}

function main(): void {
  const mode = process.argv[2];
  if (mode !== 'baseline' && mode !== 'live') {
    throw new Error(`usage: pipeline-memory-child.js <${MODES.join('|')}>`);
  }
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('pipeline-memory-child.js needs node --expose-gc');
  const built = mode === 'live' ? live() : { pipeline: null, options: 0, futures: 0 };
  // Several passes: one full GC can leave garbage that only the next one frees.
  for (let i = 0; i < 4; i++) collect();
  const usage = process.memoryUsage();
  const sample: PipelineMemorySample = {
    mode,
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    arrayBuffers: usage.arrayBuffers,
    options: built.options,
    futures: built.futures,
    levels: built.pipeline === null ? 0 : levelsOf(built.pipeline),
    priced: built.pipeline === null ? 0 : pricedOf(built.pipeline),
    rounds: ROUNDS,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main();
