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
  return { path: 'p1.jsonl', start, end: ended ? end : null, steps: s, superseded: 0, problems: [], warnings: [], lines: 4 };
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

progress.run();
