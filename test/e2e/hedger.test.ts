// The hedger switched from the screen, as a trader does: the built binary on the embedded sim
// in tmux. A bought call leaves the book long delta; `hon` turns the header to ON and hedges
// appear in the hedge log; `hoff` turns it OFF and no further hedge is sent.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  closeShell,
  FIRST_SCREEN_MS,
  LAUNCH,
  lineMatching,
  lines,
  liveChain,
  openShell,
  plain,
  promptAfter,
  STEP_MS,
} from './shell.js';

interface Decision {
  readonly state: string;
  readonly label?: string;
  readonly decision: { readonly action: string; readonly side?: string };
}

function decisions(path: string): Decision[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Decision);
}

/** The header's hedger word: the text after "hedger" on the second header line. */
function hedgerWord(screen: string): string | undefined {
  const line = plain(lines(screen)[1] ?? '');
  return /\bhedger (ON|OFF|PAUSED)\b/.exec(line)?.[1];
}

type Term = Awaited<ReturnType<typeof openShell>>['term'];

/** Waits for the header's hedger word to read `word`. */
async function hedgerShows(term: Term, word: 'ON' | 'OFF', what: string): Promise<void> {
  await term.waitFor(what, (screen) => (hedgerWord(screen) === word ? true : undefined), {
    timeoutMs: STEP_MS,
  });
}

/** The screen on the sim at 110×40 with its hedge log's path; quit and closed after `body`. */
async function onTheScreen(body: (term: Term, logPath: string) => Promise<void>): Promise<void> {
  const box = await openShell(110, 40);
  const { term } = box;
  try {
    await term.run(LAUNCH);
    await term.waitFor('the live chain', liveChain, { timeoutMs: FIRST_SCREEN_MS });
    await body(term, join(box.dir, 'state', 'ivtrade', 'hedge.jsonl'));
    await term.press('C-c');
    await term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
      timeoutMs: STEP_MS,
    });
  } finally {
    await closeShell(box);
  }
}

describe('the hedger from the screen (tmux)', () => {
  it('hon: ON in the header and hedges in the log; hoff: OFF and no further hedges', async () => {
    await onTheScreen(async (term, logPath) => {
      await hedgerShows(term, 'OFF', 'the hedger OFF in the header');
      // 1 BTC of the ATM call (under the cursor): about half a coin of delta to hedge. A
      // capped market order (`a1`, up to 3 ticks through the ask): hours before the front
      // expiry its quotes move by a tick between one frame and the order's arrival, and a
      // limit at the ask shown (`aw1`) then rests.
      await term.type('m 1');
      await term.press('Enter');
      await term.type('a1');
      await term.press('Enter');
      await term.waitFor(
        'the fill (whole or partial)',
        (screen) => (/(bought|filled).*\(ivt-[a-z0-9]{6}-1\)/.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );

      await term.type('hon');
      await term.press('Enter');
      await hedgerShows(term, 'ON', 'ON in the header');
      const hedged = await term.waitFor(
        'a hedge in the log',
        () => {
          const sent = decisions(logPath).filter((entry) => entry.label !== undefined);
          return sent.length > 0 ? sent : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      assert.equal(hedged[0]!.decision.action, 'hedge');
      assert.equal(hedged[0]!.decision.side, 'sell', 'a long call is hedged by selling');
      assert.match(hedged[0]!.label!, /^ivt-hedge-[a-z0-9]{6}-1$/);

      // `=` is the same switch as hoff.
      await term.type('=');
      await hedgerShows(term, 'OFF', 'OFF in the header');
      const before = decisions(logPath).filter((entry) => entry.label !== undefined).length;
      // More delta, which an ON hedger would hedge at once.
      await term.type('a1');
      await term.press('Enter');
      await term.waitFor(
        'the second fill',
        (screen) => (/(bought|filled).*\(ivt-[a-z0-9]{6}-2\)/.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const after = decisions(logPath);
      assert.equal(
        after.filter((entry) => entry.label !== undefined).length,
        before,
        'no hedge after hoff',
      );
    });
  });
  it('hb and hmode from the screen: the panel shows the new band and policy, and the next decision uses it', async () => {
    await onTheScreen(async (term, logPath) => {
      await term.type('hon');
      await term.press('Enter');
      await hedgerShows(term, 'ON', 'ON in the header');
      await term.type('hb $5000');
      await term.press('Enter');
      await term.waitFor(
        'the new band answered and in the panel',
        (screen) =>
          /hedger band ±\$5,000 \(was ±\$[\d,]+/.test(screen) &&
          /fixed band ±0\.0\d+ coin \(\$5,000\)/.test(screen)
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
      // 1 BTC of the ATM call: about half a coin, well outside a $5,000 band: one hedge.
      await term.type('m 1');
      await term.press('Enter');
      await term.type('a1');
      await term.press('Enter');
      const hedged = await term.waitFor(
        'a hedge decided against the $5,000 band',
        () =>
          decisions(logPath).find(
            (entry) => entry.label !== undefined && /outside ±\$5,000/.test(JSON.stringify(entry)),
          ),
        { timeoutMs: STEP_MS },
      );
      assert.equal(hedged.decision.side, 'sell');
      // The hedge's fill lands on the message line when the venue reports it; typed before,
      // hmode's answer could be overwritten by it before it was read.
      await term.waitFor(
        "the hedge's fill on the message line",
        (screen) => (/last: sold .*\(ivt-hedge-[a-z0-9]{6}-1\)/.test(screen) ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      await term.type('hmode gamma 1e-3');
      await term.press('Enter');
      await term.waitFor(
        'the gamma policy answered and in the panel',
        (screen) =>
          /hedger policy gamma \(γ 1e-3\/\$\) \(was fixed/.test(screen) &&
          /gamma band (±[\d.]+ coin \(\$[\d,]+\))?: Γ /.test(screen)
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
    });
  });

  it('--hedge-instrument not listed at the venue: refused as soon as the listing is known, exit 2', async () => {
    const box = await openShell(110, 40);
    const { term } = box;
    try {
      await term.run(`${LAUNCH} --hedge-instrument BTC-FOO; echo rc=$?`);
      const rc = await term.waitFor('the exit status', lineMatching(/^rc=(\d+)$/), {
        timeoutMs: FIRST_SCREEN_MS,
      });
      assert.equal(rc[1], '2');
      const screen = await term.capture();
      assert.match(
        screen,
        /error: hedger not started: BTC-FOO is not a future or perpetual listed on deribit \(BTC ones: BTC-/,
      );
      assert.doesNotMatch(screen, /session closed/);
    } finally {
      await closeShell(box);
    }
  });
});
