// `node dist/bench/latency-child.js <commands|hedge> '<config JSON>'`: a latency bench in a
// process of its own, as the screen and the hedger run in `ivtrade`'s own process (and as the
// render bench does): in the bench runner's process the heap still holds what the earlier
// benches left, and its collections would land in the tail being measured. Prints one JSON
// result on stdout; progress on stderr.

import { runCommandLatency, type CommandLatencyConfig } from './command-latency.js';
import type { Row } from './common.js';
import { runHedgeLatency, type HedgeLatencyConfig } from './hedge-latency.js';

const which = process.argv[2];
const config: unknown = JSON.parse(process.argv[3] ?? '');
const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};
let result: { rows: Row[]; notes: string[] };
if (which === 'commands') result = await runCommandLatency(config as CommandLatencyConfig, log);
else if (which === 'hedge') result = await runHedgeLatency(config as HedgeLatencyConfig, log);
else throw new Error(`usage: latency-child.js commands|hedge '<config JSON>' (got ${which})`);
process.stdout.write(`${JSON.stringify({ rows: result.rows, notes: result.notes })}\n`);
