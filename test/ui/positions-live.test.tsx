// Acceptance: a position opened on the paper account by a plain client speaking the venue's
// protocol (not ivtrade's adapter) shows in the positions panel, with greeks and PnL, within a
// second. Everything is real: the sim on loopback with its clock running, the Deribit adapter,
// the engine, the read model and Ink.

import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { MarketEngine } from '../../src/app/market-engine.js';
import { ReadModel } from '../../src/app/read-model.js';
import { DeribitFeed } from '../../src/feeds/deribit/feed.js';
import { startSim, type RunningSim } from '../../src/sim/server.js';
import { App } from '../../src/ui/app.js';
import { RpcClient } from '../sim/support/rpc-client.js';
import { sleep, waitUntil } from '../support/wait.js';

describe('positions panel', () => {
  let sim: RunningSim;
  let engine: MarketEngine;
  let model: ReadModel;
  let client: RpcClient;

  before(async () => {
    sim = await startSim({ seed: 5, currencies: ['BTC'] });
    const key = sim.apiKeys.deribit[0]!;
    engine = new MarketEngine([
      new DeribitFeed({
        wsUrl: sim.urls.deribitWs,
        currencies: ['BTC'],
        credentials: { clientId: key.key, clientSecret: key.secret },
        log: () => undefined,
      }),
    ]);
    model = new ReadModel(engine, {
      venue: 'deribit',
      mode: 'SIM',
      currencies: ['BTC'],
      logPath: null,
    });
    await engine.start();
    client = await RpcClient.connect(sim.urls.deribitWs);
    const auth = await client.call('public/auth', {
      grant_type: 'client_credentials',
      client_id: key.key,
      client_secret: key.secret,
    });
    assert.equal(auth.error, undefined);
  });
  after(async () => {
    await client.close();
    model.close();
    await engine.stop();
    await sim.close();
  });

  it('shows a position opened by another client within a second, with greeks and PnL', async () => {
    const ui = render(
      <App source={model} onQuit={() => undefined} size={{ cols: 140, rows: 40 }} />,
    );
    try {
      const lines = (): string[] => stripVTControlCharacters(ui.lastFrame() ?? '').split('\n');
      await waitUntil('no positions yet', () => lines().some((l) => l.includes('no positions')));
      // A call a week or more out with an ask to lift: priced, so greeks are known.
      await waitUntil(
        'a priced call',
        () => {
          engine.market.settle(Date.now());
          return pickCall(engine) !== undefined;
        },
        10_000,
      );
      const instrument = pickCall(engine)!;
      const reply = await client.call('private/buy', {
        instrument_name: instrument,
        amount: 0.5,
        type: 'market',
        label: 'plain-client',
      });
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      const filled = Date.now();
      await waitUntil(`${instrument} in the positions panel`, () =>
        lines().some((l) => l.includes(instrument)),
      );
      const shownAfter = Date.now() - filled;
      const row = lines().find((l) => l.includes(instrument))!;
      // Size, then numbers for mark, PnL and greeks: no dashes for what is known.
      assert.match(row, new RegExp(`${instrument}\\s+\\+?0\\.5\\b`));
      const cells = row
        .slice(row.indexOf(instrument) + instrument.length)
        .trim()
        .split(/\s+/);
      assert.ok(cells.length >= 8, row);
      assert.ok(!cells.includes('-'), `every figure known: ${row}`);
      // The totals line carries the option delta (a long call: positive).
      assert.ok(
        lines().some((l) => /BTC\b.*Δ.*\+0\.\d/.test(l)),
        lines().join('\n'),
      );
      assert.ok(shownAfter <= 1_000, `shown ${shownAfter} ms after the fill`);
    } finally {
      ui.unmount();
      await sleep(10);
    }
  });
});

function pickCall(engine: MarketEngine): string | undefined {
  const chain = engine.market.chains('deribit')[0];
  if (chain === undefined) return undefined;
  const weekOut = Date.now() + 7 * 86_400_000;
  return chain.options
    .filter((o) => o.type === 'call' && o.expiry > weekOut)
    .map((o) => chain.option(o.name)!)
    .filter((q) => q.ask !== null && (q.askSize ?? 0) >= 0.5 && (q.delta ?? 0) > 0.3)
    .filter((q) => q.markIv !== null && q.gamma !== null)
    .sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0))[0]?.spec.name;
}
