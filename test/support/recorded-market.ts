// A market as recorded from Deribit on 2021-07-22: the instrument lists and the option tickers
// of the capture (the latest per instrument), as normalized events and as the scan rows the
// store would hold for them. Real shapes for tests of what reads the store.

import { deribitInstrumentsFromResult } from '../../src/feeds/deribit/instruments.js';
import { deribitTickerFromMessage } from '../../src/feeds/deribit/ticker.js';
import type { InstrumentAddedEvent, TickerEvent } from '../../src/book/events.js';
import type { InstrumentSpec } from '../../src/instruments/types.js';
import { quoteFields } from '../../src/store/codec.js';
import type { ScanSource } from '../../src/view/scan-rows.js';
import { readJson, readJsonLines, recordedMessage } from './fixtures.js';

export const RECORDED_COINS = ['BTC', 'ETH'] as const;
/** The capture's day, after its last ticker. */
export const RECORDED_NOW = Date.UTC(2021, 6, 22, 23, 0);

export interface RecordedMarket {
  readonly specs: ReadonlyMap<string, InstrumentSpec>;
  /** The latest ticker of each option in the capture. */
  readonly tickers: readonly TickerEvent[];
}

export function recordedMarket(): RecordedMarket {
  const specs = new Map<string, InstrumentSpec>();
  for (const coin of RECORDED_COINS) {
    const result = deribitInstrumentsFromResult(
      readJson('deribit', `instruments-${coin}-2021-07-22.json`),
    );
    for (const spec of result.specs) specs.set(spec.name, spec);
  }
  const latest = new Map<string, TickerEvent>();
  for (const { value } of readJsonLines('deribit', 'ws-capture-2021-07-22.jsonl')) {
    const ticker = deribitTickerFromMessage(recordedMessage(value));
    if (ticker !== null && specs.has(ticker.instrument)) latest.set(ticker.instrument, ticker);
  }
  return { specs, tickers: [...latest.values()] };
}

/** The events `serve` would publish for one coin: its listing, then its tickers. */
export function recordedEvents(
  market: RecordedMarket,
  coin: string,
): (InstrumentAddedEvent | TickerEvent)[] {
  const listed = [...market.tickers.map((t) => market.specs.get(t.instrument)!)].filter(
    (s) => s.base === coin,
  );
  // A future of the coin too: `export` writes every instrument, `scan` only options.
  const future = [...market.specs.values()].find((s) => s.base === coin && s.kind === 'perpetual');
  const specs = future === undefined ? listed : [...listed, future];
  return [
    ...specs.map((spec): InstrumentAddedEvent => ({
      kind: 'instrument-added',
      venue: 'deribit',
      ts: 1,
      spec,
    })),
    ...market.tickers.filter((t) => market.specs.get(t.instrument)!.base === coin),
  ];
}

/** Scan sources as the store would hand them out, quote hashes made by the publisher's codec. */
export function recordedSources(market: RecordedMarket): ScanSource[] {
  return market.tickers.map((ticker) => {
    const spec = market.specs.get(ticker.instrument)!;
    return {
      venue: 'deribit',
      coin: spec.base,
      spec,
      quote: { ...quoteFields(ticker, spec), seq: '1' },
    };
  });
}
