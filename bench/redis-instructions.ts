// `npm run bench:redis-instructions [-- --updates N]`: the instructions redis-server executes
// per ticker the Publisher writes, counted by valgrind's callgrind. A diagnostic, not a bench
// row: this machine's speed moves through the day by a factor of 1.5–2, so timed runs cannot
// tell a 5 % change in the store script from the noise, and an instruction count can (repeat
// runs agree within about 1 %: the bench's tickers start at the current time). Instructions
// are not time (a cache miss costs more than an add), so a change it favours is then checked
// in `npm run bench -- --only redis`.
//
// The calls are the Publisher's own (MarketCallEncoder, sendMarketCall): the bench's 2,000
// option listing first, then its tickers in 256-update calls; 4,000 tickers warm the server
// before the count starts. Only redis-server runs under valgrind: this process's work is not
// counted. Needs valgrind (callgrind_control) and redis-server on the PATH.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { MarketEvent } from '../src/book/events.js';
import { marketWrite } from '../src/store/codec.js';
import { keySchema } from '../src/store/keys.js';
import { MarketCallEncoder, sendMarketCall } from '../src/store/market-call.js';
import { countOf } from '../src/store/scripts.js';
import { DEFAULT_STREAM_MAXLEN, UPDATES_PER_CALL } from '../src/store/store-writer.js';
import { freePort } from '../test/support/redis.js';
import { VENUE } from './render-market.js';
import { publishInputs } from './redis-publish.js';

const WARM_UPDATES = 4_000;

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: redis-instructions [--updates N] (N ≥ 1,000)\n`);
  process.exit(2);
}

function need(command: string, probe: string[]): void {
  const found = spawnSync(command, probe, { stdio: 'ignore' });
  if (found.error !== undefined || found.status !== 0) {
    usage(`${command} is not on the PATH (apt-get install -y valgrind redis-server)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { updates: { type: 'string', default: '25600' } } });
  const updates = Number(values.updates);
  if (!Number.isInteger(updates) || updates < 1_000) usage(`--updates: ${values.updates}`);
  need('valgrind', ['--version']);
  need('redis-server', ['--version']);

  const dir = mkdtempSync(join(tmpdir(), 'ivt-callgrind-'));
  const port = await freePort();
  const server = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(dir, 'cg.%p')}`,
      'redis-server',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  // Retried until the server under valgrind (a few seconds to start) answers.
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 300 });
  client.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), 60_000);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const pid = Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
    const inputs = publishInputs(WARM_UPDATES + updates);
    const coin = keySchema('ivt-ir').coin(VENUE, 'BTC');
    const encoder = new MarketCallEncoder(coin);
    const write = async (events: readonly MarketEvent[]): Promise<number> => {
      const calls: Promise<unknown>[] = [];
      for (let at = 0; at < events.length; at += UPDATES_PER_CALL) {
        encoder.begin(DEFAULT_STREAM_MAXLEN);
        for (const event of events.slice(at, at + UPDATES_PER_CALL)) {
          if (event.kind === 'ticker') encoder.addTicker(event, inputs.specOf(event.instrument));
          else encoder.addWrite(marketWrite(event, inputs.specOf)!);
        }
        calls.push(sendMarketCall(client, encoder.finish()));
      }
      let written = 0;
      for (const reply of await Promise.all(calls)) written += countOf(reply).written;
      return written;
    };
    const listing: MarketEvent[] = inputs.specs.map((spec) => ({
      kind: 'instrument-added',
      venue: VENUE,
      ts: 0,
      spec,
    }));
    await write(listing);
    await write(inputs.tickers.slice(0, WARM_UPDATES));
    const control = (flag: string): void => {
      const done = spawnSync('callgrind_control', [flag, String(pid)], { stdio: 'ignore' });
      if (done.status !== 0) throw new Error(`callgrind_control ${flag} failed`);
    };
    control('-z');
    const written = await write(inputs.tickers.slice(WARM_UPDATES));
    control('-d');
    const dumps = readdirSync(dir).filter((name) => name.startsWith(`cg.${pid}.`));
    let instructions = 0;
    for (const name of dumps) {
      const total = /(?:summary|totals): (\d+)/.exec(readFileSync(join(dir, name), 'utf8'));
      if (total !== null) instructions = Math.max(instructions, Number(total[1]));
    }
    if (written === 0 || instructions === 0) throw new Error('nothing was counted');
    process.stdout.write(
      `redis-server: ${Math.round(instructions / written)} instructions per ticker written ` +
        `(${written} tickers in ${UPDATES_PER_CALL}-update calls, listing as quote hashes)\n`,
    );
  } finally {
    client.disconnect();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
