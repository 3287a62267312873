import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rankWithTies } from '../../analysis/stats/index.ts';

test('rankWithTies counts only lanes whose whole interval is above', () => {
  // A [0.70, 0.90]; B [0.60, 0.80] overlaps A; C [0.30, 0.50] lies below both; D [0.55, 0.65] overlaps B, below A.
  const ranks = rankWithTies([
    { lo: 0.7, hi: 0.9 },
    { lo: 0.6, hi: 0.8 },
    { lo: 0.3, hi: 0.5 },
    { lo: 0.55, hi: 0.65 },
  ]);
  // A: none above → 1. B: none (A.lo 0.70 ≤ 0.80) → 1. C: A, B, D all have lo > 0.50 → 4. D: A.lo 0.70 > 0.65 → 2.
  assert.equal(ranks, [1, 1, 4, 2]);
});

test('rankWithTies ties lanes whose bounds touch (strict >)', () => {
  assert.equal(rankWithTies([{ lo: 0.5, hi: 0.6 }, { lo: 0.4, hi: 0.5 }]), [1, 1]);
});

test('rankWithTies gives identical intervals the same rank and handles empty input', () => {
  const same = { lo: 0.2, hi: 0.4 };
  assert.equal(rankWithTies([same, same, { lo: 0.5, hi: 0.7 }]), [2, 2, 1]);
  assert.equal(rankWithTies([]), []);
});

test('rankWithTies: an unbounded interval ties with everyone; NaN bounds never count', () => {
  const ranks = rankWithTies([
    { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY },
    { lo: 0.8, hi: 0.9 },
    { lo: 0.1, hi: 0.2 },
    { lo: Number.NaN, hi: Number.NaN },
  ]);
  assert.equal(ranks, [1, 1, 2, 1]);
});

test.run();
