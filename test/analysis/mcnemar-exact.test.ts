import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mcnemarExact } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// [b, c, p] with p = scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue, which for p = ½ also equals
// min(1, 2 * scipy.stats.binom.cdf(min(b, c), b + c, 0.5)) in every case below (both were checked).
const CASES: [number, number, number][] = [
  [1, 0, 1],
  [0, 1, 1],
  [5, 5, 1],
  [10, 11, 1],
  [3, 7, 0.34375],
  [7, 3, 0.34375],
  [0, 10, 0.001953125],
  [0, 25, 5.960464477539063e-8],
  [2, 30, 2.4633482098579407e-7],
  [60, 40, 0.05688793364098089],
  [1000, 1100, 0.03072070786424249],
  [50000, 49000, 0.0014980826229750034],
  [99000, 101000, 7.824328515381007e-6],
  [100000, 100000, 1],
];

test('mcnemarExact matches scipy.stats.binomtest, small and large counts', () => {
  for (const [b, c, expected] of CASES) assertClose(mcnemarExact(b, c), expected, 1e-12, 0, `b=${b} c=${c}`);
});

test('mcnemarExact is symmetric, exactly 1 with no discordant pairs, and capped at 1', () => {
  assert.is(mcnemarExact(0, 0), 1);
  assert.is(mcnemarExact(4, 4), 1);
  assert.is(mcnemarExact(12, 31), mcnemarExact(31, 12));
  // One discordant pair: 2 · P(X ≤ 0) = 2 · ½ = 1, the boundary of the cap.
  assert.is(mcnemarExact(0, 1), 1);
});

test('mcnemarExact rejects negative or fractional counts', () => {
  assert.throws(() => mcnemarExact(-1, 3), RangeError);
  assert.throws(() => mcnemarExact(1.5, 3), RangeError);
});

test.run();
