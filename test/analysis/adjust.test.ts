import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { adjustBenjaminiHochberg, adjustHolm, computeHolmLevels } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// Expected values from plain numpy, following statsmodels.stats.multitest.multipletests:
//   o = np.argsort(p, kind='mergesort'); s = p[o]; m = len(p)
//   holm: np.minimum(np.maximum.accumulate((m - np.arange(m)) * s), 1), then scattered back to o
//   bh:   np.minimum(np.minimum.accumulate((s / (np.arange(1, m+1) / m))[::-1])[::-1], 1), scattered back to o
const CASES: { ps: number[]; holm: number[]; bh: number[] }[] = [
  {
    ps: [0.01, 0.04, 0.03, 0.005, 0.2],
    holm: [0.04, 0.09, 0.09, 0.025, 0.2],
    bh: [0.024999999999999998, 0.049999999999999996, 0.049999999999999996, 0.024999999999999998, 0.2],
  },
  { ps: [0.02, 0.02, 0.5, 0.001], holm: [0.06, 0.06, 0.5, 0.004], bh: [0.02666666666666667, 0.02666666666666667, 0.5, 0.004] },
  { ps: [0.3, 0.6, 0.9, 1], holm: [1, 1, 1, 1], bh: [1, 1, 1, 1] },
  { ps: [0, 0.049, 0.051, 1], holm: [0, 0.14700000000000002, 0.14700000000000002, 1], bh: [0, 0.06799999999999999, 0.06799999999999999, 1] },
  { ps: [0.04], holm: [0.04], bh: [0.04] },
];

/** Asserts two arrays agree element by element (NaN matches NaN). */
function assertAllClose(actual: number[], expected: number[], label: string): void {
  assert.is(actual.length, expected.length, label);
  actual.forEach((value, i) => assertClose(value, expected[i], 1e-15, 0, `${label}[${i}]`));
}

const holmSuite = suite('adjustHolm');

holmSuite('matches statsmodels holm, in input order, with ties and the cap at 1', () => {
  for (const { ps, holm } of CASES) assertAllClose(adjustHolm(ps), holm, `holm(${ps})`);
});

holmSuite('leaves NaN out of m and in place', () => {
  // numpy reference on the three non-NaN values [0.01, 0.04, 0.03] → [0.03, 0.06, 0.06]
  assertAllClose(adjustHolm([0.01, Number.NaN, 0.04, 0.03]), [0.03, Number.NaN, 0.06, 0.06], 'holm with NaN');
  assert.equal(adjustHolm([]), []);
});

holmSuite('rejects values outside [0, 1]', () => {
  assert.throws(() => adjustHolm([0.5, 1.2]), RangeError);
  assert.throws(() => adjustHolm([-0.1]), RangeError);
});

holmSuite.run();

const bhSuite = suite('adjustBenjaminiHochberg');

bhSuite('matches statsmodels fdr_bh, in input order, monotone, capped at 1', () => {
  for (const { ps, bh } of CASES) assertAllClose(adjustBenjaminiHochberg(ps), bh, `bh(${ps})`);
});

bhSuite('leaves NaN out of m and in place', () => {
  // numpy reference on [0.01, 0.04, 0.03] → [0.030000000000000002, 0.04, 0.04]
  assertAllClose(adjustBenjaminiHochberg([Number.NaN, 0.01, 0.04, 0.03]), [Number.NaN, 0.030000000000000002, 0.04, 0.04], 'bh with NaN');
  assert.equal(adjustBenjaminiHochberg([]), []);
});

bhSuite('is never above Holm', () => {
  for (const { ps } of CASES) {
    const bh = adjustBenjaminiHochberg(ps);
    adjustHolm(ps).forEach((holm, i) => assert.ok(bh[i] <= holm, `${ps}[${i}]`));
  }
});

bhSuite.run();

const levelsSuite = suite('computeHolmLevels');

levelsSuite('each hypothesis gets the step-down level it was tested at; after the first failure, that step\'s level', () => {
  // By hand, m = 4, α = .05, sorted p: .005 (4 × .005 = .02, rejected, level .05/4), .01 (3 × .01 = .03, rejected,
  // level .05/3), .03 (2 × .03 = .06, not rejected: Holm stops at level .05/2), .04 (after the stop: .05/2).
  assertAllClose(computeHolmLevels([0.01, 0.04, 0.03, 0.005]), [0.05 / 3, 0.025, 0.025, 0.0125], 'levels');
  // Stopped at the first step (3 × .03 = .09): .045 is below its own step's α/1 but is tested at .05/3, as Holm
  // does not reject it.
  assertAllClose(computeHolmLevels([0.03, 0.04, 0.045]), [0.05 / 3, 0.05 / 3, 0.05 / 3], 'stopped at once');
  assertAllClose(computeHolmLevels([Number.NaN, 0.2]), [Number.NaN, 0.05], 'NaN left out of m');
  assert.equal(computeHolmLevels([]), []);
});

levelsSuite('p below its level exactly when Holm rejects', () => {
  for (const { ps } of CASES) {
    const levels = computeHolmLevels(ps);
    adjustHolm(ps).forEach((holm, i) => assert.is(ps[i] < levels[i], holm < 0.05, `${ps}[${i}]`));
  }
});

levelsSuite.run();
