import type { Lane, ProviderName } from '../../core/lane.ts';
import type { ProviderAdapter } from '../../core/chat.ts';
import type { Simulator } from '../../core/simulator.ts';

/** What every adapter module exports. */
export interface AdapterModule {
  createAdapter(env: NodeJS.ProcessEnv, options: { simulator?: Simulator | undefined }): ProviderAdapter;
}

/** Each provider's module, imported only when a lane needs it, so a run loads one SDK. */
const LOADERS: Readonly<Record<ProviderName, () => Promise<AdapterModule>>> = {
  openai: () => import('./openai.ts'),
  anthropic: () => import('./anthropic.ts'),
  ollama: () => import('./ollama.ts'),
  'openai-compatible': () => import('./openaiCompatible.ts'),
  sim: () => import('./sim.ts'),
};

/** One adapter per provider for each environment object (tests pass their own). */
const adapters = new WeakMap<NodeJS.ProcessEnv, Map<ProviderName, Promise<ProviderAdapter>>>();

/**
 * The adapter for a lane's provider, created on first use and shared by every lane of that provider. A sim lane
 * gets an adapter of its own that answers with the `simulator` of the run's task.
 */
export function createProvider(lane: Lane, env: NodeJS.ProcessEnv = process.env, simulator?: Simulator): Promise<ProviderAdapter> {
  if (lane.provider === 'sim') return LOADERS.sim().then((module) => module.createAdapter(env, { simulator }));
  let byProvider = adapters.get(env);
  if (byProvider === undefined) {
    byProvider = new Map();
    adapters.set(env, byProvider);
  }
  const cached = byProvider.get(lane.provider);
  if (cached !== undefined) return cached;
  const created = LOADERS[lane.provider]().then((module) => module.createAdapter(env, {}));
  byProvider.set(lane.provider, created);
  // A failed import is not cached, so a later call can try again.
  created.catch(() => byProvider.delete(lane.provider));
  return created;
}

/** Closes and forgets the adapters made for `env`. */
export async function closeProviders(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const byProvider = adapters.get(env);
  if (byProvider === undefined) return;
  adapters.delete(env);
  const settled = await Promise.allSettled(byProvider.values());
  await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
}
