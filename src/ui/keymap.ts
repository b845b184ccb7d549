/**
 * Every key the screen understands, as data: the input handler matches against this table and
 * the help overlay (and the README's key reference) is generated from it, so the three can
 * never disagree. Letters are left to the command line (a, d, s, w … are orders); navigation
 * uses arrows and punctuation, and punctuation only acts on an empty command line.
 */

export type Action =
  | 'strike-up'
  | 'strike-down'
  | 'page-up'
  | 'page-down'
  | 'atm'
  | 'call-side'
  | 'put-side'
  | 'expiry-next'
  | 'expiry-prev'
  | 'chain-next'
  | 'chain-prev'
  | 'usd'
  | 'surface'
  | 'axis'
  | 'vol-surface'
  | 'delta-axis'
  | 'risk'
  | 'depth'
  | 'help'
  | 'messages'
  | 'all-rows'
  | 'escape'
  | 'submit'
  | 'hedger-toggle'
  | 'history-prev'
  | 'history-next'
  | 'quit';

/** One key as Ink reports it: a printable input, or a named special key with modifiers. */
export interface KeySpec {
  readonly input?: string;
  readonly special?: SpecialKey;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  /** This key means the action only while the command line holds text. */
  readonly typedLineOnly?: boolean;
}

export type SpecialKey =
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'tab'
  | 'escape'
  | 'return';

export interface KeyBinding {
  readonly action: Action;
  readonly keys: readonly KeySpec[];
  /** How the keys are written in help. */
  readonly label: string;
  readonly help: string;
  /** Printable keys act only on an empty command line; typed text takes them otherwise. */
  readonly emptyLineOnly?: boolean;
}

export const KEYMAP: readonly KeyBinding[] = [
  {
    action: 'strike-up',
    keys: [{ special: 'upArrow' }],
    label: '↑',
    help: 'previous strike',
    emptyLineOnly: true,
  },
  {
    action: 'strike-down',
    keys: [{ special: 'downArrow' }],
    label: '↓',
    help: 'next strike',
    emptyLineOnly: true,
  },
  {
    action: 'call-side',
    keys: [{ special: 'leftArrow' }],
    label: '←',
    help: 'cursor on the call',
    emptyLineOnly: true,
  },
  {
    action: 'put-side',
    keys: [{ special: 'rightArrow' }],
    label: '→',
    help: 'cursor on the put',
    emptyLineOnly: true,
  },
  { action: 'page-up', keys: [{ special: 'pageUp' }], label: 'PgUp', help: 'strikes a page up' },
  {
    action: 'page-down',
    keys: [{ special: 'pageDown' }],
    label: 'PgDn',
    help: 'strikes a page down',
  },
  {
    action: 'atm',
    keys: [{ special: 'home' }],
    label: 'Home',
    help: 'cursor to the ATM strike',
    emptyLineOnly: true,
  },
  {
    action: 'expiry-next',
    keys: [{ input: ']' }, { special: 'tab' }],
    label: '] / Tab',
    help: 'next expiry',
    emptyLineOnly: true,
  },
  {
    action: 'expiry-prev',
    keys: [{ input: '[' }, { special: 'tab', shift: true }],
    label: '[ / Shift-Tab',
    help: 'previous expiry',
    emptyLineOnly: true,
  },
  {
    action: 'chain-next',
    keys: [{ input: '}' }],
    label: '}',
    help: 'next currency (chain)',
    emptyLineOnly: true,
  },
  {
    action: 'chain-prev',
    keys: [{ input: '{' }],
    label: '{',
    help: 'previous currency (chain)',
    emptyLineOnly: true,
  },
  {
    action: 'usd',
    keys: [{ input: '$' }],
    label: '$',
    help: 'prices in the quote unit / in USD',
    emptyLineOnly: true,
  },
  {
    action: 'surface',
    keys: [{ input: '%' }],
    label: '%',
    help: 'smile and term structure in place of the chain (narrow screens)',
    emptyLineOnly: true,
  },
  {
    action: 'axis',
    keys: [{ input: '~' }],
    label: '~',
    help: 'smile against strike / log-moneyness',
    emptyLineOnly: true,
  },
  {
    action: 'vol-surface',
    keys: [{ input: '#' }],
    label: '#',
    help: 'surface view: fitted IV grid, skew, fits, RV vs IV (for the chain)',
    emptyLineOnly: true,
  },
  {
    action: 'delta-axis',
    keys: [{ input: '^' }],
    label: '^',
    help: 'surface grid by delta / ln K/F; the smile against delta',
    emptyLineOnly: true,
  },
  {
    action: 'risk',
    keys: [{ input: '!' }],
    label: '!',
    help: 'scenario risk: PnL over spot × vol, now and in 7 d; the typed line as a what-if',
    emptyLineOnly: true,
  },
  {
    action: 'depth',
    keys: [{ input: '*' }],
    label: '*',
    help: "depth and tape of the cursor's instrument: L2 book with IVs and own orders, prints",
    emptyLineOnly: true,
  },
  { action: 'help', keys: [{ input: '?' }], label: '?', help: 'this help', emptyLineOnly: true },
  {
    action: 'messages',
    keys: [{ input: 'l', ctrl: true }],
    label: 'Ctrl-L',
    help: 'messages: every answer and event of the status line, newest first, in full',
  },
  {
    action: 'all-rows',
    keys: [{ input: 'o', ctrl: true }],
    label: 'Ctrl-O',
    help: 'every position and open order (the panels show what fits)',
  },
  {
    action: 'hedger-toggle',
    keys: [{ input: '=' }],
    label: '=',
    help: 'delta hedger on / off (as hon / hoff)',
    emptyLineOnly: true,
  },
  {
    action: 'escape',
    keys: [{ special: 'escape' }],
    label: 'Esc',
    help: 'close help or a list, clear the command line',
  },
  { action: 'submit', keys: [{ special: 'return' }], label: 'Enter', help: 'run the command' },
  {
    action: 'history-prev',
    keys: [
      { input: 'p', ctrl: true },
      { special: 'upArrow', typedLineOnly: true },
    ],
    label: 'Ctrl-P / ↑',
    help: 'previous command (↑ once text is typed); kept across runs',
  },
  {
    action: 'history-next',
    keys: [
      { input: 'n', ctrl: true },
      { special: 'downArrow', typedLineOnly: true },
    ],
    label: 'Ctrl-N / ↓',
    help: 'next command (↓ once text is typed)',
  },
  {
    action: 'quit',
    keys: [{ input: 'c', ctrl: true }],
    label: 'Ctrl-C',
    help: 'quit (a real venue keeps open orders; see the README)',
  },
];

/** The key flags Ink's useInput reports that the table can name. */
export type KeyFlags = { readonly [K in SpecialKey | 'shift' | 'ctrl']?: boolean };

function matches(spec: KeySpec, input: string, key: KeyFlags): boolean {
  if ((spec.ctrl ?? false) !== (key.ctrl ?? false)) return false;
  if (spec.special !== undefined) {
    if (key[spec.special] !== true) return false;
    // Shift distinguishes Shift-Tab from Tab; other special keys ignore it.
    return spec.special !== 'tab' || (spec.shift ?? false) === (key.shift ?? false);
  }
  return spec.input === input;
}

/** The action a key press means, given whether the command line holds text. */
export function actionFor(input: string, key: KeyFlags, lineEmpty: boolean): Action | null {
  for (const binding of KEYMAP) {
    if (binding.emptyLineOnly === true && !lineEmpty) continue;
    const applies = (spec: KeySpec): boolean => spec.typedLineOnly !== true || !lineEmpty;
    if (binding.keys.some((spec) => applies(spec) && matches(spec, input, key))) {
      return binding.action;
    }
  }
  return null;
}
