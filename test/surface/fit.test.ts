import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  butterflyRange,
  butterflyViolation,
  calendarViolation,
  expiryFromPrices,
  fitSmile,
  fitSurface,
  gridPoints,
  isValidSvi,
  sviG,
  sviTotalVariance,
  type ExpiryChain,
  type SmileQuote,
  type SviParams,
} from '../../src/surface/index.js';
import { fitObjective, prepareFitData } from '../../src/surface/fit-data.js';
import { flatChain, maxVolError, NOW_MS, DAY_MS, quoteSmile, ssviSlice } from './synthetic.js';

const DAYS = [7, 14, 30, 60, 120, 240];
const RHO = -0.3;

function ssviSurface(): ReturnType<typeof quoteSmile>[] {
  // θ(T) = 0.49·T·(1 + 0.2·T): ATM vol near 70 %, rising slowly; η = 1, γ = ½, |ρ| = 0.3.
  return DAYS.map((d, i) => {
    const T = d / 365;
    return quoteSmile(ssviSlice(0.49 * T * (1 + 0.2 * T), RHO, 1, 0.5), d, { seed: 100 + i });
  });
}

/** Vogt's raw SVI (Gatheral–Jacquier 2014, §5): valid, but g < 0 around k ≈ 0.6–1.1. */
const VOGT: SviParams = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };

function ivChain(p: SviParams, years: number, ks: readonly number[], half: number): ExpiryChain {
  return {
    expiryMs: NOW_MS + Math.round(years * 365) * DAY_MS,
    years,
    forward: 100,
    quotes: ks.map((k): SmileQuote => {
      const iv = Math.sqrt(sviTotalVariance(p, k) / years);
      return {
        strike: 100 * Math.exp(k),
        type: k < 0 ? 'put' : 'call',
        bidIv: iv - half,
        askIv: iv + half,
      };
    }),
  };
}

describe('SVI fit on a synthetic arbitrage-free surface (SSVI, 2-vol-point spreads, seeded noise)', () => {
  const smiles = ssviSurface();

  it('puts every quote inside its spread and recovers the smile within half a spread', () => {
    for (const { chain, truth } of smiles) {
      const fit = fitSmile(chain);
      assert.ok(fit !== null);
      assert.equal(fit.kind, 'svi');
      assert.equal(fit.quality.twoSided, 31);
      assert.equal(
        fit.quality.insideSpread,
        31,
        `T=${chain.years}: ${JSON.stringify(fit.quality)}`,
      );
      const err = maxVolError(fit.params, truth, chain);
      assert.ok(err < 0.01, `T=${chain.years}: max vol error ${err}`);
    }
  });

  it('recovers the raw parameters closely', () => {
    for (const { chain, truth } of smiles) {
      const p = fitSmile(chain)!.params;
      const where = `T=${chain.years.toFixed(3)} fit ${JSON.stringify(p)} truth ${JSON.stringify(truth)}`;
      assert.ok(isValidSvi(p), where);
      assert.ok(Math.abs(p.rho - truth.rho) < 0.1, where);
      assert.ok(Math.abs(p.b / truth.b - 1) < 0.15, where);
      assert.ok(Math.abs(p.m - truth.m) < 0.02, where);
      assert.ok(Math.abs(p.sigma / truth.sigma - 1) < 0.25, where);
    }
  });

  it('flags no arbitrage on the whole surface', () => {
    const surface = fitSurface(smiles.map((s) => s.chain));
    assert.equal(surface.expiries.length, DAYS.length);
    assert.equal(surface.flagged, false);
    assert.equal(surface.arbitrageFree, true);
    for (const e of surface.expiries) assert.deepEqual(e.arbitrage, []);
  });

  it('a warm start from the previous fit lands on the same quality as a cold fit', () => {
    const cold = fitSurface(smiles.map((s) => s.chain));
    // The next settle: the same market, nudged by a tenth of a vol point.
    const nudged = smiles.map(({ chain }) => ({
      ...chain,
      quotes: chain.quotes.map((q) => ({ ...q, bidIv: q.bidIv! + 0.001, askIv: q.askIv! + 0.001 })),
    }));
    const warm = fitSurface(nudged, { warmStart: cold });
    const fresh = fitSurface(nudged);
    warm.expiries.forEach((e, i) => {
      assert.equal(e.quality.insideSpread, fresh.expiries[i]!.quality.insideSpread);
      assert.ok(e.quality.rmsOutside <= fresh.expiries[i]!.quality.rmsOutside + 1e-6);
    });
  });
});

describe('one quote off the smile (a stale price)', () => {
  const T = 30 / 365;
  const truth = ssviSlice(0.5 * T, RHO, 1, 0.5);
  const ks = Array.from({ length: 25 }, (_, i) => -0.4 + (0.8 * i) / 24);
  // A wing quote, then the quote struck at the forward (the at-the-money hold does not keep a
  // quote that far off).
  for (const [OFF, shift] of [
    [20, 0.01],
    [20, 0.03],
    [20, 0.1],
    [12, 0.01],
    [12, 0.03],
  ] as const) {
    it(`at k = ${ks[OFF]!.toFixed(2)}, ${shift * 100} vol points off: given up on, every other quote inside, the smile not bent`, () => {
      const chain = ivChain(truth, T, ks, 0.0025);
      const quotes = chain.quotes.map((q, i) =>
        i === OFF ? { ...q, bidIv: q.bidIv! + shift, askIv: q.askIv! + shift } : q,
      );
      const fit = fitSmile({ ...chain, quotes })!;
      assert.equal(fit.quality.insideSpread, 24, JSON.stringify(fit.quality));
      const off = quotes[OFF]!;
      const iv = Math.sqrt(sviTotalVariance(fit.params, Math.log(off.strike / 100)) / T);
      assert.ok(iv < off.bidIv!, `the off quote: fitted ${iv}, bid ${off.bidIv}`);
      const others = { ...chain, quotes: chain.quotes.filter((_, i) => i !== OFF) };
      const err = maxVolError(fit.params, truth, others);
      assert.ok(err <= 0.0025, `${err} from the true smile`);
    });
  }
});

describe('planted arbitrage', () => {
  const ks = Array.from({ length: 31 }, (_, i) => -1.2 + i * 0.08);

  it("Vogt's smile has butterfly arbitrage (the check itself)", () => {
    const grid = gridPoints(-1.5, 1.5, 301);
    const v = butterflyViolation(VOGT, grid);
    assert.ok(v !== null);
    assert.ok(v.kFrom > 0.4 && v.kTo < 1.4, JSON.stringify(v));
    assert.ok(v.worst < -0.02);
    assert.ok(sviG(VOGT, 0) > 0);
  });

  it('a chain quoted on a butterfly-arbitrage smile is flagged and repaired', () => {
    const chain = ivChain(VOGT, 1, ks, 0.002);
    const surface = fitSurface([chain]);
    const [e] = surface.expiries;
    assert.ok(e !== undefined);
    assert.equal(surface.flagged, true);
    assert.equal(e.arbitrage.length, 1);
    const flag = e.arbitrage[0]!;
    assert.equal(flag.check, 'butterfly');
    assert.ok(flag.kFrom < 0.9 && flag.kTo > 0.9, JSON.stringify(flag));
    assert.ok(flag.worst < 0);
    assert.equal(flag.repaired, true);
    assert.equal(surface.arbitrageFree, true);
    const [from, to] = butterflyRange(e.kMin, e.kMax);
    assert.equal(butterflyViolation(e.params, gridPoints(from, to, 121)), null);
    // Repairing costs fit: the quotes themselves are arbitrageable.
    assert.ok(e.quality.insideSpread < e.quality.twoSided);
  });

  it('the next refit repairs from the last repair: passing, and as good as a repair from scratch', () => {
    const first = fitSurface([ivChain(VOGT, 1, ks, 0.002)]);
    // The next settles: the same market, then a tenth of a vol point up, a tenth down again.
    for (const shift of [0, 0.001, -0.001, 0.0005]) {
      const chain = ivChain({ ...VOGT, a: VOGT.a + 2 * shift * 0.65 }, 1, ks, 0.002);
      const warm = fitSurface([chain], { warmStart: first });
      const cold = fitSurface([chain]);
      const [w, c] = [warm.expiries[0]!, cold.expiries[0]!];
      assert.equal(w.arbitrage[0]!.repaired, true);
      const [from, to] = butterflyRange(w.kMin, w.kMax);
      assert.equal(butterflyViolation(w.params, gridPoints(from, to, 121)), null);
      // Judged on what both minimise: the fit objective over the passing smiles.
      const data = prepareFitData(chain);
      const objective = (p: SviParams): number => fitObjective(data, (k) => sviTotalVariance(p, k));
      assert.ok(
        objective(w.params) <= objective(c.params) * 1.05,
        `${shift}: warm ${objective(w.params)} cold ${objective(c.params)}`,
      );
    }
  });

  it('without repair the same fit is flagged and the surface is not clean', () => {
    const surface = fitSurface([ivChain(VOGT, 1, ks, 0.002)], { repair: false });
    const flag = surface.expiries[0]!.arbitrage[0]!;
    assert.equal(flag.check, 'butterfly');
    assert.equal(flag.repaired, false);
    assert.equal(surface.arbitrageFree, false);
    assert.equal(surface.flagged, true);
  });

  it('a later expiry quoted below the earlier one in total variance is a calendar arbitrage', () => {
    // 30 days at 80 % then 60 days at 50 %: w falls from 0.0526 to 0.0411 at every k.
    const near = flatChain(0.8, 30);
    const far = flatChain(0.5, 60);
    const surface = fitSurface([far, near]);
    assert.equal(surface.expiries[0]!.years, near.years);
    assert.deepEqual(surface.expiries[0]!.arbitrage, []);
    const flags = surface.expiries[1]!.arbitrage;
    const cal = flags.find((f) => f.check === 'calendar');
    assert.ok(cal !== undefined, JSON.stringify(flags));
    assert.ok(cal.worst < -0.01, JSON.stringify(cal));
    assert.ok(cal.kFrom < 0 && cal.kTo > 0);
    assert.equal(cal.repaired, true);
    const grid = gridPoints(cal.kFrom, cal.kTo, 50);
    assert.equal(
      calendarViolation(surface.expiries[0]!.params, surface.expiries[1]!.params, grid),
      null,
    );

    const flaggedOnly = fitSurface([far, near], { repair: false });
    assert.equal(flaggedOnly.arbitrageFree, false);
    assert.equal(flaggedOnly.expiries[1]!.arbitrage[0]!.repaired, false);
  });
});

describe('fallbacks and bad input', () => {
  const truth = ssviSlice(0.49 * (30 / 365), RHO, 1, 0.5);
  const full = quoteSmile(truth, 30, { strikes: 21 }).chain;

  function keep(n: number): ExpiryChain {
    // n two-sided quotes around the money.
    const sorted = [...full.quotes].sort(
      (x, y) =>
        Math.abs(Math.log(x.strike / full.forward)) - Math.abs(Math.log(y.strike / full.forward)),
    );
    return { ...full, quotes: sorted.slice(0, n) };
  }

  it('fewer than five two-sided quotes: a reduced fit (m = 0, σ held), valid and inside', () => {
    const fit = fitSmile(keep(4));
    assert.ok(fit !== null);
    assert.equal(fit.kind, 'svi-reduced');
    assert.equal(fit.params.m, 0);
    assert.ok(isValidSvi(fit.params));
    assert.equal(fit.quality.insideSpread, 4);
  });

  it('one or two quotes: a flat smile at their level', () => {
    const fit = fitSmile(keep(1));
    assert.ok(fit !== null);
    assert.equal(fit.kind, 'flat');
    assert.equal(fit.params.b, 0);
    assert.ok(isValidSvi(fit.params));
    assert.equal(fit.quality.insideSpread, 1);
  });

  it('an expiry with no usable quote is skipped, an expired one too, and said so', () => {
    const empty: ExpiryChain = { ...full, expiryMs: full.expiryMs + 1, quotes: [] };
    const expired: ExpiryChain = { ...full, expiryMs: full.expiryMs + 2, years: 0 };
    const surface = fitSurface([full, empty, expired]);
    assert.equal(surface.expiries.length, 1);
    assert.deepEqual(surface.skipped, [
      { expiryMs: expired.expiryMs, reason: 'expired' },
      { expiryMs: empty.expiryMs, reason: 'no-quotes' },
    ]);
  });

  it('one-sided quotes bound the fit from their side only', () => {
    const fit = fitSmile({
      ...full,
      quotes: full.quotes.map((q, i) => (i % 3 === 0 ? { ...q, askIv: null } : q)),
    });
    assert.ok(fit !== null);
    assert.ok(fit.quality.quotes > fit.quality.twoSided);
    assert.equal(fit.quality.maxOutside < 1e-4, true, JSON.stringify(fit.quality));
  });

  it('rejects an expiry without a time or a forward, and a bad price chain', () => {
    assert.throws(() => fitSmile({ ...full, years: 0 }), RangeError);
    assert.throws(() => fitSmile({ ...full, forward: NaN }), RangeError);
    assert.throws(
      () =>
        expiryFromPrices({ expiryMs: 0, years: 0.1, forward: -1, style: 'inverse', quotes: [] }),
      RangeError,
    );
  });

  it('prices become IVs through the inverse convention (coin premium × forward = USD)', () => {
    const F = 2_000;
    const T = 30 / 365;
    const chain = expiryFromPrices({
      expiryMs: 0,
      years: T,
      forward: F,
      style: 'inverse',
      // 0.05 ETH bid and 0.055 ask on the 2000 call, below intrinsic on the 1800 call (ITM,
      // dropped under the out-of-the-money rule anyway), nothing on the 2200 put (ITM).
      quotes: [
        { strike: 2_000, type: 'call', bid: 0.05, ask: 0.055 },
        { strike: 1_800, type: 'call', bid: 0.01, ask: 0.2 },
        { strike: 2_200, type: 'put', bid: null, ask: 0.2 },
        { strike: 1_800, type: 'put', bid: null, ask: 0.01 },
      ],
    });
    assert.deepEqual(
      chain.quotes.map((q) => [q.strike, q.type]),
      [
        [2_000, 'call'],
        [1_800, 'put'],
      ],
    );
    const atm = chain.quotes[0]!;
    // ATM call ≈ 0.4·F·σ√T in USD: 0.05 ETH·2000 = 100 USD → σ ≈ 100/(0.4·2000·0.2867) ≈ 0.436.
    assert.ok(Math.abs(atm.bidIv! - 0.4363) < 0.002, String(atm.bidIv));
    assert.ok(atm.askIv! > atm.bidIv!);
    assert.equal(atm.bidUsd, 100);
    assert.equal(chain.quotes[1]!.bidIv, null);
  });
});
