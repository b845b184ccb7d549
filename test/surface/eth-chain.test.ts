// The recorded ETH chain (Deribit, 2024-01-08 11:19 UTC, 684 options, 11 expiries).
//
// Measured rules (numbers per expiry in the integrator notes):
// - Inside the spread: ≥ 95 % of the two-sided out-of-the-money quotes over the whole chain.
//   Nine expiries are fitted inside every spread. 23FEB24 and 29MAR24 have smiles raw SVI
//   cannot thread through every (tight) spread: the squared-distance fit missed 14 and 6 of
//   their quotes by a little; the reweighted fit gives up fewer quotes, by more (the tests
//   hold both halves of that trade). The forwards are not the cause: they agree with
//   put–call parity to a few dollars there.
// - ATM: the fitted vol at k = 0 within max(0.2 vol points, one price tick in vol) of the
//   near-the-money mid (the tighter of call and put at the strikes either side of the forward,
//   interpolated linearly in k). A 0.0005 ETH tick is worth 1.4–2.5 vol points on the 1–3-day
//   expiries (9–11 JAN, whose forwards are Deribit's synthetic SYN. ones: a dollar of forward
//   error moves their IVs by about two vol points), so 0.2 vol points is finer than their
//   quotes can say. On 23FEB24 the quotes near the money sit flat at 67.6–68.4 while the
//   wings curve: the fit holds its at-the-money quotes (see svi-fit.ts) and lands 0.08 vol
//   points from the mid; without that hold it was 0.39 under.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normPdf } from '../../src/pricing/index.js';
import {
  expiryFromPrices,
  fitSmile,
  fitSurface,
  sviTotalVariance,
  surfaceGrid,
  volIndex,
} from '../../src/surface/index.js';
import { prepareFitData } from '../../src/surface/fit-data.js';
import { QuasiExplicitSolver } from '../../src/surface/quasi-explicit.js';
import { sviFromQuasi } from '../../src/surface/svi.js';
import { quality } from '../../src/surface/svi-fit.js';
import { ethSmiles, loadEthChain } from './eth-chain.js';

const SVI_LIMITED = new Set(['23FEB24', '29MAR24']);
const TICK_ETH = 0.0005;

describe('the ETH chain: fit inside the spreads', () => {
  const { chain, smiles } = ethSmiles();

  it('holds 684 options in 11 expiries, 326 two-sided out-of-the-money quotes', () => {
    assert.equal(
      chain.expiries.reduce((s, e) => s + e.quotes.length, 0),
      684,
    );
    assert.equal(chain.expiries.length, 11);
    const twoSided = smiles
      .flatMap((s) => s.quotes)
      .filter((q) => q.bidIv !== null && q.askIv !== null);
    assert.equal(twoSided.length, 326);
  });

  it('≥ 95 % of two-sided quotes fitted inside [bid IV, ask IV], every one on nine expiries', () => {
    const surface = fitSurface(smiles);
    let inside = 0;
    let twoSided = 0;
    for (const e of surface.expiries) {
      const code = chain.codes.get(e.expiryMs)!;
      inside += e.quality.insideSpread;
      twoSided += e.quality.twoSided;
      if (!SVI_LIMITED.has(code)) {
        assert.equal(e.quality.insideSpread, e.quality.twoSided, code);
      }
    }
    assert.equal(twoSided, 326);
    assert.ok(inside / twoSided >= 0.95, `${inside}/${twoSided}`);
  });

  it('where raw SVI cannot fit every spread: far more inside than the best squared-distance fit', () => {
    const given: string[] = [];
    for (const s of smiles) {
      const code = chain.codes.get(s.expiryMs)!;
      if (!SVI_LIMITED.has(code)) continue;
      const fit = fitSmile(s)!;
      // The squared-distance objective's best smile, searched on a dense (m, σ) grid.
      const data = prepareFitData(s);
      const solver = new QuasiExplicitSolver(data);
      const width = data.kMax - data.kMin;
      let best = Infinity;
      let plain = 0;
      for (let i = 0; i <= 40; i++) {
        for (let j = 0; j <= 40; j++) {
          const m = data.kMin - 0.5 * width + (i / 40) * 2 * width;
          const sigma = 1e-3 * width * Math.pow(1e4, j / 40);
          const v = solver.solve(m, sigma);
          if (v >= best) continue;
          best = v;
          const [a, d, c] = solver.best;
          const p = sviFromQuasi(Math.max(a!, Math.abs(d!) - c!), d!, c!, m, sigma);
          plain = quality(data, (k) => sviTotalVariance(p, k)).insideSpread;
        }
      }
      const { insideSpread, twoSided } = fit.quality;
      assert.ok(insideSpread >= plain + 3, `${code}: ${insideSpread} vs ${plain}`);
      given.push(`${code} ${twoSided - insideSpread}`);
    }
    // 6 and 2 given up. A linear program over a dense (m, σ) grid (measured while writing the
    // fit, not run here) finds 4 and 2 the least any raw SVI leaves outside there; the fifth
    // on 23FEB24 is what holding its at-the-money quotes inside costs, the sixth where this
    // search ends among that expiry's valleys (with every solve started from the mids it
    // found a smile giving up 5, at a quarter more time for the chain).
    assert.deepEqual(given, ['23FEB24 6', '29MAR24 2']);
  });

  it('flags no arbitrage on the recorded chain', () => {
    const surface = fitSurface(smiles);
    assert.equal(surface.expiries.length, 11);
    assert.equal(surface.flagged, false);
    assert.equal(surface.arbitrageFree, true);
  });
});

describe('the ETH chain: ATM', () => {
  const chain = loadEthChain();

  it('fitted ATM vol within max(0.2 vol points, one tick) of the near-the-money mid', () => {
    const surface = fitSurface(chain.expiries.map((e) => expiryFromPrices(e)));
    let checked = 0;
    for (const e of chain.expiries) {
      const code = chain.codes.get(e.expiryMs)!;
      const fit = surface.expiries.find((f) => f.expiryMs === e.expiryMs)!;
      const quotes = expiryFromPrices(e, 'all').quotes.filter(
        (q) => q.bidIv !== null && q.askIv !== null,
      );
      const strikes = [...new Set(quotes.map((q) => q.strike))].sort((a, b) => a - b);
      const below = strikes.filter((K) => K <= e.forward).pop()!;
      const above = strikes.find((K) => K > e.forward)!;
      const tightMid = (K: number): number => {
        const q = quotes
          .filter((x) => x.strike === K)
          .reduce((b, x) => (x.askIv! - x.bidIv! < b.askIv! - b.bidIv! ? x : b));
        return 0.5 * (q.bidIv! + q.askIv!);
      };
      const kb = Math.log(below / e.forward);
      const ka = Math.log(above / e.forward);
      const ref = tightMid(below) + ((tightMid(above) - tightMid(below)) * -kb) / (ka - kb);
      const atm = Math.sqrt(sviTotalVariance(fit.params, 0) / e.years);
      // A tick's worth of vol at the money: tick·F / (F·φ(d₁)·√T).
      const s = atm * Math.sqrt(e.years);
      const tickVol = TICK_ETH / (normPdf(0.5 * s) * Math.sqrt(e.years));
      const tolerance = Math.max(0.002, tickVol);
      assert.ok(
        Math.abs(atm - ref) <= tolerance,
        `${code}: fitted ATM ${atm} mid ${ref} tolerance ${tolerance}`,
      );
      checked++;
    }
    assert.equal(checked, 11);
  });

  it('the 30-day index interpolates 26JAN24 and 23FEB24 and sits above the 30-day ATM vol', () => {
    const smiles = chain.expiries.map((e) => expiryFromPrices(e));
    const index = volIndex(smiles);
    assert.equal(index.method, 'interpolated');
    assert.equal(chain.codes.get(index.near!.expiryMs), '26JAN24');
    assert.equal(chain.codes.get(index.next!.expiryMs), '23FEB24');
    const grid = surfaceGrid(fitSurface(smiles).expiries);
    const atm30 = grid.rows.find((r) => r.days === 30)!.readouts.atmIv!;
    // A convex smile makes the variance strip worth more than the ATM vol.
    assert.ok(index.value! > atm30 && index.value! < atm30 + 0.15, `${index.value} vs ${atm30}`);
  });
});
