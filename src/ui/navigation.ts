import type { GridAxis } from '../view/surface-view.js';
import type { ChainView, ViewRequest } from '../view/types.js';
import type { Action } from './keymap.js';

/** What the trader is looking at: the screen's own state, apart from the market's. */
export interface UiState {
  readonly chain: string | null;
  readonly expiry: number | null;
  /** Null: follow the ATM strike until the trader moves the cursor. */
  readonly strike: number | null;
  readonly side: 'call' | 'put';
  readonly top: number;
  readonly help: boolean;
  /** A full list in place of the panels: the messages, or every position and order. */
  readonly list: 'messages' | 'all-rows' | null;
  /** First line of the help or list shown (it scrolls with ↑/↓ and PgUp/PgDn). */
  readonly helpTop: number;
  readonly usd: boolean;
  /** Narrow screens: the smile and term structure in place of the chain. */
  readonly surface: boolean;
  readonly axis: 'strike' | 'moneyness';
  /** The volatility surface view in place of the chain. */
  readonly volSurface: boolean;
  /** The surface grid's columns. */
  readonly gridAxis: GridAxis;
  /** The smile chart against put delta (N(−d₁)) instead of `axis`. */
  readonly smileDelta: boolean;
  /** The scenario risk view in place of the chain. */
  readonly risk: boolean;
  /** The depth and tape of the cursor's instrument in place of the chain. */
  readonly depth: boolean;
}

export const INITIAL_UI: UiState = {
  chain: null,
  expiry: null,
  strike: null,
  side: 'call',
  top: 0,
  help: false,
  list: null,
  helpTop: 0,
  usd: false,
  surface: false,
  axis: 'strike',
  volSurface: false,
  gridAxis: 'delta',
  smileDelta: false,
  risk: false,
  depth: false,
};

export function viewRequest(ui: UiState, rows: number, surface: boolean): ViewRequest {
  return {
    chain: ui.chain,
    expiry: ui.expiry,
    strike: ui.strike,
    top: ui.top,
    rows,
    surface,
    volSurface: ui.volSurface,
    gridAxis: ui.gridAxis,
  };
}

/** Index of the value nearest `target` in an ascending list. */
function nearest(values: readonly number[], target: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) {
    if (Math.abs(values[i]! - target) < Math.abs(values[best]! - target)) best = i;
  }
  return best;
}

// Moves start from the state's own strike and expiry, not the last frame's: keys typed faster
// than frames are drawn (auto-repeat, a paste) each count.
function moveStrike(ui: UiState, chain: ChainView | null, by: number): UiState {
  if (chain === null || chain.strikes.length === 0) return ui;
  const from = ui.strike === null ? chain.cursorIndex : nearest(chain.strikes, ui.strike);
  const at = Math.min(chain.strikes.length - 1, Math.max(0, from + by));
  return { ...ui, strike: chain.strikes[at]!, top: chain.top };
}

function moveExpiry(ui: UiState, chain: ChainView | null, by: number): UiState {
  if (chain === null || chain.expiries.length === 0) return ui;
  const count = chain.expiries.length;
  const expiries = chain.expiries.map((choice) => choice.expiry);
  // From where the screen is: a vanished expiry shows the next one listed (as selectRow).
  const after = ui.expiry === null ? -1 : expiries.findIndex((expiry) => expiry >= ui.expiry!);
  const from = ui.expiry === null ? chain.expiryIndex : after === -1 ? count - 1 : after;
  const at = (((from + by) % count) + count) % count;
  // The cursor keeps its strike (the nearest listed one in the new expiry).
  return {
    ...ui,
    expiry: expiries[at]!,
    strike: ui.strike ?? chain.strikes[chain.cursorIndex] ?? null,
  };
}

function moveChain(
  ui: UiState,
  chains: readonly string[],
  current: string | null,
  by: number,
): UiState {
  if (chains.length === 0) return ui;
  const from = current === null ? 0 : Math.max(0, chains.indexOf(current));
  const at = (((from + by) % chains.length) + chains.length) % chains.length;
  // Another coin has other strikes and expiries: start at its front expiry, at the money.
  return { ...ui, chain: chains[at]!, expiry: null, strike: null, top: 0 };
}

/** Lines the help overlay scrolls by for a movement key; 0 for other keys. */
function helpScroll(action: Action, pageRows: number): number {
  switch (action) {
    case 'strike-up':
      return -1;
    case 'strike-down':
      return 1;
    case 'page-up':
      return -Math.max(1, pageRows - 1);
    case 'page-down':
      return Math.max(1, pageRows - 1);
    default:
      return 0;
  }
}

/**
 * The screen state after a navigation key, given what the last frame showed (strikes,
 * expiries and the cursor as resolved against the live chain). Pure, so every key's effect
 * is testable without a terminal.
 */
export function navigate(
  ui: UiState,
  action: Action,
  frame: {
    readonly chain: ChainView | null;
    readonly chains: readonly string[];
    /** A command's listing shown in place of the chain: the movement keys scroll it. */
    readonly info?: unknown;
  },
  pageRows: number,
): UiState {
  const { chain } = frame;
  if (ui.help || ui.list !== null || (frame.info ?? null) !== null) {
    const scroll = helpScroll(action, pageRows);
    if (scroll !== 0) return { ...ui, helpTop: Math.max(0, ui.helpTop + scroll) };
  }
  switch (action) {
    case 'strike-up':
      return moveStrike(ui, chain, -1);
    case 'strike-down':
      return moveStrike(ui, chain, 1);
    case 'page-up':
      return moveStrike(ui, chain, -Math.max(1, pageRows - 1));
    case 'page-down':
      return moveStrike(ui, chain, Math.max(1, pageRows - 1));
    case 'atm':
      return { ...ui, strike: null };
    case 'call-side':
      return { ...ui, side: 'call' };
    case 'put-side':
      return { ...ui, side: 'put' };
    case 'expiry-next':
      return moveExpiry(ui, chain, 1);
    case 'expiry-prev':
      return moveExpiry(ui, chain, -1);
    case 'chain-next':
      return moveChain(ui, frame.chains, chain?.key ?? ui.chain, 1);
    case 'chain-prev':
      return moveChain(ui, frame.chains, chain?.key ?? ui.chain, -1);
    case 'usd':
      return { ...ui, usd: !ui.usd };
    case 'surface':
      return { ...ui, surface: !ui.surface };
    case 'axis':
      return { ...ui, axis: ui.axis === 'strike' ? 'moneyness' : 'strike' };
    case 'vol-surface':
      return { ...ui, volSurface: !ui.volSurface, risk: false, depth: false };
    case 'risk':
      return { ...ui, risk: !ui.risk, volSurface: false, depth: false };
    case 'depth':
      return { ...ui, depth: !ui.depth, volSurface: false, risk: false };
    case 'delta-axis':
      return ui.volSurface
        ? { ...ui, gridAxis: ui.gridAxis === 'delta' ? 'moneyness' : 'delta' }
        : { ...ui, smileDelta: !ui.smileDelta };
    case 'help':
      return { ...ui, help: !ui.help, list: null, helpTop: 0 };
    case 'messages':
    case 'all-rows':
      return { ...ui, help: false, list: ui.list === action ? null : action, helpTop: 0 };
    case 'escape':
      return { ...ui, help: false, list: null, helpTop: 0 };
    case 'submit':
    case 'hedger-toggle':
    case 'history-prev':
    case 'history-next':
    case 'quit':
      return ui;
  }
}
