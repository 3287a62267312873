// Failures are not free (issue 11): a model failure is a failed attempt worth 0, an infrastructure failure is
// missing data. The expected values are worked out by hand in the comments, never by the code under test.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { summarizeProgress } from '../../analysis/progress.ts';
import { chargeOf, ERROR_KINDS, type ErrorKind } from '../../core/errorKinds.ts';
import { stepCharge, stepValue } from '../../core/metric.ts';
import type { StepRecord } from '../../core/record.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { runCli } from '../helpers/cli.ts';
import { runEnd, runStart } from '../helpers/records.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { assertNear, LANE_A, LANE_B, query, stepOf, writeLog } from './fixtures.ts';

type Outcome = 'right' | 'wrong' | 'abstain' | ErrorKind | 'invalid_request (marked)';

/** A step of `lane` on item q<i+1>: a verdict, an abstention, or an error of a kind (marked: charged to the model by its task). */
function stepWith(runId: string, lane: typeof LANE_A, i: number, outcome: Outcome): StepRecord {
  if (outcome === 'right' || outcome === 'wrong' || outcome === 'abstain') return stepOf(runId, lane, `q${i + 1}`, 0, outcome, i);
  const kind = outcome === 'invalid_request (marked)' ? 'invalid_request' : outcome;
  const step: StepRecord = { ...stepOf(runId, lane, `q${i + 1}`, 0, 'error', i), error: { kind, message: `${kind} failure`, http_status: null } };
  return outcome === 'invalid_request (marked)' ? { ...step, task: { error_source: 'model' } } : step;
}

function logOf(runId: string, lane: typeof LANE_A, outcomes: readonly Outcome[]): object[] {
  const start = runStart(runId, lane);
  const steps = outcomes.map((o, i) => stepWith(runId, lane, i, o));
  const counts = { ok: steps.filter((s) => s.status === 'ok').length, abstain: steps.filter((s) => s.status === 'abstain').length, error: steps.filter((s) => s.status === 'error').length };
  return [{ ...start, suite: { ...start.suite, n_items: outcomes.length } }, ...steps, runEnd(runId, counts)];
}

// Lane a: 10 items, one attempt each: 3 parse errors, 2 timeouts, 1 abstention, 3 right, 1 wrong.
const LANE_A_OUTCOMES: Outcome[] = ['parse', 'parse', 'parse', 'timeout', 'timeout', 'abstain', 'right', 'right', 'right', 'wrong'];
// Lane b: 20 items: 12 right, 7 wrong, 1 network error: missing exactly 1/20 = 5 %, which is not above 5 %.
const LANE_B_OUTCOMES: Outcome[] = [...Array<Outcome>(12).fill('right'), ...Array<Outcome>(7).fill('wrong'), 'network'];

/** The logs of lanes a and b under dir/runs. */
function writeBothLanes(dir: string): { runs: string; pathA: string } {
  const runs = join(dir, 'runs');
  const pathA = writeLog(runs, 'smoke/ra.jsonl', logOf('ra', LANE_A, LANE_A_OUTCOMES));
  writeLog(runs, 'smoke/rb.jsonl', logOf('rb', LANE_B, LANE_B_OUTCOMES));
  return { runs, pathA };
}

const charge = suite('chargeOf / stepValue');

charge('parse is the model’s failure (0); every other kind is missing, invalid_request unless its task marks it', () => {
  const model = ERROR_KINDS.filter((k) => chargeOf(k, undefined) === 'model');
  assert.equal(model, ['parse']);
  assert.is(chargeOf('invalid_request', { error_source: 'model' }), 'model');
  assert.is(chargeOf('timeout', { error_source: 'model' }), 'infrastructure', 'only a refused request can be charged to the model');
  assert.is(chargeOf('no-such-kind', undefined), 'infrastructure', 'an unknown kind is infrastructure');
  assert.is(stepValue('correct', stepWith('r', LANE_A, 0, 'parse')), 0);
  assert.is(stepValue('correct', stepWith('r', LANE_A, 0, 'quota')), null);
  assert.is(stepValue('score', stepWith('r', LANE_A, 0, 'invalid_request')), null);
  assert.is(stepValue('score', stepWith('r', LANE_A, 0, 'invalid_request (marked)')), 0);
  assert.is(stepValue('correct', { ...stepWith('r', LANE_A, 0, 'parse'), error: null }), null, 'an error step without an error object reads as unknown');
});

const ranking = suite('model_ranking failure columns (aggregate, status, INSIGHTS.md)');

ranking('a lane with 3 parse errors, 2 timeouts and 1 abstention out of 10: parse errors count 0, timeouts are missing', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const { runs, pathA } = writeBothLanes(dir);
    await aggregate({ runsDir: runs, outDir: join(runs, '_aggregated') });
    const db = join(runs, '_aggregated', 'audition.duckdb');
    const rows = await query(db, 'SELECT lane, n, attempted, scored, model_failure_rate, missing_rate, abstain_rate, answered_accuracy, rate, ci_lo, ci_hi, method FROM model_ranking ORDER BY lane');
    const a = rows[0];
    assert.equal([a['lane'], a['method']], ['a.t0-2', 'wilson']);
    // attempted: 10 steps; scored: 10 − 2 timeouts = 8 (also n, one attempt an item).
    assert.equal([a['attempted'], a['scored'], a['n']], [10, 8, 8]);
    // model failures 3/10, missing 2/10, abstained 1/10.
    assertNear(Number(a['model_failure_rate']), 0.3, 1e-12, 'model_failure_rate');
    assertNear(Number(a['missing_rate']), 0.2, 1e-12, 'missing_rate');
    assertNear(Number(a['abstain_rate']), 0.1, 1e-12, 'abstain_rate');
    // answered: 8 scored − 3 parse − 1 abstain = 4, of which 3 right: 3/4.
    assertNear(Number(a['answered_accuracy']), 0.75, 1e-12, 'answered_accuracy');
    // rate: 3 right of 8 scored = 0.375 (dropping every error, as before, gave 3/5 = 0.6).
    assertNear(Number(a['rate']), 0.375, 1e-12, 'rate');
    // Wilson 95 % for 3 of 8, z = 1.959964: z²/n = 0.480182, centre = (0.375 + 0.240091)/1.480182 = 0.415553,
    // half = z·sqrt(0.375·0.625/8 + z²/(4·64))/1.480182 = 1.959964·sqrt(0.029297 + 0.015006)/1.480182 = 0.278707.
    assertNear(Number(a['ci_lo']), 0.415553 - 0.278707, 1e-5, 'ci_lo');
    assertNear(Number(a['ci_hi']), 0.415553 + 0.278707, 1e-5, 'ci_hi');
    const b = rows[1];
    // lane b: attempted 20, scored 19, missing 1/20 = 0.05, rate = answered accuracy = 12/19.
    assert.equal([b['lane'], b['attempted'], b['scored'], b['model_failure_rate'], b['abstain_rate']], ['b.t0-2', 20, 19, 0, 0]);
    assertNear(Number(b['missing_rate']), 0.05, 1e-12, 'b missing_rate');
    assertNear(Number(b['rate']), 12 / 19, 1e-12, 'b rate');
    assertNear(Number(b['answered_accuracy']), 12 / 19, 1e-12, 'b answered_accuracy');

    // audition status reads the same log in TypeScript and agrees.
    const status = summarizeProgress(await readRunLog(pathA), new Date('2026-11-22T12:00:00.000Z'));
    assert.equal([status.metric, status.errors, status.model_failures, status.missing], ['correct', 5, 3, 2]);
    assertNear(status.rate ?? Number.NaN, 0.375, 1e-12, 'status rate');
    // done: 4 ok + 1 abstain + 3 model failures (final) = 8 of 10; the 2 timeouts are left to retry.
    const printed = runCli(['status', 'ra', '--runs-dir', runs]);
    assert.match(printed.stdout, /progress\s+8 of 10 done \(80%\), 5 errors \(3 model failures, worth 0; 2 missing, to retry\), 0 pending/);
    const [summary] = await query(db, "SELECT rate, errors FROM runs_summary WHERE run_id = 'ra'");
    assertNear(Number(summary['rate']), 0.375, 1e-12, 'runs_summary rate');

    // INSIGHTS.md names lane a (20 % missing) and not lane b (exactly 5 %).
    const insights = readFileSync(join(runs, '_aggregated', 'plots', 'INSIGHTS.md'), 'utf8');
    assert.match(insights, /\*\*Warning:\*\* On demo · correct, lane a\.t0-2 \(20\.0% missing\) lacks more than 5% of attempted steps to infrastructure failures/);
    assert.not.match(insights, /b\.t0-2 \(5\.0% missing\)/);
    assert.match(insights, /\| 1 \| b\.t0-2 \| sim-b \| 19 \| 19 \| 63\.2% \| \[[^\]]+\] \| wilson \| 20 \| 0\.0% \| 5\.0% \| 0\.0% \| 63\.2% \|/);
  } finally {
    cleanup();
  }
});

ranking('audition aggregate warns on stderr, naming the lanes missing more than 5 %', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const { runs } = writeBothLanes(dir);
    const result = runCli(['aggregate', '--runs-dir', runs]);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, /rate\s+95% CI\s+attempted\s+model fail\s+missing\s+abstain\s+answered/);
    assert.match(result.stdout, /a\.t0-2 .* 37\.5% .* 10 +30\.0% +20\.0% +10\.0% +75\.0%/);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, 1, result.stderr);
    assert.match(warnings[0], /On demo · correct, lane a\.t0-2 \(20\.0% missing\) lacks more than 5%/);
  } finally {
    cleanup();
  }
});

ranking('the steps view charges and values every error kind as core/metric.ts does', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const outcomes: Outcome[] = ['right', 'abstain', ...ERROR_KINDS, 'invalid_request (marked)'];
    const path = writeLog(runs, 'smoke/rk.jsonl', logOf('rk', LANE_A, outcomes));
    await aggregate({ runsDir: runs, outDir: join(runs, '_aggregated') });
    const rows = await query(join(runs, '_aggregated', 'audition.duckdb'), "SELECT item_id, value, failure FROM steps WHERE run_id = 'rk' ORDER BY step_index");
    const log = await readRunLog(path);
    const typescript = log.steps.map((s) => ({ item_id: s.item_id, value: stepValue('correct', s), failure: stepCharge(s) }));
    assert.equal(rows, typescript);
    // by hand: right 1, abstain 0, parse 0, invalid_request marked 0; the other nine kinds missing.
    assert.is(rows.filter((r) => r['value'] === null).length, ERROR_KINDS.length - 1);
  } finally {
    cleanup();
  }
});

charge.run();
ranking.run();
