import type { Dials, ReasoningEffort } from '../../core/lane.ts';

interface NumericToken {
  dial: 'temperature' | 'min_p' | 'top_p' | 'top_k' | 'frequency_penalty' | 'presence_penalty' | 'repetition_penalty';
  prefix: string;
  /** Minimum decimals written, so `1.0` stays `1-0` and `0.1` as min_p stays `0-10`. */
  decimals: number;
}

/** Slug tokens for numeric dials, in the order they appear in a slug. */
const NUMERIC_TOKENS: readonly NumericToken[] = [
  { dial: 'temperature', prefix: 't', decimals: 1 },
  { dial: 'min_p', prefix: 'min', decimals: 2 },
  { dial: 'top_p', prefix: 'tp', decimals: 1 },
  { dial: 'top_k', prefix: 'tk', decimals: 0 },
  { dial: 'frequency_penalty', prefix: 'fp', decimals: 1 },
  { dial: 'presence_penalty', prefix: 'pp', decimals: 1 },
  { dial: 'repetition_penalty', prefix: 'rp', decimals: 2 },
];

const EFFORT_TOKENS: Record<ReasoningEffort, string> = { minimal: 'min', low: 'low', medium: 'med', high: 'high' };
const ALIAS = /^[a-z0-9][a-z0-9_-]*$/i;
const NUMERIC = new RegExp(`^(${[...NUMERIC_TOKENS].sort((a, b) => b.prefix.length - a.prefix.length).map((t) => t.prefix).join('|')})(n?)(\\d+(?:-\\d+)?)$`);

function formatNumber(value: number, minDecimals: number): string {
  const rounded = Number(Math.abs(value).toFixed(6));
  const actual = (String(rounded).split('.')[1] ?? '').length;
  const text = rounded.toFixed(Math.max(actual, minDecimals)).replace('.', '-');
  return value < 0 ? `n${text}` : text;
}

/** Builds a lane slug such as `hermes.t1-1.min0-08.tp0-92.rp1-15`, `gpt5.reason-min` or `sonnet.t1-0.ext`. */
export function buildSlug(alias: string, dials: Dials): string {
  if (!ALIAS.test(alias)) throw new Error(`alias ${JSON.stringify(alias)} must be letters, digits, '-' or '_' (no dots)`);
  const parts = [alias];
  for (const token of NUMERIC_TOKENS) {
    const value = dials[token.dial];
    if (value !== undefined) parts.push(token.prefix + formatNumber(value, token.decimals));
  }
  if (dials.reasoning_effort !== undefined) parts.push(`reason-${EFFORT_TOKENS[dials.reasoning_effort]}`);
  if (dials.thinking === true) parts.push('ext');
  return parts.join('.');
}

export interface ParsedSlug {
  alias: string;
  dials: Dials;
}

/** Parses a slug back into alias and the dials it encodes; throws with the offending token. */
export function parseSlug(slug: string): ParsedSlug {
  const [alias, ...tokens] = slug.split('.');
  if (alias === undefined || !ALIAS.test(alias)) throw new Error(`slug ${JSON.stringify(slug)}: alias must be letters, digits, '-' or '_'`);
  const dials: Dials = {};
  for (const token of tokens) {
    const numeric = NUMERIC.exec(token);
    if (numeric !== null) {
      const spec = NUMERIC_TOKENS.find((t) => t.prefix === numeric[1]);
      if (spec === undefined) throw new Error(`slug ${slug}: unknown token ${token}`);
      if (dials[spec.dial] !== undefined) throw new Error(`slug ${slug}: ${spec.dial} appears twice`);
      const value = Number(numeric[3].replace('-', '.'));
      dials[spec.dial] = numeric[2] === 'n' ? -value : value;
      continue;
    }
    const effort = /^reason-(min|low|med|high)$/.exec(token);
    if (effort !== null) {
      dials.reasoning_effort = (Object.entries(EFFORT_TOKENS).find(([, t]) => t === effort[1]) as [ReasoningEffort, string])[0];
      continue;
    }
    if (token === 'ext') {
      dials.thinking = true;
      continue;
    }
    throw new Error(`slug ${slug}: unknown token ${JSON.stringify(token)} (expected t, min, tp, tk, fp, pp, rp followed by a number like 0-7, reason-min|low|med|high, or ext)`);
  }
  return { alias, dials };
}
