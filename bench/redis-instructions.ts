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
// `--floor` also counts what the quote hash's write alone costs, the part of a ticker no store
// design can leave out: an HSET of its 18 fields (the values the Publisher wrote, read back),
// once from a Lua script that unpacks them as the market script does, once as plain commands,
// pipelined, with no script at all. What a ticker costs over the second is what the atomic
// write (stale check, snapshot, stream entry, sequence) and Lua add.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { MarketEvent } from '../src/book/events.js';
import { marketWrite } from '../src/store/codec.js';
import { keySchema, QUOTE_FIELDS } from '../src/store/keys.js';
import { MarketCallEncoder, sendMarketCall } from '../src/store/market-call.js';
import { countOf } from '../src/store/scripts.js';
import { DEFAULT_STREAM_MAXLEN, UPDATES_PER_CALL } from '../src/store/store-writer.js';
import { freePort } from '../test/support/redis.js';
import { VENUE } from './render-market.js';
import { publishInputs, type PublishInputs } from './redis-publish.js';

const WARM_UPDATES = 4_000;

/** The floor's script: per key, the quote fields' zero-ended texts unpacked from ARGV[1]. */
const FLOOR_LUA = `local call, unpackBytes = redis.call, struct.unpack
local rows, pos = ARGV[1], 1
for k = 1, #KEYS do
  local ${QUOTE_FIELDS.map((_, at) => `v${at}`).join(', ')}, next = unpackBytes('${'s'.repeat(QUOTE_FIELDS.length)}', rows, pos)
  pos = next
  call('HSET', KEYS[k], ${QUOTE_FIELDS.map((field, at) => `'${field}', v${at}`).join(', ')})
end
return #KEYS`;

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
    const [instructions, written] = await counted(() => write(inputs.tickers.slice(WARM_UPDATES)));
    process.stdout.write(
      `redis-server: ${Math.round(instructions / written)} instructions per ticker written ` +
        `(${written} tickers in ${UPDATES_PER_CALL}-update calls, listing as quote hashes)\n`,
    );
    if (values.floor === true) {
      await countFloors(client, (instrument) => coin.quote(instrument), inputs, counted);
    }
  } finally {
    client.disconnect();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

type Counted = (work: () => Promise<number>) => Promise<[number, number]>;

/** The quote hash's HSET alone, from a script and as plain commands (see the header). */
async function countFloors(
  client: Redis,
  quoteKey: (instrument: string) => string,
  inputs: PublishInputs,
  counted: Counted,
): Promise<void> {
  const keys = [...new Set(inputs.tickers.map((ticker) => ticker.instrument))].map(quoteKey);
  const quotes: string[][] = [];
  for (const key of keys) {
    const held = await client.hmget(key, ...QUOTE_FIELDS);
    if (held.some((value) => value === null)) throw new Error(`${key} is not a whole quote`);
    quotes.push(held as string[]);
  }
  const sha = String(await client.script('LOAD', FLOOR_LUA));
  const fromScript = async (count: number): Promise<number> => {
    const calls: Promise<unknown>[] = [];
    for (let at = 0; at < count; at += UPDATES_PER_CALL) {
      const callKeys: string[] = [];
      const rows: Buffer[] = [];
      for (let n = at; n < Math.min(at + UPDATES_PER_CALL, count); n += 1) {
        callKeys.push(keys[n % keys.length]!);
        for (const value of quotes[n % keys.length]!) rows.push(Buffer.from(`${value}\0`));
      }
      calls.push(client.evalsha(sha, callKeys.length, ...callKeys, Buffer.concat(rows)));
    }
    await Promise.all(calls);
    return count;
  };
  const plain = async (count: number): Promise<number> => {
    const calls: Promise<unknown>[] = [];
    for (let at = 0; at < count; at += UPDATES_PER_CALL) {
      const pipeline = client.pipeline();
      for (let n = at; n < Math.min(at + UPDATES_PER_CALL, count); n += 1) {
        const quote = quotes[n % keys.length]!;
        pipeline.hset(keys[n % keys.length]!, ...QUOTE_FIELDS.flatMap((f, i) => [f, quote[i]!]));
      }
      calls.push(pipeline.exec());
    }
    await Promise.all(calls);
    return count;
  };
  const count = inputs.tickers.length - WARM_UPDATES;
  for (const [what, work] of [
    ['a Lua script (values unpacked by struct)', fromScript],
    ['plain HSETs, pipelined, no script', plain],
  ] as const) {
    await work(WARM_UPDATES);
    const [instructions, hashes] = await counted(() => work(count));
    process.stdout.write(
      `floor: the quote hash's ${QUOTE_FIELDS.length}-field HSET alone, from ${what}: ` +
        `${Math.round(instructions / hashes)} instructions per ticker\n`,
    );
  }
}

await main();
