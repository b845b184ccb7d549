// The README's command reference, the `help` command and the `?` overlay come from one table;
// this keeps the README's copy in step with it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { COMMAND_TABLE } from '../../src/commands/command-table.js';
import { repoRoot } from '../support/paths.js';

it('documents every command in the README, as help shows it', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('### Commands'),
    readme.indexOf('### The order gateway'),
  );
  assert.ok(section.length > 0, 'a Commands section');
  // Rows as cells: Prettier pads tables, so compare trimmed cells, not whole lines.
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/\\\|/g, '|'))
        .join(' | '),
    );
  assert.equal(rows.length, COMMAND_TABLE.length, 'one row per command');
  for (const row of COMMAND_TABLE) {
    const expected = `\`${row.syntax}\` | ${row.meaning} | \`${row.example}\``;
    assert.ok(rows.includes(expected), `README lacks: ${expected}`);
  }
});
