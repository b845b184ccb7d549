import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import bs from 'black-scholes';
import {
  REF_DIGITS,
  exactDecimal,
  refBlack76,
  refBlack76Pair,
  refErfc,
  refNormCdf,
} from './reference.js';

// Expected values below with more than 17 digits were computed independently
// with mpmath 1.3.0 (ncdf / log / sqrt at 100 decimal places, inputs taken as
// the exact binary doubles), not with this module.

// decimal.js defaults to 20 digits; expected values need all of theirs.
const HP = Decimal.clone({ precision: 80 });

function relErr(actual: Decimal, expected: Decimal.Value): number {
  const e = new HP(expected);
  return actual.minus(e).abs().div(e.abs()).toNumber();
}

function assertRel(actual: Decimal, expected: Decimal.Value, tol: number, what: string): void {
  const r = relErr(actual, expected);
  assert.ok(r <= tol, `${what}: relative error ${r} > ${tol} (got ${actual.toString()})`);
}

void describe('refNormCdf', () => {
  void it('Φ(0) is exactly one half', () => {
    assert.equal(refNormCdf(0).toString(), '0.5');
  });

  void it('Φ(−1) to well beyond 30 digits', () => {
    const expected = '0.158655253931457051414767454367962077522087033273395609012606';
    assert.ok(refNormCdf(-1).minus(expected).abs().lt('1e-48'));
  });

  void it('Φ(−10)', () => {
    // The value quoted in the task brief, 7.6198530241604807e-24, is wrong from
    // the 14th digit on (R's pnorm(-10) = 7.619853024160527e-24 agrees with this).
    assertRel(
      refNormCdf(-10),
      '7.61985302416052606597334325159930836350403327795696057803536e-24',
      1e-45,
      'Φ(−10)',
    );
  });

  void it('Φ(−37) and Φ(−38): the bottom of the float64 range', () => {
    assertRel(
      refNormCdf(-37),
      '5.72557122252457682268319254827320165643278624283290188167285e-300',
      1e-45,
      'Φ(−37)',
    );
    assertRel(
      refNormCdf(-38),
      '2.88542836006878430835097048156690409466181777294558233258911e-316',
      1e-45,
      'Φ(−38)',
    );
  });

  void it('values on both sides of the series / continued-fraction switch', () => {
    const cases: [number, string][] = [
      [-3, '0.00134989803163009452665181476759497737782936815838064936422199'],
      [-5, '2.86651571879193911673752332874645353854423013611889573085493e-7'],
      [9, '0.999999999999999999887141159404615935226449792403125274201996'],
    ];
    for (const [z, expected] of cases) assertRel(refNormCdf(z), expected, 1e-45, `Φ(${z})`);
  });

  void it('Φ(z) + Φ(−z) = 1', () => {
    // 7.07 and 7.08 straddle z = 5√2, where erfc switches algorithm.
    for (const z of [1e-12, 0.1, 0.5, 1.3, 3.7, 5.9, 7.07, 7.08, 8.5]) {
      const sum = refNormCdf(z).plus(refNormCdf(-z));
      assert.ok(sum.minus(1).abs().lt('1e-48'), `z=${z}: ${sum.toString()}`);
    }
  });

  void it('rounds to REF_DIGITS significant digits', () => {
    for (const z of [-1, -2.5, -30]) assert.ok(refNormCdf(z).sd() <= REF_DIGITS);
  });
});

void describe('refErfc', () => {
  void it('Taylor series and continued fraction agree where both are usable', () => {
    for (const x of [2, 3, 4, 5, 6]) {
      const series = refErfc(x, 50, 'series');
      const fraction = refErfc(x, 50, 'fraction');
      assertRel(series, fraction, 1e-48, `erfc(${x}) series vs fraction`);
    }
  });

  void it('is 2 − erfc(−x) for negative x', () => {
    assertRel(refErfc(-1.5), new HP(2).minus(refErfc(1.5)), 1e-49, 'erfc(−1.5)');
  });
});

void describe('exactDecimal', () => {
  void it('keeps every binary digit of a double', () => {
    assert.equal(
      exactDecimal(0.1).toString(),
      '0.1000000000000000055511151231257827021181583404541015625',
    );
  });
});

void describe('refBlack76', () => {
  const minute = 1 / 525_600;
  // [F, K, T, sigma, call, put]
  const known: [number, number, number, number, string, string][] = [
    [
      50000,
      65000,
      0.25,
      0.8,
      '3469.821652108619746623477040693554030657062492508478045',
      '18469.82165210861974662347704069355403065706249250847805',
    ],
    [
      50000,
      50000,
      minute,
      0.01,
      '0.2751391503917211242306484781351710624726015105047440256',
      '0.2751391503917211242306484781351710624726015105047440256',
    ],
    [100, 2000, 0.1, 0.2, '3.22491991274414985542657956803434980270660233724190954e-490', '1900'],
    [
      3000,
      150,
      3,
      5,
      '2999.990535198978540883653048180539224040848946999556799',
      '149.9905351989785408836530481805392240408489469995567994',
    ],
    [
      42000,
      41999,
      0.002,
      0.35,
      '262.7607490292023093922247584853090737566528326924790465',
      '261.7607490292023093922247584853090737566528326924790465',
    ],
    [
      1,
      20,
      1,
      0.3,
      '1.146482108301831956427587965642467324697262742564097291e-24',
      '19.00000000000000000000000114648210830183195642758796564',
    ],
  ];

  void it('matches independently computed values, deep out of the money included', () => {
    for (const [F, K, T, sigma, call, put] of known) {
      const r = refBlack76Pair(F, K, T, sigma);
      assertRel(r.call, call, 1e-45, `call F=${F} K=${K} T=${T} σ=${sigma}`);
      assertRel(r.put, put, 1e-45, `put F=${F} K=${K} T=${T} σ=${sigma}`);
      assert.ok(refBlack76(F, K, T, sigma, 'call').eq(r.call));
      assert.ok(refBlack76(F, K, T, sigma, 'put').eq(r.put));
    }
  });

  void it('satisfies put–call parity C − P = F − K', () => {
    const Fs = [1, 97.3, 42_000, 2_500_000];
    const logMoneyness = [-3, -0.7, -1e-6, 0, 1e-4, 0.2, 3];
    for (const F of Fs) {
      for (const x of logMoneyness) {
        for (const [T, sigma] of [
          [minute, 0.05],
          [0.02, 0.6],
          [3, 4.5],
        ] as const) {
          const K = F * Math.exp(-x);
          const { call, put } = refBlack76Pair(F, K, T, sigma);
          const gap = call.minus(put).minus(exactDecimal(F).minus(exactDecimal(K)));
          assert.ok(gap.abs().lt('1e-30'), `F=${F} x=${x} T=${T} σ=${sigma}: ${gap.toString()}`);
        }
      }
    }
  });

  void it('agrees with a plain float64 Black-76 at a benign point', () => {
    // Black-76 written out in doubles; Φ borrowed from the black-scholes package,
    // whose series is accurate to ~1e-15 for |d| ≲ 2.
    const F = 100;
    const K = 110;
    const T = 0.5;
    const sigma = 0.6;
    const s = sigma * Math.sqrt(T);
    const d1 = Math.log(F / K) / s + s / 2;
    const d2 = d1 - s;
    const call = F * bs.stdNormCDF(d1) - K * bs.stdNormCDF(d2);
    const put = K * bs.stdNormCDF(-d2) - F * bs.stdNormCDF(-d1);
    assertRel(refBlack76(F, K, T, sigma, 'call'), call, 1e-13, 'call');
    assertRel(refBlack76(F, K, T, sigma, 'put'), put, 1e-13, 'put');
  });

  void it('rejects inputs outside the model', () => {
    assert.throws(() => refBlack76(0, 100, 1, 0.5, 'call'), RangeError);
    assert.throws(() => refBlack76(100, 100, -1, 0.5, 'put'), RangeError);
    assert.throws(() => refBlack76(100, 100, 1, Number.NaN, 'call'), RangeError);
  });
});
