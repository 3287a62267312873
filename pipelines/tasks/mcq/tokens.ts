/**
 * The evidence tokenizer. Text is NFKC-normalised and lower-cased; a token is
 * a run of letters or digits, where digit groups joined by `,` or `.` stay one
 * token and lose their commas ("3,412" → "3412", "6.8" → "6.8", "4.2.0" →
 * "4.2.0"). Everything else (spaces, punctuation, hyphens, apostrophes)
 * separates tokens.
 */
const TOKEN = /[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;

/** Words too common to count as evidence for an option. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'and', 'or', 'is', 'are', 'was', 'were', 'be',
  'been', 'it', 'its', 'as', 'that', 'this', 'these', 'those', 'there', 'their', 's', 'than', 'then', 'into', 'per', 'not',
]);

/** Tokens of a text, in order (see the tokenizer above). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const token = match[0];
    tokens.push(token.includes(',') ? token.replaceAll(',', '') : token);
  }
  return tokens;
}

/** The distinct tokens of a text without stopwords; all distinct tokens when only stopwords remain. */
export function contentTokens(text: string): Set<string> {
  const all = tokenize(text);
  const content = new Set(all.filter((t) => !STOPWORDS.has(t)));
  return content.size > 0 ? content : new Set(all);
}

const SPACE = /\s+/g;
const QUOTES = /[‘’‚‛′]/g;
const DOUBLE_QUOTES = /[“”„‟″]/g;
const DASHES = /[‐‑‒–—―]/g;

/** Normalises text for verbatim-quote checks: NFKC, lower case, straight quotes, plain hyphens, single spaces. */
export function normalizeForQuote(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-').replace(SPACE, ' ').trim();
}

/** Unicode word boundaries (UAX #29), which also split text that has no spaces ("well-known/famous", CJK). */
const WORD_SEGMENTER = new Intl.Segmenter('und', { granularity: 'word' });

/** Where each word of a text ends: a word is a Unicode word segment holding letters or digits ("3,412", "don't" and "U.S" are one each, "well-known" is two). */
function wordEnds(text: string): number[] {
  const ends: number[] = [];
  for (const segment of WORD_SEGMENTER.segment(text)) if (segment.isWordLike === true) ends.push(segment.index + segment.segment.length);
  return ends;
}

/** How many words a text has (see wordEnds): the unit of PRO-card length. */
export function countWords(text: string): number {
  return wordEnds(text).length;
}

/** The text up to the end of its `max`-th word, spaces collapsed: cut at a word boundary, never inside a word. */
export function clipWords(text: string, max: number): string {
  const ends = wordEnds(text);
  const cut = ends.length <= max ? text.length : max <= 0 ? 0 : ends[max - 1];
  return text.slice(0, cut).replace(SPACE, ' ').trim();
}
