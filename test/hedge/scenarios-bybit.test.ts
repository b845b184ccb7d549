// The same scenario over the Bybit protocol, hedged in the linear BTCUSDT perpetual (amounts
// in coins, lots of 0.001): a short strangle of USDT options for three simulated hours.

import { describe, it } from 'node:test';
import { shapeScenario } from './support/scenario.js';

describe('hedger scenario on Bybit', () => {
  it('short strangle: 0.3 BTC, hedged in BTCUSDT', async () => {
    await shapeScenario('bybit', 'short strangle', 0.3, 21);
  });
});
