import type { ErrorKind } from './errorKinds.ts';
import type { Lane } from './lane.ts';
import type { TokenCounts } from './tokens.ts';

/** The run-log contract version written by this code. */
export const RUN_LOG_SCHEMA = 1;

export const STEP_STATUSES = ['ok', 'abstain', 'error'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_END_STATUSES = ['completed', 'interrupted', 'failed'] as const;
export type RunEndStatus = (typeof RUN_END_STATUSES)[number];

export interface SuiteRef {
  name: string;
  path: string;
  sha256: string;
  n_items: number;
}

export interface Provenance {
  audition_version: string;
  git_commit: string | null;
  node: string;
  host: string;
}

export interface RunStartRecord {
  type: 'run_start';
  schema: number;
  run_id: string;
  created_at: string;
  created_by: string;
  notes: string;
  stage: string;
  /** The full resolved lane, so a log never depends on the registry. */
  lane: Lane;
  suite: SuiteRef;
  settings: Record<string, unknown>;
  provenance: Provenance;
}

export interface CitationsEvidence {
  coverage: number | null;
  witness_pass: boolean | null;
  credited: boolean | null;
  reasons: string[];
}

export interface Evaluation {
  correct: boolean | null;
  score: number | null;
  citations_evidence: CitationsEvidence | null;
  /** Per-criterion scores for graded tasks. */
  scores?: Record<string, number>;
}

export interface StepError {
  kind: ErrorKind;
  message: string;
  http_status: number | null;
}

export interface StepRecord {
  type: 'step';
  run_id: string;
  step_index: number;
  item_id: string;
  replicate: number;
  cluster: string | null;
  lane: string;
  provider: string;
  model: string;
  dials: Record<string, number | string | boolean>;
  status: StepStatus;
  evaluation: Evaluation | null;
  response: { text: string; finish_reason: string | null; parsed: unknown } | null;
  tokens: TokenCounts;
  timing: { started_at: string; latency_ms: number; queue_ms: number; ttft_ms: number | null };
  attempts: number;
  cost_usd: number | null;
  error: StepError | null;
  batch: { id: string; custom_id: string } | null;
  /** Session runs: the context the step saw and what was trimmed. */
  context?: { tokens: number; trimmed: number; strategy?: string };
  /** Task-specific facts (e.g. the generator lane of a grade, the rubric author). */
  task?: Record<string, unknown>;
}

export interface RunEndRecord {
  type: 'run_end';
  run_id: string;
  ended_at: string;
  status: RunEndStatus;
  reason?: string;
  counts: Record<StepStatus, number>;
  tokens: TokenCounts;
  cost_usd: number;
}

export type RunLogRecord = RunStartRecord | StepRecord | RunEndRecord;

/** The key a step is identified by: a resumed run never repeats a key whose latest record is ok or abstain. */
export function stepKey(step: Pick<StepRecord, 'item_id' | 'replicate'>): string {
  return `${step.item_id}\u0000${step.replicate}`;
}
