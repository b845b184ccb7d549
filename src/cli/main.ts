import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import type { ReplayEmit } from '../app/replay.js';
import { DEMO_INTRO, DEMO_SAMPLE } from './demo.js';
import { packageRoot, packageVersion } from './package-root.js';
// Every command's flags are read here; what a command runs is imported when it runs, so
// --help, a refused flag and each command load only what they need (a screen's Ink and
// React, serve's Redis client, the venues' feeds).
import { addRecordOptions, type RecordFlags } from './record-flags.js';
import { addSimOptions, type SimFlags } from './sim-flags.js';
import { addHedgeCommandOptions, type HedgeCommandFlags } from './hedge-command-flags.js';
import { addServeOptions, type ServeFlags } from './serve-flags.js';
import { addStreamOptions, type StreamFlags } from './stream-flags.js';
import { addSurfaceOptions, type SurfaceFlags } from './surface-flags.js';
import { addRankOptions, type RankFlags } from './rank-flags.js';
import { addRiskOptions, type RiskFlags } from './risk-flags.js';
import { addTuiOptions, type TuiFlags } from './tui-flags.js';
import { addScanOptions, type ScanFlags } from './scan-flags.js';
import { addExportOptions, type ExportFlags } from './export-flags.js';
import { addHistoryOptions, type HistoryFlags } from './history-flags.js';

/** Exit codes: 0 ok, 1 ran but some input was bad, 2 could not run as asked. */
const EXIT_OK = 0;
const EXIT_BAD_INPUT = 1;
const EXIT_USAGE = 2;

const EMIT_CHOICES = ['greeks', 'tops', 'surface', 'rv'] as const satisfies readonly ReplayEmit[];
type Emit = (typeof EMIT_CHOICES)[number];

interface ReplayFlags {
  readonly emit: Emit;
  readonly compare: boolean;
}

export interface CliStreams {
  readonly out: Writable;
  readonly err: Writable;
}

/** Runs the CLI and resolves to the process exit code; never calls process.exit itself. */
export async function main(
  argv: readonly string[],
  streams: CliStreams = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const root = packageRoot();
  let exitCode = EXIT_OK;
  // A reader that leaves early (`| head`) may only be noticed after the last write; without
  // a listener that late EPIPE would crash the process.
  streams.out.on('error', ignoreBrokenPipe);

  const program = usageErrorsAsExceptions(new Command('ivtrade'), 'ivtrade', streams)
    .description(
      'Terminal trading for crypto options: live vols, greeks, order entry, hedging.\n' +
        'With no command it opens the screen, on the embedded exchange unless --venue says otherwise.',
    )
    .version(packageVersion(root))
    // Options after a command name belong to that command (`ivtrade stream --venue …`).
    .enablePositionalOptions();
  // The screen is the root's own action, so a mistyped command would otherwise read as a
  // stray argument: take one and name it for what it is.
  // Named in the usage line once: commander would list the root's argument and the
  // subcommands both as "[command]".
  addTuiOptions(program)
    .argument('[command]')
    .usage('[options] [command]')
    .action(async (command: string | undefined, flags: TuiFlags) => {
      if (command !== undefined) {
        const known = program.commands.map((sub) => sub.name());
        const near = known.find((name) => sameLetters(name, command));
        const hint = near === undefined ? `commands: ${known.join(', ')}` : `did you mean ${near}?`;
        streams.err.write(`error: unknown command '${command}'; ${hint} (see 'ivtrade --help')\n`);
        exitCode = EXIT_USAGE;
        return;
      }
      const { runTuiCommand } = await import('./tui-command.js');
      exitCode = await runTuiCommand(
        flags,
        streams,
        (name) => program.getOptionValueSource(name) === 'cli',
      );
    });

  const replay = usageErrorsAsExceptions(program.command('replay'), 'ivtrade replay', streams)
    .description(
      "replay a JSONL recording of venue messages, printing ivtrade's IVs and greeks or book tops",
    )
    .argument('<file>', 'JSONL: one venue message, or {"localTs", "message"}, per line')
    .addOption(
      new Option(
        '--emit <what>',
        'greeks: IVs and greeks per option ticker; tops: each top-of-book change and gap; ' +
          "surface: each coin's fitted surface per minute, or of a saved chain reply; " +
          'rv: realised vol of saved candle replies',
      )
        .default('greeks')
        .argParser(parseEmit),
    )
    .option('--compare', 'add the venue\'s own IVs and greeks under "venueReported"', false);
  replay.action(async (file: string, flags: ReplayFlags) => {
    exitCode = await runReplay(file, flags, streams);
  });

  usageErrorsAsExceptions(program.command('demo'), 'ivtrade demo', streams)
    .description('show what ivtrade does on a bundled sample recording')
    .action(async () => {
      streams.out.write(`${DEMO_INTRO}\n\n${program.helpInformation()}\n`);
      exitCode = await runReplay(
        join(root, DEMO_SAMPLE),
        { emit: 'greeks', compare: true },
        streams,
      );
    });

  addSimOptions(usageErrorsAsExceptions(program.command('sim'), 'ivtrade sim', streams))
    .description(
      "run the embedded exchange: Deribit's and Bybit's protocols on loopback, a seeded market and paper accounts",
    )
    .action(async (flags: SimFlags) => {
      const { runSim } = await import('./sim-command.js');
      exitCode = await runSim(flags, streams);
    });

  addStreamOptions(usageErrorsAsExceptions(program.command('stream'), 'ivtrade stream', streams))
    .description('print live normalized events (tops, greeks, status, …) as JSON lines')
    .action(async (flags: StreamFlags) => {
      const { runStream } = await import('./stream-command.js');
      exitCode = await runStream(flags, streams);
    });

  addSurfaceOptions(usageErrorsAsExceptions(program.command('surface'), 'ivtrade surface', streams))
    .description(
      "each coin's fitted volatility surface from the live chain: SVI per expiry, arbitrage checks, grid, read-outs, 30-day index",
    )
    .action(async (flags: SurfaceFlags) => {
      const { runSurface } = await import('./surface-command.js');
      exitCode = await runSurface(flags, streams);
    });

  addRiskOptions(usageErrorsAsExceptions(program.command('risk'), 'ivtrade risk', streams))
    .description(
      "the account's scenario matrix: PnL, delta, gamma and vega over spot moves x vol shifts, now and at a horizon, by full revaluation; greeks by expiry",
    )
    .action(async (flags: RiskFlags) => {
      const { runRisk } = await import('./risk-command.js');
      exitCode = await runRisk(flags, streams);
    });

  addRankOptions(usageErrorsAsExceptions(program.command('rank'), 'ivtrade rank', streams))
    .description(
      "the coins' 30-day realised vol, 30-day ATM implied vol, their spread (VRP) and IV rank, side by side",
    )
    .action(async (flags: RankFlags) => {
      const { runRank } = await import('./rank-command.js');
      exitCode = await runRank(flags, streams);
    });

  addHedgeCommandOptions(
    usageErrorsAsExceptions(program.command('hedge'), 'ivtrade hedge', streams),
  )
    .description(
      'keep the option delta of one coin hedged with no screen; decisions print as JSON lines',
    )
    .action(async (flags: HedgeCommandFlags) => {
      const { runHedge } = await import('./hedge-command.js');
      exitCode = await runHedge(flags, streams);
    });

  addServeOptions(usageErrorsAsExceptions(program.command('serve'), 'ivtrade serve', streams))
    .description(
      'run the feeds, order gateway and hedger with no screen, publishing everything into Redis for attached screens',
    )
    .action(async (flags: ServeFlags) => {
      const { runServe } = await import('./serve-command.js');
      exitCode = await runServe(flags, streams);
    });

  addRecordOptions(usageErrorsAsExceptions(program.command('record'), 'ivtrade record', streams))
    .description('record every inbound public venue message to a JSONL file replay can read')
    .action(async (flags: RecordFlags) => {
      const { runRecord } = await import('./record-command.js');
      exitCode = await runRecord(flags, streams);
    });

  addScanOptions(usageErrorsAsExceptions(program.command('scan'), 'ivtrade scan', streams))
    .description(
      "filter and sort every option's latest state that `serve` keeps in Redis (no venue connection)",
    )
    .action(async (flags: ScanFlags) => {
      const { runScanCommand } = await import('./scan-command.js');
      exitCode = await runScanCommand(flags, streams);
    });

  addExportOptions(usageErrorsAsExceptions(program.command('export'), 'ivtrade export', streams))
    .description("every instrument's latest state in Redis, as CSV or JSON lines")
    .action(async (flags: ExportFlags) => {
      const { runExport } = await import('./export-command.js');
      exitCode = await runExport(flags, streams);
    });

  addHistoryOptions(usageErrorsAsExceptions(program.command('history'), 'ivtrade history', streams))
    .description(
      "one instrument's minute history in Redis (top, ivtrade's IVs and greeks), or with --surface a chain's fitted surface",
    )
    .action(async (instrument: string, flags: HistoryFlags) => {
      const { runHistory } = await import('./history-command.js');
      exitCode = await runHistory(instrument, flags, streams);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw error;
  }
  return exitCode;
}

/**
 * Commander would call process.exit on --help, --version and every usage error; throwing
 * instead lets main() choose the code (2 for misuse). Its messages become one line with a
 * pointer to the help, so a script's log shows what went wrong without the whole manual.
 * Applied per command because subcommands copy these settings only when created.
 */
function usageErrorsAsExceptions(command: Command, path: string, streams: CliStreams): Command {
  return command
    .exitOverride()
    .configureHelp({ optionDescription: describeOption })
    .configureOutput({
      writeOut: (text) => streams.out.write(text),
      writeErr: (text) => streams.err.write(text),
      outputError: (text, write) => {
        // Suggestions ("Did you mean …?") arrive on a line of their own; fold them in.
        const oneLine = text.trim().replace(/\s*\n\s*/g, ' ');
        write(`${oneLine} (see '${path} --help')\n`);
      },
    });
}

const plainHelp = new Help();

/**
 * An option's help text as commander writes it, less a default the reader has no use for: a
 * flag's "default: false" (a flag is off unless given), or a second default where the text
 * already says what happens without the option.
 */
function describeOption(option: Option): string {
  const quiet =
    (option.isBoolean() && option.defaultValue === false) || /\bdefault\b/.test(option.description);
  const shown = quiet
    ? (Object.create(option, { defaultValue: { value: undefined } }) as Option)
    : option;
  return plainHelp.optionDescription(shown);
}

/** A likely typo: at most two single-letter edits away (Levenshtein distance). */
function sameLetters(name: string, typed: string): boolean {
  let previous = Array.from({ length: typed.length + 1 }, (_, k) => k);
  for (let i = 1; i <= name.length; i += 1) {
    const current = [i];
    for (let k = 1; k <= typed.length; k += 1) {
      const substitution = previous[k - 1]! + (name[i - 1] === typed[k - 1] ? 0 : 1);
      current.push(Math.min(previous[k]! + 1, current[k - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[typed.length]! <= 2;
}

function parseEmit(value: string): Emit {
  for (const choice of EMIT_CHOICES) if (choice === value) return choice;
  throw new InvalidArgumentError(`supported: ${EMIT_CHOICES.join(', ')}`);
}

async function runReplay(file: string, flags: ReplayFlags, streams: CliStreams): Promise<number> {
  const replayer = await import('../app/replay.js');
  try {
    const summary = await replayer.replayFile(
      file,
      { emit: flags.emit, compare: flags.compare },
      streams,
    );
    return summary.malformed > 0 ? EXIT_BAD_INPUT : EXIT_OK;
  } catch (error) {
    if (error instanceof replayer.ReplayInputError) {
      streams.err.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // The reader went away (`ivtrade replay … | head`): it has all it wanted.
    if (isBrokenPipe(error)) return EXIT_OK;
    throw error;
  }
}

function ignoreBrokenPipe(error: Error): void {
  if (!isBrokenPipe(error)) throw error;
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}
