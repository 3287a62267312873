import type { Lane } from '../../core/lane.ts';
import { ProviderError } from '../../core/chat.ts';

/**
 * Throws an `invalid_request` ProviderError unless `resolve()` gives an http(s) URL for the lane. `variable` is the
 * environment variable the URL comes from when the lane sets no base_url (OPENAI_BASE_URL, OLLAMA_HOST, …).
 */
export function checkBaseURL(lane: Lane, resolve: () => string, variable: string | undefined): void {
  let text: string;
  try {
    text = resolve();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw invalidBaseURL(lane, lane.base_url ?? (variable === undefined ? '' : `$${variable}`), variable);
  }
  if (!URL.canParse(text) || !['http:', 'https:'].includes(new URL(text).protocol)) throw invalidBaseURL(lane, text, variable);
}

function invalidBaseURL(lane: Lane, text: string, variable: string | undefined): ProviderError {
  const source = lane.base_url !== undefined || variable === undefined ? `the base_url of lane ${lane.slug}` : `${variable} (lane ${lane.slug} sets no base_url)`;
  return new ProviderError('invalid_request', `${source} is ${JSON.stringify(text)}, not an http(s) URL (nothing was sent); set it to the server's address, for example http://127.0.0.1:8000/v1`);
}
