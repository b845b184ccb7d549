// `node dist/bench/render-child.js '<RenderConfig JSON>'`: the render bench in a process of its
// own, as the screen runs in `ivtrade`'s own process. In the bench runner's process the heap
// still holds what the earlier benches left (grids, books, recordings), and collecting it
// would be charged to the frames. Prints one JSON RenderResult on stdout; progress on stderr.

import { runRender, type RenderConfig } from './render.js';

const config = JSON.parse(process.argv[2] ?? '') as RenderConfig;
const result = await runRender(config, (line) => process.stderr.write(`[bench] ${line}\n`));
process.stdout.write(`${JSON.stringify(result)}\n`);
