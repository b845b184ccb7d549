// A risk reversal held for three simulated hours (8-second steps, a 20-minute gap every 45
// minutes) with the hedger on, over the Deribit protocol: net delta inside the band at every
// sample with nothing in flight, every hedge right in side and size, one at a time, and few.

import { describe, it } from 'node:test';
import { shapeScenario } from './support/scenario.js';

describe('hedger scenario on Deribit', () => {
  it('risk reversal: 0.3 BTC', async () => {
    await shapeScenario('deribit', 'risk reversal', 0.3, 13);
  });
});
