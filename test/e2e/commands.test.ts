// The command line as a trader uses it: the built binary on the embedded sim in tmux, orders
// typed with the two-hand shortcuts, checked on the screen (orders and positions panels,
// status line) and against the sim's own order log, which records every order request that
// reached the exchange.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  closeShell,
  FIRST_SCREEN_MS,
  LAUNCH,
  lines,
  liveChain,
  openShell,
  plain,
  promptAfter,
  STEP_MS,
} from './shell.js';

interface LoggedOrder {
  readonly action: 'place' | 'edit' | 'cancel' | 'cancel-all';
  readonly outcome: 'ok' | 'error';
  readonly orderIds: readonly string[];
  readonly status?: string;
  readonly request: {
    readonly label?: string;
    readonly postOnly?: boolean;
    readonly price?: number;
    readonly amount?: number;
    readonly reduceOnly?: boolean;
    readonly side?: string;
  };
}

function orderLog(path: string): LoggedOrder[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LoggedOrder);
}

/**
 * Labels in the orders panel's rows (each order shows its label); the status line's and the
 * panel's "last:" report line are not counted.
 */
function labelsShown(screen: string): string[] {
  return lines(screen)
    .map(plain)
    .filter((line) => !/^(⚠ .*\(Ctrl-L\): )?\d\d:\d\d:\d\d /.test(line) && !/\blast: /.test(line))
    .flatMap((line) => line.match(/\bivt-[a-z0-9]+-\d+\b/g) ?? []);
}

describe('commands in a real terminal (tmux) against the sim', () => {
  it('as1 rests at the bid, cc cancels it, aw1 fills, a ladder rests, e<k> moves and c<k> cancels one, ca clears, f flattens, a bad line sends nothing', async () => {
    const box = await openShell(110, 50);
    const { term } = box;
    const logPath = join(box.dir, 'state', 'ivtrade', 'sim-orders.jsonl');
    try {
      await term.run(LAUNCH);
      const atm = await term.waitFor(
        'the instrument on the command line',
        (screen) =>
          liveChain(screen) === undefined ? undefined : /(BTC-\S+-C) ×/.exec(screen)?.[1],
        { timeoutMs: FIRST_SCREEN_MS },
      );
      // Three strikes out of the money: a quiet quote, so the bid as1 joins is not traded
      // through before cc cancels it. A month out, so its ask stays above the ladder's
      // 0.0001–0.0003 at any time of day (the front expiry's wings are that cheap hours
      // before 08:00 UTC, and a post-only bid at the ask is refused).
      for (let n = 0; n < 5; n += 1) await term.press(']');
      for (let n = 0; n < 3; n += 1) await term.press('Down');
      // The command line names the instrument under the cursor and the size multiplier.
      // Settled: the same instrument for half a second (the keys may still be arriving).
      let seen: { name: string; since: number } | null = null;
      const prompt = await term.waitFor(
        'the instrument on the command line',
        (screen) => {
          const found = /(BTC-\d{1,2}[A-Z]{3}\d\d-\d+-C) ×(\S+) >/.exec(screen);
          if (found === null || found[1] === atm) return undefined;
          if (seen === null || seen.name !== found[1])
            seen = { name: found[1]!, since: Date.now() };
          return Date.now() - seen.since >= 500 ? found : undefined;
        },
        { timeoutMs: STEP_MS },
      );
      const instrument = prompt[1]!;
      assert.equal(prompt[2], '0.1', 'the default multiplier is the minimum size');

      // as1: one post-only buy of 0.1 at the bid; it rests and shows in the orders panel.
      await term.type('as1');
      await term.press('Enter');
      const rested = await term.waitFor(
        'the order in the orders panel',
        (screen) => (labelsShown(screen).length === 1 ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      const [label] = labelsShown(rested);
      let log = orderLog(logPath);
      assert.equal(log.length, 1, 'one request reached the sim');
      assert.equal(log[0]!.action, 'place');
      assert.equal(log[0]!.request.label, label);
      assert.equal(log[0]!.request.postOnly, true);
      assert.equal(log[0]!.request.amount, 0.1);
      assert.equal(log[0]!.status, 'open');
      assert.ok(
        lines(rested).some((line) => plain(line).includes(instrument.slice(0, 14))),
        `the order's instrument shown:\n${rested}`,
      );

      // cc: cancels the last order placed in this session.
      await term.type('cc');
      await term.press('Enter');
      await term.waitFor(
        'the cancel at the sim and the orders panel empty again',
        (screen) =>
          labelsShown(screen).length === 0 && orderLog(logPath).at(-1)?.action === 'cancel'
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'cancel');
      assert.deepEqual(log.at(-1)!.orderIds, log[0]!.orderIds);

      // aw1: buy at the ask, a taker limit: it fills and the position shows with greeks. The
      // sim's market runs meanwhile: an ask that moved up before the order arrived leaves it
      // resting, as the venue would (CI once, on a loaded machine); then it is cancelled and
      // aw1 goes again, three times at most.
      let held: string | undefined;
      for (let attempt = 0; attempt < 3 && held === undefined; attempt += 1) {
        const sent = orderLog(logPath).length;
        await term.type('aw1');
        await term.press('Enter');
        const placed = await term.waitFor(
          'the aw1 order at the sim',
          () => {
            const last = orderLog(logPath).at(-1);
            return orderLog(logPath).length > sent && last?.action === 'place' ? last : undefined;
          },
          { timeoutMs: STEP_MS },
        );
        if (placed.status !== 'filled') {
          await term.type('cc');
          await term.press('Enter');
          await term.waitFor(
            'the resting aw1 cancelled',
            () => (orderLog(logPath).at(-1)?.action === 'cancel' ? true : undefined),
            { timeoutMs: STEP_MS },
          );
          continue;
        }
        held = await term.waitFor(
          'the position in the positions panel',
          (screen) => {
            // The positions row: size, prices, PnL in BTC, then the greeks (not the prompt).
            const row = lines(screen)
              .map(plain)
              .find((line) => line.includes(instrument) && / BTC /.test(line));
            return row !== undefined && /\b0\.1\b/.test(row) && /[+-]\d+\.\d{3}\b/.test(row)
              ? screen
              : undefined;
          },
          { timeoutMs: STEP_MS },
        );
      }
      assert.ok(held !== undefined, 'aw1 filled at the ask within three tries');
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'place');
      assert.equal(log.at(-1)!.status, 'filled', 'the taker order filled at once');
      assert.ok(held.length > 0);
      // The status line said so (it may have moved on since: the log keeps every line).
      await term.waitFor(
        'the fill reported',
        () => (/command: bought 0\.1 /.test(readFileSync(box.logPath, 'utf8')) ? true : undefined),
        { timeoutMs: STEP_MS },
      );

      // A ladder of 3 post-only bids far under the market: 3 orders rest.
      await term.type('a1 0.0001 0.0003 3');
      await term.press('Enter');
      await term.waitFor(
        'three ladder orders in the orders panel',
        (screen) => (labelsShown(screen).length === 3 ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      const ladder = log.slice(-3);
      assert.deepEqual(
        ladder.map((entry) => entry.request.price),
        [0.0001, 0.0002, 0.0003],
        'evenly spaced, both ends included',
      );
      assert.ok(ladder.every((entry) => entry.action === 'place' && entry.status === 'open'));

      // The panel numbers them: pick the lowest bid by its number, move it, then cancel it.
      const numbered = (screen: string, price: string): string | undefined =>
        lines(screen)
          .map(plain)
          .map((line) =>
            new RegExp(`#(\\d+)\\s+BTC-\\S+\\s+buy\\s+0\\.1\\s+${price}\\b`).exec(line),
          )
          .find((found) => found !== null)?.[1];
      const lowest = await term.waitFor('the bid at 0.0001 numbered', (screen) =>
        numbered(screen, '0\\.0001'),
      );
      await term.type(`e${lowest} 0.0004`);
      await term.press('Enter');
      await term.waitFor(
        'the bid moved to 0.0004 on the screen',
        (screen) => (numbered(screen, '0\\.0004') === lowest ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'edit');
      assert.equal(log.at(-1)!.request.price, 0.0004);
      assert.deepEqual(log.at(-1)!.orderIds, ladder[0]!.orderIds);
      await term.type(`c${lowest}`);
      await term.press('Enter');
      await term.waitFor(
        'that order gone from the panel, the other two left',
        (screen) => (labelsShown(screen).length === 2 ? true : undefined),
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'cancel');
      assert.deepEqual(log.at(-1)!.orderIds, ladder[0]!.orderIds);

      // ca: cancels the rest.
      await term.type('ca');
      await term.press('Enter');
      await term.waitFor(
        'the cancel-all at the sim and no orders shown',
        (screen) =>
          labelsShown(screen).length === 0 && orderLog(logPath).at(-1)?.action === 'cancel-all'
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'cancel-all');
      assert.equal(log.at(-1)!.orderIds.length, 2);

      // f: the position closes with one reduce-only sell at market, and leaves the panel.
      await term.type('f');
      await term.press('Enter');
      await term.waitFor(
        'the position gone from the positions panel',
        (screen) =>
          orderLog(logPath).at(-1)?.status === 'filled' &&
          !lines(screen)
            .map(plain)
            .some((line) => line.includes(instrument) && / BTC /.test(line))
            ? true
            : undefined,
        { timeoutMs: STEP_MS },
      );
      log = orderLog(logPath);
      assert.equal(log.at(-1)!.action, 'place');
      assert.equal(log.at(-1)!.request.reduceOnly, true);
      assert.equal(log.at(-1)!.request.side, 'sell');
      assert.equal(log.at(-1)!.request.amount, 0.1);

      // An invalid line: an error saying where, and nothing reaches the sim.
      const before = orderLog(logPath).length;
      await term.type('as1x');
      await term.press('Enter');
      const refused = await term.waitFor(
        'the parse error on the status line',
        (screen) => (/column \d+: /.test(screen) ? screen : undefined),
        { timeoutMs: STEP_MS },
      );
      assert.match(refused, /column 3: expected a size after "as", found "1x" \(e\.g\. as1\)/);
      // An aborted order line likewise sends nothing.
      await term.press('Escape');
      await term.type('aw1c');
      await term.press('Enter');
      await term.waitFor('the abort notice', (screen) =>
        screen.includes('aborted: nothing sent') ? true : undefined,
      );
      assert.equal(orderLog(logPath).length, before, 'no request reached the sim');

      await term.press('C-c');
      await term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
        timeoutMs: STEP_MS,
      });
    } catch (error) {
      // What reached the sim is the first thing to know when a flow goes wrong.
      const requests = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '(no order log)';
      throw new Error(`${String(error)}\nsim order log:\n${requests}`, { cause: error });
    } finally {
      await closeShell(box);
    }
  });

  it('--exec runs its line once the venue quotes: the prompt shows the chosen instrument and size', async () => {
    const box = await openShell(110, 40);
    const { term } = box;
    try {
      await term.run(`${LAUNCH} --exec "i BTC-PERPETUAL; m 20"`);
      await term.waitFor(
        'the perpetual chosen on the command line',
        (screen) => (/BTC-PERPETUAL ×20 >/.test(screen) ? true : undefined),
        { timeoutMs: FIRST_SCREEN_MS },
      );
      await term.press('C-c');
      await term.waitFor('the goodbye line', promptAfter('ivtrade: session closed'), {
        timeoutMs: STEP_MS,
      });
    } finally {
      await closeShell(box);
    }
  });
});
