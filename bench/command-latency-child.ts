// `node dist/bench/command-latency-child.js '<CommandLatencyConfig JSON>'`: the command latency
// bench in a process of its own, as the screen runs in `ivtrade`'s own process (and as the
// render bench does): in the bench runner's process the heap still holds what the earlier
// benches left, and its collections would land in the tail being measured. Prints one JSON
// result on stdout; progress on stderr.

import {
  runCommandLatency,
  type CommandLatencyConfig,
  type CommandLatencyReport,
} from './command-latency.js';

const config = JSON.parse(process.argv[2] ?? '') as CommandLatencyConfig;
const result = await runCommandLatency(config, (line) => process.stderr.write(`[bench] ${line}\n`));
const report: CommandLatencyReport = { rows: result.rows, notes: result.notes };
process.stdout.write(`${JSON.stringify(report)}\n`);
