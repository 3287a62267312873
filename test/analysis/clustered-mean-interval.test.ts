import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clusteredMeanInterval, meanInterval } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// Reference (numpy): e = v - v.mean(); S_g = per-cluster sums of e; se = sqrt(G/(G-1) * sum(S_g**2) / n**2);
// lo, hi = scipy.stats.t.interval(0.95, G-1, loc=v.mean(), scale=se). Cross-checked against the matrix sandwich
// G/(G-1) (X'X)^-1 (sum_g X_g' e_g e_g' X_g) (X'X)^-1 with X a column of ones: same se, 0.04600724580614087.
test('clusteredMeanInterval matches the CR1 cluster-robust interval', () => {
  const values = [1, 0, 1, 1, 0, 0, 1, 0.5, 0.25, 1];
  const clusters = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'd', 'd'];
  const r = clusteredMeanInterval(values.map((value, i) => ({ value, cluster: clusters[i] })));
  assertClose(r.mean, 0.575, 1e-15);
  assertClose(r.se, 0.04600724580614087, 1e-14);
  assertClose(r.lo, 0.4285844105679676, 1e-14);
  assertClose(r.hi, 0.7214155894320323, 1e-14);
  assert.equal([r.df, r.n, r.clusters], [3, 10, 4]);
});

test('clusteredMeanInterval with one item per cluster reduces to the ordinary t-interval', () => {
  const values = [0.2, 0.9, 0.4, 0.75, 0.6, 1.0, 0.0, 0.35];
  const clustered = clusteredMeanInterval(values.map((value, i) => ({ value, cluster: `item-${i}` })));
  const plain = meanInterval(values);
  // Same numbers as scipy.stats.t.interval(0.95, 7, loc=0.525, scale=0.12320134507614527).
  assertClose(clustered.se, 0.12320134507614527, 1e-14);
  assertClose(clustered.lo, 0.23367511160409565, 1e-14);
  assertClose(clustered.hi, 0.8163248883959044, 1e-14);
  for (const key of ['mean', 'se', 'lo', 'hi'] as const) assertClose(clustered[key], plain[key], 1e-14, 0, key);
  assert.is(clustered.df, plain.df);
  assert.is(clustered.clusters, 8);
});

test('clusteredMeanInterval with two clusters uses df = 1', () => {
  const r = clusteredMeanInterval([
    { value: 0.2, cluster: 'x' },
    { value: 0.8, cluster: 'x' },
    { value: 0.5, cluster: 'y' },
    { value: 0.9, cluster: 'y' },
  ]);
  assertClose(r.se, 0.09999999999999999, 1e-14);
  assertClose(r.lo, -0.6706204736174693, 1e-14);
  assertClose(r.hi, 1.8706204736174694, 1e-14);
  assert.is(r.df, 1);
});

test('clusteredMeanInterval with a single cluster is unbounded, with se NaN', () => {
  const r = clusteredMeanInterval([
    { value: 0, cluster: 'only' },
    { value: 1, cluster: 'only' },
  ]);
  assert.is(r.mean, 0.5);
  assert.ok(Number.isNaN(r.se));
  assert.equal([r.lo, r.hi, r.df, r.clusters], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 1]);
  const none = clusteredMeanInterval([]);
  assert.ok(Number.isNaN(none.mean));
  assert.equal([none.df, none.n, none.clusters], [0, 0, 0]);
});

test.run();
