// `npm start`'s build step on a small project of its own: a fresh checkout builds, an
// up-to-date one does not run tsc at all, a changed source builds again, and a failed build
// is retried on the next start.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const project = mkdtempSync(join(tmpdir(), 'ivtrade-build-'));
after(() => rmSync(project, { recursive: true, force: true }));

function setUp(): void {
  mkdirSync(join(project, 'scripts'));
  mkdirSync(join(project, 'src'));
  copyFileSync(
    join(repoRoot(), 'scripts', 'build-if-stale.js'),
    join(project, 'scripts', 'build-if-stale.js'),
  );
  symlinkSync(join(repoRoot(), 'node_modules'), join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), '{"type":"module"}\n');
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { outDir: 'dist', rootDir: '.', module: 'NodeNext', types: [] },
      include: ['src'],
    }),
  );
  writeFileSync(join(project, 'src', 'a.ts'), 'export const a: number = 1;\n');
}

function start(): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [join(project, 'scripts', 'build-if-stale.js')], {
    cwd: project,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

/** Backdates a built file, so a rebuild (which rewrites it) shows in its mtime. */
function backdate(path: string): number {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(path, past, past);
  return statSync(path).mtimeMs;
}

describe('scripts/build-if-stale.js (npm start)', () => {
  setUp();
  const output = join(project, 'dist', 'src', 'a.js');

  it('builds a fresh checkout (no dist yet)', () => {
    assert.equal(existsSync(output), false);
    assert.equal(start().code, 0);
    assert.ok(existsSync(output), 'built');
    assert.ok(existsSync(join(project, 'dist', '.build-stamp')), 'stamped');
  });

  it('leaves an up-to-date build alone: tsc does not run', () => {
    const before = backdate(output);
    // The stamp is newer than every source; backdating the output changes neither.
    assert.equal(start().code, 0);
    assert.equal(statSync(output).mtimeMs, before, 'not rebuilt');
  });

  it('rebuilds after a source changes', () => {
    const before = backdate(output);
    writeFileSync(join(project, 'src', 'a.ts'), 'export const a: number = 2;\n');
    const future = new Date(Date.now() + 5_000);
    utimesSync(join(project, 'src', 'a.ts'), future, future);
    assert.equal(start().code, 0);
    assert.ok(statSync(output).mtimeMs > before, 'rebuilt');
  });

  it('a failed build exits non-zero and is tried again on the next start', () => {
    writeFileSync(join(project, 'src', 'a.ts'), 'export const a: number = "two";\n');
    const future = new Date(Date.now() + 10_000);
    utimesSync(join(project, 'src', 'a.ts'), future, future);
    const failed = start();
    assert.notEqual(failed.code, 0);
    assert.match(failed.out, /TS2322/);
    const again = start();
    assert.notEqual(again.code, 0, 'not skipped as up to date');
    assert.match(again.out, /TS2322/);
  });
});
