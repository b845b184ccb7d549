#!/usr/bin/env node
// `npm start` builds only when a source changed since the last good build: checking costs a
// few hundred stat calls, where tsc needs seconds even with nothing to do. A fresh clone has
// no stamp and builds; a failed build writes no stamp, so the next start tries again.
//
//   node scripts/build-if-stale.js            build when stale (tsc, incremental): npm start
//   node scripts/build-if-stale.js --always   a full build whatever the stamp says: npm run build

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
// What tsc reads: tsconfig's "include" and the settings and dependencies that shape its output.
const SOURCE_DIRS = ['src', 'test', 'bench'];
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'package-lock.json'];

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -Infinity;
  }
}

function newestUnder(dir) {
  let newest = mtimeOf(dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestUnder(path) : mtimeOf(path);
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function newestSource() {
  let newest = -Infinity;
  for (const dir of SOURCE_DIRS) newest = Math.max(newest, newestUnder(join(root, dir)));
  for (const file of SOURCE_FILES) newest = Math.max(newest, mtimeOf(join(root, file)));
  return newest;
}

/** The stamp carries the time the build started: an edit made while it ran is not covered. */
function writeStamp(startedMs) {
  writeFileSync(stamp, '');
  const at = new Date(startedMs);
  utimesSync(stamp, at, at);
}

const always = process.argv.includes('--always');
if (always || mtimeOf(stamp) < newestSource()) {
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const incremental = always ? [] : ['--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'];
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', ...incremental], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeStamp(started);
}
