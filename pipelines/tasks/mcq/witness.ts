import type { McqItem } from '../../suites/types.ts';
import { splitSentences } from './sentences.ts';
import { contentTokens, tokenize, STOPWORDS } from './tokens.ts';

/** A verbatim quote from one passage. */
export interface PassageQuote {
  passage: string;
  quote: string;
}

/** The longest quote considered, in words. */
const MAX_QUOTE_WORDS = 30;
const SPACE = /\s+/;

interface Window {
  quote: PassageQuote;
  margin: number;
  support: number;
  length: number;
}

/**
 * For every option, the passage quote a careful reader would cite for it:
 * among runs of 1–30 consecutive words of one sentence that start and end
 * with a word holding some option's content token, the one that maximises
 * the option's support (its coverage by the quote) minus the best other
 * option's support; ties go to higher support, then fewer words, then the
 * earlier quote. The margin may be ≤ 0 when no quote singles the option out.
 */
export function bestQuotes(item: McqItem): Map<string, PassageQuote> {
  const options = item.options.map((o) => ({ key: o.key, tokens: contentTokens(o.text) }));
  const best = new Map<string, Window>();
  const hits = new Array<number>(options.length);
  const supports = new Array<number>(options.length);
  for (const passage of item.evidence) {
    for (const sentence of splitSentences(passage.text)) {
      const words = sentence.split(SPACE).filter((w) => w !== '');
      const wordTokens = words.map((w) => tokenize(w).filter((t) => !STOPWORDS.has(t) && options.some((o) => o.tokens.has(t))));
      const anchors = wordTokens.flatMap((tokens, i) => (tokens.length > 0 ? [i] : []));
      for (let a = 0; a < anchors.length; a++) {
        const start = anchors[a];
        const inWindow = new Set<string>();
        hits.fill(0);
        let previous = start;
        for (let b = a; b < anchors.length && anchors[b] - start < MAX_QUOTE_WORDS; b++) {
          const end = anchors[b];
          for (let w = previous; w <= end; w++) {
            for (const t of wordTokens[w]) {
              if (inWindow.has(t)) continue;
              inWindow.add(t);
              for (let i = 0; i < options.length; i++) if (options[i].tokens.has(t)) hits[i]++;
            }
          }
          previous = end + 1;
          let top = -1;
          let second = -1;
          for (let i = 0; i < options.length; i++) {
            supports[i] = options[i].tokens.size === 0 ? 0 : hits[i] / options[i].tokens.size;
            if (supports[i] > top) [top, second] = [supports[i], top];
            else if (supports[i] > second) second = supports[i];
          }
          const length = end - start + 1;
          for (let i = 0; i < options.length; i++) {
            const margin = supports[i] - (supports[i] === top ? Math.max(second, 0) : top);
            const current = best.get(options[i].key);
            const better = current === undefined || margin > current.margin || (margin === current.margin && (supports[i] > current.support || (supports[i] === current.support && length < current.length)));
            if (better) best.set(options[i].key, { quote: { passage: passage.id, quote: words.slice(start, end + 1).join(' ') }, margin, support: supports[i], length });
          }
        }
      }
    }
  }
  return new Map([...best].map(([key, w]) => [key, w.quote]));
}

/**
 * The sentence most about the question itself (not its options): the one
 * sharing most content tokens with the question, per √length; the first on
 * a tie. The quote a hurried reader cites; an empty quote when the item has
 * no passages (an answer's reader drops empty quotes).
 */
export function topicalSentence(item: McqItem): PassageQuote | null {
  const question = contentTokens(item.question);
  let best: { quote: PassageQuote; score: number } | null = null;
  for (const passage of item.evidence) {
    for (const sentence of splitSentences(passage.text)) {
      const tokens = contentTokens(sentence);
      let hits = 0;
      for (const t of tokens) if (question.has(t)) hits++;
      const score = hits / Math.sqrt(Math.max(1, tokens.size));
      if (best === null || score > best.score) best = { quote: { passage: passage.id, quote: sentence }, score };
    }
  }
  return best?.quote ?? null;
}
