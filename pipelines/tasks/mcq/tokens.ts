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

/** Splits a whitespace-separated text into words (the unit of PRO-card length). */
export function words(text: string): string[] {
  return text.trim().split(SPACE).filter((w) => w !== '');
}
