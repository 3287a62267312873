import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meanInterval } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// References: m = v.mean(); se = v.std(ddof=1) / sqrt(n); lo, hi = scipy.stats.t.interval(c, n-1, loc=m, scale=se)
test('meanInterval matches the scipy t-interval', () => {
  const r = meanInterval([0.2, 0.9, 0.4, 0.75, 0.6, 1.0, 0.0, 0.35]);
  assertClose(r.mean, 0.525, 1e-15);
  assertClose(r.se, 0.12320134507614527, 1e-14);
  assertClose(r.lo, 0.23367511160409565, 1e-14);
  assertClose(r.hi, 0.8163248883959044, 1e-14);
  assert.is(r.df, 7);
  assert.is(r.n, 8);
});

test('meanInterval at another confidence level', () => {
  const r = meanInterval([0.1, 0.5, 0.3, 0.9, 0.7], 0.9);
  assertClose(r.se, 0.1414213562373095, 1e-14);
  assertClose(r.lo, 0.1985113361875353, 1e-14);
  assertClose(r.hi, 0.8014886638124645, 1e-14);
});

test('meanInterval with two values uses df = 1 (t = 12.706…)', () => {
  const r = meanInterval([3.5, 1.25]);
  assertClose(r.se, 1.125, 1e-15);
  assertClose(r.lo, -11.919480328196531, 1e-14);
  assertClose(r.hi, 16.66948032819653, 1e-14);
  assert.is(r.df, 1);
});

test('meanInterval of identical values has zero width', () => {
  const r = meanInterval([0.5, 0.5, 0.5]);
  assert.equal([r.mean, r.se, r.lo, r.hi], [0.5, 0, 0.5, 0.5]);
});

test('meanInterval with fewer than two values is unbounded, with se NaN', () => {
  const one = meanInterval([0.75]);
  assert.is(one.mean, 0.75);
  assert.ok(Number.isNaN(one.se));
  assert.equal([one.lo, one.hi, one.df, one.n], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 1]);
  const none = meanInterval([]);
  assert.ok(Number.isNaN(none.mean));
  assert.equal([none.lo, none.hi, none.df, none.n], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0]);
});

test('meanInterval rejects a confidence outside (0, 1)', () => {
  assert.throws(() => meanInterval([1, 2], 95), RangeError);
});

test.run();
