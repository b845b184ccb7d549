// Memory: what 2,000 L2 books, and a whole 2,000-option chain with its books, keep resident.
// Each figure comes from a fresh child process (bench/memory-child.ts), so nothing the
// timing benches allocated, and no other measurement, is in it.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PEER_BOOK, type Row } from './common.js';
import type { MemoryMode, MemorySample } from './memory-child.js';
import { median } from './timing.js';

export interface MemoryConfig {
  /** Child processes per mode; the median is reported. */
  reps: number;
}

export interface MemoryResult {
  rows: Row[];
  notes: string[];
}

const CHILD = fileURLToPath(new URL('./memory-child.js', import.meta.url));
const MB = 1024 * 1024;

function sample(mode: MemoryMode): MemorySample {
  const child = spawnSync(process.execPath, ['--expose-gc', CHILD, mode], { encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(`memory-child ${mode} exited ${child.status}: ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as MemorySample;
}

interface Figures {
  rss: number;
  /** heapUsed + arrayBuffers: typed-array storage lives outside the V8 heap. */
  js: number;
  held: number;
  options: number;
  levelsPerSide: number;
}

function measure(mode: MemoryMode, reps: number): Figures {
  const samples = Array.from({ length: reps }, () => sample(mode));
  const first = samples[0]!;
  return {
    rss: median(samples.map((s) => s.rss)) / MB,
    js: median(samples.map((s) => s.heapUsed + s.arrayBuffers)) / MB,
    held: first.held,
    options: first.options,
    levelsPerSide: first.levelsPerSide,
  };
}

export function runMemory(cfg: MemoryConfig, log: (s: string) => void): MemoryResult {
  log(`memory: ${cfg.reps} child process(es) for each of 5 cases`);
  const base = measure('ivtrade-baseline', cfg.reps);
  const books = measure('ivtrade-books', cfg.reps);
  const chain = measure('ivtrade-chain', cfg.reps);
  const peerBase = measure('peer-baseline', cfg.reps);
  const peer = measure('peer-books', cfg.reps);
  const n = chain.options.toLocaleString('en-US');
  const levels = chain.levelsPerSide;
  const row = (
    metric: string,
    ivtrade: number,
    peerValue: number,
    target?: Row['target'],
  ): Row => ({
    bench: 'memory',
    metric,
    better: 'lower',
    unit: 'MB',
    ivtrade,
    peer: PEER_BOOK,
    peerValue,
    ...(target === undefined ? {} : { target }),
  });
  const rows = [
    row(`${n} books × ${levels} levels/side: RSS`, books.rss, peer.rss),
    row(
      `${n} books × ${levels} levels/side: RSS − baseline`,
      books.rss - base.rss,
      peer.rss - peerBase.rss,
    ),
    row(
      `${n} books × ${levels} levels/side: heap+ArrayBuffers − baseline`,
      books.js - base.js,
      peer.js - peerBase.js,
    ),
    row(`${n}-option chain + books: RSS (peer: books)`, chain.rss, peer.rss, {
      on: 'ivtrade',
      op: '<=',
      value: 60,
    }),
    row(
      `${n}-option chain + books: RSS − baseline (peer: books)`,
      chain.rss - base.rss,
      peer.rss - peerBase.rss,
    ),
    row(
      `${n}-option chain + books: heap+ArrayBuffers − baseline (peer: books)`,
      chain.js - base.js,
      peer.js - peerBase.js,
    ),
  ];
  const notes = [
    `memory: ${cfg.reps === 1 ? 'one' : `median of ${cfg.reps}`} fresh \`node --expose-gc\` ` +
      'process(es) per case, each loading ' +
      `one side's modules (ivtrade's books, chain and pricing; or ${PEER_BOOK}'s OrderBook alone, ` +
      'not its package index), building one thing, then gc() ×4 and process.memoryUsage(). ' +
      `Baselines (modules loaded, nothing built): ivtrade RSS ${base.rss.toFixed(1)} MB, heap + ` +
      `ArrayBuffers ${base.js.toFixed(1)} MB; ${PEER_BOOK} RSS ${peerBase.rss.toFixed(1)} MB, ` +
      `${peerBase.js.toFixed(1)} MB.`,
    `memory cases: books = ${n} instrument names and one L2 book each with ${levels} levels a side ` +
      `(ivtrade Books fed snapshots; ${PEER_BOOK} OrderBook.update with isSnapshot); chain = an ` +
      `OptionChain of ${n} options (20 expiries × 50 strikes × call/put), every option quoted by ` +
      `a ticker with its forward and settled (IVs and greeks), plus the same ${n} ivtrade books. ` +
      `Levels held: ivtrade ${books.held}, ${PEER_BOOK} ${peer.held}. ` +
      'For memory, ratio = peer / ivtrade (> 1: ivtrade uses less).',
  ];
  return { rows, notes };
}
