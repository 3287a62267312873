import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mcnemarExact, mcnemarInterval } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

const interval = suite('mcnemarInterval');

// [b, c, n, confidence, lo, hi]: (N/n)(2θ − 1) at the Clopper–Pearson bounds of θ for max(b, c) of N = b + c,
// negated and swapped when c > b; the bounds are scipy 1.17's
// stats.binomtest(max(b, c), b + c).proportion_ci(confidence_level=confidence, method='exact').
const CASES: [number, number, number, number, number, number][] = [
  [7, 0, 30, 0.95, 0.04217901462831065, 0.23333333333333334],
  [8, 2, 20, 0.95, -0.05609546230764151, 0.4747892736731665],
  [2, 8, 20, 0.95, -0.4747892736731665, 0.05609546230764151],
  [6, 0, 10, 0.95, 0.04889024827211941, 0.6],
  [30, 15, 120, 0.95, 0.00787227160622897, 0.22499573399197878],
  [30, 15, 120, 1 - 0.05 / 3, -0.01643108123409806, 0.24252477747588838],
];

interval('matches the Clopper–Pearson bounds mapped to the difference scale (scipy)', () => {
  for (const [b, c, n, confidence, lo, hi] of CASES) {
    const got = mcnemarInterval(b, c, n, confidence);
    assertClose(got.lo, lo, 1e-12, 1e-13, `lo(${b}, ${c}, ${n}, ${confidence})`);
    assertClose(got.hi, hi, 1e-12, 1e-13, `hi(${b}, ${c}, ${n}, ${confidence})`);
  }
});

interval('closed forms with no discordant loss: θ_lo = (α/2)^(1/N), θ_hi = 1', () => {
  // By hand: b = 6, c = 0, p = 2/64 = .03125 < .05; θ_lo = .025^(1/6); d = (6/10)(2θ − 1).
  const got = mcnemarInterval(6, 0, 10, 0.95);
  assertClose(got.lo, 0.6 * (2 * Math.pow(0.025, 1 / 6) - 1), 1e-12);
  assertClose(got.hi, 0.6, 1e-15);
  // b = 5, c = 0, p = 2/32 = .0625: θ_lo = .025^(1/5) = 0.478… < ½, so the interval includes 0.
  assert.ok(mcnemarInterval(5, 0, 10, 0.95).lo < 0);
  assert.equal(mcnemarInterval(0, 0, 10, 0.95), { lo: 0, hi: 0 }, 'no discordant items: [0, 0]');
});

interval('excludes 0 exactly when the exact McNemar p is below 1 − confidence (every b, c ≤ 40, five levels)', () => {
  for (const alpha of [0.05, 0.025, 0.01, 0.05 / 7, 0.001]) {
    for (let b = 0; b <= 40; b++) {
      for (let c = 0; c <= 40; c++) {
        const { lo, hi } = mcnemarInterval(b, c, 100, 1 - alpha);
        assert.is(lo > 0 || hi < 0, mcnemarExact(b, c) < alpha, `b=${b} c=${c} α=${alpha}`);
        assert.ok(lo <= (b - c) / 100 && (b - c) / 100 <= hi, `estimate inside: b=${b} c=${c}`);
      }
    }
  }
});

interval.run();
