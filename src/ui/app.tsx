import { Box, Text, useInput, type Key } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { ColumnId } from './chain-columns.js';
import { ChainTable } from './chain-table.js';
import { CommandLine } from './command-line.js';
import { ExpiryTabs } from './expiry-tabs.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { actionFor } from './keymap.js';
import { computeLayout, HEADER_ROWS } from './layout.js';
import { Loading } from './loading.js';
import { INITIAL_UI, navigate, viewRequest, type UiState } from './navigation.js';
import { OrdersPanel } from './orders-panel.js';
import { PositionsPanel } from './positions-panel.js';
import type { ScreenSource } from './screen-source.js';
import { SmilePanel } from './smile-panel.js';
import { StatusBar } from './status-bar.js';
import { TermPanel } from './term-panel.js';
import { useSnapshot } from './use-snapshot.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

export interface AppProps {
  readonly source: ScreenSource;
  /** `--columns`; else chosen by width. */
  readonly columns?: readonly ColumnId[];
  /** Ctrl-C: the caller unmounts, stops the engine and restores the terminal. */
  readonly onQuit: () => void;
  /** A command line submitted; until the command language exists, null. */
  readonly onCommand?: ((text: string) => void) | null;
  readonly now?: () => number;
  readonly fps?: number;
  /** Pins the size (tests, benchmarks); else the terminal's, following resizes. */
  readonly size?: TerminalSize;
  readonly initialUi?: Partial<UiState>;
}

const NOT_YET = 'commands not available yet (the command language arrives with the order gateway)';

function printable(input: string): boolean {
  // Control characters (and escape sequences Ink did not name) never enter the line.
  return input.length > 0 && [...input].every((char) => char >= ' ' && char !== '\u007f');
}

export function App({
  source,
  columns,
  onQuit,
  onCommand = null,
  now = Date.now,
  fps = 30,
  size,
  initialUi,
}: AppProps) {
  const terminal = useTerminalSize(size);
  // One row short of the terminal: Ink redraws a frame as tall as the screen by clearing it.
  const rows = Math.max(10, terminal.rows - 1);
  const cols = Math.max(40, terminal.cols);
  const [ui, setUi] = useState<UiState>(() => ({ ...INITIAL_UI, ...initialUi }));
  const [line, setLine] = useState('');
  const lineRef = useRef(line);
  lineRef.current = line;
  const layout = useMemo(
    () =>
      computeLayout(cols, rows, {
        ...(columns === undefined ? {} : { columns }),
        usd: ui.usd,
        surfaceInstead: ui.surface,
      }),
    [cols, rows, columns, ui.usd, ui.surface],
  );
  const request = useMemo(
    () => viewRequest(ui, layout.chainRows, layout.surface !== 'none'),
    [ui, layout],
  );
  const snapshot = useSnapshot(source, request, now, fps);
  const frame = useRef(snapshot);
  frame.current = snapshot;

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
      if (text.trim() !== '') {
        if (onCommand === null) source.note(NOT_YET, 'warn');
        else onCommand(text);
      }
      setText('');
      return;
    }
    if (action === 'escape') setText('');
    if (action !== null) {
      setUi((state) => navigate(state, action, frame.current, layout.chainRows));
      return;
    }
    if (key.backspace || key.delete) {
      setText(text.slice(0, -1));
      return;
    }
    if (!key.ctrl && !key.meta && printable(input)) setText(text + input);
  };
  useInput((input, key) => {
    // Keys typed faster than the terminal is read arrive together ("[[", a paste): each
    // character is a key of its own, so `[[` moves two expiries and a paste types text.
    const burst = !key.ctrl && !key.meta && input.length > 1 && printable(input);
    for (const one of burst ? [...input] : [input]) handleKey(one, key);
  });

  const { header, chain } = snapshot;
  const middle = layout.chainRows + 1;
  const body = ui.help ? (
    <HelpOverlay width={cols} height={rows - HEADER_ROWS - 2} logPath={snapshot.logPath} />
  ) : (
    <>
      {chain === null ? <Text> </Text> : <ExpiryTabs chain={chain} width={cols} usd={ui.usd} />}
      <Box flexDirection="row" height={middle}>
        {header.loading !== null || chain === null ? (
          <Loading
            loading={header.loading ?? { phase: 'waiting for a chain', instruments: 0, quoted: 0 }}
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
              axis={ui.axis}
            />
            <TermPanel
              term={snapshot.term}
              width={layout.surfaceWidth}
              height={layout.termHeight}
            />
          </Box>
        )}
      </Box>
      <Box flexDirection={layout.bottom === 'stacked' ? 'column' : 'row'}>
        <PositionsPanel
          view={snapshot.positions}
          width={layout.positionsWidth}
          height={layout.positionsHeight}
        />
        {layout.bottom === 'side-by-side' ? <Box width={1} /> : null}
        <OrdersPanel
          view={snapshot.orders}
          width={layout.ordersWidth}
          height={layout.ordersHeight}
        />
      </Box>
    </>
  );
  return (
    <Box flexDirection="column" width={cols} height={rows}>
      <Header header={header} width={cols} />
      <Box flexDirection="column" flexGrow={1}>
        {body}
      </Box>
      <StatusBar status={snapshot.status} width={cols} />
      <CommandLine text={line} width={cols} />
    </Box>
  );
}
