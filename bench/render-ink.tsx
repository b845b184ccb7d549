// The contenders of the render bench, each on its own fake terminal: ivtrade's App over the
// real read model, the plain-string screen, and Ink rendering one static <Text> (its floor).
//
// What one App frame sample covers, and why it is timed this way. The App's own frame clock
// (useSnapshot: a setInterval at `fps`) reads `source.version` and, when it moved, calls
// `source.snapshot()` and sets state. Ink 6 hands React 19's reconciler a legacy root tag, but
// an update set from a timer is a default-priority one there: it is rendered in a task of
// React's scheduler (setImmediate in Node) after the timer callback, not inside it, so neither
// the tick nor a rerender() call brackets a frame. The commit ends in Ink's resetAfterCommit:
// Yoga layout, then the output pass (the DOM drawn into the output string, Ink's `onRender`
// option called with its `renderTime`, then log-update's erase-and-write to stdout). A sample
// starts as `snapshot()` is entered and ends in a microtask queued from that `onRender`
// callback, which runs once the scheduler slice that committed the frame has returned. So one
// sample = the read model's snapshot (settling the repriced expiries, building the views) +
// waiting for React's scheduler (behind whatever it runs first: the previous frame's passive
// effects if still queued, a GC) + React render and commit + Yoga + the output pass + the
// write. When frames overrun the clock, the next tick's snapshot can land before the pending
// one is drawn; React renders both in one pass, and the sample runs from the first of them
// (what the trader waited for; `coalesced` counts the others). The frame's own passive effects
// run in a later scheduler task and are not in its sample; the event loop's active time per
// frame (`busy`, from performance.eventLoopUtilization, minus the pump) counts them, and GC.
// The update pump runs as the clock reads `version`, before the sample starts: applying the
// feed's events is not the frame's cost.
//
// Ink throttles its output pass (leading and trailing edge, `ceil(1000 / maxFps)` ms). At the
// session's maxFps 30 that window (34 ms) is longer than the App's 33 ms tick, so the pass of
// many frames would be deferred to the throttle's trailing timer and fall outside the sample.
// The frame runs therefore pass maxFps 0, a zero window that invokes on every call. The idle
// runs keep the session's options as they are.

import { Text, render, type Instance } from 'ink';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReactNode } from 'react';
import { App } from '../src/ui/app.js';
import { computeLayout } from '../src/ui/layout.js';
import { INITIAL_UI, viewRequest, type UiState } from '../src/ui/navigation.js';
import type { ScreenSource } from '../src/ui/screen-source.js';
import type { TerminalSize } from '../src/ui/use-terminal-size.js';
import type { ScreenSnapshot, StatusLevel, ViewRequest } from '../src/view/types.js';
import type { BenchMarket, UpdatePump } from './render-market.js';
import { plainScreen } from './render-plain.js';
import { FakeTtyInput, FakeTtyOutput } from './render-terminal.js';

/** The session's render options (src/app/tui-session.tsx). */
const SESSION_OPTIONS = {
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 60,
} as const;
/** Ink's throttle with a zero window invokes on every call: no output pass is deferred. */
const UNTHROTTLED = 0;
/** The App's default frame clock. */
const FPS = 30;

export interface FrameRun {
  /** Wall ms per frame, end to end as described above. */
  readonly frames: number[];
  /** The read model's `snapshot()` alone, per snapshot taken. */
  readonly snapshots: number[];
  /** Ink's output pass alone (its `renderTime`), per frame. */
  readonly outputs: number[];
  /** Snapshots drawn in the same pass as an earlier one (the clock overran). */
  coalesced: number;
  /** Event-loop active ms over the run, less the time spent applying updates. */
  busy: number;
  bytes: number;
  updates: number;
}

function emptyRun(): FrameRun {
  return { frames: [], snapshots: [], outputs: [], coalesced: 0, busy: 0, bytes: 0, updates: 0 };
}

/** The read model as the App sees it, pumping the market and timing each frame. */
class TimedSource implements ScreenSource {
  run = emptyRun();
  measuring = false;
  /** Off: the market goes quiet (idle runs). */
  pumping = true;
  /** Snapshots taken, measuring or not. */
  snapshotsTaken = 0;
  /** Start of the oldest snapshot not yet drawn; NaN when none is waiting. */
  #start = NaN;
  #pumpMs = 0;
  #loop = performance.eventLoopUtilization();

  constructor(
    readonly market: BenchMarket,
    readonly pump: UpdatePump,
  ) {}

  get version(): number {
    if (this.pumping) {
      const start = performance.now();
      const applied = this.pump.catchUp(start);
      if (this.measuring) {
        this.run.updates += applied;
        this.#pumpMs += performance.now() - start;
      }
    }
    return this.market.model.version;
  }

  snapshot(request: ViewRequest, now: number): ScreenSnapshot {
    const start = performance.now();
    const snapshot = this.market.model.snapshot(request, now);
    this.snapshotsTaken += 1;
    if (this.measuring) {
      this.run.snapshots.push(performance.now() - start);
      if (Number.isNaN(this.#start)) this.#start = start;
      else this.run.coalesced += 1;
    }
    return snapshot;
  }

  note(text: string, level?: StatusLevel, now?: number): void {
    this.market.model.note(text, level, now);
  }

  /** Ink's `onRender` option: the output pass that draws the waiting snapshot(s). */
  readonly onRender = ({ renderTime }: { renderTime: number }): void => {
    if (!this.measuring || Number.isNaN(this.#start)) return;
    const start = this.#start;
    this.#start = NaN;
    this.run.outputs.push(renderTime);
    queueMicrotask(() => {
      if (this.measuring) this.run.frames.push(performance.now() - start);
    });
  };

  begin(): void {
    this.run = emptyRun();
    this.#start = NaN;
    this.#pumpMs = 0;
    this.#loop = performance.eventLoopUtilization();
    this.measuring = true;
  }

  end(): FrameRun {
    this.measuring = false;
    this.run.busy = performance.eventLoopUtilization(this.#loop).active - this.#pumpMs;
    return this.run;
  }
}

function mount(
  node: ReactNode,
  size: TerminalSize,
  maxFps: number,
  onRender?: (metrics: { renderTime: number }) => void,
): { ink: Instance; out: FakeTtyOutput } {
  const out = new FakeTtyOutput(size.cols, size.rows);
  const ink = render(node, {
    ...SESSION_OPTIONS,
    maxFps,
    stdout: out.asWriteStream(),
    stdin: new FakeTtyInput().asReadStream(),
    ...(onRender === undefined ? {} : { onRender }),
  });
  return { ink, out };
}

function unmount(ink: Instance): void {
  ink.unmount();
  ink.cleanup();
}

/** The App on a `size` terminal: `warmup` seconds untimed, then `seconds` of frames. */
export async function appFrames(
  market: BenchMarket,
  pump: UpdatePump,
  size: TerminalSize,
  warmup: number,
  seconds: number,
  initialUi?: Partial<UiState>,
): Promise<FrameRun> {
  const source = new TimedSource(market, pump);
  pump.reset(performance.now());
  const { ink, out } = mount(
    <App
      source={source}
      onQuit={() => undefined}
      size={size}
      {...(initialUi === undefined ? {} : { initialUi })}
    />,
    size,
    UNTHROTTLED,
    source.onRender,
  );
  try {
    await sleep(warmup * 1_000);
    const bytes = out.bytes;
    source.begin();
    await sleep(seconds * 1_000);
    const run = source.end();
    run.bytes = out.bytes - bytes;
    return run;
  } finally {
    unmount(ink);
  }
}

/** The peer on the same schedule: the App's clock period, the same pump, snapshot, string. */
export async function plainFrames(
  market: BenchMarket,
  pump: UpdatePump,
  size: TerminalSize,
  warmup: number,
  seconds: number,
): Promise<FrameRun> {
  // The App's own arithmetic: one row short of the terminal, 40×10 at least.
  const layout = computeLayout(Math.max(40, size.cols), Math.max(10, size.rows - 1), {
    usd: INITIAL_UI.usd,
    surfaceInstead: INITIAL_UI.surface,
  });
  const request = viewRequest(INITIAL_UI, layout.chainRows, layout.surface !== 'none');
  const out = new FakeTtyOutput(size.cols, size.rows);
  let run = emptyRun();
  let measuring = false;
  let pumpMs = 0;
  const tick = (): void => {
    const pumpStart = performance.now();
    const applied = pump.catchUp(pumpStart);
    const start = performance.now();
    const snapshot = market.model.snapshot(request, Date.now());
    const snapshotMs = performance.now() - start;
    // Home, then the screen: what a full redraw would send.
    out.write(`\u001b[H${plainScreen(snapshot, layout)}`);
    if (!measuring) return;
    pumpMs += start - pumpStart;
    run.updates += applied;
    run.snapshots.push(snapshotMs);
    // Ends the way the App's samples do.
    queueMicrotask(() => {
      if (measuring) run.frames.push(performance.now() - start);
    });
  };
  pump.reset(performance.now());
  const timer = setInterval(tick, Math.round(1_000 / FPS));
  try {
    await sleep(warmup * 1_000);
    const bytes = out.bytes;
    run = emptyRun();
    pumpMs = 0;
    const loop = performance.eventLoopUtilization();
    measuring = true;
    await sleep(seconds * 1_000);
    measuring = false;
    run.busy = performance.eventLoopUtilization(loop).active - pumpMs;
    run.bytes = out.bytes - bytes;
    return run;
  } finally {
    clearInterval(timer);
  }
}

export interface IdleRun {
  /** Process CPU (user + system) over wall time, % of one core. */
  readonly cpu: number;
  /** Snapshots (so frames) the quiet market still cost. */
  readonly frames: number;
  readonly seconds: number;
}

async function cpuOver(seconds: number): Promise<{ cpu: number; seconds: number }> {
  const wall = process.hrtime.bigint();
  const used = process.cpuUsage();
  await sleep(seconds * 1_000);
  const { user, system } = process.cpuUsage(used);
  const elapsed = Number(process.hrtime.bigint() - wall) / 1e9;
  return { cpu: ((user + system) / 1e6 / elapsed) * 100, seconds: elapsed };
}

/** Settling time after the market goes quiet or a tree mounts, before CPU is counted. */
const SETTLE_MS = 300;

/**
 * The App exactly as the session runs it (its 30 fps clock, maxFps 30), first `warmup`
 * seconds over the live market, then `seconds` with no update arriving.
 */
export async function appIdle(
  market: BenchMarket,
  pump: UpdatePump,
  size: TerminalSize,
  warmup: number,
  seconds: number,
): Promise<IdleRun> {
  const source = new TimedSource(market, pump);
  pump.reset(performance.now());
  const { ink } = mount(
    <App source={source} onQuit={() => undefined} size={size} />,
    size,
    SESSION_OPTIONS.maxFps,
  );
  try {
    await sleep(warmup * 1_000);
    source.pumping = false;
    await sleep(SETTLE_MS);
    const before = source.snapshotsTaken;
    const measured = await cpuOver(seconds);
    return { ...measured, frames: source.snapshotsTaken - before };
  } finally {
    unmount(ink);
  }
}

/** Ink's floor: one static <Text>, the same options, over the same interval. */
export async function inkFloorIdle(size: TerminalSize, seconds: number): Promise<IdleRun> {
  const { ink } = mount(<Text>ivtrade</Text>, size, SESSION_OPTIONS.maxFps);
  try {
    await sleep(SETTLE_MS);
    const measured = await cpuOver(seconds);
    return { ...measured, frames: 0 };
  } finally {
    unmount(ink);
  }
}
