// Tolerance assertions shared by the analysis tests.

import * as assert from 'uvu/assert';

/** Asserts |actual − expected| ≤ max(rtol · |expected|, atol); equal infinities and NaN against NaN pass. */
export function assertClose(actual: number, expected: number, rtol = 1e-14, atol = 0, label = ''): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${label} expected NaN, got ${actual}`);
  if (!Number.isFinite(expected)) return assert.is(actual, expected, `${label} expected ${expected}, got ${actual}`);
  const error = Math.abs(actual - expected);
  const allowed = Math.max(rtol * Math.abs(expected), atol);
  assert.ok(error <= allowed, `${label} expected ${expected}, got ${actual} (error ${error.toExponential(2)} > ${allowed.toExponential(2)})`);
}
