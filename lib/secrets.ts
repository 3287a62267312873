/** Environment variables whose values must never reach a log, a dump, an error or a report. */
export const SECRET_ENV_NAMES = [
  'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'DEEPSEEK_API_KEY', 'MOONSHOT_API_KEY', 'OPENROUTER_API_KEY',
  'TOGETHER_API_KEY', 'VLLM_API_KEY', 'OLLAMA_API_KEY', 'AUDITION_API_KEY',
] as const;

const SECRET_KEY_NAMES = /^(authorization|x-api-key|api[-_]?key|apikey|proxy-authorization|cookie|set-cookie)$/i;
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_-]{12,}/g, /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/g];
export const REDACTED = '[redacted]';

/** The secret values present in `env` (plus any *_API_KEY or *_TOKEN), longest first: the caller says which environment it runs with. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>([...SECRET_ENV_NAMES, ...Object.keys(env).filter((k) => /_API_KEY$|_TOKEN$/.test(k))]);
  return [...names]
    .map((n) => env[n])
    .filter((v): v is string => typeof v === 'string' && v.length >= 6)
    .sort((a, b) => b.length - a.length);
}

/** Removes `secrets` (see secretValues) and key-shaped strings from text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, REDACTED);
  for (const p of KEY_PATTERNS) out = out.replace(p, REDACTED);
  return out;
}

/** Deep-copies a value with secret-named fields and secret values redacted (for dry-run dumps and error text). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && SECRET_KEY_NAMES.test(key) && v !== undefined && v !== null) return REDACTED;
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map((x) => walk(x, undefined));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, undefined) as T;
}
