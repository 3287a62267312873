import type { Lane, ProviderName } from '../../core/lane.ts';
import type { ProviderAdapter } from '../../core/chat.ts';
import type { Simulator } from '../../core/simulator.ts';

/** Where an adapter reports what its SDK logs (an Output will do). */
export interface AdapterLog {
  warn(text: string): void;
  debug(text: string): void;
}

/** What an adapter may be given besides its environment. */
export interface AdapterOptions {
  /** The sim's answers (the run's task simulator); other adapters ignore it. */
  simulator?: Simulator | undefined;
  /** Where the SDK's warnings (each distinct one once per adapter) and debug lines go; unset drops them. */
  log?: AdapterLog | undefined;
}

/** What every adapter module exports. */
export interface AdapterModule {
  createAdapter(env: NodeJS.ProcessEnv, options: AdapterOptions): ProviderAdapter;
}

/** Each provider's module, imported only when a lane needs it, so a run loads one SDK. */
const LOADERS: Readonly<Record<ProviderName, () => Promise<AdapterModule>>> = {
  openai: () => import('./openai.ts'),
  anthropic: () => import('./anthropic.ts'),
  ollama: () => import('./ollama.ts'),
  'openai-compatible': () => import('./openaiCompatible.ts'),
  sim: () => import('./sim.ts'),
};

/**
 * The adapters of one command: one per provider, created on first use and shared by every lane (and every
 * parallel run) of that provider, so their SDK clients keep their connections alive. The command that creates
 * the pool closes it.
 */
export class ProviderPool {
  private readonly adapters = new Map<ProviderName, Promise<ProviderAdapter>>();

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly log?: AdapterLog) {}

  /** The adapter for a lane's provider. A sim lane gets an adapter of its own that answers with `simulator` (the run's task's). */
  adapterFor(lane: Lane, simulator?: Simulator): Promise<ProviderAdapter> {
    if (lane.provider === 'sim') return LOADERS.sim().then((module) => module.createAdapter(this.env, { simulator }));
    const cached = this.adapters.get(lane.provider);
    if (cached !== undefined) return cached;
    const created = LOADERS[lane.provider]().then((module) => module.createAdapter(this.env, { log: this.log }));
    this.adapters.set(lane.provider, created);
    // A failed import is not kept, so a later call can try again.
    created.catch(() => this.adapters.delete(lane.provider));
    return created;
  }

  /** Closes the adapters made so far and forgets them. */
  async close(): Promise<void> {
    const made = [...this.adapters.values()];
    this.adapters.clear();
    const settled = await Promise.allSettled(made);
    await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
  }
}
