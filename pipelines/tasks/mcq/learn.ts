import type { McqItem, McqOption } from '../../suites/types.ts';
import { splitSentences } from './sentences.ts';
import { clipWords, contentTokens, countWords } from './tokens.ts';

/** LEARN retrieves from passage sentences; the splitter is re-exported for the sim, which imports it from here. */

/** The longest PRO card, in words (see countWords). */
export const PRO_CARD_MAX_WORDS = 15;

/** A short argument for one option, cited first when that option is chosen. */
export interface ProCard {
  option: string;
  text: string;
  /** given: from the suite; clipped: the suite's card cut to 15 words; sliced: cut from the option text (no card in the suite). */
  origin: 'given' | 'clipped' | 'sliced';
}

/** A sentence retrieved from a passage to fill the cards budget. */
export interface Snippet {
  passage: string;
  text: string;
}

export interface LearnBlock {
  /** Cards shown, in option order (all options when the budget allows). */
  cards: ProCard[];
  snippets: Snippet[];
}

export interface LearnSettings {
  cards_budget: number;
  max_learn_boosts: number;
}

/**
 * Makes sure an option has a PRO card of at most 15 words: the suite's
 * (clipped if longer) or the option text's first 15 words, cut at the end of
 * a word even when the text has no spaces.
 */
export function ensureProCard(option: McqOption): ProCard {
  const given = option.pro?.trim();
  const source = given === undefined || given === '' ? option.text : given;
  const long = countWords(source) > PRO_CARD_MAX_WORDS;
  const origin = given === undefined || given === '' ? 'sliced' : long ? 'clipped' : 'given';
  return { option: option.key, text: long ? clipWords(source, PRO_CARD_MAX_WORDS) : source, origin };
}

/**
 * Retrieves up to `k` passage sentences most relevant to the question and
 * its options: score = |sentence ∩ query| / √|sentence| over content tokens;
 * ties keep passage order; sentences sharing no token are never chosen.
 */
export function retrieveSnippets(item: McqItem, k: number): Snippet[] {
  if (k <= 0) return [];
  const query = contentTokens([item.question, ...item.options.map((o) => o.text)].join(' '));
  const scored: { snippet: Snippet; score: number; order: number }[] = [];
  for (const passage of item.evidence) {
    for (const sentence of splitSentences(passage.text)) {
      const tokens = contentTokens(sentence);
      let hits = 0;
      for (const t of tokens) if (query.has(t)) hits++;
      if (hits > 0) scored.push({ snippet: { passage: passage.id, text: sentence }, score: hits / Math.sqrt(tokens.size), order: scored.length });
    }
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, k).map((s) => s.snippet);
}

/**
 * LEARN: every option gets a PRO card, and the cards take the first slots of
 * the cards budget (in option order when the budget is smaller than the
 * option count); the remaining slots, at most `max_learn_boosts`, take
 * retrieved evidence snippets.
 */
export function learn(item: McqItem, settings: LearnSettings): LearnBlock {
  const cards = item.options.slice(0, Math.max(0, settings.cards_budget)).map(ensureProCard);
  const free = Math.max(0, settings.cards_budget - cards.length);
  return { cards, snippets: retrieveSnippets(item, Math.min(free, settings.max_learn_boosts)) };
}
