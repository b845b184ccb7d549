// Issue 18: the header's 30-day index, the venue's DVOL and IV rank; they give way before
// the clock and the help key, and say "stale" when the chain behind them is not current.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { Header, volText } from '../../src/ui/header.js';
import type { HeaderVolView } from '../../src/view/surface-view.js';
import type { HeaderView } from '../../src/view/types.js';
import { liveHeader } from './support/header-fixture.js';
import { assertFits, frame } from './support/panel-frame.js';

after(cleanup);

const NOW = Date.UTC(2026, 11, 6, 6, 21, 41);

const VOL: HeaderVolView = {
  index30: 0.6183,
  venueIndex: 0.549,
  venueIndexName: 'DVOL',
  ivRank: 30.4,
  ivPercentile: 67.6,
  stale: false,
};

const HEADER: HeaderView = liveHeader({
  now: NOW,
  index: 90_060.47,
  perpetual: { name: 'BTC-PERPETUAL', price: 90_091.75 },
  frontAtmIv: 0.555,
  nextExpiry: Date.UTC(2026, 11, 6, 8),
  vol: VOL,
});

describe('Header vol figures', () => {
  it('shows ivtrade 30-day index, the venue index and IV rank/percentile', () => {
    assert.equal(volText(VOL), '  30d 61.8  DVOL 54.9  IVR/P 30/68');
    const { lines } = frame(<Header header={HEADER} width={120} />);
    assertFits(lines, 120, 2);
    assert.match(
      lines[1]!,
      /expiry in 1h38m {2}30d 61\.8 {2}DVOL 54\.9 {2}IVR\/P 30\/68 {2}hedger OFF/,
    );
    assert.match(lines[1]!, /06:21:41 UTC {2}\? help$/);
  });

  it('says "-" for what is unknown and "stale" when the chain is not current', () => {
    const unknown: HeaderVolView = {
      index30: null,
      venueIndex: null,
      venueIndexName: null,
      ivRank: null,
      ivPercentile: null,
      stale: true,
    };
    assert.equal(volText(unknown), '  30d - stale  IVR/P -');
  });

  it('gives way at 80 columns: the clock and the help key stay, IV rank goes first', () => {
    const { lines } = frame(<Header header={HEADER} width={80} />);
    assertFits(lines, 80, 2);
    assert.match(lines[1]!, /06:21:41 UTC {2}\? help$/, lines[1]);
    assert.match(lines[1]!, /30d 61\.8/, lines[1]);
    assert.doesNotMatch(lines[1]!, /IVR\/P/, lines[1]);
  });
});
