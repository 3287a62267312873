import type { Lane } from '../../core/lane.ts';
import { ProviderError } from '../../core/chat.ts';

/** Where a lane's API key comes from, and whether the endpoint works without one. */
export interface KeySource {
  /** The environment variable; undefined for an endpoint that takes no key. */
  variable: string | undefined;
  required: boolean;
}

/**
 * The API key for a lane, or null when the endpoint takes none. A required key that is unset is an
 * `auth` ProviderError naming the variable, thrown before anything is sent.
 */
export function readApiKey(env: NodeJS.ProcessEnv, lane: Lane, source: { variable: string; required: true }): string;
export function readApiKey(env: NodeJS.ProcessEnv, lane: Lane, source: KeySource): string | null;
export function readApiKey(env: NodeJS.ProcessEnv, lane: Lane, source: KeySource): string | null {
  if (source.variable === undefined) return null;
  const value = env[source.variable];
  if (value !== undefined && value.trim() !== '') return value.trim();
  if (!source.required) return null;
  return missingKey(lane, source.variable);
}

function missingKey(lane: Lane, variable: string): never {
  const where = lane.backend === undefined ? lane.provider : `${lane.provider}/${lane.backend}`;
  const fix = lane.api_key_env === undefined ? `set ${variable}, or name the variable that holds the key in the lane's api_key_env` : `set ${variable}`;
  throw new ProviderError('auth', `${variable} is not set: the ${where} lane ${lane.slug} needs an API key in it (nothing was sent); ${fix}`);
}
