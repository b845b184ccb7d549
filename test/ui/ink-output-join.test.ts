// patches/ink+6.8.0.patch changes how Ink turns a frame's writes into rows: writes that sit
// side by side on a row are joined as strings instead of being tokenized into cells and
// re-encoded (that pass was most of a 200×60 frame). The screen must not change. This paints
// random frames both ways, Ink's original cell-by-cell way written out here as the reference,
// and compares every cell's character and style.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Chalk } from 'chalk';

interface StyledChar {
  readonly value: string;
  readonly styles: readonly { readonly code: string }[];
}
interface Tokenizer {
  tokenize(text: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): StyledChar[];
}
interface InkOutput {
  write(x: number, y: number, text: string, options: { transformers: never[] }): void;
  get(): { output: string; height: number };
}

const inkEntry = createRequire(import.meta.url).resolve('ink');
const inkBuild = dirname(inkEntry);

async function loadInk(): Promise<{
  Output: new (size: { width: number; height: number }) => InkOutput;
  tokenizer: Tokenizer;
  width: (text: string) => number;
}> {
  const output = (await import(pathToFileURL(join(inkBuild, 'output.js')).href)) as {
    default: new (size: { width: number; height: number }) => InkOutput;
  };
  // Ink's own dependencies, resolved from Ink so the test sees the copies Ink uses.
  const fromInk = createRequire(inkEntry);
  // ansi-tokenize is ESM-only (no require condition): find its folder by its package.json.
  const tokenizerRoot = dirname(fromInk.resolve('@alcalzone/ansi-tokenize/package.json'));
  const tokenizer = (await import(
    pathToFileURL(join(tokenizerRoot, 'build', 'index.js')).href
  )) as Tokenizer;
  const stringWidth = (await import(pathToFileURL(fromInk.resolve('string-width')).href)) as {
    default: (text: string) => number;
  };
  return { Output: output.default, tokenizer, width: stringWidth.default };
}

/** A cell as the terminal shows it: the character and the set of styles it carries. */
function cellsOf(line: string, tokenizer: Tokenizer): string[] {
  const cells = tokenizer.styledCharsFromTokens(tokenizer.tokenize(line)).map(
    ({ value, styles }) =>
      `${value}|${styles
        .map((style) => style.code)
        .sort()
        .join(',')}`,
  );
  // Unstyled trailing blanks print as nothing.
  while (cells.at(-1) === ' |') cells.pop();
  return cells;
}

/** Ink's original painter: every write's styled characters laid into a grid, in order. */
function paintReference(
  writes: readonly Write[],
  size: { width: number; height: number },
  tokenizer: Tokenizer,
  width: (text: string) => number,
): string[][] {
  const blank: StyledChar = { value: ' ', styles: [] };
  const grid: StyledChar[][] = Array.from({ length: size.height }, () =>
    new Array<StyledChar>(size.width).fill(blank),
  );
  for (const { x, y, text } of writes) {
    text.split('\n').forEach((line, offset) => {
      const row = grid[y + offset];
      if (row === undefined) return;
      let column = x;
      for (const char of tokenizer.styledCharsFromTokens(tokenizer.tokenize(line))) {
        row[column] = char;
        const charWidth = Math.max(1, width(char.value));
        for (let extra = 1; extra < charWidth; extra += 1) {
          row[column + extra] = { value: '', styles: char.styles };
        }
        column += charWidth;
      }
    });
  }
  return grid.map((row) => {
    const cells = row
      .filter((char) => char.value !== '')
      .map(
        ({ value, styles }) =>
          `${value}|${styles
            .map((style) => style.code)
            .sort()
            .join(',')}`,
      );
    while (cells.at(-1) === ' |') cells.pop();
    return cells;
  });
}

interface Write {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const colour = new Chalk({ level: 3 });
const STYLES: readonly ((text: string) => string)[] = [
  (text) => text,
  (text) => colour.yellow(text),
  (text) => colour.dim(text),
  (text) => colour.bold.underline(text),
  (text) => colour.bgRed.white(text),
  (text) => colour.green(`${text.slice(0, 1)}${colour.inverse(text.slice(1))}`),
  (text) => colour.rgb(200, 120, 40)(text),
];
const GLYPHS = ['0.0565', ' 52.3 ', '⣿⣀⡇', '│', '<', '100000', '中文', ' ', '↑'];

function randomFrame(next: () => number, size: { width: number; height: number }): Write[] {
  const writes: Write[] = [];
  for (let y = 0; y < size.height; y += 1) {
    // Mostly rows of cells side by side, sometimes one painted over another (overlays).
    let x = Math.floor(next() * 3);
    const count = Math.floor(next() * 8);
    for (let n = 0; n < count && x < size.width; n += 1) {
      const glyph = GLYPHS[Math.floor(next() * GLYPHS.length)] ?? ' ';
      const style = STYLES[Math.floor(next() * STYLES.length)] ?? ((text: string) => text);
      const text = style(glyph.repeat(1 + Math.floor(next() * 3)));
      writes.push({ x, y, text });
      x += Math.floor(next() * 14) - 3;
      if (x < 0) x = 0;
    }
  }
  if (next() < 0.5) {
    // A box drawn over the middle rows, as the help overlay is.
    writes.push({ x: 5, y: 2, text: colour.cyan('┌──────────┐\n│ help     │\n└──────────┘') });
  }
  return writes;
}

it('joining side-by-side writes prints exactly what painting them cell by cell prints', async () => {
  const { Output, tokenizer, width } = await loadInk();
  const size = { width: 60, height: 8 };
  const next = generator(20_261_121);
  let joinedRows = 0;
  for (let frame = 0; frame < 400; frame += 1) {
    const writes = randomFrame(next, size);
    const output = new Output(size);
    for (const { x, y, text } of writes) output.write(x, y, text, { transformers: [] });
    const { output: printed, height } = output.get();
    assert.equal(height, size.height);
    const expected = paintReference(writes, size, tokenizer, width);
    printed.split('\n').forEach((line, y) => {
      assert.deepEqual(cellsOf(line, tokenizer), expected[y], `frame ${frame} row ${y}: ${line}`);
      if (line.includes('\u001B[0m')) joinedRows += 1;
    });
  }
  // The joined path (which ends styled segments with a reset) must actually have been taken.
  assert.ok(joinedRows > 100, `${joinedRows} rows joined`);
});

it('a styled segment cannot bleed its style into the next one', async () => {
  const { Output, tokenizer } = await loadInk();
  const output = new Output({ width: 20, height: 1 });
  // A line cut mid-style, as slicing at a clip edge can leave it.
  output.write(0, 0, '\u001B[31mred', { transformers: [] });
  output.write(4, 0, 'plain', { transformers: [] });
  const cells = cellsOf(output.get().output, tokenizer);
  assert.equal(cells.slice(4).join(' '), 'p| l| a| i| n|');
});
