// Issue 16 #14 and #15 on the whole screen: open orders and positions keep rows at 80×24 and
// 120×40 (nothing hidden without a count and a key that lists all), and the messages list
// keeps the trader's answers whole. The sim on loopback, a plain client placing the orders
// on the same paper account, the real adapter, engine, read model and Ink.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { RpcClient } from '../sim/support/rpc-client.js';
import { sleep, waitUntil } from '../support/wait.js';
import { FULL_VIEW, openSimScreen, type SimScreen } from './support/sim-screen.js';

const CTRL_O = '\u000f';
const CTRL_L = '\u000c';
const ESC = '\u001b';

function plain(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

describe('panels and messages on the whole screen', () => {
  let screen: SimScreen;
  let client: RpcClient;
  const resting: string[] = [];
  const held: string[] = [];

  before(async () => {
    screen = await openSimScreen();
    const key = screen.sim.apiKeys.deribit[0]!;
    client = await RpcClient.connect(screen.sim.urls.deribitWs);
    const auth = await client.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: key.key,
      client_secret: key.secret,
    });
    assert.equal(auth.error, undefined);
    const chain = screen.model.snapshot({ ...FULL_VIEW, rows: 200 }, screen.now()).chain!;
    const quoted = chain.rows.flatMap((row) => [row.call, row.put]).filter((s) => s.ask >= 0.005);
    // Two positions (bought at the ask) and four orders resting far under the market.
    for (const side of quoted.slice(0, 2)) {
      const reply = await client.call('private/buy', {
        instrument_name: side.instrument,
        amount: 1,
        type: 'market',
      });
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      held.push(side.instrument!);
    }
    for (const side of quoted.slice(2, 6)) {
      const reply = await client.call('private/buy', {
        instrument_name: side.instrument,
        amount: 1,
        type: 'limit',
        price: 0.0001,
      });
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      resting.push(side.instrument!);
    }
    // The sim's private channels publish as its market steps.
    await waitUntil(
      () => {
        const frame = screen.model.snapshot(FULL_VIEW, screen.now());
        return `the orders and positions on the engine (${frame.orders.rows.length}, ${frame.positions.rows.length})`;
      },
      () => {
        const frame = screen.model.snapshot(FULL_VIEW, screen.now());
        if (frame.orders.rows.length === 4 && frame.positions.rows.length === 2) return true;
        screen.sim.advance(100);
        return false;
      },
    );
  });
  after(async () => {
    await client.close();
    await screen.close();
  });

  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`at ${cols}×${rows} every order and position has a row, or a count and the key`, async () => {
      const app = render(
        <App
          source={screen.model}
          onQuit={() => undefined}
          now={screen.now}
          fps={200}
          size={{ cols, rows }}
        />,
      );
      try {
        const lines = (): string[] => plain(app.lastFrame());
        await waitUntil('the panels', () =>
          lines().some((l) => resting.some((name) => l.includes(name))),
        );
        await sleep(100);
        const text = lines().join('\n');
        if (process.env.SHOW_FRAME) console.log(text);
        const shownOrders = resting.filter((name) => text.includes(name));
        const shownHeld = held.filter((name) => text.includes(name));
        assert.ok(shownOrders.length > 0 && shownHeld.length > 0, text);
        const missing = resting.length - shownOrders.length;
        if (missing > 0) assert.ok(text.includes(`+${missing} more (Ctrl-O lists all)`), text);
        if (shownHeld.length < held.length) assert.ok(text.includes('(Ctrl-O lists all)'), text);
        // At these sizes the layout makes room for all of them.
        assert.equal(shownOrders.length, resting.length, text);
        assert.equal(shownHeld.length, held.length, text);
        assert.ok(lines().length <= rows, `${lines().length} lines`);

        // Ctrl-O lists every one of them; Esc goes back.
        app.stdin.write(CTRL_O);
        await waitUntil('the list', () =>
          lines().some((l) => l.includes('Positions and open orders')),
        );
        const list = lines().join('\n');
        for (const name of [...held, ...resting])
          assert.ok(list.includes(name), `${name} in\n${list}`);
        app.stdin.write(ESC);
        await waitUntil('the chain back', () => lines().some((l) => l.includes('strike')));
      } finally {
        app.unmount();
      }
    });
  }

  it('a long answer is cut on the status line with the key, and whole in the messages', async () => {
    const app = render(
      <App
        source={screen.model}
        onQuit={() => undefined}
        now={screen.now}
        fps={200}
        size={{ cols: 80, rows: 24 }}
      />,
    );
    try {
      const lines = (): string[] => plain(app.lastFrame());
      const answer =
        'order refused: BTC-PERPETUAL 5 is not a multiple of the lot 10; the venue would reject it, so nothing was sent (size 10 or 20 would do)';
      screen.model.note(answer, 'error');
      await waitUntil('the answer', () => lines().some((l) => l.includes('order refused')));
      const status = lines().find((l) => l.includes('order refused'))!;
      assert.ok(status.length <= 80 && status.endsWith('… (Ctrl-L: messages)'), status);
      app.stdin.write(CTRL_L);
      await waitUntil('the messages', () =>
        lines().some((l) => l.includes('Messages, newest first')),
      );
      const words = lines()
        .filter((l) => !l.includes('Messages'))
        .join(' ')
        .replace(/\d\d:\d\d:\d\d /g, '')
        .replace(/\s+/g, ' ');
      assert.ok(words.includes(answer), words);
    } finally {
      app.unmount();
    }
  });
});
