// `ivtrade scan`, `export` and `history` against a real redis-server and a real 3-master
// cluster, the data written by the publisher's own writer from recorded Deribit messages.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { isCluster, openRedis, parseRedisUrl, type RedisClient } from '../../src/store/connect.js';
import { MINUTE_MS, writeHistoryMinute, type HistoryValues } from '../../src/store/history.js';
import {
  SURFACE_MATURITY_DAYS,
  writeSurfaceMinute,
  type SurfaceMinute,
} from '../../src/store/surface-history.js';
import { keySchema, type KeySchema } from '../../src/store/keys.js';
import { writeMarket } from '../../src/store/store-writer.js';
import { recordedEvents, recordedMarket, RECORDED_COINS } from '../support/recorded-market.js';
import { sharedCluster, sharedRedis, testPrefix } from '../support/redis.js';
import { runBin } from './support/run-bin.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: readonly string[]): Promise<Ran> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await main(['node', 'ivtrade', ...args], { out, err });
  return { code, stdout, stderr };
}

const market = recordedMarket();
const VENUE = 'deribit';
const CALL = 'ETH-30JUL21-2800-C';
const MINUTE = Date.UTC(2021, 6, 22, 12, 0);

function minuteValues(mark: number): HistoryValues {
  return {
    bid: mark - 0.0005,
    ask: mark + 0.0005,
    mark,
    bid_iv: null,
    ask_iv: null,
    mark_iv: 1.2,
    delta: 0.03,
    gamma: 0.0002,
    vega: 0.2,
    theta: -1.6,
    forward: 2003.61,
    index: 2006.72,
  };
}

/** What `serve` leaves in Redis: both coins' listings and tickers, the venue, some history. */
async function publish(client: RedisClient, keys: KeySchema): Promise<void> {
  for (const coin of RECORDED_COINS) {
    await writeMarket(client, keys.coin(VENUE, coin), VENUE, coin, recordedEvents(market, coin), {
      specOf: (name) => market.specs.get(name),
    });
  }
  await client.sadd(keys.venues, VENUE);
  const limits = { retentionMs: 30 * 86_400_000, maxEntries: 1_000 };
  for (let m = 0; m < 5; m += 1) {
    const minute = MINUTE + m * MINUTE_MS;
    await writeHistoryMinute(
      client,
      keys.coin(VENUE, 'ETH'),
      minute,
      [{ instrument: CALL, values: minuteValues(0.002 + m / 10_000) }],
      limits,
    );
    await writeSurfaceMinute(client, keys.coin(VENUE, 'ETH'), minute, surfaceMinute(m), limits);
  }
}

/** A surface minute of the ETH chain: 30-day ATM 0.70 rising a tenth of a point a minute. */
function surfaceMinute(m: number): SurfaceMinute {
  return {
    quote: 'ETH',
    readouts: SURFACE_MATURITY_DAYS.map((days) => ({
      atm: days === 180 ? null : 0.7 + m / 1_000 + days / 10_000,
      rr25: -0.05,
      bf25: 0.012,
      rr10: -0.09,
      bf10: 0.04,
      skew: -0.31,
    })),
    index30d: 0.74 + m / 1_000,
    arbitrage: m === 2 ? 'repaired' : 'clean',
    delta: 'forward',
    grid: JSON.stringify({ rows: [{ days: 30, atmIv: 0.7 + m / 1_000 + 0.003 }] }),
  };
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

for (const target of ['single node', 'cluster'] as const) {
  describe(`scan, export and history on a ${target}`, () => {
    let url: string;
    let stop: () => Promise<void>;
    let client: RedisClient;
    let prefix: string;
    const store = (...args: string[]): string[] => [
      '--redis',
      url,
      '--redis-prefix',
      prefix,
      ...args,
    ];

    before(async () => {
      const redis = target === 'cluster' ? await sharedCluster() : await sharedRedis();
      url = redis.url;
      stop = () => redis.stop();
      client = await openRedis(parseRedisUrl(url));
      prefix = testPrefix();
      await publish(client, keySchema(prefix));
    });
    after(async () => {
      client.disconnect();
      await stop();
    });

    if (target === 'cluster') {
      it('finds the coins on more than one master (so every master is scanned)', async () => {
        assert.ok(isCluster(client));
        let holding = 0;
        for (const node of client.nodes('master')) {
          const [, keys] = await node.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10_000);
          if (keys.length > 0) holding += 1;
        }
        assert.ok(holding >= 2, `keys on ${holding} master(s)`);
      });
    }

    it('scan: every option of every coin in a table', async () => {
      const ran = await run(['scan', ...store()]);
      assert.equal(ran.code, 0, ran.stderr);
      const table = lines(ran.stdout);
      assert.match(table[0]!, /^venue\s+instrument\s+expiry/);
      assert.equal(table.length, 11);
      assert.match(ran.stderr, /^10 of 10 options$/m);
      // The perpetuals are instruments, not options: scan leaves them out.
      assert.doesNotMatch(ran.stdout, /PERPETUAL/);
      assert.match(ran.stdout, /ETH-27AUG21-4000-P\s+27AUG21\s+4000\s+put\s+-\s+-/);
    });

    it('scan: filters, sort and limit, as JSON lines', async () => {
      const ran = await run([
        'scan',
        ...store(
          '--currency',
          'btc',
          '--min-iv',
          '75',
          '--max-iv',
          '120',
          '--type',
          'put',
          '--sort',
          'iv',
          '--format',
          'jsonl',
        ),
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      const rows = lines(ran.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        rows.map((row) => row['instrument']),
        ['BTC-30JUL21-24000-P', 'BTC-31DEC21-34000-P', 'BTC-24SEP21-34000-P'],
      );
      assert.ok(rows.every((row) => (row['mark_iv'] as number) >= 0.75));
      const limited = await run([
        'scan',
        ...store('--min-oi', '500', '--sort', 'oi', '--limit', '2', '--format', 'jsonl'),
      ]);
      assert.deepEqual(
        lines(limited.stdout).map(
          (line) => (JSON.parse(line) as { instrument: string }).instrument,
        ),
        ['ETH-30JUL21-2800-C', 'ETH-23JUL21-2300-C'],
      );
    });

    it('scan: expiry range by date or expiry code, spread and volume bounds, CSV', async () => {
      const ran = await run([
        'scan',
        ...store('--expiry-from', '2021-07-30', '--expiry-to', '30JUL21', '--format', 'csv'),
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      const csv = lines(ran.stdout);
      assert.match(csv[0]!, /^venue,instrument,expiry,strike,type,/);
      assert.deepEqual(
        csv.slice(1).map((line) => line.split(',')[1]),
        ['ETH-30JUL21-2800-C', 'BTC-30JUL21-24000-P'],
      );
      const tight = await run([
        'scan',
        ...store('--max-spread', '2', '--max-spread-pct', '1.6', '--format', 'csv'),
      ]);
      assert.deepEqual(
        lines(tight.stdout)
          .slice(1)
          .map((line) => line.split(',')[1]),
        ['BTC-31DEC21-34000-P'],
      );
      const traded = await run([
        'scan',
        ...store('--min-volume', '100', '--min-delta', '0.01', '--format', 'csv'),
      ]);
      assert.deepEqual(
        lines(traded.stdout)
          .slice(1)
          .map((line) => line.split(',')[1]),
        ['ETH-30JUL21-2800-C', 'BTC-30JUL21-24000-P'],
      );
    });

    it('export: every instrument of a coin, perpetual included, as CSV by default', async () => {
      const ran = await run(['export', ...store('--currency', 'BTC')]);
      assert.equal(ran.code, 0, ran.stderr);
      const csv = lines(ran.stdout);
      assert.equal(csv.length, 1 + 7 + 1);
      const names = csv.slice(1).map((line) => line.split(',')[1]);
      assert.ok(names.includes('BTC-PERPETUAL'));
      assert.ok(names.every((name) => name!.startsWith('BTC-')));
      const jsonl = await run(['export', ...store('--format', 'jsonl')]);
      const rows = lines(jsonl.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(rows.length, 12);
      const call = rows.find((row) => row['instrument'] === CALL)!;
      assert.deepEqual(
        [call['bid'], call['ask'], call['volume'], call['open_interest']],
        [0.0015, 0.0025, 869, 12685],
      );
    });

    it('history: one instrument, its coin found from the specs, in three formats', async () => {
      const ran = await run([
        'history',
        ...store(CALL, '--from', '2021-07-22T12:01Z', '--to', '2021-07-22T12:03Z'),
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      const table = lines(ran.stdout);
      assert.equal(table.length, 4);
      assert.match(
        table[1]!,
        /^2021-07-22 12:01\s+0\.0016\s+0\.0026\s+0\.0021\s+-\s+-\s+120\.0\s+\+0\.03/,
      );
      assert.match(ran.stderr, /3 minutes of deribit ETH-30JUL21-2800-C/);
      const csv = await run([
        'history',
        ...store(CALL, '--from', '2021-07-22', '--to', '2021-07-22', '--format', 'csv'),
      ]);
      assert.equal(lines(csv.stdout).length, 6);
      assert.equal(
        lines(csv.stdout)[1],
        '2021-07-22T12:00:00.000Z,0.0015,0.0025,0.002,,,1.2,0.03,0.0002,0.2,-1.6,2003.61,2006.72',
      );
      const jsonl = await run([
        'history',
        ...store(CALL, '--from', '2021-07-22T12:04Z', '--to', '2021-07-23', '--format', 'jsonl'),
      ]);
      assert.deepEqual(
        lines(jsonl.stdout).map((line) => (JSON.parse(line) as { time: string }).time),
        ['2021-07-22T12:04:00.000Z'],
      );
      // An instrument listed but never recorded: no minutes, said so, not an error.
      const quiet = await run(['history', ...store('BTC-24SEP21-8000-P', '--from', '2021-07-01')]);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.equal(lines(quiet.stdout).length, 1);
      assert.match(quiet.stderr, /^0 minutes of deribit BTC-24SEP21-8000-P/m);
    });

    it("history --surface: a chain's fitted surface minutes, found by coin, in three formats", async () => {
      const table = await run([
        'history',
        ...store('--surface', 'ETH', '--from', '2021-07-22T12:01Z', '--to', '2021-07-22T12:02Z'),
      ]);
      assert.equal(table.code, 0, table.stderr);
      const rowsOut = lines(table.stdout);
      assert.equal(rowsOut.length, 3);
      assert.match(
        rowsOut[0]!,
        /ATM7d\s+ATM30d\s+ATM90d\s+RR25\s+BF25\s+RR10\s+BF10\s+idx30\s+arbitrage/,
      );
      assert.match(
        rowsOut[2]!,
        /^2021-07-22 12:02\s+70\.3\s+70\.5\s+71\.1\s+-5\.0\s+1\.2\s+-9\.0\s+4\.0\s+74\.2\s+repaired$/,
      );
      assert.match(table.stderr, /2 minutes of the deribit ETH\/ETH surface/);
      const jsonl = await run([
        'history',
        ...store(
          '--surface',
          'ETH/ETH',
          '--from',
          '2021-07-22T12:04Z',
          '--to',
          '2021-07-23',
          '--format',
          'jsonl',
        ),
      ]);
      const [line, ...rest] = lines(jsonl.stdout).map(
        (text) => JSON.parse(text) as Record<string, unknown>,
      );
      assert.equal(rest.length, 0);
      assert.equal(line!['atm_30d'], 0.707);
      assert.equal(line!['atm_180d'], null);
      assert.equal(line!['index_30d'], 0.744);
      assert.deepEqual(line!['grid'], { rows: [{ days: 30, atmIv: 0.707 }] });
      const csv = await run([
        'history',
        ...store(
          '--surface',
          'ETH',
          '--from',
          '2021-07-22',
          '--to',
          '2021-07-22',
          '--format',
          'csv',
        ),
      ]);
      assert.equal(lines(csv.stdout).length, 6);
      assert.match(lines(csv.stdout)[0]!, /^time,atm_1d,rr25_1d,/);
      // No chain of that name, and not a chain name at all.
      const none = await run(['history', ...store('--surface', 'SOL')]);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no surface minutes of SOL on deribit/);
      const bad = await run(['history', ...store('--surface', 'ETH-30JUL21-2800-C')]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--surface takes a chain such as BTC or BTC\/USDT/);
    });

    it('says clearly when there is nothing to read', async () => {
      const unknown = await run(['history', ...store('BTC-1JAN30-1-C', '--from', '2h')]);
      assert.equal(unknown.code, 1);
      assert.match(
        unknown.stderr,
        /no instrument BTC-1JAN30-1-C on deribit under prefix "t[0-9a-f]+"/,
      );
      const empty = testPrefix();
      for (const command of ['scan', 'export']) {
        const ran = await run([command, '--redis', url, '--redis-prefix', empty]);
        assert.equal(ran.code, 1, command);
        assert.match(
          ran.stderr,
          /no venue is served under prefix "t[0-9a-f]+" at redis:\/\/127\.0\.0\.1:\d+: is `ivtrade serve` publishing there\?/,
        );
      }
      const otherVenue = await run(['scan', ...store('--venue', 'bybit')]);
      assert.equal(otherVenue.code, 1);
      assert.match(otherVenue.stderr, /nothing stored under prefix .* for bybit/);
      const noCoin = await run(['export', ...store('--currency', 'SOL')]);
      assert.match(noCoin.stderr, /nothing stored for SOL/);
      const history = await run(['history', '--redis', url, '--redis-prefix', empty, CALL]);
      assert.equal(history.code, 1);
      assert.match(history.stderr, /no venue is served/);
    });
  });
}

describe('scan, export and history flags', () => {
  const bad: readonly (readonly [readonly string[], RegExp])[] = [
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--min-iv', 'high'],
      /--min-iv.*a number at least 0 \(vol points\).*see 'ivtrade scan --help'/,
    ],
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--max-delta', '2'],
      /a number from 0 to 1 \(absolute delta\)/,
    ],
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--sort', 'vol'],
      /one of iv, delta, volume, oi, spread/,
    ],
    [['scan', '--redis', 'redis://127.0.0.1:1', '--format', 'xml'], /one of table, jsonl, csv/],
    [['scan', '--redis', 'redis://127.0.0.1:1', '--type', 'straddle'], /call or put/],
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--expiry-to', '2026-02-30'],
      /not a day of the calendar/,
    ],
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--expiry-from', 'soon'],
      /"soon" is not a time: use a date/,
    ],
    [['scan', '--redis', 'redis://127.0.0.1:1', '--limit', '0'], /a whole number of rows/],
    [['scan', '--redis', 'redis://127.0.0.1:1', '--currency', 'BTC,{x}'], /a comma list of coins/],
    [
      ['scan', '--redis', 'redis://127.0.0.1:1', '--min-iv', '100', '--max-iv', '50'],
      /--min-iv\/--max-iv: the lower bound is above the upper/,
    ],
    [['scan', '--redis', 'http://127.0.0.1:6379'], /a Redis URL starts redis:\/\/ or rediss:\/\//],
    [['scan'], /required option '--redis <url>'/],
    [
      ['export', '--redis', 'redis://127.0.0.1:1', '--format', 'parquet'],
      /one of table, jsonl, csv.*ivtrade export --help/,
    ],
    [['history', '--redis', 'redis://127.0.0.1:1'], /missing required argument 'instrument'/],
    [
      ['history', '--redis', 'redis://127.0.0.1:1', CALL, '--from', '1h', '--to', '2h'],
      /--from is after --to/,
    ],
    [
      ['history', '--redis', 'redis://127.0.0.1:1', CALL, '--currency', 'BTC'],
      /unknown option '--currency'/,
    ],
  ];
  for (const [args, says] of bad) {
    it(`exits 2 with a hint: ${args.slice(1).join(' ')}`, async () => {
      const ran = await run(args);
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, says);
      assert.equal(ran.stdout, '');
    });
  }

  it('exits 1 naming the target, never its password, when Redis is not there', async () => {
    const ran = await run(['scan', '--redis', 'redis://viewer:hunter2@127.0.0.1:1']);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /cannot reach Redis at redis:\/\/viewer@127\.0\.0\.1:1/);
    assert.doesNotMatch(ran.stderr, /hunter2/);
  });

  it('runs as the installed binary does', async () => {
    const redis = await sharedRedis();
    const client = await openRedis(parseRedisUrl(redis.url));
    const prefix = testPrefix();
    try {
      await publish(client, keySchema(prefix));
      const ran = await runBin([
        'scan',
        '--redis',
        redis.url,
        '--redis-prefix',
        prefix,
        '--currency',
        'ETH',
        '--sort',
        'strike:desc',
        '--format',
        'csv',
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(
        lines(ran.stdout)
          .slice(1)
          .map((line) => line.split(',')[1]),
        ['ETH-27AUG21-4000-P', 'ETH-30JUL21-2800-C', 'ETH-23JUL21-2300-C'],
      );
      const wrong = await runBin(['scan', '--redis', redis.url, '--min-oi', '-1']);
      assert.equal(wrong.code, 2);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
