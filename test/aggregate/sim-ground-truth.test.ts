// The whole pipeline against the sim's exact ground truth: sim lanes run through the real engine and
// MCQ task, the logs are aggregated, and the reported intervals must contain the true rates, lane
// differences and dial effects that simTruth computes; a true zero difference must not be significant.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { withSimAdapter } from '../helpers/sim.ts';
import { simTruth } from '../../pipelines/tasks/mcq/simulate.ts';
import { runLane } from '../../pipelines/runner/engine.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings, type McqTaskSettings } from '../../pipelines/tasks/settings.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { query } from './fixtures.ts';

const SUITE = new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname;
const lane = (alias: string, model: string, dials: Lane['dials'], slug: string): Lane => ({ slug, alias, provider: 'sim', model, dials, active: true, visible: true });
const LANES = [
  lane('strong', 'sim-strong', { temperature: 0.7 }, 'strong.t0-7'),
  // top_p damps only the penalty above the sweet temperature 0.7, which is zero here: the same truth, other draws
  lane('strong', 'sim-strong', { temperature: 0.7, top_p: 0.9 }, 'strong.t0-7.tp0-9'),
  lane('strong', 'sim-strong', { temperature: 1.5 }, 'strong.t1-5'),
  lane('medium', 'sim-medium', { temperature: 0.7 }, 'medium.t0-7'),
  lane('weak', 'sim-weak', { temperature: 0.7 }, 'weak.t0-7'),
];

const truth = suite('ground truth: a sim sweep through engine, task and aggregate');

truth('reported intervals contain the sim’s true rates, differences and dial effects; the zero difference is not significant', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runsDir = join(dir, 'runs');
    const demo = await loadSuite(SUITE);
    const items = demo.items.filter((i): i is McqItem => i.kind === 'mcq');
    const settings = parseTaskSettings('mcq', {}, { field: 'test' }) as McqTaskSettings;
    for (const l of LANES) {
      await runLane({ lane: l, suite: demo, ...withSimAdapter(createTask('mcq', settings)), settings: { replicates: 4, seed: 11, stage: 'truth', concurrency: 8, maxRetries: 0, timeoutMs: 10_000, task: settings }, runsDir, output: createMemoryOutput(), env: {} });
    }
    await aggregate({ runsDir, outDir: join(runsDir, '_aggregated') });
    const db = join(runsDir, '_aggregated', 'audition.duckdb');

    // The aggregate's rate: per item, credited over every step (the sim's errors are malformed answers, model
    // failures worth 0); then the mean over items.
    const perItem = new Map(LANES.map((l) => [l.slug, new Map(items.map((item) => [item.id, simTruth(l, item, settings).credited]))]));
    const rateOf = (slug: string): number => [...perItem.get(slug)!.values()].reduce((a, b) => a + b, 0) / items.length;

    // Seventeen 95% intervals cannot all be expected to cover (0.95^17 ≈ 0.42). Each estimate must lie
    // within 3.5 standard errors of the truth (a miss there is a bug, not chance: p ≈ 0.0005 each), and
    // the 95% intervals must cover about as often as they claim.
    const checks: { name: string; truth: number; estimate: number; se: number; lo: number; hi: number }[] = [];
    const check = (name: string, t: number, row: Record<string, unknown>, estimate: string): void => {
      checks.push({ name, truth: t, estimate: Number(row[estimate]), se: Number(row['se']), lo: Number(row['ci_lo']), hi: Number(row['ci_hi']) });
    };

    const ranking = await query(db, "SELECT lane, rate, se, ci_lo, ci_hi FROM model_ranking WHERE metric = 'credited'");
    assert.is(ranking.length, LANES.length);
    for (const r of ranking) check(String(r['lane']), rateOf(String(r['lane'])), r, 'rate');

    const pairs = await query(db, "SELECT lane_a, lane_b, diff, se, ci_lo, ci_hi, significant FROM lane_pairs WHERE metric = 'credited'");
    assert.is(pairs.length, (LANES.length * (LANES.length - 1)) / 2);
    for (const p of pairs) check(`${String(p['lane_a'])} − ${String(p['lane_b'])}`, rateOf(String(p['lane_a'])) - rateOf(String(p['lane_b'])), p, 'diff');
    const twin = pairs.find((p) => [p['lane_a'], p['lane_b']].sort().join() === 'strong.t0-7,strong.t0-7.tp0-9')!;
    assert.is(twin['significant'], false, 'a true zero difference is not reported as significant');
    const strongVsWeak = pairs.find((p) => [p['lane_a'], p['lane_b']].sort().join() === 'strong.t0-7,weak.t0-7')!;
    assert.is(strongVsWeak['significant'], true, 'a large true difference is found');

    const effects = await query(db, "SELECT dial, from_value, to_value, lane_from, lane_to, diff, se, ci_lo, ci_hi, significant FROM dial_effects WHERE metric = 'credited' AND model = 'sim-strong'");
    const temperature = effects.find((e) => e['dial'] === 'temperature')!;
    const trueTemperature = rateOf(String(temperature['lane_to'])) - rateOf(String(temperature['lane_from']));
    assert.ok(trueTemperature < -0.05, 'the sim’s temperature penalty is a real effect');
    check('temperature effect', trueTemperature, temperature, 'diff');
    assert.is(temperature['significant'], true, 'the temperature effect is found');
    const topP = effects.find((e) => e['dial'] === 'top_p')!;
    check('top_p effect (true zero)', 0, topP, 'diff');
    assert.is(topP['significant'], false, 'a dial with no true effect is not called significant');

    for (const c of checks) {
      assert.ok(Math.abs(c.estimate - c.truth) <= 3.5 * c.se, `${c.name}: estimate ${c.estimate.toFixed(3)} is ${(Math.abs(c.estimate - c.truth) / c.se).toFixed(1)} SE from the truth ${c.truth.toFixed(3)}`);
    }
    const covered = checks.filter((c) => c.lo <= c.truth && c.truth <= c.hi).length;
    // 17 intervals at 95%: P(fewer than 14 cover) ≈ 0.002 if they are honest
    assert.ok(covered >= checks.length - 3, `only ${covered} of ${checks.length} 95% intervals cover the truth`);
  } finally {
    cleanup();
  }
});

truth.run();
