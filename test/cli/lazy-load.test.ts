// What a command loads: `ivtrade --help` or a refused flag must not load the screen (Ink,
// React), the Redis client or the venues' sockets, and a headless command must not load the
// screen. A module resolve hook records every package the process resolves, into a file.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { runBin, type Run } from './support/run-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'ivtrade-lazy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HOOK = join(dir, 'record-packages.mjs');
const REGISTER = join(dir, 'register.mjs');
writeFileSync(
  HOOK,
  [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const resolved = await next(specifier, context);',
    '  const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);',
    "  if (match) appendFileSync(process.env.IVTRADE_TEST_LOADED, match[1] + '\\n');",
    '  return resolved;',
    '}',
  ].join('\n'),
);
writeFileSync(
  REGISTER,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(HOOK).href)});\n`,
);

let runs = 0;

/** Runs ivtrade and returns the packages it resolved. */
async function packagesLoaded(args: readonly string[]): Promise<{ run: Run; loaded: Set<string> }> {
  const log = join(dir, `loaded-${(runs += 1)}.txt`);
  writeFileSync(log, '');
  const run = await runBin(args, {
    NODE_OPTIONS: `--import ${pathToFileURL(REGISTER).href}`,
    IVTRADE_TEST_LOADED: log,
  });
  const loaded = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
  return { run, loaded };
}

const SCREEN = ['ink', 'react'];
const HEAVY = [...SCREEN, 'ioredis', 'ws'];

describe('what a command loads', () => {
  it('--help loads commander, and not the screen, the Redis client or the sockets', async () => {
    const { run, loaded } = await packagesLoaded(['--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(loaded.has('commander'), [...loaded].join(' '));
    for (const name of HEAVY) assert.ok(!loaded.has(name), `${name} loaded for --help`);
  });

  it('a refused flag of a feed command loads none of them either', async () => {
    const { run, loaded } = await packagesLoaded(['stream', '--venue', 'nowhere']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--venue/);
    for (const name of HEAVY) assert.ok(!loaded.has(name), `${name} loaded for a refused flag`);
  });

  it('a headless stream loads the sockets but not the screen', async () => {
    const { run, loaded } = await packagesLoaded(['stream', '--venue', 'sim', '--duration', '1s']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(loaded.has('ws'), [...loaded].join(' '));
    for (const name of SCREEN) assert.ok(!loaded.has(name), `${name} loaded for stream`);
  });
});
