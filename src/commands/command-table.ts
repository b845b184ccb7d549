/**
 * The one reference for the command language: the README's table, the `help` command and the
 * `?` overlay are all generated from (or checked against) these rows, so they cannot drift.
 */

export interface CommandRow {
  readonly syntax: string;
  /** At most 60 characters. */
  readonly meaning: string;
  /** A line that parses, showing the form in use. */
  readonly example: string;
}

export const COMMAND_TABLE: readonly CommandRow[] = [
  {
    syntax: 'a<n> / d<n>',
    meaning: 'buy / sell n at market, capped just beyond the touch',
    example: 'a1',
  },
  { syntax: 'as<n>', meaning: 'buy n post-only at the bid', example: 'as1' },
  { syntax: 'dw<n>', meaning: 'sell n post-only at the ask', example: 'dw1' },
  { syntax: 'aw<n>', meaning: 'buy n at the ask (taker limit)', example: 'aw1' },
  { syntax: 'ds<n>', meaning: 'sell n at the bid (taker limit)', example: 'ds1' },
  {
    syntax: 'a<n> <price>',
    meaning: 'post-only limit at price (d<n> <price> sells)',
    example: 'a1 0.0125',
  },
  {
    syntax: 'a<n> v<iv>',
    meaning: 'post-only limit priced by implied vol in %',
    example: 'a1 v62.5',
  },
  {
    syntax: 'd<n> <price>s',
    meaning: 'stop-market, reduce-only, triggered on the mark',
    example: 'd1 85000s',
  },
  {
    syntax: 'a<n> <p1> <p2> <k>',
    meaning: 'ladder: k post-only limits from p1 to p2 (2..50)',
    example: 'a1 0.01 0.02 5',
  },
  {
    syntax: 'a<n> st [k]',
    meaning: "buy n straddles (cursor's expiry; k or the cursor's strike)",
    example: 'a1 st 100k',
  },
  {
    syntax: 'a<n> sg k1/k2',
    meaning: 'strangle: the k1 put and the k2 call (k1 below k2)',
    example: 'a1 sg 90k/110k',
  },
  {
    syntax: 'a<n> cs k1/k2',
    meaning: 'call spread: buy the k1 call, sell the k2 (ps: puts)',
    example: 'a1 cs 100k/110k',
  },
  {
    syntax: 'a<n> rr k1/k2',
    meaning: 'risk reversal: buy the k2 call, sell the k1 put',
    example: 'a1 rr 90k/110k',
  },
  {
    syntax: 'a<n> cf k1/k2/k3',
    meaning: 'butterfly 1:-2:1 of calls (pf: of puts)',
    example: 'a1 cf 90k/100k/110k',
  },
  {
    syntax: 'a<n> ccal e1/e2 [k]',
    meaning: 'calendar: sell the e1 call, buy the e2 (pcal: puts)',
    example: 'a1 ccal 25dec/26mar',
  },
  {
    syntax: '<package> <net>',
    meaning: 'a package at a net price (a credit is negative)',
    example: 'a1 cs 100k/110k 0.012',
  },
  {
    syntax: '<package> legs',
    meaning: 'send as separate orders where there are no combos',
    example: 'a1 st 100k legs',
  },
  { syntax: '<order>!', meaning: 'send even if far through the mark', example: 'a1 0.05!' },
  { syntax: '<line>c', meaning: 'abort the line: nothing is sent', example: 'a1 0.05c' },
  {
    syntax: '<cmd>; <cmd>',
    meaning: 'run several commands in order (all or none)',
    example: 'i BTC-PERPETUAL; as1',
  },
  {
    syntax: 'i <query>',
    meaning: 'choose the instrument: name, or expiry strike c/p',
    example: 'i 25dec 100k c',
  },
  { syntax: 'i', meaning: 'show the current instrument', example: 'i' },
  {
    syntax: 'm <n>',
    meaning: 'set the size multiplier (sizes are n x multiplier)',
    example: 'm 0.1',
  },
  { syntax: 'm', meaning: 'show the size multiplier', example: 'm' },
  { syntax: 'ca', meaning: 'cancel all open orders', example: 'ca' },
  { syntax: 'cc', meaning: 'cancel the last order placed in this session', example: 'cc' },
  { syntax: 'c<k>', meaning: 'cancel order #k (the orders panel numbers them)', example: 'c3' },
  {
    syntax: 'e<k> <price>',
    meaning: 'move order #k to a new price (or v<iv> for a vol)',
    example: 'e3 0.013',
  },
  {
    syntax: 'e<k> x<n>',
    meaning: 'resize order #k to n x multiplier (with a price too)',
    example: 'e3 x2',
  },
  {
    syntax: 'f',
    meaning: 'close the position: reduce-only, at market (capped)',
    example: 'f',
  },
  {
    syntax: 'f <price>',
    meaning: 'close the position with a reduce-only limit',
    example: 'f 0.013',
  },
  { syntax: 'hon', meaning: 'activate delta hedging (or type it out in full)', example: 'hon' },
  { syntax: 'hoff', meaning: 'deactivate delta hedging (or type it out in full)', example: 'hoff' },
  {
    syntax: 'hb [band]',
    meaning: "the hedger's band: show it, or set it (0.5%, $200)",
    example: 'hb $200',
  },
  {
    syntax: 'hmode <policy>',
    meaning: 'hedge policy: fixed, gamma [aversion], time [minutes]',
    example: 'hmode gamma 1e-3',
  },
  {
    syntax: 'htarget <coins>',
    meaning: 'the net delta the hedger holds, in coins (default 0)',
    example: 'htarget -0.5',
  },
  {
    syntax: 'hto <zero|edge>',
    meaning: 'hedge to the target (zero) or back inside the band (edge)',
    example: 'hto edge',
  },
  {
    syntax: 'hratio <share>',
    meaning: 'share of the way to the target a hedge trades (0.8, 80%)',
    example: 'hratio 0.8',
  },
  {
    syntax: 'hinst <mode|name>',
    meaning: 'futures: net, only or expiry; or hedge in the one named',
    example: 'hinst expiry',
  },
  { syntax: 'hs', meaning: 'delta hedging status (or type it out in full)', example: 'hs' },
  { syntax: 'funds', meaning: 'show balances and margin', example: 'funds' },
  {
    syntax: 'pnl [since]',
    meaning: 'realised PnL and fees: session, or since 2h / 08:00 UTC',
    example: 'pnl 2h',
  },
  { syntax: 'orders', meaning: 'show open orders', example: 'orders' },
  { syntax: 'positions', meaning: 'show positions', example: 'positions' },
  { syntax: 'conn', meaning: 'connection status (or type it out in full)', example: 'conn' },
  { syntax: 'help', meaning: 'show this table', example: 'help' },
  { syntax: 'quit / q', meaning: 'quit ivtrade', example: 'q' },
];

const GAP = '  ';
/** Below this the meaning column is too narrow to read; the examples make way for it. */
const MIN_MEANING_WIDTH = 20;
/** Below this wrapping makes a tower of fragments; the meaning is cut short instead. */
const MIN_WRAP_WIDTH = 12;
const ELLIPSIS = '…';

/**
 * The table as plain text lines no wider than `width`: syntax, meaning and example columns,
 * the meaning wrapped when the line is too narrow, the example column dropped when even that
 * does not fit, then the meaning cut short (with …), and as the last resort the whole line.
 */
export function commandHelpLines(width: number): string[] {
  const limit = Math.floor(width);
  if (!(limit > 0)) return [];
  const syntaxWidth = widest(COMMAND_TABLE.map((row) => row.syntax));
  const exampleWidth = widest(COMMAND_TABLE.map((row) => row.example));
  const meaningWidth = widest(COMMAND_TABLE.map((row) => row.meaning));
  const withExamples = limit - syntaxWidth - exampleWidth - 2 * GAP.length;
  if (withExamples >= MIN_MEANING_WIDTH) {
    return layout(syntaxWidth, Math.min(withExamples, meaningWidth), true);
  }
  const withoutExamples = limit - syntaxWidth - GAP.length;
  if (withoutExamples >= MIN_WRAP_WIDTH) {
    return layout(syntaxWidth, Math.min(withoutExamples, meaningWidth), false);
  }
  if (withoutExamples >= 1) {
    return COMMAND_TABLE.map((row) =>
      `${row.syntax.padEnd(syntaxWidth)}${GAP}${cut(row.meaning, withoutExamples)}`.trimEnd(),
    );
  }
  return COMMAND_TABLE.map((row) => cut(`${row.syntax}${GAP}${row.meaning}`, limit));
}

function layout(syntaxWidth: number, meaningWidth: number, examples: boolean): string[] {
  const lines: string[] = [];
  for (const row of COMMAND_TABLE) {
    wrap(row.meaning, meaningWidth).forEach((part, index) => {
      const syntax = index === 0 ? row.syntax : '';
      const example = examples && index === 0 ? `${GAP}${row.example}` : '';
      const meaning = example === '' ? part : part.padEnd(meaningWidth);
      lines.push(`${syntax.padEnd(syntaxWidth)}${GAP}${meaning}${example}`.trimEnd());
    });
  }
  return lines;
}

/** Words onto lines of at most `width`; a word longer than that is cut across lines. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > width) {
      if (line !== '') lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= width) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

function widest(texts: readonly string[]): number {
  return texts.reduce((max, text) => Math.max(max, text.length), 0);
}
