// Issue 16 #16: the screen runs on the venue's clock. The simulator's manual clock sits weeks
// away from the machine's, as a sped-up sim drifts from it: IVs, the countdown and the clock
// must follow the sim's time, and a passed expiry must be reported settled, not priced.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { fmtClock, fmtExpiry, fmtIv } from '../../src/view/format.js';
import { waitUntil } from '../support/wait.js';
import { FULL_VIEW, openSimScreen, type SimScreen } from './support/sim-screen.js';

function plain(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

describe('the screen on the venue’s clock', () => {
  let screen: SimScreen;
  before(async () => {
    screen = await openSimScreen();
  });
  after(async () => {
    await screen.close();
  });

  it('the model’s venue time is the sim’s, not the machine’s', () => {
    const simNow = screen.now();
    assert.ok(Math.abs(Date.now() - simNow) > 86_400_000, 'the sim runs on another day');
    const venueNow = screen.model.now();
    // The latest message's timestamp, carried forward at most by the test's own wall time.
    assert.ok(venueNow >= simNow - 1_000 && venueNow <= simNow + 5_000, `${venueNow} vs ${simNow}`);
  });

  it('an App without a clock of its own shows the venue’s time and prices on it', async () => {
    // No `now` prop: what `ivtrade` runs.
    const app = render(
      <App
        source={screen.model}
        onQuit={() => undefined}
        fps={200}
        size={{ cols: 120, rows: 40 }}
      />,
    );
    try {
      await waitUntil('the chain', () => plain(app.lastFrame()).some((l) => l.includes('strike')));
      const lines = plain(app.lastFrame());
      const expected = screen.model.snapshot(FULL_VIEW, screen.now()).header;
      assert.ok(lines[1]!.includes(`${fmtClock(screen.now()).slice(0, 5)}`), lines[1]);
      assert.ok(
        lines[0]!.includes(`ATM ${fmtIv(expected.frontAtmIv)}`),
        `${lines[0]} vs ${fmtIv(expected.frontAtmIv)}`,
      );
    } finally {
      app.unmount();
    }
  });

  it('reports the front expiry settled when the venue’s clock passes it, and drops it', async () => {
    const before = screen.model.snapshot(FULL_VIEW, screen.now());
    const front = before.chain!.expiries[0]!;
    const second = before.chain!.expiries[1]!;
    await screen.advance(front.expiry - screen.now() + 1_000);
    const venueNow = screen.model.now();
    assert.ok(venueNow > front.expiry, 'the venue clock passed the expiry');
    const after = screen.model.snapshot(FULL_VIEW, venueNow);
    assert.equal(after.chain!.expiries[0]!.expiry, second.expiry);
    assert.ok(after.chain!.expiries.every((choice) => choice.expiry > venueNow));
    assert.equal(after.header.nextExpiry, second.expiry);
    assert.match(
      after.status?.text ?? '',
      new RegExp(
        `${fmtExpiry(front.expiry)} \\(BTC, ETH\\) expired at \\d\\d:\\d\\d:\\d\\d UTC: settled`,
      ),
    );
    // Every option still shown is priced at positive time: no IV from a negative one.
    for (const row of after.chain!.rows) {
      for (const side of [row.call, row.put]) assert.ok(!(side.markIv <= 0));
    }
  });
});
