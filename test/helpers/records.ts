import type { Lane } from '../../core/lane.ts';
import { RUN_LOG_SCHEMA, type RunEndRecord, type RunStartRecord, type StepRecord, type StepStatus } from '../../core/record.ts';
import { emptyTokens } from '../../core/tokens.ts';

export const SIM_LANE: Lane = { slug: 'strong.t0-7', alias: 'strong', provider: 'sim', model: 'sim-strong', dials: { temperature: 0.7 }, active: true, visible: true };

export function runStart(runId: string, lane: Lane = SIM_LANE): RunStartRecord {
  return {
    type: 'run_start', schema: RUN_LOG_SCHEMA, run_id: runId, created_at: '2026-11-22T10:00:00.000Z', created_by: 'test', notes: '', stage: 'smoke',
    lane, suite: { name: 'demo', path: 'suites/demo-mcq.jsonl', sha256: 'abc', n_items: 3 }, settings: { replicates: 1 },
    provenance: { audition_version: '0.1.0', git_commit: null, node: 'v20', host: 'test' },
  };
}

export function step(runId: string, itemId: string, replicate: number, status: StepStatus, index = 0): StepRecord {
  return {
    type: 'step', run_id: runId, step_index: index, item_id: itemId, replicate, cluster: null, lane: SIM_LANE.slug, provider: 'sim', model: 'sim-strong',
    dials: { temperature: 0.7 }, status,
    evaluation: status === 'error' ? null : { correct: status === 'ok', score: status === 'ok' ? 1 : 0, citations_evidence: null },
    response: status === 'error' ? null : { text: '{"answer":"A"}', finish_reason: 'stop', parsed: { answer: 'A' } },
    tokens: { ...emptyTokens(), prompt: 100, completion: 10 },
    timing: { started_at: '2026-11-22T10:00:01.000Z', latency_ms: 12, queue_ms: 0, ttft_ms: null },
    attempts: 1, cost_usd: 0, error: status === 'error' ? { kind: 'server', message: 'HTTP 500', http_status: 500 } : null, batch: null,
  };
}

export function runEnd(runId: string, counts: { ok: number; abstain: number; error: number }): RunEndRecord {
  return { type: 'run_end', run_id: runId, ended_at: '2026-11-22T10:05:00.000Z', status: 'completed', counts, tokens: emptyTokens(), cost_usd: 0 };
}
