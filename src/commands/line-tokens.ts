/**
 * A command line cut into `;` commands and whitespace tokens, each remembering where it sits in
 * the original line so that an error can point at the exact column the trader typed.
 */

export interface Token {
  readonly text: string;
  /** 0-based index of the token's first character in the whole line. */
  readonly start: number;
}

export interface Segment {
  /** The command's raw text between two `;` (or the line's ends), untrimmed. */
  readonly text: string;
  readonly start: number;
  readonly tokens: readonly Token[];
}

const NON_SPACE = /\S+/g;

export function splitSegments(line: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let index = 0; index <= line.length; index += 1) {
    if (index < line.length && line[index] !== ';') continue;
    const text = line.slice(start, index);
    segments.push({ text, start, tokens: tokenize(text, start) });
    start = index + 1;
  }
  return segments;
}

function tokenize(text: string, offset: number): Token[] {
  return [...text.matchAll(NON_SPACE)].map((match) => ({
    text: match[0],
    start: offset + match.index,
  }));
}

/** Where a token ends (0-based, exclusive): the column just after it. */
export function tokenEnd(token: Token): number {
  return token.start + token.text.length;
}
