import { Box, Text, useInput, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChainView, ScreenSnapshot } from '../view/types.js';
import type { ColumnId } from './chain-columns.js';
import { ChainTable } from './chain-table.js';
import { CommandLine } from './command-line.js';
import { ExpiryTabs } from './expiry-tabs.js';
import { Header } from './header.js';
import { HedgerPanel } from './hedger-panel.js';
import { HelpOverlay } from './help-overlay.js';
import type { CommandPort } from './command-port.js';
import { InfoOverlay } from './info-overlay.js';
import { actionFor, type Action } from './keymap.js';
import { computeLayout, HEADER_ROWS, type PanelDemand } from './layout.js';
import { ListOverlay, messageLines } from './list-overlay.js';
import { Loading } from './loading.js';
import { INITIAL_UI, navigate, viewRequest, type UiState } from './navigation.js';
import { orderListLines, OrdersPanel } from './orders-panel.js';
import { ColorContext } from './palette.js';
import { positionListLines, PositionsPanel } from './positions-panel.js';
import { RiskScreen } from './risk-screen.js';
import { DepthScreen } from './depth-screen.js';
import type { ScreenSource } from './screen-source.js';
import { SmilePanel } from './smile-panel.js';
import { StatusBar } from './status-bar.js';
import { SurfaceScreen } from './surface-screen.js';
import { TermPanel } from './term-panel.js';
import { useSnapshot } from './use-snapshot.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

export interface AppProps {
  readonly source: ScreenSource;
  /** `--columns`; else chosen by width. */
  readonly columns?: readonly ColumnId[];
  /** Ctrl-C: the caller unmounts, stops the engine and restores the terminal. */
  readonly onQuit: () => void;
  /** Runs submitted lines; null: the screen only watches (Enter says commands are off). */
  readonly commands?: CommandPort | null;
  /** The venue's time; by default the source's (`ScreenSource.now`), else the machine's. */
  readonly now?: () => number;
  readonly fps?: number;
  /** Pins the size (tests, benchmarks); else the terminal's, following resizes. */
  readonly size?: TerminalSize;
  readonly initialUi?: Partial<UiState>;
  /** False under NO_COLOR: no colour, but bold, dim, inverse and underline stay. */
  readonly color?: boolean;
}

const NO_COMMANDS = 'commands are off in this session';

/** The instrument under the cursor in the last frame: the strike's call or put. */
function cursorInstrument(chain: ChainView | null, side: 'call' | 'put'): string | null {
  if (chain === null) return null;
  return chain.rows[chain.cursorIndex - chain.top]?.[side].instrument ?? null;
}

/** Lines the hedger's panel would use: its summary, and its latest decisions while it runs. */
function hedgerWant(snapshot: ScreenSnapshot): number {
  const hedger = snapshot.hedger;
  if (hedger === null || hedger === undefined) return 0;
  return hedger.mode === 'off' ? 1 : Math.min(5, Math.max(1, hedger.lines.length));
}

/** What the panels would draw with every row shown, for the layout to make room. */
function panelDemand(snapshot: ScreenSnapshot): PanelDemand {
  const { positions, orders } = snapshot;
  const report = orders.lastReport === null || orders.lastReport === undefined ? 0 : 1;
  return {
    positions:
      positions.rows.length === 0 ? 1 : 1 + positions.rows.length + positions.totals.length,
    orders: (orders.rows.length === 0 ? 1 : 1 + orders.rows.length) + report + hedgerWant(snapshot),
  };
}

/** Keys that point the cursor at another instrument. */
const CURSOR_MOVES: ReadonlySet<Action> = new Set<Action>([
  'strike-up',
  'strike-down',
  'page-up',
  'page-down',
  'atm',
  'call-side',
  'put-side',
  'expiry-next',
  'expiry-prev',
  'chain-next',
  'chain-prev',
]);

/** A burst of typed keys: printable characters, perhaps with Enter among them. */
function burstable(input: string): boolean {
  return [...input].every((char) => char === '\r' || char === '\n' || printable(char));
}

function printable(input: string): boolean {
  // Control characters (and escape sequences Ink did not name) never enter the line.
  return input.length > 0 && [...input].every((char) => char >= ' ' && char !== '\u007f');
}

export function App({
  source,
  columns,
  onQuit,
  commands = null,
  now: nowProp,
  fps = 30,
  size,
  initialUi,
  color = true,
}: AppProps) {
  const terminal = useTerminalSize(size);
  // One row short of the terminal: Ink redraws a frame as tall as the screen by clearing it.
  const rows = Math.max(10, terminal.rows - 1);
  const cols = Math.max(40, terminal.cols);
  const [ui, setUi] = useState<UiState>(() => ({ ...INITIAL_UI, ...initialUi }));
  const [line, setLine] = useState('');
  // What the keys act on: the refs move with each key at once, and only keys move them. A
  // render (the frame clock's) can run before a key's state update is applied; were the refs
  // reset from state there, the keys typed in between would be lost.
  const uiRef = useRef(ui);
  const lineRef = useRef(line);
  // The last frame's chain, for the cursor's instrument before this frame is taken.
  const frameChain = useRef<ChainView | null>(null);
  // The panels' rows come from the last frame: a new order makes room on the next one.
  const [demand, setDemand] = useState<PanelDemand>({ positions: 1, orders: 1 });
  const layout = useMemo(
    () =>
      computeLayout(cols, rows, {
        ...(columns === undefined ? {} : { columns }),
        usd: ui.usd,
        surfaceInstead: ui.surface,
        demand,
      }),
    [cols, rows, columns, ui.usd, ui.surface, demand],
  );
  // While the risk view is open, the line being typed is planned (never sent) as a what-if.
  const cursorNow = cursorInstrument(frameChain.current, ui.side);
  const whatIf = useMemo(
    () => (ui.risk ? (commands?.preview?.(line, cursorNow) ?? null) : null),
    [ui.risk, line, cursorNow, commands],
  );
  const depthOf = ui.depth ? cursorNow : null;
  const request = useMemo(
    () => ({
      ...viewRequest(ui, layout.chainRows, layout.surface !== 'none'),
      ...(ui.risk ? { risk: { whatIf } } : {}),
      ...(depthOf === null ? {} : { depth: depthOf }),
    }),
    [ui, layout, whatIf, depthOf],
  );
  // The depth view's book is followed while it shows, and let go when it closes.
  useEffect(() => {
    source.watchDepth?.(depthOf);
  }, [source, depthOf]);
  const now = useMemo(() => nowProp ?? (() => source.now?.() ?? Date.now()), [nowProp, source]);
  const snapshot = useSnapshot(source, request, now, fps);
  const frame = useRef(snapshot);
  frame.current = snapshot;
  frameChain.current = snapshot.chain;
  const wanted = panelDemand(snapshot);
  if (wanted.positions !== demand.positions || wanted.orders !== demand.orders) {
    setDemand(wanted);
  }

  const updateUi = (change: (state: UiState) => UiState): void => {
    uiRef.current = change(uiRef.current);
    setUi(uiRef.current);
  };
  const setText = (text: string): void => {
    // The ref moves at once: the next key of the same burst must see this one's effect.
    lineRef.current = text;
    setLine(text);
  };
  const handleKey = (input: string, key: Key): void => {
    const text = lineRef.current;
    const action = actionFor(input, key, text === '');
    if (action === 'quit') {
      onQuit();
      return;
    }
    if (action === 'submit') {
      if (text.trim() === '') return;
      if (commands === null) {
        source.note(NO_COMMANDS, 'warn');
        setText('');
        return;
      }
      const cursor = cursorInstrument(frame.current.chain, uiRef.current.side);
      const result = commands.run(text, cursor);
      commands.history.reset();
      if (result.help) updateUi((state) => ({ ...state, help: true, helpTop: 0 }));
      if (!result.keep) setText('');
      return;
    }
    if (action === 'hedger-toggle') {
      if (commands === null) return;
      const mode = frame.current.hedger?.mode ?? 'off';
      const cursor = cursorInstrument(frame.current.chain, uiRef.current.side);
      commands.run(mode === 'off' ? 'hon' : 'hoff', cursor);
      return;
    }
    if (action === 'history-prev' || action === 'history-next') {
      if (commands === null) return;
      const entry =
        action === 'history-prev' ? commands.history.previous(text) : commands.history.next();
      if (entry !== null) setText(entry);
      return;
    }
    if (action === 'escape') {
      setText('');
      commands?.history.reset();
      source.dismissInfo?.();
    }
    if (action !== null) {
      const overlay =
        uiRef.current.help || uiRef.current.list !== null || frame.current.info !== null;
      if (CURSOR_MOVES.has(action) && !overlay) {
        commands?.cursorMoved();
      }
      updateUi((state) => navigate(state, action, frame.current, layout.chainRows));
      if (action === 'messages') source.alertsSeen?.();
      return;
    }
    if (key.backspace || key.delete) {
      setText(text.slice(0, -1));
      return;
    }
    if (!key.ctrl && !key.meta && printable(input)) setText(text + input);
  };
  useInput((input, key) => {
    // Keys typed faster than the terminal is read arrive together ("[[", "as1⏎", a paste):
    // each character is a key of its own, so `[[` moves two expiries, a paste types text and
    // a line typed with its Enter runs. Other control characters in a burst are dropped.
    if (key.ctrl || key.meta || input.length < 2 || !burstable(input)) {
      handleKey(input, key);
      return;
    }
    for (const char of input) {
      if (char === '\r' || char === '\n') handleKey('', { ...key, return: true });
      else if (printable(char)) handleKey(char, { ...key, return: false });
    }
  });

  const { header, chain } = snapshot;
  const middle = layout.chainRows + 1;
  const overlayHeight = rows - HEADER_ROWS - 2;
  // The hedger's panel shares the orders' space: its summary line when off, and its latest
  // decisions too while it runs, once the orders have their title, a row and "+N more".
  const ordersFloor = Math.min(3, wanted.orders - hedgerWant(snapshot));
  // When the orders' column has all it asked for, the hedger has its lines whatever the height.
  const hedgerRows =
    layout.ordersHeight >= wanted.orders
      ? hedgerWant(snapshot)
      : layout.ordersHeight < 3
        ? 0
        : Math.max(
            Math.min(1, hedgerWant(snapshot)),
            Math.min(hedgerWant(snapshot), layout.ordersHeight - ordersFloor),
          );
  const body = ui.help ? (
    <HelpOverlay width={cols} height={overlayHeight} logPath={snapshot.logPath} top={ui.helpTop} />
  ) : ui.list === 'messages' ? (
    <ListOverlay
      title="Messages, newest first"
      lines={messageLines(snapshot.messages ?? [], cols)}
      width={cols}
      height={overlayHeight}
      top={ui.helpTop}
    />
  ) : ui.list === 'all-rows' ? (
    <ListOverlay
      title="Positions and open orders"
      lines={[
        ...positionListLines(snapshot.positions, cols),
        { cells: [{ text: '' }] },
        ...orderListLines(snapshot.orders, cols),
      ]}
      width={cols}
      height={overlayHeight}
      top={ui.helpTop}
    />
  ) : snapshot.info !== null ? (
    <InfoOverlay info={snapshot.info} width={cols} height={overlayHeight} top={ui.helpTop} />
  ) : (
    <>
      {chain === null ? <Text> </Text> : <ExpiryTabs chain={chain} width={cols} usd={ui.usd} />}
      {ui.depth ? (
        <Box flexDirection="row" height={middle}>
          <DepthScreen view={snapshot.depth ?? null} width={cols} height={middle} />
        </Box>
      ) : ui.risk ? (
        <Box flexDirection="row" height={middle}>
          <RiskScreen view={snapshot.risk ?? null} width={cols} height={middle} />
        </Box>
      ) : ui.volSurface ? (
        <Box flexDirection="row" height={middle}>
          <SurfaceScreen view={snapshot.surfaceScreen ?? null} width={cols} height={middle} />
        </Box>
      ) : (
        <Box flexDirection="row" height={middle}>
          {header.loading !== null || chain === null ? (
            <Loading
              loading={
                header.loading ?? { phase: 'waiting for a chain', instruments: 0, quoted: 0 }
              }
              header={header}
              width={layout.surface === 'beside' ? layout.chainWidth : cols}
            />
          ) : layout.surface === 'instead' ? null : (
            <ChainTable
              chain={chain}
              columns={layout.columns}
              usd={ui.usd}
              side={ui.side}
              width={layout.chainWidth}
            />
          )}
          {layout.surface === 'none' ? null : (
            <Box
              flexDirection="column"
              marginLeft={layout.surface === 'beside' ? 1 : 0}
              width={layout.surfaceWidth}
            >
              <SmilePanel
                smile={snapshot.smile}
                width={layout.surfaceWidth}
                height={layout.smileHeight}
                axis={ui.smileDelta ? 'delta' : ui.axis}
                fit={snapshot.smileFit ?? null}
              />
              <TermPanel
                term={snapshot.term}
                width={layout.surfaceWidth}
                height={layout.termHeight}
              />
            </Box>
          )}
        </Box>
      )}
      <Box flexDirection={layout.bottom === 'stacked' ? 'column' : 'row'}>
        <PositionsPanel
          view={snapshot.positions}
          width={layout.positionsWidth}
          height={layout.positionsHeight}
        />
        {layout.bottom === 'side-by-side' ? <Box width={1} /> : null}
        <Box flexDirection="column" width={layout.ordersWidth}>
          <OrdersPanel
            view={snapshot.orders}
            width={layout.ordersWidth}
            height={layout.ordersHeight - hedgerRows}
          />
          {snapshot.hedger === null || snapshot.hedger === undefined ? null : (
            <HedgerPanel view={snapshot.hedger} width={layout.ordersWidth} height={hedgerRows} />
          )}
        </Box>
      </Box>
    </>
  );
  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={cols} height={rows}>
        <Header header={header} width={cols} />
        <Box flexDirection="column" flexGrow={1}>
          {body}
        </Box>
        <StatusBar
          status={snapshot.status}
          alerts={snapshot.alerts ?? null}
          width={cols}
          quote={
            line.trim() === ''
              ? null
              : (commands?.quote?.(line, cursorInstrument(chain, ui.side)) ?? null)
          }
        />
        <CommandLine
          text={line}
          width={cols}
          prompt={commands?.prompt(cursorInstrument(chain, ui.side)) ?? ''}
        />
      </Box>
    </ColorContext.Provider>
  );
}
