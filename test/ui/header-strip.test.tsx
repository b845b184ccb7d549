// Issue 16 #18: the header keeps its clock when the hedger's state is long, and the expiry
// strip says how many expiries are scrolled off either end.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { ExpiryTabs } from '../../src/ui/expiry-tabs.js';
import { Header } from '../../src/ui/header.js';
import { fmtExpiry } from '../../src/view/format.js';
import type { ChainView, HeaderView } from '../../src/view/types.js';
import { liveHeader } from './support/header-fixture.js';
import { assertFits, frame } from './support/panel-frame.js';

after(cleanup);

const NOW = Date.UTC(2026, 10, 20, 7, 0, 5);

const HEADER: HeaderView = liveHeader({
  now: NOW,
  nextExpiry: Date.UTC(2026, 10, 20, 8),
  hedger:
    'PAUSED (BTC-PERPETUAL book crossed; no hedge until it uncrosses) net -$45,000.00 / ±$225.00',
  hedgerMode: 'paused',
});

describe('Header', () => {
  for (const width of [80, 120]) {
    it(`at ${width} columns a long hedger state is cut and the clock stays`, () => {
      const { lines } = frame(<Header header={HEADER} width={width} />);
      assertFits(lines, width, 2);
      assert.match(lines[1]!, /07:00:05 UTC {2}\? help$/, lines[1]);
      assert.match(lines[1]!, /hedger PAUSED \(BTC-PERPETUAL .*…/, lines[1]);
      assert.match(lines[0]!, /ATM 55\.2$/, lines[0]);
    });
  }

  it('a long connection state drops the perpetual, never the ATM IV', () => {
    const header: HeaderView = {
      ...HEADER,
      hedger: 'off',
      connection: {
        state: 'reconnecting',
        retryAt: NOW + 12_000,
        attempt: 3,
        rttMs: null,
        detail: null,
        quietSince: null,
      },
    };
    const { lines } = frame(<Header header={header} width={80} />);
    assertFits(lines, 80, 2);
    assert.match(
      lines[0]!,
      /reconnecting in 12s \(#3\) {2}BTC {2}idx 90,008\.12 {2}ATM 55\.2$/,
      lines[0],
    );
  });
});

function chainWith(count: number, selected: number): ChainView {
  const expiries = Array.from({ length: count }, (_, k) => {
    const expiry = Date.UTC(2026, 10, 21 + k, 8);
    return { expiry, label: fmtExpiry(expiry) };
  });
  return {
    key: 'BTC/BTC',
    base: 'BTC',
    quote: 'BTC',
    settlement: 'inverse',
    expiries,
    expiryIndex: selected,
    expiry: expiries[selected]!.expiry,
    forward: 90_009,
    index: 90_008,
    strikes: [],
    atmIndex: -1,
    cursorIndex: -1,
    top: 0,
    rows: [],
  };
}

describe('ExpiryTabs', () => {
  it('shows every expiry without markers when they fit', () => {
    const { lines } = frame(<ExpiryTabs chain={chainWith(4, 0)} width={120} usd={false} />);
    assert.doesNotMatch(lines[0]!, /[‹›]/);
    assert.match(lines[0]!, /21NOV26 {2}22NOV26 {2}23NOV26 {2}24NOV26$/);
  });

  it('counts the expiries scrolled off after and before, and never overflows', () => {
    const front = frame(<ExpiryTabs chain={chainWith(20, 0)} width={80} usd={false} />).lines;
    assertFits(front, 80, 1);
    const shown = (line: string): number => (line.match(/\d{1,2}[A-Z]{3}\d\d/g) ?? []).length;
    assert.match(front[0]!, /\+(\d+)›$/);
    assert.equal(Number(/\+(\d+)›$/.exec(front[0]!)![1]) + shown(front[0]!), 20, front[0]);

    const middle = frame(<ExpiryTabs chain={chainWith(20, 12)} width={80} usd={false} />).lines;
    assertFits(middle, 80, 1);
    const before = Number(/‹(\d+)/.exec(middle[0]!)![1]);
    const after = Number(/\+(\d+)›$/.exec(middle[0]!)![1]);
    assert.equal(before + shown(middle[0]!) + after, 20, middle[0]);
    assert.ok(middle[0]!.includes(' 3DEC26 '), middle[0]);
  });
});
