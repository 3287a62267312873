import type { Lane } from '../../core/lane.ts';
import { ProviderError } from '../../core/chat.ts';

/** A base-URL variable's value, or undefined when it is unset or blank (blank means unset, as for keys). */
export function baseURLFromEnv(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Throws an `invalid_request` ProviderError unless `resolve()` gives an http(s) URL for the lane. `variable` is the
 * environment variable the URL comes from when the lane sets no base_url (OPENAI_BASE_URL, OLLAMA_HOST, …).
 */
export function checkBaseURL(lane: Lane, env: NodeJS.ProcessEnv, variable: string | undefined, resolve: () => string): void {
  const given = lane.base_url ?? (variable === undefined ? undefined : env[variable]) ?? '';
  let url: string;
  try {
    url = resolve();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw invalidBaseURL(lane, given, variable);
  }
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) throw invalidBaseURL(lane, given, variable);
}

function invalidBaseURL(lane: Lane, given: string, variable: string | undefined): ProviderError {
  const source = lane.base_url !== undefined || variable === undefined ? `the base_url of lane ${lane.slug}` : `${variable} (lane ${lane.slug} sets no base_url)`;
  return new ProviderError('invalid_request', `${source} is ${JSON.stringify(given)}, not an http(s) URL (nothing was sent); set it to the server's address, for example http://127.0.0.1:8000/v1`);
}
