import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionFor, KEYMAP, type KeyFlags, type KeySpec } from '../../src/ui/keymap.js';
import { INITIAL_UI, navigate, viewRequest, type UiState } from '../../src/ui/navigation.js';
import type { ChainView } from '../../src/view/types.js';

/** What Ink's useInput hands over for a key: the input string and the named flags. */
function press(spec: KeySpec): [string, KeyFlags] {
  const flags: { -readonly [K in keyof KeyFlags]: boolean } = {};
  if (spec.special !== undefined) flags[spec.special] = true;
  if (spec.shift === true) flags.shift = true;
  if (spec.ctrl === true) flags.ctrl = true;
  // Ink reports special keys with an empty input; Ctrl-letter with the letter.
  return [spec.input ?? '', flags];
}

describe('actionFor', () => {
  it('every binding in the keymap yields its action on the line it applies to', () => {
    let checked = 0;
    for (const binding of KEYMAP) {
      for (const spec of binding.keys) {
        const [input, flags] = press(spec);
        const empty = spec.typedLineOnly !== true;
        assert.equal(actionFor(input, flags, empty), binding.action, JSON.stringify(spec));
        checked += 1;
      }
    }
    assert.ok(checked >= KEYMAP.length);
  });

  it('history: Ctrl-P and Ctrl-N always, ↑ and ↓ once text is typed', () => {
    for (const empty of [true, false]) {
      assert.equal(actionFor('p', { ctrl: true }, empty), 'history-prev');
      assert.equal(actionFor('n', { ctrl: true }, empty), 'history-next');
    }
    assert.equal(actionFor('', { upArrow: true }, false), 'history-prev');
    assert.equal(actionFor('', { downArrow: true }, false), 'history-next');
    assert.equal(actionFor('', { upArrow: true }, true), 'strike-up');
    assert.equal(actionFor('', { downArrow: true }, true), 'strike-down');
  });

  it('named keys', () => {
    assert.equal(actionFor('', { upArrow: true }, true), 'strike-up');
    assert.equal(actionFor('', { downArrow: true }, true), 'strike-down');
    assert.equal(actionFor('', { leftArrow: true }, true), 'call-side');
    assert.equal(actionFor('', { rightArrow: true }, true), 'put-side');
    assert.equal(actionFor('', { pageUp: true }, true), 'page-up');
    assert.equal(actionFor('', { pageDown: true }, true), 'page-down');
    assert.equal(actionFor('', { home: true }, true), 'atm');
    assert.equal(actionFor('', { escape: true }, true), 'escape');
    assert.equal(actionFor('', { return: true }, true), 'submit');
    assert.equal(actionFor(']', {}, true), 'expiry-next');
    assert.equal(actionFor('[', {}, true), 'expiry-prev');
    assert.equal(actionFor('}', {}, true), 'chain-next');
    assert.equal(actionFor('{', {}, true), 'chain-prev');
    assert.equal(actionFor('$', {}, true), 'usd');
    assert.equal(actionFor('%', {}, true), 'surface');
    assert.equal(actionFor('~', {}, true), 'axis');
    assert.equal(actionFor('?', {}, true), 'help');
  });

  it('Tab is the next expiry and Shift-Tab the previous', () => {
    assert.equal(actionFor('', { tab: true }, true), 'expiry-next');
    assert.equal(actionFor('', { tab: true, shift: true }, true), 'expiry-prev');
    assert.equal(actionFor('', { tab: true, shift: false }, true), 'expiry-next');
  });

  it('shift does not change other named keys', () => {
    assert.equal(actionFor('', { upArrow: true, shift: true }, true), 'strike-up');
    assert.equal(actionFor('', { pageDown: true, shift: true }, true), 'page-down');
  });

  it('Ctrl-C quits, a plain c is text', () => {
    assert.equal(actionFor('c', { ctrl: true }, true), 'quit');
    assert.equal(actionFor('c', { ctrl: true }, false), 'quit');
    assert.equal(actionFor('c', {}, true), null);
    assert.equal(actionFor('c', {}, false), null);
    assert.equal(actionFor('C', { shift: true }, true), null);
  });

  it('a control chord is not the plain key', () => {
    assert.equal(actionFor('', { upArrow: true, ctrl: true }, true), null);
    assert.equal(actionFor('', { return: true, ctrl: true }, true), null);
  });

  it('keys the command line may need go to the text once it holds some', () => {
    for (const input of ['?', ']', '[', '}', '{', '$', '%', '~']) {
      assert.equal(actionFor(input, {}, false), null, input);
    }
    for (const key of ['leftArrow', 'rightArrow', 'home', 'tab'] as const) {
      assert.equal(actionFor('', { [key]: true }, false), null, key);
    }
    // ↑/↓ walk the history instead of moving the cursor.
    assert.equal(actionFor('', { upArrow: true }, false), 'history-prev');
    assert.equal(actionFor('', { tab: true, shift: true }, false), null);
  });

  it('paging, escape, enter and quit act whatever the line holds', () => {
    assert.equal(actionFor('', { pageUp: true }, false), 'page-up');
    assert.equal(actionFor('', { pageDown: true }, false), 'page-down');
    assert.equal(actionFor('', { escape: true }, false), 'escape');
    assert.equal(actionFor('', { return: true }, false), 'submit');
  });

  it('letters and digits are never actions (they are orders and amounts)', () => {
    for (const input of 'abcdefghijklmnopqrstuvwxyz0123456789 .-') {
      assert.equal(actionFor(input, {}, true), null, input);
    }
  });

  it('the binding emptyLineOnly flag matches the table for every key', () => {
    for (const binding of KEYMAP) {
      for (const spec of binding.keys) {
        const [input, flags] = press(spec);
        if (spec.typedLineOnly === true) continue;
        // On a typed line an empty-line key is text, unless a typed-line binding claims it.
        const typedOwner =
          KEYMAP.find((other) =>
            other.keys.some(
              (key) =>
                key.typedLineOnly === true &&
                key.special === spec.special &&
                key.input === spec.input,
            ),
          )?.action ?? null;
        const expected = binding.emptyLineOnly === true ? typedOwner : binding.action;
        assert.equal(actionFor(input, flags, false), expected, JSON.stringify(spec));
      }
    }
  });

  it('no two bindings share a key', () => {
    const owner = new Map<string, string>();
    for (const binding of KEYMAP) {
      for (const spec of binding.keys) {
        // A key may mean one thing on an empty line and another on a typed one (↑).
        const lines =
          spec.typedLineOnly === true ? 'typed' : binding.emptyLineOnly ? 'empty' : 'any';
        const id = JSON.stringify([
          spec.input ?? null,
          spec.special ?? null,
          spec.shift ?? false,
          spec.ctrl ?? false,
          lines,
        ]);
        assert.equal(owner.get(id), undefined, `${id}: ${owner.get(id)} and ${binding.action}`);
        owner.set(id, binding.action);
      }
    }
    assert.equal(new Set(KEYMAP.map((binding) => binding.action)).size, KEYMAP.length);
  });

  it('every binding has a label and help text', () => {
    for (const binding of KEYMAP) {
      assert.ok(binding.keys.length > 0, binding.action);
      assert.ok(binding.label.trim() !== '', binding.action);
      assert.ok(binding.help.trim() !== '', binding.action);
    }
  });
});

const NOV = Date.UTC(2026, 10, 27, 8);
const DEC = Date.UTC(2026, 11, 25, 8);
const MAR = Date.UTC(2027, 2, 26, 8);
const STRIKES = [80_000, 85_000, 90_000, 95_000, 100_000, 105_000, 110_000];

/** A frame as the read model would hand it over: plain data, rows elided. */
function chainView(overrides: Partial<ChainView> = {}): ChainView {
  return {
    key: 'BTC/BTC',
    base: 'BTC',
    quote: 'BTC',
    settlement: 'inverse',
    expiries: [
      { expiry: NOV, label: '27NOV26' },
      { expiry: DEC, label: '25DEC26' },
      { expiry: MAR, label: '26MAR27' },
    ],
    expiryIndex: 0,
    expiry: NOV,
    forward: 91_000,
    index: 90_800,
    strikes: STRIKES,
    atmIndex: 2,
    cursorIndex: 2,
    top: 1,
    rows: [],
    ...overrides,
  };
}

const CHAINS = ['BTC/BTC', 'ETH/ETH', 'BTC/USDC'];

function frame(chain: ChainView | null = chainView()) {
  return { chain, chains: CHAINS };
}

function ui(overrides: Partial<UiState> = {}): UiState {
  return { ...INITIAL_UI, ...overrides };
}

describe('navigate: strikes', () => {
  it('up and down move one strike from the cursor the frame resolved', () => {
    assert.equal(navigate(ui(), 'strike-down', frame(), 10).strike, 95_000);
    assert.equal(navigate(ui(), 'strike-up', frame(), 10).strike, 85_000);
  });

  it('moves keep the frame’s window for the model to scroll from', () => {
    assert.equal(navigate(ui(), 'strike-down', frame(chainView({ top: 3 })), 10).top, 3);
  });

  it('moves start from the state’s own strike, so two moves against one frame go two steps', () => {
    const once = navigate(ui(), 'strike-down', frame(), 10);
    const twice = navigate(once, 'strike-down', frame(), 10);
    assert.equal(twice.strike, 100_000);
    const back = navigate(navigate(twice, 'strike-up', frame(), 10), 'strike-up', frame(), 10);
    assert.equal(back.strike, 90_000);
  });

  it('a strike no longer listed moves from the nearest listed one', () => {
    assert.equal(navigate(ui({ strike: 96_000 }), 'strike-down', frame(), 10).strike, 100_000);
  });

  it('clamps at the ends', () => {
    const top = ui({ strike: 80_000 });
    assert.equal(navigate(top, 'strike-up', frame(), 10).strike, 80_000);
    const bottom = ui({ strike: 110_000 });
    assert.equal(navigate(bottom, 'strike-down', frame(), 10).strike, 110_000);
  });

  it('pages move a page less one row, clamped', () => {
    // Five rows: a page moves four strikes, keeping one row of context.
    assert.equal(navigate(ui(), 'page-down', frame(), 5).strike, 110_000);
    assert.equal(navigate(ui({ strike: 85_000 }), 'page-down', frame(), 5).strike, 105_000);
    assert.equal(navigate(ui({ strike: 105_000 }), 'page-up', frame(), 5).strike, 85_000);
    assert.equal(navigate(ui(), 'page-up', frame(), 5).strike, 80_000);
    assert.equal(navigate(ui(), 'page-down', frame(), 1).strike, 95_000);
    assert.equal(navigate(ui(), 'page-down', frame(), 0).strike, 95_000);
  });

  it('Home goes back to following the ATM strike', () => {
    const moved = navigate(ui(), 'strike-down', frame(), 10);
    assert.equal(navigate(moved, 'atm', frame(), 10).strike, null);
  });

  it('without a chain or strikes nothing moves', () => {
    const state = ui({ strike: 90_000 });
    assert.equal(navigate(state, 'strike-down', frame(null), 10), state);
    assert.equal(navigate(state, 'page-up', frame(chainView({ strikes: [] })), 10), state);
  });

  it('left and right put the cursor on the call or the put', () => {
    assert.equal(navigate(ui(), 'put-side', frame(), 10).side, 'put');
    assert.equal(navigate(ui({ side: 'put' }), 'call-side', frame(), 10).side, 'call');
  });
});

describe('navigate: expiries', () => {
  it('next and previous wrap around', () => {
    assert.equal(navigate(ui(), 'expiry-next', frame(), 10).expiry, DEC);
    assert.equal(navigate(ui(), 'expiry-prev', frame(), 10).expiry, MAR);
    const last = frame(chainView({ expiryIndex: 2, expiry: MAR }));
    assert.equal(navigate(ui({ expiry: MAR }), 'expiry-next', last, 10).expiry, NOV);
  });

  it('moves start from the state’s own expiry, so two moves against one frame go two steps', () => {
    const once = navigate(ui(), 'expiry-next', frame(), 10);
    assert.equal(navigate(once, 'expiry-next', frame(), 10).expiry, MAR);
    assert.equal(navigate(ui({ expiry: DEC }), 'expiry-prev', frame(), 10).expiry, NOV);
  });

  it('the cursor keeps its strike across expiries', () => {
    assert.equal(navigate(ui(), 'expiry-next', frame(), 10).strike, 90_000);
    assert.equal(navigate(ui({ strike: 105_000 }), 'expiry-next', frame(), 10).strike, 105_000);
  });

  // The model shows the first expiry at or after a vanished one; a move must start from it,
  // or the first press after the daily expiry lands on the expiry already shown.
  it('from an expiry that went away, moves start from the one the frame shows', () => {
    const relisted = frame(
      chainView({
        expiries: [
          { expiry: NOV, label: '27NOV26' },
          { expiry: MAR, label: '26MAR27' },
        ],
        expiryIndex: 1,
        expiry: MAR,
      }),
    );
    assert.equal(navigate(ui({ expiry: DEC }), 'expiry-next', relisted, 10).expiry, NOV);
    assert.equal(navigate(ui({ expiry: DEC }), 'expiry-prev', relisted, 10).expiry, NOV);
  });

  it('without a chain nothing moves', () => {
    const state = ui();
    assert.equal(navigate(state, 'expiry-next', frame(null), 10), state);
  });
});

describe('navigate: chains', () => {
  it('next and previous wrap around and start the new chain at its front, at the money', () => {
    const moved = ui({ expiry: DEC, strike: 95_000, top: 4 });
    const next = navigate(moved, 'chain-next', frame(), 10);
    assert.deepEqual([next.chain, next.expiry, next.strike, next.top], ['ETH/ETH', null, null, 0]);
    assert.equal(navigate(moved, 'chain-prev', frame(), 10).chain, 'BTC/USDC');
    const last = frame(chainView({ key: 'BTC/USDC' }));
    assert.equal(navigate(ui(), 'chain-next', last, 10).chain, 'BTC/BTC');
  });

  it('before any chain is shown, moves from the state’s chain', () => {
    assert.equal(
      navigate(ui({ chain: 'ETH/ETH' }), 'chain-next', frame(null), 10).chain,
      'BTC/USDC',
    );
    assert.equal(navigate(ui(), 'chain-next', frame(null), 10).chain, 'ETH/ETH');
  });

  it('with no chains nothing moves', () => {
    const state = ui();
    assert.equal(navigate(state, 'chain-next', { chain: null, chains: [] }, 10), state);
  });
});

describe('navigate: toggles', () => {
  it('USD, surface, axis and help flip and flip back', () => {
    for (const [action, read] of [
      ['usd', (s: UiState) => s.usd],
      ['surface', (s: UiState) => s.surface],
      ['axis', (s: UiState) => s.axis],
      ['help', (s: UiState) => s.help],
    ] as const) {
      const once = navigate(ui(), action, frame(), 10);
      assert.notEqual(read(once), read(ui()), action);
      assert.equal(read(navigate(once, action, frame(), 10)), read(ui()), action);
    }
    assert.equal(navigate(ui(), 'axis', frame(), 10).axis, 'moneyness');
  });

  it('Escape closes help and leaves it closed', () => {
    assert.equal(navigate(ui({ help: true }), 'escape', frame(), 10).help, false);
    assert.equal(navigate(ui(), 'escape', frame(), 10).help, false);
  });

  it('Enter and quit leave the screen state alone', () => {
    const state = ui({ strike: 95_000 });
    assert.equal(navigate(state, 'submit', frame(), 10), state);
    assert.equal(navigate(state, 'quit', frame(), 10), state);
  });

  it('toggles leave the cursor where it is', () => {
    const state = ui({ strike: 95_000, expiry: DEC, top: 2 });
    const toggled = navigate(state, 'usd', frame(), 10);
    assert.deepEqual([toggled.strike, toggled.expiry, toggled.top], [95_000, DEC, 2]);
  });
});

describe('viewRequest', () => {
  it('asks for what the screen state shows', () => {
    const state = ui({ chain: 'ETH/ETH', expiry: DEC, strike: 3000, top: 4 });
    assert.deepEqual(viewRequest(state, 17, false), {
      chain: 'ETH/ETH',
      expiry: DEC,
      strike: 3000,
      top: 4,
      rows: 17,
      surface: false,
      volSurface: false,
      gridAxis: 'delta',
    });
    assert.equal(viewRequest(ui({ volSurface: true }), 17, false).volSurface, true);
  });
});

describe('navigate: the surface view (issue 18)', () => {
  it('# opens and closes it; ^ switches its grid, or the smile against delta outside it', () => {
    const open = navigate(ui(), 'vol-surface', frame(), 10);
    assert.equal(open.volSurface, true);
    assert.equal(navigate(open, 'vol-surface', frame(), 10).volSurface, false);
    const byK = navigate(open, 'delta-axis', frame(), 10);
    assert.deepEqual([byK.gridAxis, byK.smileDelta], ['moneyness', false]);
    assert.equal(navigate(byK, 'delta-axis', frame(), 10).gridAxis, 'delta');
    const smile = navigate(ui(), 'delta-axis', frame(), 10);
    assert.deepEqual([smile.smileDelta, smile.gridAxis], [true, 'delta']);
    assert.equal(actionFor('#', {}, true), 'vol-surface');
    assert.equal(actionFor('^', {}, true), 'delta-axis');
    assert.equal(actionFor('#', {}, false), null, 'typed text takes #');
  });
});

describe('navigate: lists (issue 16 #14, #15)', () => {
  it('Ctrl-L and Ctrl-O open their lists, the same key or Esc closes, ? replaces them', () => {
    const messages = navigate(ui(), 'messages', frame(), 10);
    assert.equal(messages.list, 'messages');
    assert.equal(navigate(messages, 'messages', frame(), 10).list, null);
    const rows = navigate(messages, 'all-rows', frame(), 10);
    assert.equal(rows.list, 'all-rows');
    assert.equal(navigate(rows, 'escape', frame(), 10).list, null);
    const help = navigate(rows, 'help', frame(), 10);
    assert.deepEqual([help.help, help.list], [true, null]);
  });

  it('the movement keys scroll an open list or a command’s listing, not the cursor', () => {
    const open = ui({ list: 'all-rows', strike: 90_000 });
    const down = navigate(open, 'page-down', frame(), 10);
    assert.deepEqual([down.helpTop, down.strike], [9, 90_000]);
    assert.equal(navigate(down, 'strike-up', frame(), 10).helpTop, 8);
    const listing = navigate(ui({ strike: 90_000 }), 'strike-down', { ...frame(), info: {} }, 10);
    assert.deepEqual([listing.helpTop, listing.strike], [1, 90_000]);
    assert.equal(navigate(listing, 'escape', frame(), 10).helpTop, 0);
  });
});
