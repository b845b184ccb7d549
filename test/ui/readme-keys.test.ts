// The README's key reference and the `?` overlay come from one table; this keeps the README's
// copy in step with it (a key added, renamed or re-described fails here until documented).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { KEYMAP } from '../../src/ui/keymap.js';
import { repoRoot } from '../support/paths.js';

it('documents every key binding in the README, as the help overlay shows it', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Keys'), readme.indexOf('### Commands'));
  assert.ok(section.length > 0, 'a Keys section');
  // Rows as cells: Prettier pads tables, so compare trimmed cells, not whole lines.
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim())
        .join(' | '),
    );
  assert.equal(rows.length, KEYMAP.length, 'one row per binding');
  for (const binding of KEYMAP) {
    const row = `\`${binding.label}\` | ${binding.help} | ${binding.emptyLineOnly === true ? 'yes' : ''}`;
    assert.ok(rows.includes(row), `README lacks: ${row}`);
  }
});
