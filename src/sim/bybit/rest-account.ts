// Account facts a client reads before it trades: `/v5/user/query-api` (the key and what it may
// do), `/v5/account/info` (margin mode and unified status), `/v5/asset/coin/query-info` (coins
// and their chains) and `/v5/account/fee-rate`. The sim has one kind of account: a unified
// trading account (UTA 2.0 pro, `unifiedMarginStatus` 6) in regular margin, trading options
// and linear contracts; field sets as the v5 pages document them.

import { createHash } from 'node:crypto';
import type { SimExchange } from '../contract.js';
import { LINEAR_FEES } from '../exchange/fees.js';
import type { SimApiKey } from '../venue-server.js';
import { paramsError } from './errors.js';
import { requireAnyCategory } from './categories.js';
import { inCategory } from './rest-market.js';

/** UTA 2.0 pro: what an account opened today is. */
const UNIFIED_STATUS_UTA2_PRO = 6;
/** The sim's coins: the settle coin and the bases it lists. */
const CHAIN_DECIMALS = 8;

/** A stable numeric user id for an account (Bybit's UIDs are 8–9 digits). */
export function userIdOf(accountId: string): number {
  return 10_000_000 + (createHash('sha1').update(accountId).digest().readUInt32BE(0) % 90_000_000);
}

export function queryApi(key: SimApiKey, wallNow: number): unknown {
  const userId = userIdOf(key.accountId);
  return {
    id: String(userId % 1_000_000),
    note: 'ivtrade sim',
    apiKey: key.key,
    readOnly: 0,
    secret: '',
    permissions: {
      ContractTrade: ['Order', 'Position'],
      Spot: [],
      // A paper key moves no funds: transfer, withdraw and convert are refused with 10005.
      Wallet: [],
      Options: ['OptionsTrade'],
      Derivatives: ['DerivativesTrade'],
      CopyTrading: [],
      BlockTrade: [],
      Exchange: [],
      NFT: [],
      Affiliate: [],
      Earn: [],
    },
    ips: ['*'],
    type: 1,
    // A key bound to no IP expires in 90 days; the sim's never do.
    deadlineDay: -1,
    expiredAt: '',
    createdAt: new Date(wallNow).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    unified: 0,
    uta: 1,
    userID: userId,
    inviterID: 0,
    vipLevel: 'No VIP',
    mktMakerLevel: '0',
    affiliateID: 0,
    rsaPublicKey: '',
    isMaster: true,
    parentUid: '0',
    kycLevel: 'LEVEL_DEFAULT',
    kycRegion: '',
  };
}

export function accountInfo(wallNow: number): unknown {
  return {
    unifiedMarginStatus: UNIFIED_STATUS_UTA2_PRO,
    marginMode: 'REGULAR_MARGIN',
    isMasterTrader: false,
    spotHedgingStatus: 'OFF',
    updatedTime: String(wallNow),
    dcpStatus: 'OFF',
    timeWindow: 10,
    smpGroup: 0,
  };
}

/** Coins the account can hold: USDT and every base the sim lists, one chain each. */
export function coinInfo(exchange: SimExchange, query: URLSearchParams): unknown {
  const wanted = query.get('coin');
  const coins = ['USDT', ...exchange.currencies()].filter(
    (coin) => wanted === null || wanted === '' || coin === wanted.toUpperCase(),
  );
  return {
    rows: coins.map((coin) => ({
      name: coin,
      coin,
      remainAmount: '1000000',
      chains: [
        {
          chainType: coin === 'USDT' ? 'ETH' : coin,
          confirmation: '6',
          withdrawFee: '0',
          depositMin: '0',
          withdrawMin: '0',
          chain: coin === 'USDT' ? 'ETH' : coin,
          chainDeposit: '1',
          chainWithdraw: '1',
          minAccuracy: String(CHAIN_DECIMALS),
          withdrawPercentageFee: '0',
          contractAddress: '',
          safeConfirmNumber: '6',
        },
      ],
    })),
  };
}

/** `/v5/account/fee-rate`: options one row per base coin, linear one row per symbol. */
export function feeRate(exchange: SimExchange, query: URLSearchParams): unknown {
  const category = requireAnyCategory(query);
  const symbol = query.get('symbol');
  const baseCoin = query.get('baseCoin');
  const rate = (value: number): string => String(value);
  if (category === 'option') {
    const option = LINEAR_FEES.option;
    const coins = exchange
      .currencies()
      .filter((coin) => baseCoin === null || baseCoin === '' || coin === baseCoin);
    return {
      list: coins.map((coin) => ({
        symbol: '',
        baseCoin: coin,
        takerFeeRate: rate(option.taker),
        makerFeeRate: rate(option.maker),
      })),
    };
  }
  if (category !== 'linear') return { list: [] };
  const perpetual = LINEAR_FEES.perpetual;
  const rows = exchange
    .instruments()
    .filter((i) => inCategory(i, 'linear') && (symbol === null || i.spec.name === symbol));
  if (symbol !== null && rows.length === 0) throw paramsError('symbol invalid');
  return {
    list: rows.map((i) => ({
      symbol: i.spec.name,
      baseCoin: '',
      takerFeeRate: rate(perpetual.taker),
      makerFeeRate: rate(perpetual.maker),
    })),
  };
}
