// clusteredRateIntervalOf through summarizeItems, the lane interval of a 0/1 metric with replicates or clusters.
// Reference values: scipy 1.17 / numpy 2.4, outside this code base — CR1 by hand in numpy, stats.t.ppf(0.975, G − 1),
// expit(logit(p) ± t·√V/(p(1 − p))) with V = max(V_CR1, p(1 − p)/A); Wilson's formula written out with t for z.
//
// The coverage test draws fresh beta-binomial suites (test/helpers/betaBinomial.ts) at true rates 0.02, 0.5 and 0.98
// and counts how often the 95 % interval holds the true rate. With S = 2000 draws the Monte Carlo standard error of
// a coverage near 95 % is √(.95 · .05 / 2000) = 0.49 points, so the 93–97 % band is about ±4 standard errors.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ItemTotals } from '../../analysis/outcomes.ts';
import { summarizeItems, type RateSummary } from '../../analysis/ranking.ts';
import { clusteredMeanIntervalOf } from '../../analysis/stats/index.ts';
import { createRng } from '../../bench/synthetic.ts';
import { drawClusteredTotals, type ClusteredDesign } from '../helpers/betaBinomial.ts';
import { assertClose } from './close.ts';

const TOL = 1e-12;

function totals(rows: readonly [string, number, number][]): ItemTotals {
  return new Map(rows.map(([cluster, total, attempts], i) => [`q${i}`, { cluster, total, attempts }]));
}

/** Asserts the method and, to TOL, every number of a summary. */
function assertSummary(s: RateSummary, expected: Pick<RateSummary, 'method' | 'rate' | 'se' | 'lo' | 'hi' | 'designEffect'>): void {
  assert.is(s.method, expected.method);
  for (const key of ['rate', 'se', 'lo', 'hi', 'designEffect'] as const) assertClose(s[key], expected[key], TOL, 0, key);
}

const reference = suite('clusteredRateIntervalOf');

reference('replicates and clusters: logit-scale clustered t-interval with the design effect', () => {
  const s = summarizeItems(totals([['c1', 2, 3], ['c1', 3, 3], ['c1', 1, 3], ['c2', 0, 3], ['c2', 2, 3], ['c3', 3, 3], ['c3', 3, 3], ['c3', 1, 3]]), true);
  assertSummary(s, { method: 'logit-t', rate: 0.625, se: 0.11517366868487491, lo: 0.1674887073845878, hi: 0.9324647775953138, designEffect: 1.3583333333333336 });
});

reference('one attempt an item in shared clusters: clustered, not Wilson', () => {
  const values = [1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1];
  const s = summarizeItems(totals(values.map((v, i) => [`c${Math.floor(i / 3)}`, v, 1])), true);
  assertSummary(s, { method: 'logit-t', rate: 0.7, se: 0.1048220125784067, lo: 0.42999699584427037, hi: 0.8783031968945755, designEffect: 1.569664902998236 });
});

// 12 items in clusters of 4, 4, 2, 2 with 3 replicates: n_eff = 12² / (16 + 16 + 4 + 4) = 3.6, deff = 36 / 3.6 = 10.
const clustersOf = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'd', 'd'];

reference('0 % and 100 %: Wilson on the worst-case effective size, inside [0, 1] with positive width', () => {
  const zero = summarizeItems(totals(clustersOf.map((c) => [c, 0, 3])), true);
  assert.is(zero.method, 'wilson-deff');
  assert.equal([zero.rate, zero.lo], [0, 0]);
  assertClose(zero.hi, 0.7377615593580762, 1e-12);
  assertClose(zero.designEffect, 10, TOL);
  const all = summarizeItems(totals(clustersOf.map((c) => [c, 3, 3])), true);
  assert.is(all.method, 'wilson-deff');
  assert.equal([all.rate, all.hi], [1, 1]);
  assertClose(all.lo, 0.2622384406419238, 1e-12);
});

reference('a graded score with no spread is not a zero-width interval', () => {
  const s = summarizeItems(totals(clustersOf.map((c) => [c, 2.4, 3])), false);
  assert.is(s.method, 'wilson-deff');
  assertClose(s.rate, 0.8, TOL);
  assertClose(s.lo, 0.16998076870596046, 1e-12);
  assertClose(s.hi, 0.9873622956791936, 1e-12);
});

reference('one cluster: the spread is unknown, the interval is [0, 1]', () => {
  for (const total of [0, 1, 3]) {
    const s = summarizeItems(totals([['only', total, 3], ['only', 1, 3]]), true);
    assert.equal([s.lo, s.hi], [0, 1], `total ${total}`);
  }
});

const coverage = suite('clusteredRateIntervalOf coverage');

const DESIGN: ClusteredDesign = { clusters: 50, itemsPerCluster: 4, replicates: 3, kappa: 20, lambda: 10 };
const DRAWS = 2000;

/** The interval summarizeItems gave before: the clustered t-interval on item means, clipped to [0, 1]. */
function computeClippedT(items: ItemTotals): { lo: number; hi: number } {
  const means = [...items.values()].map((t) => t.total / t.attempts);
  const ids = [...items.values()].map((t) => Number(t.cluster.slice(1)));
  const c = clusteredMeanIntervalOf(means, ids, means.length, DESIGN.clusters);
  return { lo: Math.max(0, c.lo), hi: Math.min(1, c.hi) };
}

for (const rate of [0.02, 0.5, 0.98]) {
  coverage(`true rate ${rate}: 95 % intervals cover it 93–97 % of the time, never zero-width`, () => {
    const rng = createRng(20_261_203 + Math.round(rate * 100));
    let covered = 0;
    let clippedCovered = 0;
    for (let draw = 0; draw < DRAWS; draw++) {
      const items = drawClusteredTotals(DESIGN, rate, rng);
      const s = summarizeItems(items, true);
      assert.ok(s.lo >= 0 && s.hi <= 1 && s.hi > s.lo, `draw ${draw}: [${s.lo}, ${s.hi}]`);
      if (s.lo <= rate && rate <= s.hi) covered++;
      const old = computeClippedT(items);
      if (old.lo <= rate && rate <= old.hi) clippedCovered++;
    }
    const share = covered / DRAWS;
    const clipped = clippedCovered / DRAWS;
    assert.ok(share >= 0.93 && share <= 0.97, `coverage ${share} (the clipped t-interval: ${clipped})`);
    if (rate !== 0.5) assert.ok(clipped < 0.93, `the clipped t-interval covered ${clipped} near the boundary`);
  });
}

reference.run();
coverage.run();
