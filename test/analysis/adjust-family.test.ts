// The promise of issue 11, point 4: one method per comparison, so that its test and interval never disagree
// about 0, and a family's "significant" (Holm p < .05) is exactly "the adjusted interval excludes 0".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../bench/synthetic.ts';
import { compareItems, type PairStats } from '../../analysis/comparison.ts';
import { adjustFamily, nameFamily, type FamilyColumns } from '../../analysis/family.ts';
import type { ItemTotals } from '../../analysis/outcomes.ts';

type Design = 'independent 0/1' | 'clustered 0/1' | 'replicated 0/1' | 'graded';
const DESIGNS: Design[] = ['independent 0/1', 'clustered 0/1', 'replicated 0/1', 'graded'];

/** Two sides on n shared items with a random true difference, in one of the designs. */
function drawPair(design: Design, rng: () => number): { a: ItemTotals; b: ItemTotals; binary: boolean } {
  const n = 6 + Math.floor(rng() * 80);
  const shift = (rng() - 0.5) * 0.5;
  const replicates = design === 'replicated 0/1' ? 1 + Math.floor(rng() * 4) : 1;
  const clusterSize = design === 'clustered 0/1' ? 2 + Math.floor(rng() * 4) : 1;
  const a: ItemTotals = new Map();
  const b: ItemTotals = new Map();
  for (let i = 0; i < n; i++) {
    const cluster = `k${Math.floor(i / clusterSize)}`;
    const base = 0.15 + 0.7 * rng();
    const rateA = Math.min(1, Math.max(0, base + shift / 2));
    const rateB = Math.min(1, Math.max(0, base - shift / 2));
    const draw = (rate: number) => (design === 'graded' ? Math.round(rate * 20 * rng()) / 20 : Array.from({ length: replicates }, () => (rng() < rate ? 1 : 0) as number).reduce((s, v) => s + v, 0));
    a.set(`q${i}`, { cluster, total: draw(rateA), attempts: replicates });
    b.set(`q${i}`, { cluster, total: draw(rateB), attempts: replicates });
  }
  return { a, b, binary: design !== 'graded' };
}

const excludesZero = (lo: number, hi: number) => lo > 0 || hi < 0;

const family = suite('adjustFamily');

family('over 1,500 seeded random families: significant ⇔ Holm p < .05 ⇔ adjusted interval excludes 0; p < .05 ⇔ 95% interval excludes 0', () => {
  const rng = createRng(20_261_203);
  const seen = { significant: 0, notSignificant: 0, mcnemar: 0, t: 0, rawOnly: 0 };
  for (let f = 0; f < 1500; f++) {
    const m = 1 + Math.floor(rng() * 12);
    const rows: (FamilyColumns & { stats: PairStats })[] = [];
    for (let k = 0; k < m; k++) {
      const { a, b, binary } = drawPair(DESIGNS[Math.floor(rng() * DESIGNS.length)], rng);
      const stats = compareItems(a, b, binary);
      if (stats === null) continue;
      assert.is(stats.p < 0.05, excludesZero(stats.lo, stats.hi), `${stats.test} p=${stats.p} [${stats.lo}, ${stats.hi}]`);
      seen[stats.test === 'mcnemar-exact' ? 'mcnemar' : 't']++;
      rows.push({ stats, p_value: stats.p, p_holm: Number.NaN, q_bh: Number.NaN, adjusted_ci_lo: Number.NaN, adjusted_ci_hi: Number.NaN, family: '', family_size: 0, significant: false });
    }
    adjustFamily(rows, `random:${f}`, (r) => r.stats);
    for (const r of rows) {
      const where = `family ${f}: ${r.stats.test} p=${r.p_value} p_holm=${r.p_holm} adjusted [${r.adjusted_ci_lo}, ${r.adjusted_ci_hi}]`;
      assert.is(r.significant, excludesZero(r.adjusted_ci_lo, r.adjusted_ci_hi), where);
      assert.is(r.significant, r.p_holm < 0.05, where);
      assert.ok(r.adjusted_ci_lo <= r.stats.lo && r.stats.hi <= r.adjusted_ci_hi, `the adjusted interval contains the 95% one: ${where}`);
      assert.is(r.family_size, rows.length);
      seen[r.significant ? 'significant' : 'notSignificant']++;
      if (!r.significant && r.p_value < 0.05) seen.rawOnly++;
    }
  }
  // The draws exercise both methods and both outcomes, including raw p < .05 that Holm does not confirm.
  for (const [what, count] of Object.entries(seen)) assert.ok(count > 100, `${what}: ${count}`);
});

family('names the family and counts only comparisons with a p-value', () => {
  assert.is(nameFamily('lane_pairs', { suite: 'mcq', metric: 'credited' }), 'lane_pairs:suite=mcq,metric=credited');
  const core = { test: 'paired-t' as const, n: 10, diff: 0.1, se: Number.NaN, df: 0, discordantA: null, discordantB: null, p: Number.NaN };
  const rows = [
    { core, p_value: Number.NaN, p_holm: 0, q_bh: 0, adjusted_ci_lo: 0, adjusted_ci_hi: 0, family: '', family_size: 0, significant: true },
    { core: { ...core, se: 0.01, df: 9, p: 1e-6 }, p_value: 1e-6, p_holm: 0, q_bh: 0, adjusted_ci_lo: 0, adjusted_ci_hi: 0, family: '', family_size: 0, significant: false },
  ];
  adjustFamily(rows, 'f', (r) => r.core);
  assert.equal(rows.map((r) => [r.family, r.family_size, r.significant]), [['f', 1, false], ['f', 1, true]]);
  assert.equal([rows[0].adjusted_ci_lo, rows[0].adjusted_ci_hi], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
});

family.run();
