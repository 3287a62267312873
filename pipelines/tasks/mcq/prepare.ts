import type { ChatMessage } from '../../../core/chat.ts';
import { isClosedBook, type EvidencePassage, type McqItem, type McqOption } from '../../suites/types.ts';
import type { McqSettings } from '../settings.ts';
import { templateSection } from '../template.ts';
import { learn, type LearnBlock } from './learn.ts';
import type { OptionTokens } from './metrics.ts';
import { keyLookup } from './parseAnswer.ts';
import { contentTokens, normalizeForQuote } from './tokens.ts';

/**
 * What a cited quote is: the PRO card it matches (if any), and its tokens when
 * it counts as verified evidence (null otherwise).
 */
export interface QuoteCheck {
  card: string | null;
  evidence: ReadonlySet<string> | null;
}

/**
 * Everything a step needs about one item under one group of settings, built
 * once: the LEARN block, the rendered messages, option tokens, and a cache of
 * quote checks. Steps then only parse, look up and count.
 */
export interface PreparedMcq {
  item: McqItem;
  learn: LearnBlock;
  /** Upper-cased key → key as written. */
  keys: ReadonlyMap<string, string>;
  options: readonly OptionTokens[];
  /** Normalised text of the PRO cards shown, by option key. */
  shownCards: ReadonlyMap<string, string>;
  /** The passages block (the shared, cacheable prefix) and the question turn. */
  passagesText: string;
  questionText: string;
  messages: ChatMessage[];
  passagesNormalized: string;
  quoteCache: Map<string, QuoteCheck>;
}

/** A bound on the per-item quote cache; real models rarely repeat quotes exactly. */
const QUOTE_CACHE_LIMIT = 512;

/** The parts that depend only on an item's content (question, options, passages) and the settings. */
type Shared = Omit<PreparedMcq, 'item'>;


/** The evidence passages as the template renders them. */
export function renderPassages(passages: readonly EvidencePassage[]): string {
  const passage = templateSection('mcq', 'passage');
  return passages.map((p) => passage.render({ id: p.id, text: p.text })).join('\n\n');
}

/** A closed-book item asks for the answer alone; strict evidence there only allows abstaining (there is nothing to quote). */
function ruleSection(item: McqItem, settings: McqSettings): string {
  if (isClosedBook(item)) return settings.strict_evidence || settings.idk ? 'closed-rule-idk' : 'rule-answer';
  return settings.strict_evidence ? 'rule-strict' : settings.idk ? 'rule-idk' : 'rule-answer';
}

function renderQuestion(item: McqItem, block: LearnBlock, settings: McqSettings): string {
  const prefix = isClosedBook(item) ? 'closed-' : '';
  const card = templateSection('mcq', 'card');
  const snippet = templateSection('mcq', 'snippet');
  const notes = [...block.cards.map((c) => card.render({ key: c.option, text: c.text })), ...block.snippets.map((s) => snippet.render({ passage: s.passage, text: s.text }))];
  const learnText = notes.length === 0 ? '' : templateSection('mcq', `${prefix}learn`).render({ notes: notes.join('\n') }) + '\n';
  const option = templateSection('mcq', 'option');
  return templateSection('mcq', `${prefix}user`).render({
    learn: learnText, question: item.question, options: item.options.map((o) => option.render({ key: o.key, text: o.text })).join('\n'),
    rule: templateSection('mcq', ruleSection(item, settings)).render({}),
  });
}

function renderSystem(item: McqItem, passagesText: string): string {
  return isClosedBook(item) ? templateSection('mcq', 'closed-system').render({}) : templateSection('mcq', 'system').render({ passages: passagesText });
}

function build(item: McqItem, settings: McqSettings): Shared {
  const block = learn(item, settings);
  const passagesText = renderPassages(item.evidence);
  const questionText = renderQuestion(item, block, settings);
  return {
    learn: block, keys: keyLookup(item.options.map((o) => o.key)),
    options: item.options.map((o) => ({ key: o.key, tokens: contentTokens(o.text) })),
    shownCards: new Map(block.cards.map((c) => [c.option, normalizeForQuote(c.text)])),
    passagesText, questionText,
    messages: [{ role: 'system', content: renderSystem(item, passagesText) }, { role: 'user', content: questionText }],
    passagesNormalized: item.evidence.map((p) => normalizeForQuote(p.text)).join('\n'),
    quoteCache: new Map(),
  };
}

/**
 * The prepared items of one task (a task per run): each item is prepared once per group of settings, then its
 * steps, replicates and samples reuse it. Items copied with new ids but the same option and passage arrays
 * (synthetic suites) share one build. The task that creates it owns it, so runs never share a quote cache.
 */
export class PreparedMcqCache {
  private readonly byItem = new WeakMap<McqItem, Map<string, PreparedMcq>>();
  private readonly byContent = new WeakMap<EvidencePassage[], WeakMap<McqOption[], Map<string, Shared>>>();

  /** The prepared view of an item for these settings (built on first use, then kept with the item). */
  prepare(item: McqItem, settings: McqSettings): PreparedMcq {
    const key = `${settings.cards_budget}|${settings.max_learn_boosts}|${settings.idk}|${settings.strict_evidence}`;
    let forItem = this.byItem.get(item);
    if (forItem === undefined) this.byItem.set(item, (forItem = new Map()));
    let p = forItem.get(key);
    if (p === undefined) forItem.set(key, (p = { ...this.shared(item, settings, key), item }));
    return p;
  }

  private shared(item: McqItem, settings: McqSettings, key: string): Shared {
    let byOptions = this.byContent.get(item.evidence);
    if (byOptions === undefined) this.byContent.set(item.evidence, (byOptions = new WeakMap()));
    let byQuestion = byOptions.get(item.options);
    if (byQuestion === undefined) byOptions.set(item.options, (byQuestion = new Map()));
    const contentKey = `${key}\u0000${item.question}`;
    let found = byQuestion.get(contentKey);
    if (found === undefined) byQuestion.set(contentKey, (found = build(item, settings)));
    return found;
  }
}

const CARD_SOURCE = /^card:\s*(\S+)$/i;

/**
 * Classifies one cited quote. A quote whose source is `card:KEY`, or that has
 * no source and reads as a shown card, is that PRO card: the claim, never
 * evidence. Any other quote is verified evidence when found verbatim (after
 * normalising case, quotes, dashes and spaces) in the item's passages. A quote
 * that reads as a shown card still matches that card (for card-first) even
 * when it also counts as evidence.
 */
export function checkQuote(p: PreparedMcq, source: string | null, quote: string): QuoteCheck {
  const cardKey = source === null ? undefined : CARD_SOURCE.exec(source)?.[1];
  if (cardKey !== undefined) return { card: p.keys.get(cardKey.toUpperCase()) ?? null, evidence: null };
  const cacheKey = source === null ? `\u0000${quote}` : quote;
  const cached = p.quoteCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const normalized = normalizeForQuote(quote);
  let card: string | null = null;
  for (const [option, text] of p.shownCards) {
    if (text === normalized) {
      card = option;
      break;
    }
  }
  const verified = source !== null || card === null ? normalized.length > 0 && p.passagesNormalized.includes(normalized) : false;
  const check: QuoteCheck = { card, evidence: verified ? contentTokens(quote) : null };
  if (p.quoteCache.size >= QUOTE_CACHE_LIMIT) p.quoteCache.clear();
  p.quoteCache.set(cacheKey, check);
  return check;
}
