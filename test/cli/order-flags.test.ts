// The gateway's limits and the market cap as flags: what each flag sets, and nothing else.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addOrderOptions, orderSettingsFrom, type OrderFlags } from '../../src/cli/order-flags.js';
import { DEFAULT_MARKET_CAP } from '../../src/app/command-runner.js';
import { resolveLimits } from '../../src/gateway/limits.js';

function parse(args: string[]): OrderFlags {
  const command = addOrderOptions(
    new Command('t').exitOverride().configureOutput({ writeErr: () => undefined }),
  );
  command.parse(args, { from: 'user' });
  return command.opts<OrderFlags>();
}

describe('order flags', () => {
  it('no flag: the gateway keeps every default', () => {
    const settings = orderSettingsFrom(parse([]));
    assert.deepEqual(settings.limits, {});
    assert.deepEqual(settings.marketCap, DEFAULT_MARKET_CAP);
  });

  it('each flag sets its limit, in the units the gateway takes', () => {
    const settings = orderSettingsFrom(
      parse([
        '--max-notional',
        '50000',
        '--option-distance',
        '5',
        '--option-distance-ticks',
        '0',
        '--future-distance',
        '0.5',
        '--cap-ticks',
        '2',
      ]),
    );
    assert.deepEqual(settings.limits, {
      maxNotionalUsd: 50_000,
      optionDistance: { unit: 'vol-points', value: 5 },
      optionDistanceTicks: 0,
      futureDistance: { unit: 'percent', value: 0.5 },
    });
    assert.equal(settings.marketCap.optionTicks, 2);
    // What the gateway makes of them: the tick allowance is the flag's, the rest default.
    const limits = resolveLimits(settings.limits);
    assert.equal(limits.optionDistanceTicks, 0);
    assert.equal(limits.maxOrdersPerSecond, resolveLimits({}).maxOrdersPerSecond);
  });

  it('a tick allowance that is not a whole number from 0 to 1000 is refused with an example', () => {
    for (const bad of ['2.5', '-1', 'ten', '1001']) {
      assert.throws(
        () => parse(['--option-distance-ticks', bad]),
        /--option-distance-ticks takes a whole number from 0 to 1000, e\.g\. --option-distance-ticks 20/,
      );
    }
  });
});
