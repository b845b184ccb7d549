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
//
// `--floor` also counts what less than the Publisher's write costs, with the values it wrote
// (read back): the barest write the words allow in one atomic script (per ticker the
// stale check against the quote hash's `ts` and its HSET, per call the sequence and one stream
// entry; no snapshot for late joiners, no removal marks), the same without its stale check,
// then the quote hash's HSET alone (the fields the Publisher's row carries), from a Lua script
// that unpacks the values as the market script does and as plain pipelined commands with no
// script. The first row is close to
// the least a store meeting the issue can cost Redis (a script makes one Lua string of every
// value it writes); the last is what Lua and atomicity add to.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { MarketEvent } from '../src/book/events.js';
import { marketWrite } from '../src/store/codec.js';
import { keySchema, type CoinKeys } from '../src/store/keys.js';
import { callArguments, MarketCallEncoder, sendMarketCall } from '../src/store/market-call.js';
import { countOf } from '../src/store/scripts.js';
import { DEFAULT_STREAM_MAXLEN, UPDATES_PER_CALL } from '../src/store/store-writer.js';
import { freePort } from '../test/support/redis.js';
import { VENUE } from './render-market.js';
import {
  barestCalls,
  barestLua,
  checkFloorWrite,
  plainHsets,
  type FloorWrite,
  type RecordedCall,
} from './redis-barest-write.js';
import { publishInputs } from './redis-publish.js';

const WARM_UPDATES = 4_000;

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: redis-instructions [--updates N] [--floor] (N ≥ 1,000)\n`,
  );
  process.exit(2);
}

function need(command: string, probe: string[]): void {
  const found = spawnSync(command, probe, { stdio: 'ignore' });
  if (found.error !== undefined || found.status !== 0) {
    usage(`${command} is not on the PATH (apt-get install -y valgrind redis-server)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { updates: { type: 'string', default: '25600' }, floor: { type: 'boolean' } },
  });
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
    /** The measured calls, read back for the floor's barest write (`recorded`). */
    const recorded: RecordedCall[] = [];
    const write = async (events: readonly MarketEvent[], record = false): Promise<number> => {
      const calls: Promise<unknown>[] = [];
      for (let at = 0; at < events.length; at += UPDATES_PER_CALL) {
        encoder.begin(DEFAULT_STREAM_MAXLEN);
        for (const event of events.slice(at, at + UPDATES_PER_CALL)) {
          if (event.kind === 'ticker') encoder.addTicker(event, inputs.specOf(event.instrument));
          else encoder.addWrite(marketWrite(event, inputs.specOf)!);
        }
        const call = encoder.finish();
        if (record) recorded.push(callArguments(call));
        calls.push(sendMarketCall(client, call));
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
    const dumped = new Set<string>();
    /** Instructions redis-server ran during `work`, and what `work` says it wrote. */
    const counted = async (work: () => Promise<number>): Promise<[number, number]> => {
      control('-z');
      const done = await work();
      control('-d');
      let instructions = 0;
      for (const name of readdirSync(dir)) {
        if (!name.startsWith(`cg.${pid}.`) || dumped.has(name)) continue;
        dumped.add(name);
        const total = /(?:summary|totals): (\d+)/.exec(readFileSync(join(dir, name), 'utf8'));
        if (total !== null) instructions = Math.max(instructions, Number(total[1]));
      }
      if (done === 0 || instructions === 0) throw new Error('nothing was counted');
      return [instructions, done];
    };
    const [instructions, written] = await counted(() =>
      write(inputs.tickers.slice(WARM_UPDATES), values.floor === true),
    );
    process.stdout.write(
      `redis-server: ${Math.round(instructions / written)} instructions per ticker written ` +
        `(${written} tickers in ${UPDATES_PER_CALL}-update calls, listing as quote hashes)\n`,
    );
    if (values.floor === true) {
      await countFloors(client, coin, inputs.tickers.length - WARM_UPDATES, recorded, counted);
    }
  } finally {
    client.disconnect();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

type Counted = (work: () => Promise<number>) => Promise<[number, number]>;

/** The floor's rows (see the header), from the Publisher's measured calls. */
async function countFloors(
  client: Redis,
  coin: CoinKeys,
  count: number,
  recorded: readonly RecordedCall[],
  counted: Counted,
): Promise<void> {
  const callsFor = (updates: number): readonly RecordedCall[] =>
    recorded.slice(0, Math.ceil(updates / UPDATES_PER_CALL));
  /**
   * The Publisher's calls again as a script's, each replay later than the one before (a day of
   * ts a replay) so every ticker passes the stale check. The warm-up replays the first calls.
   */
  let replays = 0;
  let tsShift = 0;
  const fromScript = async (write: FloorWrite): Promise<(updates: number) => Promise<number>> => {
    const sha = String(await client.script('LOAD', barestLua(write)));
    return async (updates: number): Promise<number> => {
      replays += 1;
      tsShift = replays * 86_400_000;
      const calls = barestCalls(callsFor(updates), coin, tsShift, write);
      let written = 0;
      for (const reply of await Promise.all(
        calls.map((call) => client.evalsha(sha, call.keyCount, ...call.args)),
      )) {
        written += Number(reply);
      }
      if (updates === count && written !== count) {
        throw new Error(`floor: ${written} of ${count} tickers written`);
      }
      return written;
    };
  };
  const plain = async (updates: number): Promise<number> => {
    tsShift = 0;
    const calls: Promise<unknown>[] = [];
    let written = 0;
    for (const hsets of plainHsets(callsFor(updates))) {
      const pipeline = client.pipeline();
      for (const [key, ...pairs] of hsets) pipeline.hset(key!, ...pairs);
      written += hsets.length;
      calls.push(pipeline.exec());
    }
    await Promise.all(calls);
    return written;
  };
  const hsetAlone = "the quote hash's HSET alone";
  for (const [what, work] of [
    [
      'the barest atomic write: stale check, the same HSET, sequence, stream entry',
      await fromScript('atomic'),
    ],
    ['the same without its stale check', await fromScript('no stale check')],
    [`${hsetAlone}, from a Lua script (values unpacked by struct)`, await fromScript('hset only')],
    [`${hsetAlone}, as plain HSETs, pipelined, no script`, plain],
  ] as const) {
    await work(WARM_UPDATES);
    const [instructions, hashes] = await counted(() => work(count));
    // Outside the count: the hashes hold what the Publisher's last call carried.
    await checkFloorWrite(client, recorded, tsShift);
    process.stdout.write(
      `floor: ${what}: ${Math.round(instructions / hashes)} instructions per ticker\n`,
    );
  }
}

await main();
