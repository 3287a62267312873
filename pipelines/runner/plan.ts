import type { ChatRequest } from '../../core/chat.ts';
import type { SuiteItem } from '../suites/types.ts';
import type { Task } from '../tasks/task.ts';
import type { RunSettings } from './runSettings.ts';

/** One (item, replicate) of a run; `index` is stable across resumes: item position × replicates + replicate. */
export interface PlannedStep {
  item: SuiteItem;
  replicate: number;
  index: number;
  /** The step's seed (from the run seed and the index), sent with every request that names none. */
  seed: number;
}

/**
 * The steps of a run, as `run`, `--dry-run` and `estimate` all see them: the items the task
 * accepts (the first `limit`), each × replicates, with their per-step seeds.
 */
export function planRun(items: readonly SuiteItem[], task: Task, settings: Pick<RunSettings, 'replicates' | 'seed' | 'limit'>): PlannedStep[] {
  let accepted = items.filter((item) => task.accepts(item));
  if (settings.limit !== undefined) accepted = accepted.slice(0, settings.limit);
  const steps: PlannedStep[] = [];
  accepted.forEach((item, i) => {
    for (let r = 0; r < settings.replicates; r++) {
      const index = i * settings.replicates + r;
      steps.push({ item, replicate: r, index, seed: stepSeed(settings.seed, index) });
    }
  });
  return steps;
}

/** The request as sent for a step: its own seed, else the step's (the lane's seed dial wins in adapters). */
export function withStepSeed(request: ChatRequest, seed: number): ChatRequest {
  return { ...request, seed: request.seed ?? seed };
}

/**
 * Groups steps by the task's context key (warm-up first) for the cache-aware queue;
 * sequential tasks get one group, replicate-major; without cache awareness every step is its own group.
 */
export function groupSteps(task: Task, steps: readonly PlannedStep[], cacheAware: boolean): PlannedStep[][] {
  if (task.sequential === true) return [[...steps].sort((a, b) => a.replicate - b.replicate || a.index - b.index)];
  if (!cacheAware) return steps.map((s) => [s]);
  const groups = new Map<string, PlannedStep[]>();
  for (const step of steps) {
    const key = task.contextKey(step.item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [step]);
    else group.push(step);
  }
  return [...groups.values()];
}

/** A per-step seed derived from the run seed and the step index (the lane's own seed dial wins in adapters). */
export function stepSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
