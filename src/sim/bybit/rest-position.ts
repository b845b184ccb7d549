// Position settings: /v5/position/set-leverage, /v5/position/switch-mode and
// /v5/account/set-margin-mode. The sim's account is a unified account in one-way mode and
// regular (cross) margin, which is all its exchange core models; asking for that again gets
// the venue's "not modified" answer, asking for anything else its refusal.
//
// Sources (Bybit v5 docs): set-leverage takes {category, symbol, buyLeverage, sellLeverage},
// which must be equal in one-way mode, within the instrument's leverageFilter; 110043 "leverage
// not modified" when unchanged, 110044 when the margin it needs is not free. switch-mode takes
// {category, symbol | coin, mode: 0 one-way | 3 hedge}; 110025 "Position mode is not modified".
// set-margin-mode takes {setMarginMode: ISOLATED_MARGIN | REGULAR_MARGIN | PORTFOLIO_MARGIN}
// and answers {reasons: []}, or 3400045 "Set margin mode failed" with the reasons.

import { SimError, type SimExchange } from '../contract.js';
import type { SimApiKey } from '../venue-server.js';
import { parseDecimal } from './decimal-text.js';
import { BybitError, paramsError } from './errors.js';
import { LEVERAGE_FILTER } from './instrument-rows.js';
import { bodyInstrument, type Body } from './order-requests.js';

const RET_POSITION = {
  positionModeNotModified: 110025,
  leverageNotModified: 110043,
  insufficientMargin: 110044,
  setMarginModeFailed: 3400045,
} as const;
const ONE_WAY_MODE = 0;
const HEDGE_MODE = 3;
const REGULAR_MARGIN = 'REGULAR_MARGIN';
const MARGIN_MODES = new Set(['ISOLATED_MARGIN', REGULAR_MARGIN, 'PORTFOLIO_MARGIN']);
/** Leverage steps are 0.01: compare on that grid, not as doubles. */
const STEP_SCALE = 100;

function linearOnly(body: Body): void {
  const category = body['category'];
  if (category === 'linear') return;
  if (category === 'inverse') throw paramsError('symbol invalid');
  throw paramsError('category only support linear or inverse');
}

export function setLeverage(exchange: SimExchange, key: SimApiKey, body: Body): unknown {
  linearOnly(body);
  const instrument = bodyInstrument(exchange, body, 'linear');
  const buy = parseDecimal(body['buyLeverage']);
  const sell = parseDecimal(body['sellLeverage']);
  if (buy === undefined || sell === undefined) {
    throw paramsError('buyLeverage and sellLeverage are required');
  }
  if (Math.round(buy * STEP_SCALE) !== Math.round(sell * STEP_SCALE)) {
    throw paramsError('buyLeverage must be equal to sellLeverage in one-way mode');
  }
  const steps = buy * STEP_SCALE;
  if (
    buy < LEVERAGE_FILTER.min ||
    buy > LEVERAGE_FILTER.max ||
    Math.abs(steps - Math.round(steps)) > 1e-6
  ) {
    throw paramsError(
      `leverage must be between ${LEVERAGE_FILTER.min} and ${LEVERAGE_FILTER.max} in steps of ${LEVERAGE_FILTER.step}`,
    );
  }
  const leverage = Math.round(steps) / STEP_SCALE;
  const name = instrument.spec.name;
  if (exchange.leverage(key.accountId, name) === leverage) {
    throw new BybitError(RET_POSITION.leverageNotModified, 'leverage not modified');
  }
  try {
    exchange.setLeverage(key.accountId, name, leverage);
  } catch (error) {
    if (error instanceof SimError && error.code === 'not_enough_funds') {
      throw new BybitError(RET_POSITION.insufficientMargin, 'Insufficient available margin');
    }
    throw error;
  }
  return {};
}

export function switchMode(exchange: SimExchange, body: Body): unknown {
  linearOnly(body);
  if (body['symbol'] !== undefined) bodyInstrument(exchange, body, 'linear');
  else if (body['coin'] === undefined) throw paramsError('symbol or coin is required');
  const mode = Number(body['mode']);
  if (mode === ONE_WAY_MODE) {
    throw new BybitError(RET_POSITION.positionModeNotModified, 'Position mode is not modified');
  }
  if (mode === HEDGE_MODE) {
    // The venue would switch; the sim's core keeps one position per instrument.
    throw paramsError('hedge mode is not supported by this account');
  }
  throw paramsError('mode invalid');
}

export function setMarginMode(body: Body): unknown {
  const mode = body['setMarginMode'];
  if (typeof mode !== 'string' || !MARGIN_MODES.has(mode))
    throw paramsError('setMarginMode invalid');
  if (mode === REGULAR_MARGIN) return { reasons: [] };
  throw new BybitError(RET_POSITION.setMarginModeFailed, 'Set margin mode failed', {
    reasons: [
      {
        reasonCode: String(RET_POSITION.setMarginModeFailed),
        reasonMsg: `${mode} is not available for this account: it trades in regular margin only`,
      },
    ],
  });
}
