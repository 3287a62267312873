import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wilsonInterval } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// [successes, n, confidence, lo, hi] with
// ci = scipy.stats.binomtest(k, n).proportion_ci(confidence_level=c, method='wilson'); lo, hi = ci.low, ci.high
const CASES: [number, number, number, number, number][] = [
  [7, 10, 0.95, 0.39677814746114526, 0.892208732593699],
  [0, 10, 0.95, 0, 0.27753279986288926],
  [10, 10, 0.95, 0.7224672001371109, 1],
  [1, 1, 0.95, 0.20654931437723745, 1],
  [0, 1, 0.95, 0, 0.7934506856227626],
  [50, 100, 0.99, 0.37527962504483986, 0.6247203749551602],
  [3, 1000, 0.95, 0.0010207838811386186, 0.008783014053503173],
  [199990, 200000, 0.95, 0.9999079551443893, 0.9999728398511128],
  [13, 40, 0.8, 0.23862936829098086, 0.42517462471796025],
];

test('wilsonInterval matches scipy binomtest(...).proportion_ci(method="wilson")', () => {
  for (const [k, n, confidence, lo, hi] of CASES) {
    const interval = wilsonInterval(k, n, confidence);
    assert.is(interval.rate, k / n);
    assertClose(interval.lo, lo, 1e-13, 0, `lo k=${k} n=${n}`);
    assertClose(interval.hi, hi, 1e-13, 0, `hi k=${k} n=${n}`);
  }
});

test('wilsonInterval is exactly 0 / 1 at no and all successes', () => {
  assert.is(wilsonInterval(0, 37).lo, 0);
  assert.is(wilsonInterval(37, 37).hi, 1);
});

test('wilsonInterval with n = 0 has rate NaN and spans [0, 1]', () => {
  const interval = wilsonInterval(0, 0);
  assert.ok(Number.isNaN(interval.rate));
  assert.is(interval.lo, 0);
  assert.is(interval.hi, 1);
});

test('wilsonInterval defaults to 95% and rejects impossible inputs', () => {
  assert.equal(wilsonInterval(7, 10), wilsonInterval(7, 10, 0.95));
  assert.throws(() => wilsonInterval(11, 10), RangeError);
  assert.throws(() => wilsonInterval(-1, 10), RangeError);
  assert.throws(() => wilsonInterval(2.5, 10), RangeError);
  assert.throws(() => wilsonInterval(1, 10, 1), RangeError);
  assert.throws(() => wilsonInterval(1, 10, 0), RangeError);
});

test.run();
