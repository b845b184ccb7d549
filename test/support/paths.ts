import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Tests run compiled from dist/test, so paths relative to this file
 * differ from those in the source tree; walking up to package.json works from either.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export function fixturePath(...segments: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', ...segments);
}
