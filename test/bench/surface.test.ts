// The surface bench's wiring: a short run yields the rows run.ts prints and emits as JSON
// lines, on the recorded chain, with both fits judged on the same quotes. No timing thresholds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PEER_LM, runSurfaceBench } from '../../bench/surface.js';
import { assertJsonLine } from './support/json-line.js';

describe('surface bench', () => {
  it('times ivtrade’s refits and the Levenberg–Marquardt peer and judges both fits', () => {
    const logged: string[] = [];
    const { rows, notes } = runSurfaceBench({ reps: 1 }, (line) => logged.push(line));
    assert.deepEqual(
      rows.map((r) => [r.bench, r.metric, r.unit, r.peer]),
      [
        ['surface', 'full-chain SVI refit, cold (684 options, 11 expiries)', 'ms', PEER_LM],
        ['surface', 'full-chain SVI refit, warm start from the last fit', 'ms', PEER_LM],
        ['surface', 'full-chain refit incl. IVs from the 684 prices', 'ms', PEER_LM],
        ['surface', 'RMS IV distance outside [bid, ask], two-sided quotes', 'error', PEER_LM],
        ['surface', 'two-sided quotes fitted inside [bid, ask]', '%', PEER_LM],
      ],
    );
    for (const row of rows) assertJsonLine(row);
    // Equal or lower error than the peer, on both measures (deterministic: no timing here).
    const [, , , rms, inside] = rows;
    assert.ok(rms!.ivtrade <= rms!.peerValue, `${rms!.ivtrade} vs ${rms!.peerValue}`);
    assert.ok(inside!.ivtrade >= inside!.peerValue, `${inside!.ivtrade} vs ${inside!.peerValue}`);
    assert.ok(inside!.ivtrade <= 100);
    assert.match(notes[0]!, /326 two-sided out-of-the-money quotes; ivtrade \d+ inside/);
    assert.equal(logged.length, 1);
  });
});
