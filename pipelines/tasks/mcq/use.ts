import { ProviderError, type ChatRequest, type ChatResponse } from '../../../core/chat.ts';
import type { McqItem, SuiteItem } from '../../suites/types.ts';
import type { McqSettings, McqTaskSettings } from '../settings.ts';
import type { StepOutcome, Task, TaskContext } from '../task.ts';
import { judgeAnswer, supportScore } from './judge.ts';
import { parseAnswer, type Citation, type ParsedAnswer, type ParseFailure } from './parseAnswer.ts';
import { PreparedMcqCache, type PreparedMcq } from './prepare.ts';
import { createMcqSimulator, mcqHint } from './simulate.ts';
import { majorityVote, pickBest } from './vote.ts';

type Parsed = ParsedAnswer | ParseFailure;

function parseError(response: ChatResponse, message: string, task: Record<string, unknown>): StepOutcome {
  return { status: 'error', evaluation: null, response: { text: response.text, finish_reason: response.finishReason, parsed: null }, error: { kind: 'parse', message, http_status: null }, task };
}

function judged(p: PreparedMcq, settings: McqSettings, response: ChatResponse, parsed: ParsedAnswer, task: Record<string, unknown>): StepOutcome {
  const j = judgeAnswer(p, parsed, settings);
  task['card_first'] = j.cardFirst;
  return { status: j.status, evaluation: j.evaluation, response: { text: response.text, finish_reason: response.finishReason, parsed: { answer: parsed.answer, citations: parsed.citations } }, error: null, task };
}

/** Sends n samples at once; one failed sample is dropped, all failed rethrows the first failure. */
async function sendSamples(n: number, makeRequest: (sample: number) => ChatRequest, ctx: TaskContext): Promise<{ responses: (ChatResponse | undefined)[]; failed: number }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => ctx.complete(makeRequest(i))));
  const responses: (ChatResponse | undefined)[] = [];
  let failed = 0;
  let firstFailure: unknown;
  for (const s of settled) {
    if (s.status === 'fulfilled') responses.push(s.value);
    else {
      if (!(s.reason instanceof ProviderError)) throw s.reason;
      firstFailure ??= s.reason;
      failed++;
      responses.push(undefined);
    }
  }
  if (failed === n) throw firstFailure;
  return { responses, failed };
}

/** The winner's citations pooled over the first `k` samples that voted for it: the first sample's in order, then the others' new (source, quote) pairs. */
function poolCitations(parsed: readonly (Parsed | undefined)[], winner: string, k: number): Citation[] {
  const pooled: Citation[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const candidate of parsed) {
    if (used >= k) break;
    if (candidate === undefined || !candidate.ok || candidate.answer !== winner) continue;
    used++;
    for (const c of candidate.citations) {
      const key = `${c.source ?? ''}\u0000${c.quote}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pooled.push(c);
    }
  }
  return pooled;
}

/**
 * USE: one step of an MCQ item: a single sample, or `sc` samples combined by
 * majority vote (citations pooled from `sc_extract` of the winners), or
 * `best_of` samples of which the best-supported is kept. An answer that
 * cannot be parsed is an error step of kind parse.
 */
export async function runMcqSamples(p: PreparedMcq, settings: McqSettings, ctx: TaskContext, makeRequest: (sample: number) => ChatRequest, extra: Record<string, unknown> = {}): Promise<StepOutcome> {
  const n = settings.sc > 1 ? settings.sc : settings.best_of;
  const task: Record<string, unknown> = { ...extra, cards: p.learn.cards.length, snippets: p.learn.snippets.length };
  if (n === 1) {
    const response = await ctx.complete(makeRequest(0));
    const parsed = parseAnswer(response.text, p.keys);
    return parsed.ok ? judged(p, settings, response, parsed, task) : parseError(response, parsed.message, task);
  }
  const { responses, failed } = await sendSamples(n, makeRequest, ctx);
  const parsed = responses.map((r) => (r === undefined ? undefined : parseAnswer(r.text, p.keys)));
  task['samples'] = n;
  if (failed > 0) task['failed_samples'] = failed;
  const firstResponse = responses.find((r) => r !== undefined) as ChatResponse;
  if (settings.sc > 1) {
    const vote = majorityVote(parsed.map((x) => (x !== undefined && x.ok ? x.answer : undefined)));
    task['votes'] = vote.counts;
    task['tie'] = vote.tied;
    if (vote.winner === undefined) return parseError(firstResponse, `none of ${n} samples could be parsed: ${(parsed.find((x) => x !== undefined) as ParseFailure).message}`, task);
    const first = parsed.findIndex((x) => x !== undefined && x.ok && x.answer === vote.winner);
    const citations = vote.winner === null ? [] : poolCitations(parsed, vote.winner, settings.sc_extract);
    return judged(p, settings, responses[first] as ChatResponse, { ok: true, answer: vote.winner, citations }, task);
  }
  const chosen = pickBest(parsed.map((x) => (x !== undefined && x.ok ? supportScore(p, x) : undefined)));
  if (chosen < 0) return parseError(firstResponse, `none of ${n} samples could be parsed: ${(parsed.find((x) => x !== undefined) as ParseFailure).message}`, task);
  task['chosen_sample'] = chosen;
  return judged(p, settings, responses[chosen] as ChatResponse, parsed[chosen] as ParsedAnswer, task);
}

/** The `mcq` task: LEARN (cards, snippets) then USE (a strict JSON answer with citations), scored with the evidence metrics. */
export function createMcqTask(settings: McqTaskSettings): Task<McqItem> {
  const simulator = createMcqSimulator();
  const prepared = new PreparedMcqCache();
  return {
    kind: 'mcq',
    accepts: (item: SuiteItem): item is McqItem => item.kind === 'mcq',
    contextKey: (item) => item.evidence.map((e) => e.id).join('+'),
    runStep(item, replicate, ctx) {
      const p = prepared.prepare(item, settings);
      return runMcqSamples(p, settings, ctx, (sample) => simulator.attach({ messages: p.messages, cachePrefix: 1, json: true }, mcqHint(p, settings, replicate, sample, ctx.seed)));
    },
    simulator,
  };
}
