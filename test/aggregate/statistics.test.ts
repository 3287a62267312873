// Expected values come from scipy 1.17 / numpy 2.4, computed outside this code base and pasted in:
//   stats.binomtest(41, 60).proportion_ci(method='wilson'); CR1 cluster-robust SEs written out in numpy with
//   stats.t.ppf(0.975, G - 1); stats.binomtest(min(b, c), b + c, 0.5).pvalue for McNemar; np.corrcoef.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findBestSettings, VERDICTS } from '../../analysis/bestSettings.ts';
import { estimateDialEffects } from '../../analysis/dialEffects.ts';
import { indexOutcomes, poolRuns, visibleLanes, type ItemOutcome, type ItemTotals, type RunInfo } from '../../analysis/outcomes.ts';
import { ComparisonStore, sideOfRuns } from '../../analysis/comparisonStore.ts';
import { compareItems, compareLanePairs, isSignificant, pairedTPValue } from '../../analysis/pairs.ts';
import { rankLanes, summarizeItems, type RankingRow } from '../../analysis/ranking.ts';
import { chooseBaselineLane, labelSettings, settingOf, taskDialsOf } from '../../analysis/settings.ts';
import { assertNear } from './fixtures.ts';

const TOL = 1e-9;

function totals(rows: readonly [string, string, number, number][]): ItemTotals {
  return new Map(rows.map(([item, cluster, total, attempts]) => [item, { cluster, total, attempts }]));
}

const summarize = suite('summarizeItems');

summarize('one attempt an item of a 0/1 outcome: Wilson interval', () => {
  const items = totals(Array.from({ length: 60 }, (_, i) => [`q${i}`, `q${i}`, i < 41 ? 1 : 0, 1]));
  const s = summarizeItems(items, true);
  assert.is(s.method, 'wilson');
  assert.is(s.n, 60);
  assertNear(s.rate, 0.6833333333333333, TOL);
  assertNear(s.lo, 0.5576623297382323, TOL, 'lo');
  assertNear(s.hi, 0.7869413244763347, TOL, 'hi');
  assert.is(s.designEffect, 1);
});

summarize('graded scores: per-item means first, then a t-interval with item-clustered SE on G − 1 df, inside [0, 1]', () => {
  const items = totals([['i1', 'c1', 2, 3], ['i2', 'c1', 3, 3], ['i3', 'c1', 1, 3], ['i4', 'c2', 0, 3], ['i5', 'c2', 2, 3], ['i6', 'c3', 3, 3], ['i7', 'c3', 3, 3], ['i8', 'c3', 1, 3]]);
  const s = summarizeItems(items, false);
  assert.is(s.method, 'clustered-t');
  assert.equal([s.n, s.clusters, s.attempts], [8, 3, 24]);
  assertNear(s.rate, 0.625, TOL);
  assertNear(s.se, 0.11517366868487491, TOL, 'se');
  assertNear(s.lo, 0.12944770003776285, TOL, 'lo');
  assert.is(s.hi, 1, 'mean + t·se = 1.1205522999622373, clipped to [0, 1]');
  assert.ok(Number.isNaN(s.designEffect));
  const outside = summarizeItems(totals([['i1', 'c1', 2, 1], ['i2', 'c2', 0.5, 1], ['i3', 'c3', 0.8, 1]]), false);
  assert.ok(outside.hi > 1, 'scores outside 0..1 are not clipped to it');
});

const pairs = suite('compareItems');

pairs('binary, one attempt an item, independent items: exact McNemar p and the interval that inverts it', () => {
  const a = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1];
  const b = [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1];
  const s = compareItems(totals(a.map((v, i) => [`q${i}`, `q${i}`, v, 1])), totals(b.map((v, i) => [`q${i}`, `q${i}`, v, 1])), true);
  assert.ok(s !== null);
  assert.is(s.test, 'mcnemar-exact');
  assert.equal([s.discordantA, s.discordantB], [7, 0]);
  assertNear(s.p, 0.015625, TOL, 'p');
  assertNear(s.diff, 0.23333333333333334, TOL);
  assertNear(s.se, 0.07854032324531726, TOL, 'se');
  // (7/30)(2θ − 1) at the Clopper–Pearson bounds of θ for 7 of 7 discordant items:
  // stats.binomtest(7, 7).proportion_ci(method='exact') = (0.5903836027749514, 1.0).
  assertNear(s.lo, 0.04217901462831065, TOL, 'lo');
  assertNear(s.hi, 0.23333333333333334, TOL, 'hi');
  assertNear(s.correlation, 0.5717718748968652, TOL, 'correlation');
  assertNear(s.mde, 0.2200374086298952, 1e-6, 'mde ≈ 2.8 × se');
});

pairs('replicates and clusters: clustered paired SE, t p-value on G − 1 df; only shared items count', () => {
  const a = totals([['x1', 'k1', 2, 2], ['x2', 'k1', 1, 2], ['x3', 'k2', 2, 2], ['x4', 'k2', 0, 2], ['x5', 'k3', 2, 2], ['x6', 'k3', 1, 2], ['x7', 'k4', 2, 2], ['x8', 'k4', 2, 2], ['x9', 'k5', 1, 2], ['x10', 'k5', 2, 2], ['only-a', 'k9', 2, 2]]);
  const b = totals([['x1', 'k1', 1, 2], ['x2', 'k1', 1, 2], ['x3', 'k2', 0, 2], ['x4', 'k2', 0, 2], ['x5', 'k3', 2, 2], ['x6', 'k3', 0, 2], ['x7', 'k4', 1, 2], ['x8', 'k4', 2, 2], ['x9', 'k5', 0, 2], ['x10', 'k5', 1, 2], ['only-b', 'k8', 0, 2]]);
  const s = compareItems(a, b, true);
  assert.ok(s !== null);
  assert.is(s.test, 'paired-t');
  assert.equal([s.n, s.clusters], [10, 5]);
  assertNear(s.diff, 0.35, TOL);
  assertNear(s.se, 0.06123724356957945, TOL, 'se');
  assertNear(s.lo, 0.17997815483543605, TOL, 'lo');
  assertNear(s.hi, 0.520021845164564, TOL, 'hi');
  assertNear(s.p, 0.00463583941790441, 1e-9, 'p');
});

pairs('binary, one attempt an item, items sharing clusters: the clustered paired t, not McNemar', () => {
  const a = [1, 1, 0, 1, 1, 1, 0, 1];
  const b = [0, 1, 0, 0, 1, 0, 0, 1];
  const cluster = (i: number) => `k${Math.floor(i / 2)}`;
  const s = compareItems(totals(a.map((v, i) => [`q${i}`, cluster(i), v, 1])), totals(b.map((v, i) => [`q${i}`, cluster(i), v, 1])), true);
  assert.ok(s !== null);
  assert.is(s.test, 'paired-t');
  assert.equal([s.discordantA, s.discordantB, s.clusters, s.df], [null, null, 4, 3]);
  // By hand: d = (1,0,0,1,0,1,0,0), d̄ = 3/8; cluster residual sums (¼, ¼, ¼, −¾), Σ² = 0.75;
  // V = 4/3 · 0.75 / 64 = 1/64, se = 1/8; t = 3; p = 2·stats.t.sf(3, 3) = 0.0576688856224373;
  // d̄ ± stats.t.ppf(0.975, 3)·se = 0.375 ± 3.1824463052837078/8.
  assertNear(s.diff, 0.375, TOL);
  assertNear(s.se, 0.125, TOL, 'se');
  assertNear(s.p, 0.0576688856224373, 1e-9, 'p');
  assertNear(s.lo, 0.375 - 3.1824463052837078 / 8, 1e-9, 'lo');
  assertNear(s.hi, 0.375 + 3.1824463052837078 / 8, 1e-9, 'hi');
});

pairs('pairedTPValue and isSignificant: no claim when the interval crosses zero', () => {
  assert.is(pairedTPValue(0, 0, 5), 1);
  assert.is(pairedTPValue(0.1, 0, 5), 0);
  assert.ok(Number.isNaN(pairedTPValue(0.1, Number.NaN, 5)));
  assert.ok(isSignificant(0.01, 0.02, 0.3));
  assert.not.ok(isSignificant(0.01, -0.01, 0.3), 'p passes but the interval crosses zero');
  assert.not.ok(isSignificant(0.06, 0.02, 0.3));
});

const settings = suite('settings');

settings('taskDialsOf: settings.task without run control; kind becomes task', () => {
  assert.equal(taskDialsOf({ replicates: 3, seed: 1, concurrency: 4, task: { kind: 'mcq', cards_budget: 5, sc: 3, tau: 0.5 } }), { task: 'mcq', cards_budget: 5, sc: 3, tau: 0.5 });
  assert.equal(taskDialsOf({ replicates: 3, seed: 1, cards_budget: 5 }), { cards_budget: 5 }, 'older logs keep task dials at the top level');
});

settings('chooseBaselineLane: fewest sampling dials, then lowest temperature, unless overridden', () => {
  const lanes: { slug: string; dials: Record<string, number> }[] = [
    { slug: 'm.t0-7.tp0-9', dials: { temperature: 0.7, top_p: 0.9 } },
    { slug: 'm.t1-0', dials: { temperature: 1 } },
    { slug: 'm.t0-2', dials: { temperature: 0.2, max_output_tokens: 4096 } },
  ];
  assert.is(chooseBaselineLane(lanes), 'm.t0-2');
  assert.is(chooseBaselineLane(lanes, ['m.t1-0']), 'm.t1-0');
  assert.is(chooseBaselineLane([{ slug: 'g.reason-high', dials: { reasoning_effort: 'high' } }, { slug: 'g.reason-min', dials: { reasoning_effort: 'minimal' } }]), 'g.reason-high', 'ties fall to the slug');
});

settings('labelSettings shows only the task dials that differ', () => {
  const mk = (lane: string, budget: number) => settingOf({ lane, laneDials: { temperature: 0.7 }, settings: { task: { kind: 'mcq', cards_budget: budget, sc: 1 } } });
  const labels = labelSettings([mk('m.t0-7', 3), mk('m.t0-7', 5)]);
  assert.equal([...labels.values()], ['m.t0-7 · cards_budget=3', 'm.t0-7 · cards_budget=5']);
});

/** Runs and outcomes for a model whose lanes differ by known amounts: each item's attempts are given. */
function scenario(outcomesByRun: Record<string, number[]>, lanes: Record<string, { dials: Record<string, number>; budget?: number; model?: string }>): { runs: RunInfo[]; outcomes: ItemOutcome[] } {
  const runs: RunInfo[] = Object.entries(lanes).map(([lane, l]) => ({
    runId: `r-${lane}-${l.budget ?? 0}`, lane, model: l.model ?? 'm', provider: 'sim', suite: 's', metric: 'correct', visible: true,
    laneDials: l.dials, settings: { task: { kind: 'mcq', cards_budget: l.budget ?? 3 } },
    tally: { steps: outcomesByRun[lane]?.length ?? 0, scored: outcomesByRun[lane]?.length ?? 0, modelFailures: 0, missing: 0, abstains: 0, total: (outcomesByRun[lane] ?? []).reduce((a, b) => a + b, 0) },
  }));
  const outcomes: ItemOutcome[] = runs.flatMap((r) => (outcomesByRun[r.lane] ?? []).map((v, i) => ({ runId: r.runId, item: `q${i}`, cluster: null, attempts: 1, total: v })));
  return { runs, outcomes };
}

const best = suite('findBestSettings / estimateDialEffects');

best('names the best setting only when it beats the baseline after Holm; otherwise the tied set', () => {
  const n = 200;
  const base = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const better = base.map((v, i) => (v === 1 || i % 4 === 1 ? 1 : 0)); // +25 points, every change in one direction
  const same = base.map((v, i) => (i % 10 === 0 ? 1 - v : v)); // a few flips both ways: no real difference
  const { runs, outcomes } = scenario({ 'm.t0-2': base, 'm.t0-7': better, 'm.t1-0': same }, { 'm.t0-2': { dials: { temperature: 0.2 } }, 'm.t0-7': { dials: { temperature: 0.7 } }, 'm.t1-0': { dials: { temperature: 1 } } });
  const index = indexOutcomes(outcomes);
  const [row] = findBestSettings(runs, index, visibleLanes(runs));
  assert.is(row.verdict, VERDICTS.beats);
  assert.is(row.baseline_lane, 'm.t0-2');
  assert.is(row.best_lane, 'm.t0-7');
  assertNear(row.diff ?? 0, 0.25, 1e-12);

  const tied = scenario({ 'm.t0-2': base, 'm.t1-0': same }, { 'm.t0-2': { dials: { temperature: 0.2 } }, 'm.t1-0': { dials: { temperature: 1 } } });
  const [none] = findBestSettings(tied.runs, indexOutcomes(tied.outcomes), visibleLanes(tied.runs));
  assert.is(none.verdict, VERDICTS.none);
  assert.is(none.best_setting, null);
  assert.is(none.tied_settings.split('; ').sort().join('; '), 'm.t0-2; m.t1-0');
});

best('dial effects compare settings that differ in exactly one dial, with the rest held fixed', () => {
  const n = 120;
  const base = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const hot = base.map((v, i) => (v === 1 || i % 3 === 1 ? 1 : 0));
  const { runs, outcomes } = scenario(
    { 'm.t0-2': base, 'm.t1-0': hot, 'm.t1-0.tp0-9': hot },
    { 'm.t0-2': { dials: { temperature: 0.2 } }, 'm.t1-0': { dials: { temperature: 1 } }, 'm.t1-0.tp0-9': { dials: { temperature: 1, top_p: 0.9 } } },
  );
  const rows = estimateDialEffects(runs, indexOutcomes(outcomes), visibleLanes(runs));
  assert.equal(rows.map((r) => [r.dial, r.from_value, r.to_value, r.held_fixed]), [
    ['temperature', '0.2', '1', 'top_p=default'],
    ['top_p', 'default', '0.9', 'temperature=1'],
  ], 'm.t0-2 and m.t1-0.tp0-9 differ in two dials: never compared');
  assertNear(rows[0].diff, 1 / 3, 1e-12);
  assert.ok(rows[0].significant);
  assert.is(rows[1].diff, 0);
  assert.not.ok(rows[1].significant);
});

best('ComparisonStore: one pair, one computation, the same p in lane_pairs, dial_effects and best_settings, each naming its family', () => {
  const n = 120;
  const base = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const hot = base.map((v, i) => (v === 1 || i % 6 === 1 ? 1 : 0)); // 20 wins, no losses
  const { runs, outcomes } = scenario({ 'm.t0-2': base, 'm.t1-0': hot }, { 'm.t0-2': { dials: { temperature: 0.2 } }, 'm.t1-0': { dials: { temperature: 1 } } });
  const index = indexOutcomes(outcomes);
  const visible = visibleLanes(runs);
  const store = new ComparisonStore();
  let pooled = 0;
  const ranking = rankLanes(runs, index, visible);
  const sideOf = (row: RankingRow) => {
    const runIds = runs.filter((r) => r.lane === row.lane).map((r) => r.runId);
    return sideOfRuns(runIds, () => (pooled++, poolRuns(index, runIds)));
  };
  const [effect] = estimateDialEffects(runs, index, visible, store);
  const [bestRow] = findBestSettings(runs, index, visible, [], store);
  const [pair] = compareLanePairs(ranking, sideOf, () => true, undefined, store);
  assert.is(pooled, 0, 'the settings (same runs as the lanes) were compared first; the lanes were never pooled again');
  // 20 discordant items, all one way: McNemar p = 2 · ½^20 (by hand).
  assert.equal([pair.test, effect.test, bestRow.test], ['mcnemar-exact', 'mcnemar-exact', 'mcnemar-exact']);
  assert.is(effect.p_value, 2 * 0.5 ** 20);
  assert.is(pair.p_value, effect.p_value);
  assert.is(bestRow.p_value, effect.p_value);
  // the runs set cards_budget 3 (not its default): the pair's family is the pairs under those task settings
  assert.equal([pair.family, pair.family_size], ['lane_pairs:suite=s,metric=correct,settings={"cards_budget":3}', 1]);
  assert.equal([effect.family, effect.family_size], ['dial_effects:suite=s,metric=correct,model=m', 1]);
  assert.equal([bestRow.family, bestRow.family_size], ['best_settings:suite=s,metric=correct,model=m', 1]);
  assert.equal([pair.lane_a, pair.diff, pair.ci_lo, pair.ci_hi], ['m.t1-0', effect.diff, effect.ci_lo, effect.ci_hi], 'the same interval, seen from the same side');
  assert.equal([bestRow.ci_lo, bestRow.adjusted_ci_lo], [effect.ci_lo, effect.adjusted_ci_lo]);
});

best('rankLanes ranks visible lanes only; overlapping intervals tie', () => {
  const n = 100;
  const hi = Array.from({ length: n }, (_, i) => (i % 10 < 9 ? 1 : 0));
  const lo = Array.from({ length: n }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const { runs, outcomes } = scenario({ 'a.t0-2': hi, 'b.t0-2': hi, 'c.t0-2': lo, 'd.t0-2': lo }, { 'a.t0-2': { dials: {} }, 'b.t0-2': { dials: {} }, 'c.t0-2': { dials: {} }, 'd.t0-2': { dials: {} } });
  runs[3].visible = false;
  const ranking = rankLanes(runs, indexOutcomes(outcomes), visibleLanes(runs));
  assert.equal(ranking.map((r) => [r.lane, r.rank]), [['a.t0-2', 1], ['b.t0-2', 1], ['c.t0-2', 3]]);
});

summarize.run();
pairs.run();
settings.run();
best.run();
