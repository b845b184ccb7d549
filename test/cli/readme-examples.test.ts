// The README's `i` examples name instruments a trader can type on the embedded exchange. Its
// expiries are relative to its clock, so the README states the sim time its examples come
// from; every `i` example (command table, prose, `--exec` lines) must resolve on the sim's
// own listing at that time, or a new user's first `i` is refused.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { findInstrument } from '../../src/commands/instrument-query.js';
import { DEFAULT_FUNDING, SimWorld } from '../../src/sim/world.js';
import { repoRoot } from '../support/paths.js';

const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

/** Every `i <query>` in the README's inline code, `--exec "…"` lines and `;` chains included. */
function instrumentExamples(text: string): string[] {
  const queries: string[] = [];
  for (const [, span = ''] of text.matchAll(/`([^`\n]+)`/g)) {
    const exec = /--exec "([^"]+)"/.exec(span);
    for (const step of (exec?.[1] ?? span).split(';')) {
      const query = /^i (.+)$/.exec(step.trim())?.[1]?.trim();
      // `i <query>` and `i … c` describe the syntax; they name nothing.
      if (query !== undefined && !/[<…]/.test(query)) queries.push(query);
    }
  }
  return [...new Set(queries)];
}

it("every `i` example in the README resolves on the sim's listing at the README's sim time", () => {
  const stated = /sim\s+time\s+(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)/.exec(readme);
  assert.ok(stated !== null, 'the README says which sim time its examples come from');
  const start = Date.parse(stated[1]!);
  const world = new SimWorld({
    seed: 1,
    start,
    speed: 1,
    manual: true,
    currencies: ['BTC', 'ETH'],
    funding: DEFAULT_FUNDING,
  });
  const examples = instrumentExamples(readme);
  assert.ok(
    examples.includes('25dec 100k c'),
    `the command table's example: ${examples.join(', ')}`,
  );
  assert.ok(examples.length >= 3, examples.join(', '));
  for (const query of examples) {
    const answers = (['deribit', 'bybit'] as const).map((venue) =>
      findInstrument(
        query,
        world.exchanges[venue].instruments().map((instrument) => instrument.spec),
        start,
      ),
    );
    assert.ok(
      answers.some((answer) => answer.ok),
      `i ${query}: ${answers.map((answer) => (answer.ok ? answer.spec.name : answer.message)).join(' / ')}`,
    );
  }
});

it('a stale example is caught: 27dec is not a sim expiry at that time', () => {
  const world = new SimWorld({
    seed: 1,
    start: Date.parse('2026-11-21T13:16Z'),
    speed: 1,
    manual: true,
    currencies: ['BTC'],
    funding: DEFAULT_FUNDING,
  });
  const specs = world.exchanges.deribit.instruments().map((instrument) => instrument.spec);
  assert.equal(findInstrument('27dec 100k c', specs, Date.parse('2026-11-21T13:16Z')).ok, false);
  assert.deepEqual(instrumentExamples('`i 27dec 100k c` and `ivtrade --exec "m 1; i eth perp"`'), [
    '27dec 100k c',
    'eth perp',
  ]);
});
