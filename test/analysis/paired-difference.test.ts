import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MDE_MULTIPLIER, pairedDifference } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// q7 only in A and q8 only in B: the comparison uses the six shared items q1..q6.
const A = new Map(Object.entries({ q1: 1, q2: 0.5, q3: 0, q4: 1, q5: 0.75, q6: 0.25, q7: 1 }));
const B = new Map(Object.entries({ q1: 0.5, q2: 0.5, q3: 0.25, q4: 0, q5: 1, q6: 0, q8: 1 }));

test('MDE_MULTIPLIER is z(.975) + z(.8)', () => {
  // scipy.stats.norm.ppf(0.975) + scipy.stats.norm.ppf(0.8)
  assertClose(MDE_MULTIPLIER, 2.8015852181129683, 1e-15);
});

test('pairedDifference over shared items matches numpy/scipy', () => {
  // d = A - B over shared; se = d.std(ddof=1)/sqrt(6); lo, hi = scipy.stats.t.interval(0.95, 5, loc=d.mean(), scale=se)
  const r = pairedDifference(A, B);
  assert.is(r.n, 6);
  assertClose(r.meanA, 0.5833333333333334, 1e-15);
  assertClose(r.meanB, 0.375, 1e-15);
  assertClose(r.diff, 0.20833333333333334, 1e-15);
  assertClose(r.se, 0.19808107206674525, 1e-14);
  assertClose(r.lo, -0.3008502725048098, 1e-14);
  assertClose(r.hi, 0.7175169391714765, 1e-14);
  assert.is(r.df, 5);
  // np.corrcoef(A, B)[0, 1]
  assertClose(r.correlation, 0.2422718559261745, 1e-14);
  // (norm.ppf(0.975) + norm.ppf(0.8)) * se
  assertClose(r.mde, 0.5549410034901631, 1e-14);
  assert.is(r.mcnemar, undefined);
});

test('pairedDifference with clusters uses the CR1 standard error on G − 1 df', () => {
  // Clusters g1 = {q1, q2}, g2 = {q3, q4}, g3 = {q5}; q6 is not in the map, so it is its own cluster: G = 4.
  // Reference: the numpy CR1 formula of clustered-mean-interval.test.ts applied to d with those labels.
  const clusters = new Map(Object.entries({ q1: 'g1', q2: 'g1', q3: 'g2', q4: 'g2', q5: 'g3' }));
  const r = pairedDifference(A, B, { clusters });
  assertClose(r.diff, 0.20833333333333334, 1e-15);
  assertClose(r.se, 0.11053089246586409, 1e-14);
  assertClose(r.lo, -0.14342529701436665, 1e-14);
  assertClose(r.hi, 0.5600919636810333, 1e-14);
  assert.is(r.df, 3);
  assertClose(r.mde, 0.30966171447719887, 1e-14);
});

test('pairedDifference on binary outcomes adds the exact McNemar test', () => {
  const a = [1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1];
  const b = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1];
  const r = pairedDifference(new Map(a.map((v, i) => [`i${i}`, v])), new Map(b.map((v, i) => [`i${i}`, v])), { binary: true });
  // b = #(A=1, B=0) = 5, c = #(A=0, B=1) = 1; p = scipy.stats.binomtest(1, 6, 0.5).pvalue
  assert.equal(r.mcnemar, { b: 5, c: 1, p: 0.21875 });
  assertClose(r.diff, 0.3333333333333333, 1e-15);
  assertClose(r.se, 0.18802535827258873, 1e-14);
  assertClose(r.lo, -0.08050768994554813, 1e-14);
  assertClose(r.hi, 0.7471743566122148, 1e-14);
  assertClose(r.correlation, 0.125, 1e-14);
});

test('pairedDifference refuses non-0/1 values when binary', () => {
  assert.throws(() => pairedDifference(A, B, { binary: true }), /binary comparison needs 0\/1 values, item "q1" has 1 and 0.5/);
});

test('pairedDifference with no shared items is empty but well defined', () => {
  const r = pairedDifference(new Map([['x', 1]]), new Map([['y', 0]]), { binary: true });
  assert.is(r.n, 0);
  for (const value of [r.meanA, r.meanB, r.diff, r.se, r.correlation, r.mde]) assert.ok(Number.isNaN(value));
  assert.equal([r.lo, r.hi, r.df], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0]);
  assert.equal(r.mcnemar, { b: 0, c: 0, p: 1 });
});

test('pairedDifference correlation is NaN when one side is constant; identical lanes differ by exactly 0', () => {
  const a = new Map([['p', 1], ['q', 1], ['r', 1]]);
  const b = new Map([['p', 0], ['q', 1], ['r', 0]]);
  assert.ok(Number.isNaN(pairedDifference(a, b).correlation));
  const same = pairedDifference(b, b, { binary: true });
  assert.equal([same.diff, same.se, same.lo, same.hi, same.mde, same.correlation], [0, 0, 0, 0, 0, 1]);
  assert.equal(same.mcnemar, { b: 0, c: 0, p: 1 });
});

test.run();
