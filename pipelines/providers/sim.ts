import { flattenDials, type Lane } from '../../core/lane.ts';
import { emptyTokens, type TokenCounts } from '../../core/tokens.ts';
import type { PromptItem } from '../suites/types.ts';
import { splitSentences } from '../tasks/mcq/learn.ts';
import { coverage } from '../tasks/mcq/metrics.ts';
import { contentTokens } from '../tasks/mcq/tokens.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter, type SendOptions } from '../../core/chat.ts';
import {
  CITATION_QUALITIES, MALFORMED_GRADE_RATE, MALFORMED_RATE, criterionBias, drawMcq, graderNoise, hashString, isGreedy, mcqSampleModel, noteKeepProbability,
  sampleSeed, simCitations, simItem, simLane, uniform, type GenerateHint, type GradeHint, type McqDraw, type McqHint, type SimLane,
} from './simulation.ts';

/** Reasoning tokens a sim lane reports per answer (part of its completion tokens). */
const REASONING_TOKENS = { minimal: 0, low: 256, medium: 1024, high: 3072 } as const;
/** Share of answers wrapped in a code fence, and in prose; the parser must find the JSON in both. */
const FENCED = 0.1;
const IN_PROSE = 0.2;

/** Prefixes the simulated prompt cache holds before it forgets them all (sessions make a new prefix each turn). */
const WARM_PREFIX_LIMIT = 4096;

const tokensOf = (chars: number): number => Math.ceil(chars / 4);

/** The JSON text of one sampled MCQ answer, cached per cards list (one per item content and settings, see prepareMcq). */
const answerCache = new WeakMap<object, Map<string, string>>();

function mcqJson(hint: McqHint, option: number, quality: (typeof CITATION_QUALITIES)[number]): string {
  let byKey = answerCache.get(hint.cards);
  if (byKey === undefined) answerCache.set(hint.cards, (byKey = new Map()));
  const key = `${option}|${quality}`;
  let json = byKey.get(key);
  if (json === undefined) {
    json = JSON.stringify({ answer: hint.item.options[option].key, citations: simCitations(hint.item, hint.cards, option, quality === 'good', quality === 'distractor') });
    byKey.set(key, json);
  }
  return json;
}

function formatMcq(hint: McqHint, draw: McqDraw): string {
  if (draw.kind === 'malformed') {
    if (draw.variant < 0.5) return `I think the answer is probably ${hint.item.options[0].key}, but the passages are not clear to me.`;
    const full = mcqJson(hint, 0, 'good');
    return full.slice(0, Math.floor(full.length * 0.6));
  }
  const json = draw.kind === 'idk' ? '{"answer":"IDK","citations":[]}' : mcqJson(hint, draw.option, draw.quality);
  if (draw.variant < FENCED) return '```json\n' + json + '\n```';
  if (draw.variant < IN_PROSE) return `Based on the passages, here is my answer:\n${json}\nThe quotes above are copied from the evidence.`;
  return json;
}

/** One MCQ sample: draws from the ground-truth model with the seed of (lane, item, replicate, sample, run seed). */
export function answerMcq(lane: SimLane, hint: McqHint, runSeed: number): string {
  const item = simItem(hint.item);
  const model = mcqSampleModel(lane.dials, lane.skill, item.difficulty, hint.cards.length + hint.snippets.length, hint.allowAbstain, hint.session);
  const seed = sampleSeed(lane.hash, item.hash, hint.replicate, isGreedy(lane.dials) ? 0 : hint.sample, runSeed);
  return formatMcq(hint, drawMcq(model, hint.item.options.length, item.gold, seed));
}

/** A note: each context sentence kept with the lane's keep probability (at least one); 1% of attempts come back empty. */
export function writeNote(lane: SimLane, hint: GenerateHint, runSeed: number): string {
  const seed = sampleSeed(lane.hash, hashString(hint.item.id), hint.replicate, hint.sample, runSeed);
  if (uniform(seed, 0) < MALFORMED_RATE) return '';
  const keep = noteKeepProbability(lane, hint.item.id);
  const sentences = splitSentences(hint.item.context);
  const kept = sentences.filter((_, i) => uniform(seed, 10 + i) < keep);
  return (kept.length > 0 ? kept : sentences.slice(0, 1)).join(' ');
}

const contextTokens = new WeakMap<PromptItem, Set<string>>();

/** An approximately standard normal draw (Irwin–Hall of 3 uniforms, rescaled to variance 1). */
function normal(seed: number, k: number): number {
  return (uniform(seed, k) + uniform(seed, k + 1) + uniform(seed, k + 2) - 1.5) * 2;
}

/**
 * A grade: the note's quality Q is the share of the context's content tokens
 * it contains; each criterion scores round(max · (Q + bias + noise·N(0,1)))
 * clamped to 0…max. 3% of replies miss a criterion or the JSON.
 */
export function gradeNote(lane: SimLane, hint: GradeHint, runSeed: number): string {
  let context = contextTokens.get(hint.item);
  if (context === undefined) contextTokens.set(hint.item, (context = contentTokens(hint.item.context)));
  const quality = coverage(contentTokens(hint.note), context);
  const seed = sampleSeed(lane.hash, hashString(`${hint.item.id}|${hint.generatorLane}|${hint.rubric.author}|${hashString(hint.note)}`), hint.replicate, hint.sample, runSeed);
  const noise = graderNoise(lane, hint.reasoning);
  const scores: Record<string, number> = {};
  hint.rubric.criteria.forEach((c, i) => {
    const fraction = quality + criterionBias(c.id) + noise * normal(seed, 10 + 3 * i);
    scores[c.id] = Math.min(c.max, Math.max(0, Math.round(c.max * fraction)));
  });
  const u = uniform(seed, 0);
  if (u < MALFORMED_GRADE_RATE / 2) return 'The answer is reasonable overall; I would give it a good mark.';
  if (u < MALFORMED_GRADE_RATE) delete scores[hint.rubric.criteria[hint.rubric.criteria.length - 1].id];
  const json = JSON.stringify({ scores });
  if (!hint.reasoning) return json;
  return `Reasoning: the answer uses about ${Math.round(quality * 100)}% of the facts in the material; each criterion is scored against that.\n\n${json}`;
}

function answer(lane: Lane, request: ChatRequest): string {
  const sim = simLane(lane);
  const hint = request.simulation;
  if (hint === undefined) return 'OK';
  const runSeed = hint.seed ?? request.seed ?? 0;
  switch (hint.task) {
    case 'mcq':
      return answerMcq(sim, hint, runSeed);
    case 'generate':
      return writeNote(sim, hint, runSeed);
    case 'grade':
      return gradeNote(sim, hint, runSeed);
  }
}

/**
 * The offline `sim` provider: answers from the ground-truth model in
 * simulation.ts, deterministically, with token counts from text length
 * (≈ 4 characters a token) and a simulated prompt cache.
 */
export class SimProvider implements ProviderAdapter {
  readonly name = 'sim' as const;
  private readonly warmPrefixes = new Set<string>();

  buildRequest(lane: Lane, request: ChatRequest): { url: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = { model: lane.model, messages: request.messages, ...flattenDials(lane.dials) };
    if (request.json === true) body['response_format'] = { type: 'json_object' };
    if (request.seed !== undefined) body['seed'] = request.seed;
    return { url: 'sim://local/chat', body };
  }

  async send(lane: Lane, request: ChatRequest, options: SendOptions): Promise<ChatResponse> {
    if (options.signal.aborted) throw new ProviderError('aborted', 'the request was aborted');
    let text: string;
    try {
      text = answer(lane, request);
    } catch (error) {
      throw new ProviderError('invalid_request', (error as Error).message, { cause: error });
    }
    return { text, finishReason: 'stop', tokens: this.count(lane, request, text), ttftMs: null };
  }

  private count(lane: Lane, request: ChatRequest, text: string): TokenCounts {
    const tokens = emptyTokens();
    let chars = 0;
    for (const m of request.messages) chars += m.content.length + 8;
    tokens.prompt = tokensOf(chars);
    const prefix = request.cachePrefix ?? 0;
    if (prefix > 0 && request.messages.length >= prefix) {
      const key = prefix === 1 ? request.messages[0].content : request.messages.slice(0, prefix).map((m) => m.content).join('\u0000');
      const prefixTokens = tokensOf(key.length + 8 * prefix);
      if (this.warmPrefixes.has(key)) tokens.cached_read = prefixTokens;
      else {
        if (this.warmPrefixes.size >= WARM_PREFIX_LIMIT) this.warmPrefixes.clear();
        this.warmPrefixes.add(key);
        tokens.cache_write = prefixTokens;
      }
    }
    const effort = lane.dials.reasoning_effort;
    tokens.reasoning = (effort === undefined ? 0 : REASONING_TOKENS[effort]) + (lane.dials.thinking === true ? Math.min(lane.dials.thinking_budget_tokens ?? 2048, 2048) : 0);
    tokens.completion = tokensOf(text.length) + tokens.reasoning;
    return tokens;
  }

  async close(): Promise<void> {
    this.warmPrefixes.clear();
  }
}

/** A new sim provider (its prompt cache is per instance); the sim needs no environment. */
export function createAdapter(_env?: NodeJS.ProcessEnv): ProviderAdapter {
  return new SimProvider();
}
