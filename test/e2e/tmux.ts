// A real terminal for end-to-end tests: one tmux server per session on a private socket, so
// tests never see (or disturb) anyone's tmux, and the server dies with the session.

import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TmuxOptions {
  readonly cols: number;
  readonly rows: number;
  /**
   * The pane's whole environment: nothing else is inherited, so a developer's NO_COLOR, TMUX
   * or shell rc files cannot change what the test sees.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The program the pane runs, as argv (typically an interactive shell). */
  readonly command: readonly string[];
}

export interface CaptureOptions {
  /** Keep the SGR escapes (colours, inverse, underline) that tmux knows for each cell. */
  readonly escapes?: boolean;
  /** Join lines the terminal wrapped, so an over-long line shows as one. */
  readonly join?: boolean;
}

export interface WaitOptions extends CaptureOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_POLL_MS = 100;
/** The server's only session; as a target it means that session's only pane. */
const TARGET = 'e2e';
const EXIT_WAIT_MS = 3_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Quotes one word for the POSIX shell tmux hands a command string to. */
function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function tmuxEnv(): NodeJS.ProcessEnv {
  // A tmux started from inside tmux would otherwise talk to the outer server.
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

export class TmuxSession {
  private closed = false;
  private readonly onExit = (): void => this.killNow();

  private constructor(
    /** The `-L` name of this session's private server. */
    readonly socket: string,
    readonly cols: number,
    readonly rows: number,
    private readonly socketPath: string,
    /** The pane's first process (the shell); gone once the server has really gone. */
    private readonly panePid: number,
  ) {
    // If the test process ends without close() (an uncaught error, process.exit), the server
    // still goes: exit handlers may only do synchronous work, hence spawnSync.
    process.once('exit', this.onExit);
  }

  /** A detached session of exactly `cols`×`rows` running `options.command`. */
  static async start(options: TmuxOptions): Promise<TmuxSession> {
    const socket = `ivtrade-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
    const words = ['env', '-i', ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`)];
    const command = [...words, ...options.command].map(shellWord).join(' ');
    await tmux(socket, [
      'new-session',
      '-d',
      '-s',
      TARGET,
      '-x',
      String(options.cols),
      '-y',
      String(options.rows),
      command,
    ]);
    let socketPath = '';
    try {
      socketPath = (await tmux(socket, ['display-message', '-p', '#{socket_path}'])).trim();
      const panePid = Number(await tmux(socket, ['display-message', '-p', '#{pane_pid}']));
      // A killed test process runs no cleanup at all: the server watches for that itself.
      await tmux(socket, [
        'run-shell',
        '-b',
        // kill-server ends this job too: ignore that, to remove the socket afterwards.
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; trap '' TERM HUP; ` +
          `tmux -L ${socket} kill-server; rm -f ${shellWord(socketPath)}`,
      ]);
      const session = new TmuxSession(socket, options.cols, options.rows, socketPath, panePid);
      const size = await session.display('#{pane_width}x#{pane_height}');
      if (size !== `${options.cols}x${options.rows}`) {
        await session.close();
        throw new Error(`tmux made a ${size} pane, not ${options.cols}x${options.rows}`);
      }
      return session;
    } catch (error) {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { env: tmuxEnv(), stdio: 'ignore' });
      if (socketPath !== '') rmSync(socketPath, { force: true });
      throw error;
    }
  }

  /** A tmux format expanded for the pane, e.g. `#{alternate_on}`. */
  async display(format: string): Promise<string> {
    return (await this.tmux(['display-message', '-p', '-t', TARGET, format])).trim();
  }

  /** Types text literally (no key-name lookup: `[` is a bracket, `Enter` is five letters). */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', TARGET, '-l', text]);
  }

  /** Presses keys by tmux name: `Enter`, `Escape`, `C-c`, `Up`, `Down`, `BTab` … */
  async press(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', TARGET, ...keys]);
  }

  /** Resizes the terminal, as a trader dragging the window would (the program gets SIGWINCH). */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', TARGET, '-x', String(cols), '-y', String(rows)]);
  }

  /** Types a shell command line and presses Enter. */
  async run(line: string): Promise<void> {
    await this.type(line);
    await this.press('Enter');
  }

  /** The visible screen, one string with a line per row. */
  async capture(options: CaptureOptions = {}): Promise<string> {
    const flags = ['-p', '-t', TARGET];
    if (options.escapes === true) flags.push('-e');
    if (options.join === true) flags.push('-J');
    const text = await this.tmux(['capture-pane', ...flags]);
    // tmux ends the capture with a newline; the screen has exactly `rows` lines without it.
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  }

  /**
   * Polls the screen until `probe` returns something other than undefined, and returns that.
   * On the deadline it fails naming `what` and showing the last screen it saw.
   */
  async waitFor<T>(
    what: string,
    probe: (screen: string) => T | undefined,
    options: WaitOptions = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let last = '(nothing captured)';
    for (;;) {
      try {
        last = await this.capture(options);
        const found = probe(last);
        if (found !== undefined) return found;
      } catch (error) {
        last = `(capture failed: ${(error as Error).message})`;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms waiting for ${what}; ` +
            `last screen (${this.cols}×${this.rows}):\n${frame(last, this.cols)}`,
        );
      }
      await sleep(options.pollMs ?? DEFAULT_POLL_MS);
    }
  }

  /** Kills the server and everything in its panes (they get SIGHUP). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.onExit);
    await tmux(this.socket, ['kill-server']).catch(() => undefined);
    // tmux leaves its socket file behind; a test run should leave nothing.
    rmSync(this.socketPath, { force: true });
    // The pane's shell exits on SIGHUP a moment later, and may still write (history, its
    // child's log) into a directory the caller is about to remove.
    const deadline = Date.now() + EXIT_WAIT_MS;
    while (alive(this.panePid)) {
      if (Date.now() > deadline) {
        process.kill(this.panePid, 'SIGKILL');
        break;
      }
      await sleep(20);
    }
  }

  private killNow(): void {
    if (this.closed) return;
    this.closed = true;
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: tmuxEnv(), stdio: 'ignore' });
    rmSync(this.socketPath, { force: true });
  }

  private tmux(args: readonly string[]): Promise<string> {
    if (this.closed) return Promise.reject(new Error('tmux session already closed'));
    return tmux(this.socket, args);
  }
}

/** One tmux command; -f /dev/null keeps a user's configuration (key tables, sizes) out. */
function tmux(socket: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'tmux',
      ['-u', '-L', socket, '-f', '/dev/null', ...args],
      { env: tmuxEnv(), encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`tmux ${args.join(' ')}: ${stderr.trim() || error.message}`));
      },
    );
  });
}

/** The screen boxed in, so trailing blanks and empty rows are visible in a failure message. */
export function frame(screen: string, cols: number): string {
  const rule = '─'.repeat(cols);
  const body = screen
    .split('\n')
    .map((line) => `│${line}`)
    .join('\n');
  return `┌${rule}\n${body}\n└${rule}`;
}

/** A stretch of one captured line drawn with the same attributes. */
export interface StyledRun {
  readonly text: string;
  readonly inverse: boolean;
  readonly underline: boolean;
  readonly bold: boolean;
  /** The SGR parameters that set the background (e.g. '46', '48;5;6'), null for the default. */
  readonly background: string | null;
}

interface Pen {
  inverse: boolean;
  underline: boolean;
  bold: boolean;
  background: string | null;
}

const ESC = '\u001b';
const BEL = '\u0007';

const PLAIN: Pen = { inverse: false, underline: false, bold: false, background: null };

/** Applies one SGR sequence's parameters to the pen, skipping over colour arguments. */
function applySgr(pen: Pen, params: string): Pen {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  let next = { ...pen };
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (code === 38 || code === 48 || code === 58) {
      // Extended colour: 5;n or 2;r;g;b follow and must not be read as attributes.
      const extra = codes[i + 1] === 5 ? 2 : 4;
      if (code === 48) next.background = codes.slice(i, i + 1 + extra).join(';');
      i += extra;
    } else if (code === 0) next = { ...PLAIN };
    else if (code === 1) next.bold = true;
    else if (code === 22) next.bold = false;
    else if (code === 4) next.underline = true;
    else if (code === 24) next.underline = false;
    else if (code === 7) next.inverse = true;
    else if (code === 27) next.inverse = false;
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
      next.background = String(code);
    } else if (code === 49) next.background = null;
  }
  return next;
}

/** Splits one line of `capture-pane -e` output into runs of equally styled text. */
export function styledRuns(line: string): StyledRun[] {
  const runs: StyledRun[] = [];
  let pen: Pen = { ...PLAIN };
  let text = '';
  const flush = (): void => {
    if (text !== '') runs.push({ text, ...pen });
    text = '';
  };
  // SGR sequences change the pen; any other escape (tmux emits few) carries no text.
  const pattern = new RegExp(
    `${ESC}\\[([0-9;]*)m|${ESC}(?:\\[[0-9;?]*[A-Za-z]|\\][^${BEL}]*${BEL})`,
    'g',
  );
  let at = 0;
  for (const match of line.matchAll(pattern)) {
    text += line.slice(at, match.index);
    at = match.index + match[0].length;
    if (match[1] === undefined) continue;
    const next = applySgr(pen, match[1]);
    if (
      next.inverse !== pen.inverse ||
      next.underline !== pen.underline ||
      next.bold !== pen.bold ||
      next.background !== pen.background
    ) {
      flush();
      pen = next;
    }
  }
  text += line.slice(at);
  flush();
  return runs;
}
