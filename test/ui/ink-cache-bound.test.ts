// Ink 6 keeps every distinct text it ever measured or wrapped in module-level caches with no
// eviction (vadimdemedes/ink#986): a screen whose numbers tick grows by about 20 MB a minute
// at 200×60. patches/ink+6.8.0.patch (applied by patch-package on install) bounds both. This
// checks the installed Ink is the patched one, by its behaviour: measuring 60,000 distinct
// strings must not retain them.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Ink's entry point, then its internal modules beside it (they are not exported).
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));

function retainedAfter(work: () => void): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  work();
  gc();
  gc();
  return process.memoryUsage().heapUsed - before;
}

it('Ink forgets texts it measured and wrapped once its caches are full', async () => {
  const measure = (await import(pathToFileURL(join(inkBuild, 'measure-text.js')).href)) as {
    default: (text: string) => { width: number; height: number };
  };
  const wrap = (await import(pathToFileURL(join(inkBuild, 'wrap-text.js')).href)) as {
    default: (text: string, width: number, type: string) => string;
  };
  // Strings like a chain row: 100 characters, each one distinct.
  const row = (n: number): string =>
    `${n.toString().padStart(12, '0')} ${'0.0565 52.3/58.1 '.repeat(5)}`;
  const retained = retainedAfter(() => {
    for (let n = 0; n < 60_000; n += 1) {
      const text = row(n);
      assert.equal(measure.default(text).height, 1);
      wrap.default(text, 50, 'truncate-end');
    }
  });
  // Unbounded, the two caches would hold 60,000 rows each: well over 15 MB.
  assert.ok(retained < 6_000_000, `${(retained / 1e6).toFixed(1)} MB retained`);
});
