import { InputError, type Location } from '../../lib/errors.ts';
import { Fields } from '../../lib/fields.ts';
import { parseLane } from '../lanes/parse.ts';
import { ERROR_KINDS } from '../../core/errorKinds.ts';
import { RUN_END_STATUSES, RUN_LOG_SCHEMA, STEP_STATUSES, type Evaluation, type RunEndRecord, type RunLogRecord, type RunStartRecord, type StepRecord } from '../../core/record.ts';
import { type TokenCounts } from '../../core/tokens.ts';

function parseTokens(f: Fields): TokenCounts {
  const n = (key: string): number => f.number(key, { optional: true, min: 0 }) ?? 0;
  return { prompt: n('prompt'), completion: n('completion'), cached_read: n('cached_read'), cache_write: n('cache_write'), reasoning: n('reasoning') };
}

function nullable<T>(f: Fields, key: string, read: (child: Fields) => T): T | null {
  return f.has(key) ? read(f.object(key)) : null;
}

function parseEvaluation(f: Fields): Evaluation {
  const evaluation: Evaluation = {
    correct: f.boolean('correct', { optional: true }) ?? null,
    score: f.number('score', { optional: true }) ?? null,
    citations_evidence: nullable(f, 'citations_evidence', (c) => ({
      coverage: c.number('coverage', { optional: true }) ?? null,
      witness_pass: c.boolean('witness_pass', { optional: true }) ?? null,
      credited: c.boolean('credited', { optional: true }) ?? null,
      reasons: (c.array('reasons', { optional: true }) ?? []).map(String),
    })),
  };
  const scores = f.object('scores', { optional: true });
  if (scores !== undefined) {
    evaluation.scores = Object.fromEntries(Object.keys(scores.value).map((k) => [k, scores.number(k)]));
  }
  return evaluation;
}

function parseRunStart(f: Fields): RunStartRecord {
  const schema = f.integer('schema');
  if (schema !== RUN_LOG_SCHEMA) f.fail('schema', `is ${schema}; this audition reads schema ${RUN_LOG_SCHEMA}`, 'upgrade audition to read this log');
  const suite = f.object('suite');
  const provenance = f.object('provenance');
  return {
    type: 'run_start',
    schema,
    run_id: f.string('run_id'),
    created_at: f.string('created_at'),
    created_by: f.string('created_by', { optional: true }) ?? '',
    notes: f.string('notes', { optional: true }) ?? '',
    stage: f.string('stage'),
    lane: parseLane(f.value['lane'], f.at('lane')),
    suite: { name: suite.string('name'), path: suite.string('path'), sha256: suite.string('sha256'), n_items: suite.integer('n_items', { min: 0 }) },
    settings: (f.object('settings', { optional: true })?.value ?? {}) as Record<string, unknown>,
    provenance: {
      audition_version: provenance.string('audition_version'),
      git_commit: provenance.string('git_commit', { optional: true }) ?? null,
      node: provenance.string('node'),
      host: provenance.string('host'),
    },
  };
}

function parseStep(f: Fields): StepRecord {
  const timing = f.object('timing');
  const step: StepRecord = {
    type: 'step',
    run_id: f.string('run_id'),
    step_index: f.integer('step_index', { min: 0 }),
    item_id: f.string('item_id'),
    replicate: f.integer('replicate', { min: 0 }),
    cluster: f.string('cluster', { optional: true }) ?? null,
    lane: f.string('lane'),
    provider: f.string('provider'),
    model: f.string('model'),
    dials: (f.object('dials', { optional: true })?.value ?? {}) as Record<string, number | string | boolean>,
    status: f.oneOf('status', STEP_STATUSES),
    evaluation: nullable(f, 'evaluation', parseEvaluation),
    response: nullable(f, 'response', (r) => ({
      text: r.string('text', { optional: true }) ?? '',
      finish_reason: r.string('finish_reason', { optional: true }) ?? null,
      parsed: r.value['parsed'] ?? null,
    })),
    tokens: f.has('tokens') ? parseTokens(f.object('tokens')) : parseTokens(new Fields({}, f.at('tokens'))),
    timing: {
      started_at: timing.string('started_at'),
      latency_ms: timing.number('latency_ms', { min: 0 }),
      queue_ms: timing.number('queue_ms', { optional: true, min: 0 }) ?? 0,
      ttft_ms: timing.number('ttft_ms', { optional: true, min: 0 }) ?? null,
    },
    attempts: f.integer('attempts', { min: 0 }),
    cost_usd: f.number('cost_usd', { optional: true, min: 0 }) ?? null,
    error: nullable(f, 'error', (e) => ({
      kind: e.oneOf('kind', ERROR_KINDS),
      message: e.string('message'),
      http_status: e.integer('http_status', { optional: true }) ?? null,
    })),
    batch: nullable(f, 'batch', (b) => ({ id: b.string('id'), custom_id: b.string('custom_id') })),
  };
  if (step.status === 'error' && step.error === null) f.fail('error', 'is required when status is "error"');
  const context = f.object('context', { optional: true });
  if (context !== undefined) {
    step.context = { tokens: context.number('tokens', { min: 0 }), trimmed: context.number('trimmed', { min: 0 }) };
    const strategy = context.string('strategy', { optional: true });
    if (strategy !== undefined) step.context.strategy = strategy;
  }
  const task = f.object('task', { optional: true });
  if (task !== undefined) step.task = task.value;
  return step;
}

function parseRunEnd(f: Fields): RunEndRecord {
  const counts = f.object('counts');
  const end: RunEndRecord = {
    type: 'run_end',
    run_id: f.string('run_id'),
    ended_at: f.string('ended_at'),
    status: f.oneOf('status', RUN_END_STATUSES),
    counts: { ok: counts.integer('ok', { min: 0 }), abstain: counts.integer('abstain', { min: 0 }), error: counts.integer('error', { min: 0 }) },
    tokens: parseTokens(f.object('tokens')),
    cost_usd: f.number('cost_usd', { min: 0 }),
  };
  const reason = f.string('reason', { optional: true });
  if (reason !== undefined) end.reason = reason;
  return end;
}

/** Validates one parsed log line into a typed record; throws InputError naming file, line and field. */
export function parseRunLogRecord(value: unknown, where: Location): RunLogRecord {
  const f = new Fields(value, where);
  const type = f.string('type');
  switch (type) {
    case 'run_start':
      return parseRunStart(f);
    case 'step':
      return parseStep(f);
    case 'run_end':
      return parseRunEnd(f);
    default:
      throw new InputError(f.at('type'), `unknown record type ${JSON.stringify(type)} (expected run_start, step or run_end)`);
  }
}
