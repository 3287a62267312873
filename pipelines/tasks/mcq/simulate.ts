import type { Lane } from '../../../core/lane.ts';
import { isClosedBook, type McqItem } from '../../suites/types.ts';
import type { McqSettings } from '../settings.ts';
import {
  CITATION_QUALITIES, drawMcq, hashString, isGreedy, itemDifficulty, mcqCategoryProbabilities, mcqSampleModel, sampleSeed, simLane,
  type CitationQuality, type McqDraw, type SessionView,
} from '../sim/model.ts';
import { SimulatedRequests } from '../sim/requests.ts';
import { judgeAnswer, supportScore } from './judge.ts';
import type { Citation, ParsedAnswer } from './parseAnswer.ts';
import { PreparedMcqCache, type PreparedMcq } from './prepare.ts';
import { bestQuotes, topicalSentence, type PassageQuote } from './witness.ts';

/** What one MCQ request asks, as the sim needs it: the item, which sample, and what LEARN showed. */
export interface McqHint {
  item: McqItem;
  replicate: number;
  /** Index of this sample within a step (self-consistency / best-of). */
  sample: number;
  /** The run seed (TaskContext.seed); when absent the sim uses the request's per-step seed. */
  seed?: number;
  /** PRO cards and evidence snippets shown (the LEARN slots used). */
  cards: readonly { option: string; text: string }[];
  snippets: readonly { passage: string; text: string }[];
  allowAbstain: boolean;
  session?: SessionView;
}

/** The hint for one sample of an MCQ step. */
export function mcqHint(p: PreparedMcq, settings: McqSettings, replicate: number, sample: number, seed: number | undefined): McqHint {
  const hint: McqHint = { item: p.item, replicate, sample, cards: p.learn.cards, snippets: p.learn.snippets, allowAbstain: settings.idk || settings.strict_evidence };
  if (seed !== undefined) hint.seed = seed;
  return hint;
}

/** What the sim knows about an item, computed once: difficulty, hash, gold index and the quotes it cites. */
export interface SimItem {
  hash: number;
  difficulty: number;
  gold: number;
  /** Per option (in option order): the best quote for it (see bestQuotes); null when the item has no passages. */
  quotes: (PassageQuote | null)[];
  /** The quote of a hurried reader (see topicalSentence); null when the item has no passages. */
  distractor: PassageQuote | null;
  /** No passages (MMLU style): the answer carries no citations. */
  closedBook: boolean;
}

/** Computes the sim's view of an item. */
export function simItem(item: McqItem, quotes = itemQuotes(item)): SimItem {
  return { hash: hashString(item.id), difficulty: itemDifficulty(item.id), gold: item.options.findIndex((o) => o.key === item.answer), closedBook: isClosedBook(item), ...quotes };
}

function itemQuotes(item: McqItem): Pick<SimItem, 'quotes' | 'distractor'> {
  const best = bestQuotes(item);
  const distractor = topicalSentence(item);
  return { quotes: item.options.map((o) => best.get(o.key) ?? distractor), distractor };
}

/**
 * The sim's items and answer texts, computed once per simulator (one per
 * task, hence per run). Quotes depend on content only, so items copied under
 * new ids (synthetic suites) share them.
 */
class McqSimCache {
  private readonly items = new WeakMap<McqItem, SimItem>();
  private readonly quotes = new WeakMap<McqItem['evidence'], WeakMap<McqItem['options'], Map<string, Pick<SimItem, 'quotes' | 'distractor'>>>>();
  private readonly answers = new WeakMap<object, Map<string, string>>();

  item(item: McqItem): SimItem {
    let found = this.items.get(item);
    if (found === undefined) this.items.set(item, (found = simItem(item, this.itemQuotes(item))));
    return found;
  }

  private itemQuotes(item: McqItem): Pick<SimItem, 'quotes' | 'distractor'> {
    let byOptions = this.quotes.get(item.evidence);
    if (byOptions === undefined) this.quotes.set(item.evidence, (byOptions = new WeakMap()));
    let byQuestion = byOptions.get(item.options);
    if (byQuestion === undefined) byOptions.set(item.options, (byQuestion = new Map()));
    let found = byQuestion.get(item.question);
    if (found === undefined) byQuestion.set(item.question, (found = itemQuotes(item)));
    return found;
  }

  /** The JSON text of one sampled answer, per cards list (one per item content and settings, see PreparedMcqCache). */
  answerJson(hint: McqHint, option: number, quality: CitationQuality): string {
    let byKey = this.answers.get(hint.cards);
    if (byKey === undefined) this.answers.set(hint.cards, (byKey = new Map()));
    const key = `${option}|${quality}`;
    let json = byKey.get(key);
    if (json === undefined) {
      const sim = this.item(hint.item);
      const key = hint.item.options[option].key;
      json = JSON.stringify(sim.closedBook ? { answer: key } : { answer: key, citations: simCitations(sim, hint.item, hint.cards, option, quality === 'good', quality === 'distractor') });
      byKey.set(key, json);
    }
    return json;
  }
}

/**
 * The citations the sim writes for an option: its PRO card first when shown,
 * then the best quote for the option (good), the topical sentence
 * (distractor), both (pooled samples), or nothing more (bare).
 */
export function simCitations(sim: SimItem, item: McqItem, cards: McqHint['cards'], option: number, withGood: boolean, withDistractor: boolean): Citation[] {
  const key = item.options[option].key;
  const citations: Citation[] = [];
  const card = cards.find((c) => c.option === key);
  if (card !== undefined) citations.push({ source: `card:${key}`, quote: card.text });
  const good = sim.quotes[option];
  const distractor = sim.distractor;
  if (withGood && good !== null) citations.push({ source: good.passage, quote: good.quote });
  if (withDistractor && distractor !== null && !(withGood && distractor.quote === good?.quote && distractor.passage === good?.passage)) citations.push({ source: distractor.passage, quote: distractor.quote });
  return citations;
}

/** Share of answers wrapped in a code fence, and in prose; the parser must find the JSON in both. */
const FENCED = 0.1;
const IN_PROSE = 0.2;

function formatMcq(cache: McqSimCache, hint: McqHint, draw: McqDraw): string {
  const closedBook = cache.item(hint.item).closedBook;
  const source = closedBook ? 'what I remember' : 'the passages';
  if (draw.kind === 'malformed') {
    if (draw.variant < 0.5) return `I think the answer is probably ${hint.item.options[0].key}, but ${source} is not clear to me.`;
    const full = cache.answerJson(hint, 0, 'good');
    return full.slice(0, Math.floor(full.length * 0.6));
  }
  const json = draw.kind === 'idk' ? '{"answer":"IDK","citations":[]}' : cache.answerJson(hint, draw.option, draw.quality);
  if (draw.variant < FENCED) return '```json\n' + json + '\n```';
  if (draw.variant < IN_PROSE) return `Based on ${source}, here is my answer:\n${json}${closedBook ? '' : '\nThe quotes above are copied from the evidence.'}`;
  return json;
}

/** The MCQ tasks' Simulator: one sample drawn from the ground-truth model with the seed of (lane, item, replicate, sample, run seed). */
export function createMcqSimulator(): SimulatedRequests<McqHint> {
  const cache = new McqSimCache();
  return new SimulatedRequests<McqHint>((lane, hint, runSeed) => {
    const sl = simLane(lane);
    const item = cache.item(hint.item);
    const model = mcqSampleModel(sl.dials, sl.skill, item.difficulty, hint.cards.length + hint.snippets.length, hint.allowAbstain, hint.session);
    const seed = sampleSeed(sl.hash, item.hash, hint.replicate, isGreedy(sl.dials) ? 0 : hint.sample, runSeed);
    return formatMcq(cache, hint, drawMcq(model, hint.item.options.length, item.gold, seed));
  });
}

/** The exact probabilities of one step's outcome (over the sim's draws), for a lane, an item and the task settings. */
export interface SimTruth {
  /** ok and correct. */
  correct: number;
  /** ok and credited. */
  credited: number;
  abstain: number;
  /** error (parse) */
  error: number;
  /** p_know of a single sample. */
  know: number;
}

interface Outcome {
  status: 'ok' | 'abstain';
  correct: boolean;
  credited: boolean;
}

function outcomeOf(p: PreparedMcq, settings: McqSettings, parsed: ParsedAnswer): Outcome {
  const j = judgeAnswer(p, parsed, settings);
  return { status: j.status, correct: j.evaluation.correct === true && j.status === 'ok', credited: j.evaluation.citations_evidence?.credited === true && j.status === 'ok' };
}

/** The largest sample count simTruth enumerates exactly. */
export const SIM_TRUTH_MAX_SAMPLES = 15;

function compositions(total: number, parts: number, visit: (counts: number[]) => void, counts: number[] = []): void {
  if (parts === 1) {
    visit([...counts, total]);
    return;
  }
  for (let c = 0; c <= total; c++) compositions(total - c, parts - 1, visit, [...counts, c]);
}

/**
 * simTruth: exact P(correct), P(credited), P(abstain), P(error) of one step.
 * Self-consistency enumerates the vote counts (multinomial) and applies the
 * tie rule (tied options win with equal chance, IDK loses ties); pooled
 * citations depend only on whether a good and a distractor quote are among
 * the first sc_extract winning samples. Best-of uses the max-of-iid law with
 * ties to the earliest sample. Samples at temperature ≤ 0.05 are identical. Callers that ask about many lanes
 * pass one `prepared` cache, so each item is prepared once.
 */
export function simTruth(lane: Lane, item: McqItem, settings: McqSettings, session?: SessionView, prepared = new PreparedMcqCache()): SimTruth {
  const sl = simLane(lane);
  const sim = simItem(item);
  const p = prepared.prepare(item, settings);
  const model = mcqSampleModel(sl.dials, sl.skill, sim.difficulty, p.learn.cards.length + p.learn.snippets.length, settings.idk || settings.strict_evidence, session);
  const n = item.options.length;
  const probs = mcqCategoryProbabilities(model, n, sim.gold);
  const samples = isGreedy(sl.dials) ? 1 : Math.max(settings.sc, settings.best_of);
  if (samples > SIM_TRUTH_MAX_SAMPLES) throw new RangeError(`simTruth enumerates at most ${SIM_TRUTH_MAX_SAMPLES} samples; got ${samples}`);
  const answerOf = (k: number, good: boolean, distractor: boolean): ParsedAnswer => ({ ok: true, answer: item.options[k].key, citations: simCitations(sim, item, p.learn.cards, k, good, distractor) });
  const truth: SimTruth = { correct: 0, credited: 0, abstain: 0, error: 0, know: model.know };
  const add = (weight: number, o: Outcome): void => {
    if (o.status === 'abstain') truth.abstain += weight;
    if (o.correct) truth.correct += weight;
    if (o.credited) truth.credited += weight;
  };
  if (settings.best_of > 1 && samples > 1) {
    const candidates = [{ weight: probs.idk, score: -1, outcome: { status: 'abstain', correct: false, credited: false } as Outcome }];
    probs.answer.forEach((row, k) => CITATION_QUALITIES.forEach((q, j) => {
      const parsed = answerOf(k, q === 'good', q === 'distractor');
      candidates.push({ weight: row[j], score: supportScore(p, parsed), outcome: outcomeOf(p, settings, parsed) });
    }));
    const below = (s: number, strict: boolean): number => probs.malformed + candidates.filter((c) => (strict ? c.score < s : c.score <= s)).reduce((a, c) => a + c.weight, 0);
    for (const c of candidates) {
      const group = candidates.filter((d) => d.score === c.score).reduce((a, d) => a + d.weight, 0);
      if (c.weight > 0) add(((below(c.score, false) ** samples - below(c.score, true) ** samples) * c.weight) / group, c.outcome);
    }
    truth.error = probs.malformed ** samples;
    return truth;
  }
  const pooled = item.options.map((_, k) => [[false, false], [true, false], [false, true], [true, true]].map(([g, d]) => outcomeOf(p, settings, answerOf(k, g, d))));
  const perSample = [...probs.answer.map((row) => row.reduce((a, b) => a + b, 0)), probs.idk, probs.malformed];
  const factorial = (x: number): number => (x <= 1 ? 1 : x * factorial(x - 1));
  compositions(samples, n + 2, (counts) => {
    let weight = factorial(samples);
    counts.forEach((c, i) => (weight *= perSample[i] ** c / factorial(c)));
    if (weight === 0) return;
    if (counts[n + 1] === samples) {
      truth.error += weight;
      return;
    }
    const top = Math.max(...counts.slice(0, n + 1));
    const leaders = counts.slice(0, n).flatMap((c, k) => (c === top ? [k] : []));
    if (leaders.length === 0) {
      truth.abstain += weight;
      return;
    }
    for (const k of leaders) {
      const m = Math.min(settings.sc_extract, counts[k]);
      const [good, distractor, bare] = probs.answer[k].map((x) => x / perSample[k]);
      const none = bare ** m;
      const goodOnly = (good + bare) ** m - none;
      const distractorOnly = (distractor + bare) ** m - none;
      const share = weight / leaders.length;
      add(share * none, pooled[k][0]);
      add(share * goodOnly, pooled[k][1]);
      add(share * distractorOnly, pooled[k][2]);
      add(share * (1 - none - goodOnly - distractorOnly), pooled[k][3]);
    }
  });
  return truth;
}
