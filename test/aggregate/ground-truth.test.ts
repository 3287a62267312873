// Ground truth: logs drawn from a model with known per-item success rates (seeded Bernoulli draws), so the true
// lane rates, lane differences and dial effects are known exactly. The end-to-end test runs the real aggregate
// on such logs; the calibration test repeats the statistics over many fresh draws and checks that 95% intervals
// cover the truth about 95% of the time and that a zero difference is rarely called significant.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import type { ItemTotals } from '../../analysis/outcomes.ts';
import { compareItems, isSignificant } from '../../analysis/pairs.ts';
import { summarizeItems } from '../../analysis/ranking.ts';
import { createRng, makeLane, makeSuite, sigmoid, trueItemRate, writeRunLog, type SyntheticItem, type SyntheticRun, type SyntheticSuite } from '../../bench/synthetic.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { query } from './fixtures.ts';

/** Known effects on the logit scale: temperature 0.2 → 1.0 adds 0.7; top_p 0.9 adds nothing; model m2 is 0.8 below m1. */
const SKILL = { base: 0.2, hot: 0.9, twin: 0.2, other: -0.6 } as const;

function sweep(suites: { suite: SyntheticSuite; replicates: number }[]): SyntheticRun[] {
  const lanes = {
    base: makeLane('m1', 'sim-m1', { temperature: 0.2 }),
    hot: makeLane('m1', 'sim-m1', { temperature: 1 }),
    twin: makeLane('m1', 'sim-m1', { temperature: 0.2, top_p: 0.9 }),
    other: makeLane('m2', 'sim-m2', { temperature: 0.2 }),
  };
  return suites.flatMap(({ suite: s, replicates }, k) =>
    (Object.keys(lanes) as (keyof typeof lanes)[]).map((name, i): SyntheticRun => ({
      runId: `${s.name}-${name}`, stage: 'truth', lane: lanes[name], settings: { cards_budget: 4 }, suite: s, replicates, skill: SKILL[name],
      errorRate: 0.03, abstainRate: 0.3, metric: k === 0 ? 'credited' : 'correct', createdAt: new Date(Date.UTC(2026, 10, 1, 0, k * 10 + i)).toISOString(), responseChars: 60,
    })),
  );
}

const meanOver = (items: readonly SyntheticItem[], f: (item: SyntheticItem) => number) => items.reduce((sum, item) => sum + f(item), 0) / items.length;
const inside = (x: number, lo: number, hi: number) => lo <= x && x <= hi;

const endToEnd = suite('ground truth: aggregate recovers known effects');

endToEnd('rankings, lane pairs and dial effects contain the true values; the zero difference is not significant', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const clustered = makeSuite('clustered', 240, { clusterSize: 4, seed: 101, spread: 1.2 });
    const single = makeSuite('single', 400, { clusterSize: 1, seed: 202, spread: 1.2 });
    const all = sweep([{ suite: clustered, replicates: 3 }, { suite: single, replicates: 1 }]);
    for (const [i, run] of all.entries()) await writeRunLog(join(runs, run.stage, `${run.runId}.jsonl`), run, 5000 + i);
    await aggregate({ runsDir: runs, outDir: join(runs, '_aggregated') });
    const db = join(runs, '_aggregated', 'audition.duckdb');
    const skillOf = (lane: string) => all.find((r) => r.lane.slug === lane)?.skill ?? Number.NaN;
    const suiteOf = (name: string) => (name === 'clustered' ? clustered : single);

    const ranking = await query(db, 'SELECT suite, lane, rate, ci_lo, ci_hi, method, rank FROM model_ranking');
    assert.is(ranking.length, 8);
    for (const r of ranking) {
      const truth = meanOver(suiteOf(String(r['suite'])).items, (item) => trueItemRate({ skill: skillOf(String(r['lane'])) }, item));
      assert.ok(inside(truth, Number(r['ci_lo']), Number(r['ci_hi'])), `${String(r['suite'])} ${String(r['lane'])}: true rate ${truth.toFixed(4)} outside [${Number(r['ci_lo']).toFixed(4)}, ${Number(r['ci_hi']).toFixed(4)}]`);
    }
    assert.equal(new Set(ranking.map((r) => `${String(r['suite'])}:${String(r['method'])}`)), new Set(['clustered:logit-t', 'single:wilson']));

    const pairs = await query(db, 'SELECT suite, lane_a, lane_b, diff, ci_lo, ci_hi, test, significant FROM lane_pairs');
    assert.is(pairs.length, 12);
    for (const p of pairs) {
      const items = suiteOf(String(p['suite'])).items;
      const truth = meanOver(items, (item) => trueItemRate({ skill: skillOf(String(p['lane_a'])) }, item) - trueItemRate({ skill: skillOf(String(p['lane_b'])) }, item));
      assert.ok(inside(truth, Number(p['ci_lo']), Number(p['ci_hi'])), `${String(p['lane_a'])} − ${String(p['lane_b'])} on ${String(p['suite'])}: true ${truth.toFixed(4)} outside [${Number(p['ci_lo']).toFixed(4)}, ${Number(p['ci_hi']).toFixed(4)}]`);
      const zero = skillOf(String(p['lane_a'])) === skillOf(String(p['lane_b']));
      if (zero) assert.is(p['significant'], false, `a true zero difference (${String(p['lane_a'])} vs ${String(p['lane_b'])}) reported as significant`);
      else if (Math.abs(truth) > 0.1) assert.is(p['significant'], true, `a ${(truth * 100).toFixed(1)}-point difference missed`);
    }
    assert.equal(new Set(pairs.map((p) => `${String(p['suite'])}:${String(p['test'])}`)), new Set(['clustered:paired-t', 'single:mcnemar-exact']));

    const effects = await query(db, "SELECT suite, dial, from_value, to_value, lane_from, lane_to, diff, ci_lo, ci_hi, significant FROM dial_effects WHERE model = 'sim-m1' ORDER BY suite, dial");
    assert.equal(effects.map((e) => [e['suite'], e['dial'], e['from_value'], e['to_value']]), [
      ['clustered', 'temperature', '0.2', '1'],
      ['clustered', 'top_p', 'default', '0.9'],
      ['single', 'temperature', '0.2', '1'],
      ['single', 'top_p', 'default', '0.9'],
    ]);
    for (const e of effects) {
      const items = suiteOf(String(e['suite'])).items;
      const truth = meanOver(items, (item) => trueItemRate({ skill: skillOf(String(e['lane_to'])) }, item) - trueItemRate({ skill: skillOf(String(e['lane_from'])) }, item));
      assert.ok(inside(truth, Number(e['ci_lo']), Number(e['ci_hi'])), `${String(e['dial'])} on ${String(e['suite'])}: true ${truth.toFixed(4)} outside the interval`);
      assert.is(e['significant'], e['dial'] === 'temperature', `${String(e['dial'])}: significant should be ${e['dial'] === 'temperature'}`);
    }
    const best = await query(db, "SELECT suite, verdict, best_lane, baseline_lane FROM best_settings WHERE model = 'sim-m1' ORDER BY suite");
    assert.equal(best, [
      { suite: 'clustered', verdict: 'beats the baseline', best_lane: 'm1.t1-0', baseline_lane: 'm1.t0-2' },
      { suite: 'single', verdict: 'beats the baseline', best_lane: 'm1.t1-0', baseline_lane: 'm1.t0-2' },
    ]);
  } finally {
    cleanup();
  }
});

/** E[sigmoid(skill + e)] for e ~ N(0, spread²): the rate over the population items are drawn from (midpoint rule). */
function populationRate(skill: number, spread: number): number {
  let sum = 0;
  let weight = 0;
  for (let z = -9; z <= 9; z += 0.001) {
    const w = Math.exp(-0.5 * z * z);
    sum += w * sigmoid(skill + spread * z);
    weight += w;
  }
  return sum / weight;
}

/** Draws per-item totals for a lane on a suite: `replicates` Bernoulli attempts an item. */
function drawTotals(items: readonly SyntheticItem[], skill: number, replicates: number, rng: () => number): ItemTotals {
  return new Map(items.map((item) => {
    let total = 0;
    for (let r = 0; r < replicates; r++) total += rng() < sigmoid(skill + item.easiness) ? 1 : 0;
    return [item.id, { cluster: item.cluster, attempts: replicates, total }];
  }));
}

const calibration = suite('ground truth: calibration over fresh draws');

for (const design of [
  { name: 'clustered items, 2 replicates (logit clustered t)', clusterSize: 6, replicates: 2, items: 180 },
  { name: 'independent items, one attempt (Wilson, McNemar)', clusterSize: 1, replicates: 1, items: 200 },
]) {
  calibration(`${design.name}: 95% intervals cover the truth ≈95% of the time; zero differences are rarely significant`, () => {
    const spread = 1.5;
    const reps = 400;
    const truthRate = populationRate(0.3, spread);
    const truthDiff = populationRate(0.8, spread) - populationRate(0.3, spread);
    let rateCovered = 0;
    let diffCovered = 0;
    let falsePositives = 0;
    for (let rep = 0; rep < reps; rep++) {
      // New items every repetition (the estimand is the population's), strongly clustered when clusterSize > 1.
      const items = makeSuite(`s${rep}`, design.items, { clusterSize: design.clusterSize, seed: 10_000 + rep, spread }).items;
      const rng = createRng(90_000 + rep);
      const a = drawTotals(items, 0.3, design.replicates, rng);
      const b = drawTotals(items, 0.8, design.replicates, rng);
      const twin = drawTotals(items, 0.3, design.replicates, rng);
      const s = summarizeItems(a, true);
      if (inside(truthRate, s.lo, s.hi)) rateCovered++;
      const d = compareItems(b, a, true);
      if (d !== null && inside(truthDiff, d.lo, d.hi)) diffCovered++;
      const z = compareItems(twin, a, true);
      if (z !== null && isSignificant(z.p, z.lo, z.hi)) falsePositives++;
    }
    // With 400 repetitions the binomial sd of a 95% coverage is about 1.1 points.
    assert.ok(rateCovered / reps >= 0.925 && rateCovered / reps <= 0.985, `lane-rate coverage ${rateCovered / reps}`);
    assert.ok(diffCovered / reps >= 0.925 && diffCovered / reps <= 0.985, `paired-difference coverage ${diffCovered / reps}`);
    assert.ok(falsePositives / reps <= 0.075, `a zero difference was significant in ${falsePositives} of ${reps} draws`);
  });
}

endToEnd.run();
calibration.run();
