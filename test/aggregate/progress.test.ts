import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summarizeProgress } from '../../analysis/progress.ts';
import type { RunLog } from '../../pipelines/runlog/reader.ts';
import { runEnd, runStart, step } from '../helpers/records.ts';

const progress = suite('summarizeProgress');

function log(ended: boolean): RunLog {
  const start = runStart('p1');
  const end = { ...runEnd('p1', { ok: 2, abstain: 0, error: 0 }), ended_at: '2026-11-22T10:01:40.000Z' };
  const s = [step('p1', 'q1', 0, 'ok', 0), { ...step('p1', 'q2', 0, 'ok', 1), timing: { started_at: '2026-11-22T10:01:30.000Z', latency_ms: 5, queue_ms: 0, ttft_ms: null } }];
  return { path: 'p1.jsonl', start, end: ended ? end : null, resumes: [], steps: s, superseded: 0, spent: { tokens: { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 }, costUsd: 0 }, problems: [], warnings: [], damaged: false, lines: 4 };
}

progress('a finished run’s elapsed time is its duration; a live run’s is the time since it started', () => {
  const later = new Date('2026-11-22T12:00:00.000Z');
  const done = summarizeProgress(log(true), later);
  assert.is(done.status, 'completed');
  assert.is(done.elapsed_s, 100, 'run_start 10:00:00 → run_end 10:01:40');
  assert.is(done.eta_s, null);
  const live = summarizeProgress(log(false), later);
  assert.is(live.status, 'running');
  assert.is(live.elapsed_s, 7200);
});

progress('a credited run counts a closed-book step (credited null) as correct, an evidence-less run ranks on correct', () => {
  const evidence = (correct: boolean, credited: boolean | null) => ({ correct, score: correct ? 1 : 0, citations_evidence: { coverage: null, witness_pass: null, credited, reasons: [] } });
  const steps = [
    { ...step('p1', 'q1', 0, 'ok', 0), evaluation: evidence(true, true) },
    { ...step('p1', 'q2', 0, 'ok', 1), evaluation: evidence(true, false) },
    { ...step('p1', 'mmlu-1', 0, 'ok', 2), evaluation: evidence(true, null) },
    { ...step('p1', 'mmlu-2', 0, 'ok', 3), evaluation: evidence(false, null) },
  ];
  const at = new Date('2026-11-22T12:00:00.000Z');
  const mixed = summarizeProgress({ ...log(true), steps }, at);
  assert.equal([mixed.metric, mixed.rate], ['credited', 0.5]);
  const closed = summarizeProgress({ ...log(true), steps: steps.slice(2) }, at);
  assert.equal([closed.metric, closed.rate], ['correct', 0.5]);
});

progress('pace needs steps spread over PACE_MIN_SPAN_MS; steps started together give none, not millions a minute', () => {
  const at = (iso: string, item: string, i: number) => ({ ...step('p1', item, 0, 'ok', i), timing: { started_at: iso, latency_ms: 5, queue_ms: 0, ttft_ms: null } });
  const now = new Date('2026-11-22T10:05:00.000Z');
  const together = summarizeProgress({ ...log(false), steps: [0, 1, 2].map((i) => at('2026-11-22T10:01:00.000Z', `q${i}`, i)) }, now);
  assert.is(together.steps_per_min, null);
  assert.is(together.eta_s, null);
  const close = summarizeProgress({ ...log(false), steps: [at('2026-11-22T10:01:00.000Z', 'q0', 0), at('2026-11-22T10:01:00.001Z', 'q1', 1)] }, now);
  assert.is(close.steps_per_min, null, '1 ms apart is no interval to measure a pace over');
  const spread = summarizeProgress({ ...log(false), steps: [0, 1, 2].map((i) => at(`2026-11-22T10:0${i}:00.000Z`, `q${i}`, i)) }, now);
  assert.is(spread.steps_per_min, 1);
});

progress('cost is null, not 0, when a step has no price', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');
  assert.is(summarizeProgress({ ...log(true), steps: log(true).steps.map((s) => ({ ...s, cost_usd: null })) }, now).cost_usd, null);
  assert.type(summarizeProgress(log(true), now).cost_usd, 'number');
});

progress.run();
