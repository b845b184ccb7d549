// `ivtrade sim`: runs the embedded exchange until interrupted and says where it listens.

import { startSim, type RunningSim } from '../sim/server.js';
import { DEFAULT_FUNDING } from '../sim/world.js';
import { defaultSimOrderLogPath, simOrderLogTo } from '../app/log-file.js';
import { interrupted } from './interrupted.js';
import type { CliStreams } from './main.js';
import type { SimFlags } from './sim-flags.js';

export async function runSim(flags: SimFlags, streams: CliStreams): Promise<number> {
  const orderLogPath = defaultSimOrderLogPath();
  let sim: RunningSim;
  try {
    sim = await startSim({
      host: flags.host,
      port: flags.port,
      seed: flags.seed,
      speed: flags.speed,
      currencies: flags.currencies,
      loadRate: flags.load,
      ...(flags.faults === undefined ? {} : { faults: flags.faults }),
      ...(flags.start === undefined ? {} : { start: flags.start }),
      ...(flags.fund === undefined ? {} : { funding: fundingByVenue(flags.fund) }),
      orderLog: simOrderLogTo(orderLogPath),
    });
  } catch (error) {
    const reason = cannotListen(error, flags);
    if (reason === null) throw error;
    streams.err.write(`error: ${reason} (see 'ivtrade sim --help')\n`);
    return 2;
  }
  streams.out.write(
    flags.json
      ? `${JSON.stringify(describe(sim, flags, orderLogPath))}\n`
      : banner(sim, flags, orderLogPath),
  );
  await interrupted();
  await sim.close();
  streams.err.write('ivtrade sim: stopped\n');
  return 0;
}

/** Why the sim could not listen where asked, in one line; null for anything else. */
function cannotListen(error: unknown, flags: SimFlags): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${flags.host}:${flags.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is in use (--port 0 picks a free one)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: ${flags.host} is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${where}: no such host ${JSON.stringify(flags.host)}`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`;
    default:
      return code === undefined ? null : `cannot listen on ${where}: ${code}`;
  }
}

function describe(sim: RunningSim, flags: SimFlags, orderLog: string): Record<string, unknown> {
  return {
    urls: sim.urls,
    orderLog,
    seed: flags.seed,
    speed: flags.speed,
    currencies: flags.currencies,
    simTime: new Date(sim.world.clock.now()).toISOString(),
    // Paper keys guard nothing real; their secrets are in the README, never printed.
    clientIds: {
      deribit: sim.apiKeys.deribit.map((k) => k.key),
      bybit: sim.apiKeys.bybit.map((k) => k.key),
    },
  };
}

function banner(sim: RunningSim, flags: SimFlags, orderLog: string): string {
  const u = sim.urls;
  const count = (venue: 'deribit' | 'bybit'): number =>
    sim.world.exchanges[venue].instruments().length;
  return [
    `ivtrade sim — seed ${flags.seed}, speed ${flags.speed}×, ${flags.currencies.join(',')}, sim time ${new Date(sim.world.clock.now()).toISOString()}`,
    `  Deribit WS          ${u.deribitWs}`,
    `  Deribit HTTP        ${u.deribitHttp}`,
    `  Bybit option WS     ${u.bybitOptionWs}`,
    `  Bybit linear WS     ${u.bybitLinearWs}`,
    `  Bybit private WS    ${u.bybitPrivateWs}`,
    `  Bybit REST          ${u.bybitRest}`,
    `  instruments         Deribit ${count('deribit')}, Bybit ${count('bybit')}`,
    `  paper account keys  Deribit client_id ${sim.apiKeys.deribit[0]?.key ?? '-'}, Bybit api key ${sim.apiKeys.bybit[0]?.key ?? '-'} (secrets: see README)`,
    flags.faults === undefined
      ? '  faults              none'
      : `  faults              ${JSON.stringify(flags.faults)}`,
    `  order log           ${orderLog}`,
    'Ctrl-C stops.',
    '',
  ].join('\n');
}

const STABLECOINS = new Set(['USDT', 'USDC']);

/** Coin balances go to the coin-margined venue, stablecoins to the USDT-settled one. */
function fundingByVenue(
  balances: Readonly<Record<string, number>>,
): Partial<Record<'deribit' | 'bybit', Record<string, number>>> {
  const deribit: Record<string, number> = { ...DEFAULT_FUNDING.deribit };
  const bybit: Record<string, number> = { ...DEFAULT_FUNDING.bybit };
  for (const [coin, amount] of Object.entries(balances)) {
    (STABLECOINS.has(coin) ? bybit : deribit)[coin] = amount;
  }
  return { deribit, bybit };
}
