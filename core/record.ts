// The run-log contract, version 2: the one definition of a log record. Its field table says, for every field, its
// type, whether a record is usable without it, since which version it exists and where the aggregate keeps it;
// the TypeScript types below, the reader's validator (parseRunLogRecord) and the aggregate's DuckDB read columns
// and validity check (analysis/aggregate/recordSql.ts) all derive from it. test/runlog/agreement.test.ts checks
// that `audition status`, the reader and `audition aggregate` agree on every line of a set of good and bad logs.

import { ERROR_KINDS } from './errorKinds.ts';
import { FieldProblem, field, findProblem, isObject, readFields, type Fields, type ShapeOf } from './fieldSpec.ts';
import type { Lane } from './lane.ts';
import type { TokenCounts } from './tokens.ts';

/** The run-log contract version written by this code (and the newest it reads). */
export const RUN_LOG_SCHEMA = 2;

export const STEP_STATUSES = ['ok', 'abstain', 'error'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_END_STATUSES = ['completed', 'interrupted', 'failed'] as const;
export type RunEndStatus = (typeof RUN_END_STATUSES)[number];

export const RECORD_TYPES = ['run_start', 'step', 'run_end', 'run_resume'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const count = (doc: string, column: string) => field.integer('defaulted', doc, { min: 0, default: 0, column });

const TOKEN_FIELDS = {
  prompt: count('every input token, cached reads and writes included', 'tokens_prompt'),
  completion: count('output tokens, reasoning included', 'tokens_completion'),
  cached_read: count('input tokens read from the prompt cache', 'tokens_cached_read'),
  cache_write: count('input tokens written to the prompt cache', 'tokens_cache_write'),
  reasoning: count('reasoning tokens (part of completion)', 'tokens_reasoning'),
} satisfies Fields;

const PROVENANCE_FIELD = field.object('nullable', {
  audition_version: field.string('nullable', 'the audition version that wrote the record'),
  git_commit: field.string('nullable', 'its git commit'),
  node: field.string('nullable', 'the Node.js version'),
  host: field.string('nullable', 'the host name'),
}, 'what wrote the record', { column: 'provenance' });

const RUN_START_FIELDS = {
  schema: field.integer('required', 'the contract version of this log', { min: 1, max: RUN_LOG_SCHEMA, column: 'schema_version' }),
  run_id: field.string('required', 'the run this log holds', { column: 'run_id' }),
  created_at: field.timestamp('required', 'ISO-8601 time the run was created', { column: 'created_at' }),
  created_by: field.string('defaulted', 'who started it', { default: '', column: 'created_by' }),
  notes: field.string('defaulted', 'free text', { default: '', column: 'notes' }),
  stage: field.string('required', 'the runs/ folder that groups runs by purpose', { column: 'stage' }),
  lane: field.open<Lane, 'required'>('required', { slug: field.string('required', 'the lane slug') }, 'the full resolved lane, so a log never depends on the registry', { column: 'lane' }),
  suite: field.object('required', {
    name: field.string('required', 'the suite name'),
    path: field.string('required', 'where the suite file was'),
    sha256: field.string('required', 'the suite file content hash'),
    n_items: field.integer('required', 'items in the suite', { min: 0 }),
  }, 'the suite the run used', { column: 'suite' }),
  settings: field.map<unknown, 'defaulted'>('defaulted', 'every setting that shaped the run', { default: {}, column: 'settings' }),
  provenance: PROVENANCE_FIELD,
} satisfies Fields;

const CITATIONS_FIELDS = {
  coverage: field.number('nullable', 'share of the gold option’s content tokens found in verified quotes', { column: 'coverage' }),
  witness_pass: field.boolean('nullable', 'the quotes support gold more than any other option', { column: 'witness_pass' }),
  credited: field.boolean('nullable', 'correct ∧ quotes ∧ coverage ≥ τ ∧ witness', { column: 'credited' }),
  reasons: field.strings('defaulted', 'why not credited', { default: [] }),
} satisfies Fields;

const STEP_FIELDS = {
  run_id: field.string('required', 'the run the step belongs to', { column: 'run_id' }),
  step_index: field.integer('nullable', 'item position × replicates + replicate', { min: 0, column: 'step_index' }),
  item_id: field.string('required', 'the suite item', { column: 'item_id' }),
  replicate: field.integer('required', 'the replicate, from 0', { min: 0, column: 'replicate' }),
  cluster: field.string('nullable', 'items that share a passage or template', { column: 'cluster' }),
  lane: field.string('nullable', 'the lane slug', { column: 'lane' }),
  provider: field.string('nullable', 'the provider'),
  model: field.string('nullable', 'the provider’s model id'),
  dials: field.map<number | string | boolean, 'defaulted'>('defaulted', 'the lane’s dials, flat', { default: {} }),
  status: field.oneOf('required', STEP_STATUSES, 'ok, abstain or error', { column: 'status' }),
  evaluation: field.object('nullable', {
    correct: field.boolean('nullable', 'the chosen answer is gold', { column: 'correct' }),
    score: field.number('nullable', 'graded tasks: the mean criterion score scaled to 0..1', { column: 'score' }),
    citations_evidence: field.object('nullable', CITATIONS_FIELDS, 'the evidence metrics (null where the item has no passages)'),
    scores: field.map<number, 'optional'>('optional', 'graded tasks: per-criterion scores'),
  }, 'how the answer scored'),
  response: field.object('nullable', {
    text: field.string('defaulted', 'the model’s text', { default: '' }),
    finish_reason: field.string('nullable', 'why the model stopped'),
    parsed: field.any('nullable', 'what the task parsed from it'),
  }, 'what came back'),
  tokens: field.object('defaulted', TOKEN_FIELDS, 'summed over the step’s requests', { default: { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 } }),
  timing: field.object('defaulted', {
    started_at: field.timestamp('nullable', 'ISO-8601 start', { column: 'started_at' }),
    latency_ms: field.number('defaulted', 'time in provider calls', { min: 0, default: 0, column: 'latency_ms' }),
    queue_ms: field.number('defaulted', 'time waiting on limits and backoff', { min: 0, default: 0, column: 'queue_ms' }),
    ttft_ms: field.number('nullable', 'time to first token (streamed)', { min: 0, column: 'ttft_ms' }),
  }, 'when and how long', { default: { started_at: null, latency_ms: 0, queue_ms: 0, ttft_ms: null } }),
  attempts: field.integer('defaulted', 'requests sent, retries included', { min: 0, default: 0, column: 'attempts' }),
  cost_usd: field.number('nullable', 'null when the model has no price', { min: 0, column: 'cost_usd' }),
  error: field.object('nullable', {
    kind: field.oneOf('defaulted', ERROR_KINDS, 'how it failed', { fallback: 'unknown', default: 'unknown', column: 'error_kind' }),
    message: field.string('defaulted', 'what the provider or task said', { default: '', column: 'error_message' }),
    http_status: field.integer('nullable', 'the HTTP status, if any', { column: 'error_http_status' }),
  }, 'null unless status is error'),
  batch: field.object('nullable', {
    id: field.string('nullable', 'the provider’s batch id', { column: 'batch_id' }),
    custom_id: field.string('nullable', 'the request’s id within the batch'),
  }, 'set when the step ran through a batch API'),
  context: field.object('optional', {
    tokens: field.number('defaulted', 'the context size sent', { min: 0, default: 0 }),
    trimmed: field.number('defaulted', 'tokens trimmed before this step', { min: 0, default: 0 }),
    strategy: field.string('optional', 'the trim strategy'),
  }, 'session runs: the context the step saw'),
  task: field.map<unknown, 'optional'>('optional', 'task facts (a grade’s generator lane, a session turn…)', { column: 'task' }),
} satisfies Fields;

const RUN_END_FIELDS = {
  run_id: field.string('required', 'the run that ended', { column: 'run_id' }),
  ended_at: field.timestamp('required', 'ISO-8601 end', { column: 'ended_at' }),
  status: field.oneOf('required', RUN_END_STATUSES, 'completed, interrupted or failed', { column: 'status' }),
  reason: field.string('optional', 'why it stopped: max-cost, signal, verify-first, auth, quota, error-rate, unreachable', { column: 'end_reason' }),
  counts: field.object('defaulted', {
    ok: field.integer('defaulted', 'latest records ok', { min: 0, default: 0 }),
    abstain: field.integer('defaulted', 'latest records abstain', { min: 0, default: 0 }),
    error: field.integer('defaulted', 'latest records error', { min: 0, default: 0 }),
  }, 'over the latest record per key', { default: { ok: 0, abstain: 0, error: 0 } }),
  tokens: field.object('defaulted', TOKEN_FIELDS, 'totals', { default: { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 } }),
  cost_usd: field.number('defaulted', 'total spend', { min: 0, default: 0, column: 'cost_usd' }),
} satisfies Fields;

const RUN_RESUME_FIELDS = {
  run_id: field.string('required', 'the run resumed', { column: 'run_id' }),
  resumed_at: field.timestamp('required', 'ISO-8601 time the resume started', { since: 2, column: 'resumed_at' }),
  resumed_by: field.string('defaulted', 'who resumed it', { default: '', since: 2 }),
  settings: field.map<unknown, 'defaulted'>('defaulted', 'the settings this session sends with: the run’s own, with the overrides applied', { default: {}, since: 2, column: 'settings' }),
  overrides: field.map<{ from: unknown; to: unknown }, 'defaulted'>('defaulted', 'the settings a flag changed, each {from, to}', { default: {}, since: 2 }),
  spent_usd: field.number('defaulted', 'what the run had spent before this session', { min: 0, default: 0, since: 2, column: 'cost_usd' }),
  provenance: PROVENANCE_FIELD,
} satisfies Fields;

/** The field table of each record type: the one definition of the contract. */
export const RECORD_FIELDS = { run_start: RUN_START_FIELDS, step: STEP_FIELDS, run_end: RUN_END_FIELDS, run_resume: RUN_RESUME_FIELDS } as const satisfies Record<RecordType, Fields>;

export type RunStartRecord = { type: 'run_start' } & ShapeOf<typeof RUN_START_FIELDS>;
export type StepRecord = { type: 'step' } & ShapeOf<typeof STEP_FIELDS>;
export type RunEndRecord = { type: 'run_end' } & ShapeOf<typeof RUN_END_FIELDS>;
export type RunResumeRecord = { type: 'run_resume' } & ShapeOf<typeof RUN_RESUME_FIELDS>;
export type RunLogRecord = RunStartRecord | StepRecord | RunEndRecord | RunResumeRecord;

export type SuiteRef = RunStartRecord['suite'];
export type Provenance = NonNullable<RunStartRecord['provenance']>;
export type Evaluation = NonNullable<StepRecord['evaluation']>;
export type CitationsEvidence = NonNullable<Evaluation['citations_evidence']>;
export type StepError = NonNullable<StepRecord['error']>;

// The derived shapes must stay assignable to the shared vocabulary they carry.
const tokensAreTokenCounts: (t: StepRecord['tokens']) => TokenCounts = (t) => t;
void tokensAreTokenCounts;

/** The fields that identify a step: a resumed run never repeats a key whose latest record is ok, abstain or a model failure; readers take the latest record per key. */
export const STEP_KEY_FIELDS = ['run_id', 'item_id', 'replicate'] as const;

/** The key of a step within its run: STEP_KEY_FIELDS less run_id, which one log holds one of. */
export function stepKey(step: Pick<StepRecord, 'item_id' | 'replicate'>): string {
  return `${step.item_id}\u0000${step.replicate}`;
}

/** Why a parsed line is not a record at all (before its fields are read): one wording for every reader. */
export function describeNonRecord(value: unknown): string | null {
  if (!isObject(value)) return `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
  if (!('type' in value) || value['type'] === null) return 'a JSON object without "type"';
  if (typeof value['type'] !== 'string') return 'a JSON object whose "type" is not a string';
  if (!(RECORD_TYPES as readonly string[]).includes(value['type'])) return `unknown record type ${JSON.stringify(value['type'])} (expected ${RECORD_TYPES.join(', ')})`;
  return null;
}

/** Why a line is not JSON, in the words every reader uses. */
export function describeUnparsable(line: string): string {
  const cut = line.trimStart().startsWith('{') && !line.trimEnd().endsWith('}');
  return `not valid JSON (${line.length} characters${cut ? ', cut off mid-line' : ''})`;
}

/** The problem text of a record type's missing or wrong required field. */
export function describeFieldProblem(type: RecordType, problem: FieldProblem): string {
  return `${type}: ${problem.message}`;
}

/** A line as the contract reads it: a typed record, or why the line is unusable. */
export type RecordReading = { ok: true; record: RunLogRecord } | { ok: false; problem: string };

/** Reads one parsed log line by the field table; never throws. */
export function readRunLogRecord(value: unknown): RecordReading {
  const nonRecord = describeNonRecord(value);
  if (nonRecord !== null) return { ok: false, problem: nonRecord };
  const object = value as Record<string, unknown>;
  const type = object['type'] as RecordType;
  const read = readFields(RECORD_FIELDS[type], object);
  if (read instanceof FieldProblem) return { ok: false, problem: describeFieldProblem(type, read) };
  return { ok: true, record: { type, ...read } as RunLogRecord };
}

/** Reads one line of a log: JSON, then the field table; never throws. */
export function readRunLogLine(line: string): RecordReading {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: describeUnparsable(line) };
  }
  return readRunLogRecord(value);
}

/** Why a record would be unusable to every reader, or null: what the writer checks before it appends. */
export function findRecordProblem(record: RunLogRecord): string | null {
  const problem = findProblem(RECORD_FIELDS[record.type] as Fields, record as unknown as Record<string, unknown>);
  return problem === null ? null : describeFieldProblem(record.type, problem);
}
