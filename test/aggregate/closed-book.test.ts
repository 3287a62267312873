// Closed-book items (no passages, MMLU style) end to end: a small suite runs through the real engine,
// MCQ task and sim lanes, the logs are aggregated, and the run ranks on correct with the evidence
// columns NULL; in a run that mixes them with evidence items, they count as correct on credited.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import type { Lane } from '../../core/lane.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { simTruth } from '../../pipelines/tasks/mcq/simulate.ts';
import { runLane } from '../../pipelines/runner/engine.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem, Suite } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings, type McqTaskSettings } from '../../pipelines/tasks/settings.ts';
import { withSimAdapter } from '../helpers/sim.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { query } from './fixtures.ts';

const FIXTURE = new URL('../fixtures/closed-book.jsonl', import.meta.url).pathname;
const DEMO = new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname;
const REPLICATES = 8;
const lane = (alias: string, model: string, slug: string): Lane => ({ slug, alias, provider: 'sim', model, dials: { temperature: 0.7 }, active: true, visible: true });
const STRONG = lane('strong', 'sim-strong', 'strong.t0-7');
const WEAK = lane('weak', 'sim-weak', 'weak.t0-7');

async function run(l: Lane, s: Suite, runsDir: string, task: Record<string, unknown> = {}): Promise<McqTaskSettings> {
  const settings = parseTaskSettings('mcq', task, { field: 'test' }) as McqTaskSettings;
  const result = await runLane({
    lane: l, suite: s, ...withSimAdapter(createTask('mcq', settings)), runsDir, output: createMemoryOutput(), env: {},
    settings: { replicates: REPLICATES, seed: 7, stage: 'closed-book', concurrency: 8, maxRetries: 0, timeoutMs: 10_000, task: settings },
  });
  assert.is(result.status, 'completed');
  return settings;
}

const closed = suite('closed-book suite: engine + sim + aggregate');

closed('an MMLU-style suite ranks on correct, its evidence columns NULL; mixed with evidence items, closed-book steps count as correct on credited', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runsDir = join(dir, 'runs');
    const mmlu = await loadSuite(FIXTURE);
    const items = mmlu.items as McqItem[];
    assert.is(items.length, 12);
    assert.ok(items.every((i) => i.evidence.length === 0 && i.options.length >= 4 && i.options.length <= 5 && i.meta?.['subject'] === i.cluster));
    const settings = await run(STRONG, mmlu, runsDir);
    await run(WEAK, mmlu, runsDir);
    await run(WEAK, mmlu, runsDir, { idk: true });
    const mixedPath = join(dir, 'mixed.jsonl');
    writeFileSync(mixedPath, [...readFileSync(FIXTURE, 'utf8').trim().split('\n').slice(0, 6), ...readFileSync(DEMO, 'utf8').trim().split('\n').slice(0, 6)].join('\n') + '\n');
    await run(STRONG, await loadSuite(mixedPath), runsDir);
    await aggregate({ runsDir, outDir: join(runsDir, '_aggregated') });
    const db = join(runsDir, '_aggregated', 'audition.duckdb');

    const [counts] = await query(db, `
      SELECT count(*) AS steps, count(DISTINCT run_id) AS runs, count(*) FILTER (WHERE status = 'ok') AS ok, count(*) FILTER (WHERE status = 'abstain') AS abstain,
             count(correct) FILTER (WHERE status <> 'error') AS with_correct,
             count(coverage) + count(witness_pass) + count(credited) AS evidence_values,
             count(*) FILTER (WHERE status <> 'error' AND value IS DISTINCT FROM CASE WHEN status = 'ok' THEN correct::INTEGER ELSE 0 END) AS off_value,
             string_agg(DISTINCT metric, ',') AS metrics
      FROM steps WHERE suite = 'closed-book'`);
    assert.equal(counts, { steps: 3 * 12 * REPLICATES, runs: 3, ok: counts['ok'], abstain: counts['abstain'], with_correct: Number(counts['ok']) + Number(counts['abstain']), evidence_values: 0, off_value: 0, metrics: 'correct' });
    assert.ok(Number(counts['ok']) > 250, 'the sim answers closed-book items');
    assert.ok(Number(counts['abstain']) > 0, 'the --idk run abstains sometimes');

    const ranking = await query(db, "SELECT condition, task_settings, metric, rate, n FROM model_ranking WHERE suite = 'closed-book' ORDER BY condition");
    assert.equal(ranking.map((r) => [r['condition'], r['task_settings'], r['metric'], r['n']]), [
      ['strong.t0-7', '{}', 'correct', 12], ['weak.t0-7', '{}', 'correct', 12], ['weak.t0-7 · idk', '{"idk":true}', 'correct', 12],
    ], 'the --idk run is a row of its own, not pooled with the run without it');
    const strong = await query(db, "SELECT avg(value) AS observed, count(value) AS n FROM steps WHERE suite = 'closed-book' AND lane = 'strong.t0-7'");
    const truths = items.map((item) => simTruth(STRONG, item, settings));
    // the sim's errors are malformed answers: model failures, worth 0, so every step counts
    const truth = truths.reduce((a, t) => a + t.correct, 0) / truths.length;
    const se = Math.sqrt((truth * (1 - truth)) / Number(strong[0]['n']));
    assert.ok(Math.abs(Number(strong[0]['observed']) - truth) < 4 * se, `strong: observed ${Number(strong[0]['observed']).toFixed(3)}, true ${truth.toFixed(3)}`);

    const mixed = await query(db, `
      SELECT metric, NOT regexp_matches(item_id, '^(astronomy|chemistry)-') AS evidence, count(*) FILTER (WHERE status = 'ok') AS ok,
             count(credited) FILTER (WHERE status = 'ok') AS with_credited,
             count(*) FILTER (WHERE status = 'ok' AND value IS DISTINCT FROM coalesce(credited, correct)::INTEGER) AS off_value
      FROM steps WHERE suite = 'mixed' GROUP BY ALL ORDER BY evidence`);
    assert.equal(mixed.map((r) => [r['metric'], r['evidence'], r['off_value']]), [['credited', false, 0], ['credited', true, 0]]);
    assert.is(mixed[0]['with_credited'], 0, 'closed-book steps carry no credited verdict');
    assert.is(mixed[1]['with_credited'], mixed[1]['ok'], 'evidence steps do');
  } finally {
    cleanup();
  }
});

closed.run();
