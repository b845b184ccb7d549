/** Relative to the package root, which ships samples/ (see package.json "files"). */
export const DEMO_SAMPLE = 'samples/deribit-tickers.jsonl';

export const DEMO_INTRO = [
  'ivtrade is a terminal trading app for crypto options. It reads the venues’ market data,',
  'solves implied volatilities from the quoted prices itself (Black-76 on the venue’s forward)',
  'and computes its own greeks, so what you trade on does not depend on numbers the venue',
  'chose to publish. Below: the command-line help, then a replay of a short recording of',
  'real option tickers with ivtrade’s IVs and greeks, each line followed by the venue’s own',
  'figures under "venueReported" for comparison.',
].join('\n');
