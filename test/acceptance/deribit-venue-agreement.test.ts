/**
 * Acceptance: ivtrade's own IVs and greeks, computed from Deribit's prices and forward by
 * the replay pipeline, agree with the IVs and greeks Deribit published in the same ticker.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { replayFile, replayLines } from '../../src/app/replay.js';
import { parseDeribitOptionName } from '../../src/feeds/deribit/instrument-name.js';
import { black76Greeks, yearFraction } from '../../src/pricing/index.js';
import { field, readJsonLines, recordedMessage } from '../support/fixtures.js';
import { fixturePath } from '../support/paths.js';
import { TextSink } from '../support/streams.js';

const IV_TOLERANCE = 0.002;

/**
 * A vol is only comparable where the printed prices pin it down. A venue vega is negligible
 * (and that ticker's IVs and greeks are not compared) when either
 * - it is below 0.01 USD per vol point: then the last printed digit of the premium already
 *   spans several vol points (ETH-23JUL21-2300-C: mark 0.000001 ETH, vega 0.0002 USD), or
 * - a vol point is worth less than 0.1 % of the option's USD value: the premium is nearly
 *   all intrinsic, and Deribit's mark_price and underlying_price are not sampled at exactly
 *   the same moment, so cents of forward drift move the solved vol by more than the
 *   tolerance (ETH-27AUG21-4000-P, a put struck at twice the forward: vega 0.57 USD on a
 *   premium of 2011 USD; its mark_price matches the mark_iv at a forward 0.02–0.2 USD away
 *   from the printed underlying_price).
 */
const NEGLIGIBLE_VEGA_USD = 0.01;
const NEGLIGIBLE_VEGA_SHARE_OF_PREMIUM = 0.001;

/** Deribit prints greeks with 5 decimals; allow that rounding plus float noise. */
const GREEK_PRINT_ROUNDING = 0.5e-5 + 1e-9;
const GREEK_RELATIVE_TOLERANCE = 0.01;

interface VenueTicker {
  instrument_name: string;
  timestamp: number;
  underlying_price: number;
  mark_price: number;
  mark_iv: number;
  bid_iv: number;
  ask_iv: number;
  best_bid_price: number;
  best_ask_price: number;
  greeks: Record<'delta' | 'gamma' | 'vega' | 'theta', number>;
}

const FIXTURE = ['deribit', 'ws-capture-2021-07-22.jsonl'] as const;

const venueTickers: VenueTicker[] = readJsonLines(...FIXTURE)
  .map(({ value }) => recordedMessage(value))
  .filter((message) => String(field(message, 'params', 'channel')).startsWith('ticker.'))
  .map((message) => field(message, 'params', 'data') as VenueTicker);

async function replayedLines(): Promise<Record<string, number | string | null>[]> {
  const out = new TextSink();
  const err = new TextSink();
  const summary = await replayFile(
    fixturePath(...FIXTURE),
    { emit: 'greeks', compare: false },
    { out, err },
  );
  assert.equal(err.text, '');
  assert.equal(summary.malformed, 0);
  return out.lines().map((line) => JSON.parse(line) as Record<string, number | string | null>);
}

function vegaIsNegligible(venue: VenueTicker): boolean {
  const premiumUsd = venue.mark_price * venue.underlying_price;
  return (
    venue.greeks.vega < NEGLIGIBLE_VEGA_USD ||
    venue.greeks.vega < NEGLIGIBLE_VEGA_SHARE_OF_PREMIUM * premiumUsd
  );
}

function greekAgrees(ours: number, venue: number): boolean {
  const difference = Math.abs(ours - venue);
  return (
    difference <= GREEK_PRINT_ROUNDING || difference <= GREEK_RELATIVE_TOLERANCE * Math.abs(venue)
  );
}

describe('Deribit venue agreement (ws-capture-2021-07-22)', () => {
  it('matches the venue IVs and greeks for every ticker with a non-negligible vega', async (t) => {
    const ours = await replayedLines();
    assert.equal(ours.length, venueTickers.length);

    let ivComparisons = 0;
    let greekComparisons = 0;
    const compared = new Set<string>();
    const skipped = new Set<string>();
    const failures: string[] = [];

    venueTickers.forEach((venue, index) => {
      const line = ours[index];
      assert.ok(line);
      assert.equal(line['instrument'], venue.instrument_name);
      assert.equal(line['ts'], venue.timestamp);
      if (vegaIsNegligible(venue)) {
        skipped.add(venue.instrument_name);
        return;
      }
      compared.add(venue.instrument_name);
      const where = `${venue.instrument_name} @${venue.timestamp}`;

      const ivs: [string, number, boolean][] = [
        ['markIv', venue.mark_iv, true],
        ['bidIv', venue.bid_iv, venue.best_bid_price > 0],
        ['askIv', venue.ask_iv, venue.best_ask_price > 0],
      ];
      for (const [key, venuePercent, quoted] of ivs) {
        const value = line[key];
        if (!quoted) {
          if (value !== null) failures.push(`${where} ${key}: ${String(value)} for an empty side`);
          continue;
        }
        ivComparisons += 1;
        if (typeof value !== 'number' || Math.abs(value - venuePercent / 100) > IV_TOLERANCE) {
          failures.push(`${where} ${key}: ours ${String(value)}, venue ${venuePercent / 100}`);
        }
      }
      for (const greek of ['delta', 'gamma', 'vega', 'theta'] as const) {
        greekComparisons += 1;
        const value = line[greek];
        if (typeof value !== 'number' || !greekAgrees(value, venue.greeks[greek])) {
          failures.push(`${where} ${greek}: ours ${String(value)}, venue ${venue.greeks[greek]}`);
        }
      }
    });

    t.diagnostic(
      `${ivComparisons} IV and ${greekComparisons} greek comparisons over ${compared.size} ` +
        `options; skipped for negligible vega: ${[...skipped].join(', ')}`,
    );
    assert.deepEqual(failures, []);
    // Large enough that the test cannot pass by comparing nothing.
    assert.ok(ivComparisons >= 200, `only ${ivComparisons} IV comparisons`);
    assert.ok(greekComparisons >= 300, `only ${greekComparisons} greek comparisons`);
    assert.equal(compared.size, 8, [...compared].join(' '));
    assert.deepEqual([...skipped].sort(), ['ETH-23JUL21-2300-C', 'ETH-27AUG21-4000-P']);
  });

  it('where vega is negligible, the greeks differ only through the vol', () => {
    // Our greeks for the skipped tickers use our (ill-determined) mark IV. Taken at the
    // venue's mark IV instead, the same formulas give the venue's numbers, except theta in
    // the option's last day: Deribit's theta is the value lost over the next day, capped
    // at expiry, so within 24 h it is minus the remaining time value, not the analytic rate.
    let checked = 0;
    for (const venue of venueTickers.filter(vegaIsNegligible)) {
      const { strike, expiry, type } = parseDeribitOptionName(venue.instrument_name);
      const years = yearFraction(venue.timestamp, expiry);
      const atVenueVol = black76Greeks(
        venue.underlying_price,
        strike,
        years,
        venue.mark_iv / 100,
        type,
      );
      const lastDay = years < 1 / 365;
      if (lastDay) {
        // Only roughly (2 %): the venue evaluates it from inputs we see rounded.
        checked += 1;
        const lostValue = -atVenueVol.price;
        assert.ok(
          Math.abs(venue.greeks.theta - lostValue) <= 0.02 * Math.abs(lostValue),
          `${venue.instrument_name} theta ${venue.greeks.theta} vs value ${atVenueVol.price}`,
        );
      }
      for (const greek of ['delta', 'gamma', 'vega', 'theta'] as const) {
        if (greek === 'theta' && lastDay) continue;
        checked += 1;
        assert.ok(
          greekAgrees(atVenueVol[greek], venue.greeks[greek]),
          `${venue.instrument_name} ${greek}: ${atVenueVol[greek]} vs ${venue.greeks[greek]}`,
        );
      }
    }
    assert.ok(checked >= 40, `only ${checked} checks`);
  });

  it('replays from any async line source, not just files', async () => {
    const out = new TextSink();
    const err = new TextSink();
    const lines = readJsonLines(...FIXTURE).map(({ value }) => JSON.stringify(value));
    const summary = await replayLines(
      Readable.from(lines),
      { emit: 'greeks', compare: false },
      { out, err },
    );
    assert.equal(summary.printed, venueTickers.length);
    assert.equal(summary.lines, lines.length);
    assert.deepEqual(
      out.lines(),
      (await replayedLines()).map((line) => JSON.stringify(line)),
    );
  });
});
