// Synthetic run logs with known true rates: seeded Bernoulli draws from a logistic model
// p(lane, item) = sigmoid(skill + item.easiness), written in the run-log contract v1.
// The aggregate benchmark uses a 1M-step sweep of these; the aggregation tests use small ones,
// because the true rate of every (run, item) is known exactly.

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { buildSlug } from '../pipelines/lanes/slug.ts';
import { flattenDials, type Dials, type Lane } from '../core/lane.ts';
import { RUN_LOG_SCHEMA, type RunEndRecord, type RunStartRecord, type StepRecord, type StepStatus } from '../core/record.ts';

/** One suite item: its cluster and its easiness on the logit scale. */
export interface SyntheticItem {
  id: string;
  cluster: string;
  easiness: number;
}

export interface SyntheticSuite {
  name: string;
  items: SyntheticItem[];
}

/** One run to synthesize: a lane over a suite with settings, and the logit skill that fixes its true rates. */
export interface SyntheticRun {
  runId: string;
  stage: string;
  lane: Lane;
  settings: Record<string, unknown>;
  suite: SyntheticSuite;
  replicates: number;
  /** Logit offset: the lane's skill plus the effects of its dials and task settings (`settings` are the task's, as in run_start.settings.task). */
  skill: number;
  /** Probability that a step is an error (excluded from accuracy, missing at random). */
  errorRate: number;
  /** Probability that a failed step abstains instead of answering wrongly. */
  abstainRate: number;
  /** Which evaluation field carries the outcome: `credited` (with citations evidence) or only `correct`. */
  metric: 'credited' | 'correct';
  createdAt: string;
  /** Length of the response text, in characters. */
  responseChars: number;
  /** False: the log stops without run_end (a live or killed run). */
  ended?: boolean;
}

/** A deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform PRNG. */
export function drawNormal(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The true success probability of a run on an item. */
export function trueItemRate(run: Pick<SyntheticRun, 'skill'>, item: SyntheticItem): number {
  return sigmoid(run.skill + item.easiness);
}

/** The true mean rate of a run over the given items (default: its whole suite). */
export function trueRunRate(run: Pick<SyntheticRun, 'skill' | 'suite'>, items: readonly SyntheticItem[] = run.suite.items): number {
  return items.reduce((sum, item) => sum + trueItemRate(run, item), 0) / items.length;
}

/** A suite of `n` items in clusters of `clusterSize`, with easiness = cluster effect + item effect. */
export function makeSuite(name: string, n: number, options: { clusterSize?: number; seed?: number; spread?: number } = {}): SyntheticSuite {
  const rng = createRng(options.seed ?? 7);
  const size = options.clusterSize ?? 4;
  const spread = options.spread ?? 1;
  const items: SyntheticItem[] = [];
  let clusterEffect = 0;
  for (let i = 0; i < n; i++) {
    if (i % size === 0) clusterEffect = drawNormal(rng) * spread * 0.6;
    items.push({ id: `${name}-${String(i + 1).padStart(4, '0')}`, cluster: `${name}-c${Math.floor(i / size) + 1}`, easiness: clusterEffect + drawNormal(rng) * spread * 0.8 });
  }
  return { name, items };
}

/** A sim lane with the slug its dials give. */
export function makeLane(alias: string, model: string, dials: Dials, options: { visible?: boolean; provider?: Lane['provider'] } = {}): Lane {
  return { slug: buildSlug(alias, dials), alias, provider: options.provider ?? 'sim', model, dials, active: true, visible: options.visible ?? true };
}

const WORDS = 'the evidence passage states that option answer because cited quote supports witness coverage claim gold card pro reason context model lane'.split(' ');

function responseText(rng: () => number, chars: number, answer: string): string {
  const head = `{"answer":"${answer}","citations":["`;
  let body = '';
  while (body.length < chars - head.length - 4) body += WORDS[Math.floor(rng() * WORDS.length)] + ' ';
  return head + body.slice(0, Math.max(0, chars - head.length - 4)) + '"]}';
}

function runStartRecord(run: SyntheticRun): RunStartRecord {
  return {
    type: 'run_start', schema: RUN_LOG_SCHEMA, run_id: run.runId, created_at: run.createdAt, created_by: 'synthetic', notes: '', stage: run.stage,
    lane: run.lane, suite: { name: run.suite.name, path: `suites/${run.suite.name}.jsonl`, sha256: `sha-${run.suite.name}`, n_items: run.suite.items.length },
    settings: { replicates: run.replicates, seed: 1, limit: null, concurrency: 8, task: { kind: 'mcq', ...run.settings } },
    provenance: { audition_version: '0.1.0', git_commit: 'abc1234', node: 'v20.20.2', host: 'bench' },
  };
}

/** Yields the lines (without newlines) of one run's log: run_start, every step, then run_end unless `ended` is false. */
export function* synthesizeRunLines(run: SyntheticRun, seed: number): Generator<string> {
  const rng = createRng(seed);
  yield JSON.stringify(runStartRecord(run));
  const counts: Record<StepStatus, number> = { ok: 0, abstain: 0, error: 0 };
  const totals = { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 };
  let cost = 0;
  let index = 0;
  const startMs = Date.parse(run.createdAt);
  const dials = flattenDials(run.lane.dials);
  for (const item of run.suite.items) {
    const p = trueItemRate(run, item);
    for (let replicate = 0; replicate < run.replicates; replicate++) {
      const isError = rng() < run.errorRate;
      const success = rng() < p;
      const abstains = !success && rng() < run.abstainRate;
      const status: StepStatus = isError ? 'error' : abstains ? 'abstain' : 'ok';
      counts[status]++;
      const correct = success || (run.metric === 'credited' && rng() < 0.1);
      const tokens = { prompt: 900 + Math.floor(rng() * 400), completion: isError ? 0 : 80 + Math.floor(rng() * 120), cached_read: replicate > 0 ? 768 : 0, cache_write: replicate === 0 ? 768 : 0, reasoning: 0 };
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += tokens[key];
      const stepCost = Number(((tokens.prompt * 2.5 + tokens.completion * 10) / 1e6).toFixed(6));
      cost += stepCost;
      const answer = 'ABCD'[Math.floor(rng() * 4)];
      const step: StepRecord = {
        type: 'step', run_id: run.runId, step_index: index, item_id: item.id, replicate, cluster: item.cluster,
        lane: run.lane.slug, provider: run.lane.provider, model: run.lane.model, dials, status,
        evaluation: isError ? null : {
          correct: status === 'abstain' ? false : correct,
          score: status === 'abstain' ? 0 : correct ? 1 : 0,
          citations_evidence: run.metric === 'credited'
            ? { coverage: Number((success ? 0.6 + rng() * 0.4 : rng() * 0.5).toFixed(3)), witness_pass: success, credited: status === 'ok' && success, reasons: success ? [] : ['coverage_below_tau'] }
            : null,
        },
        response: isError ? null : { text: responseText(rng, run.responseChars, answer), finish_reason: 'stop', parsed: { answer, citations: 1 } },
        tokens,
        timing: { started_at: new Date(startMs + index * 250).toISOString(), latency_ms: 300 + Math.floor(rng() * 900), queue_ms: Math.floor(rng() * 20), ttft_ms: 120 + Math.floor(rng() * 200) },
        attempts: isError ? 3 : 1,
        cost_usd: stepCost,
        error: isError ? { kind: 'server', message: 'HTTP 503 Service Unavailable', http_status: 503 } : null,
        batch: null,
      };
      index++;
      yield JSON.stringify(step);
    }
  }
  if (run.ended === false) return;
  const end: RunEndRecord = { type: 'run_end', run_id: run.runId, ended_at: new Date(startMs + index * 250).toISOString(), status: 'completed', counts, tokens: totals, cost_usd: Number(cost.toFixed(6)) };
  yield JSON.stringify(end);
}

/** Writes one run's log to `path` (buffered), returning the number of lines written. */
export async function writeRunLog(path: string, run: SyntheticRun, seed: number): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let buffer = '';
  let lines = 0;
  for (const line of synthesizeRunLines(run, seed)) {
    buffer += line + '\n';
    lines++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return lines;
}

/** The benchmark sweep: `files` runs over 500-item suites with 10 replicates, so 5,000 steps a file. */
export function makeBenchSweep(options: { files: number; itemsPerRun?: number; replicates?: number; seed?: number }): SyntheticRun[] {
  const itemsPerRun = options.itemsPerRun ?? 500;
  const replicates = options.replicates ?? 10;
  const suites = [makeSuite('mcq-a', itemsPerRun, { seed: 11 }), makeSuite('mcq-b', itemsPerRun, { seed: 12 })];
  const models = [
    { alias: 'alpha', model: 'sim-alpha', skill: 0.9 },
    { alias: 'beta', model: 'sim-beta', skill: 0.6 },
    { alias: 'gamma', model: 'sim-gamma', skill: 0.3 },
    { alias: 'delta', model: 'sim-delta', skill: 0.0 },
    { alias: 'eps', model: 'sim-eps', skill: -0.3 },
  ];
  const temperatures = [0.2, 0.7, 1.0, 1.3];
  const lanes = models.flatMap((m) => temperatures.flatMap((t) => [0.9, 1].map((topP) => ({ ...m, lane: makeLane(m.alias, m.model, topP === 1 ? { temperature: t } : { temperature: t, top_p: topP }), t }))));
  const runs: SyntheticRun[] = [];
  for (let i = 0; i < options.files; i++) {
    const lane = lanes[i % lanes.length];
    const suite = suites[Math.floor(i / lanes.length) % suites.length];
    const cardsBudget = Math.floor(i / (lanes.length * suites.length)) % 2 === 0 ? 3 : 5;
    runs.push({
      runId: `bench-${String(i).padStart(4, '0')}`, stage: i % 3 === 0 ? 'compare' : 'exp', lane: lane.lane, settings: { cards_budget: cardsBudget, sc: 1 },
      suite, replicates, skill: lane.skill - 0.4 * Math.abs(lane.t - 0.7) + (cardsBudget === 5 ? 0.1 : 0), errorRate: 0.02, abstainRate: 0.2,
      metric: 'credited', createdAt: new Date(Date.UTC(2026, 9, 1) + i * 3_600_000).toISOString(), responseChars: 400,
    });
  }
  return runs;
}
