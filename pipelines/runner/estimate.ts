import type { Lane } from '../../core/lane.ts';
import type { ChatRequest, ChatResponse, ProviderAdapter } from '../../core/chat.ts';
import { createAdapter as createSimAdapter } from '../providers/sim.ts';
import { listRunLogFiles, readRunHeader } from '../runlog/discover.ts';
import { readRunLog } from '../runlog/reader.ts';
import { emptyTokens } from '../../core/tokens.ts';
import type { Suite } from '../suites/types.ts';
import type { Task } from '../tasks/task.ts';
import type { RunSettings } from './runSettings.ts';
import { groupSteps, planRun, withStepSeed } from './plan.ts';
import { costOf, findPrice, type PriceTable } from './pricing.ts';

export interface RunEstimate {
  lane: string;
  model: string;
  steps: number;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** Where the completion-token figure comes from: this lane's past runs, or the simulator. */
  completion_source: 'history' | 'simulated';
  cost_usd: number | null;
  batch_cost_usd: number | null;
  prices_as_of: string;
}

/** Mean completion tokens per finished step in this lane's past runs, when there are at least 20 of them. */
async function completionHistory(runsDir: string, slug: string): Promise<number | null> {
  let steps = 0;
  let tokens = 0;
  for (const path of await listRunLogFiles(runsDir)) {
    if ((await readRunHeader(path))?.lane !== slug) continue;
    for (const step of (await readRunLog(path)).steps) {
      if (step.status === 'error') continue;
      steps++;
      tokens += step.tokens.completion;
    }
  }
  return steps >= 20 ? tokens / steps : null;
}

/**
 * Projects a run's requests, tokens and cost before it starts: every step the run
 * would take (the run's own plan: items, limit, replicates, per-step seeds) is
 * played through the offline simulator (so self-consistency, best-of and sessions
 * count their real number of requests and prompt sizes), then priced at the lane's
 * model price, without prompt-cache discounts (an upper bound).
 */
export async function estimateRun(options: { lane: Lane; suite: Suite; task: Task; settings: RunSettings; prices: PriceTable; runsDir: string; /** Plays the requests; by default the sim, answering with the task's simulator. */ simulator?: ProviderAdapter }): Promise<RunEstimate> {
  const { lane, task, settings } = options;
  const planned = planRun(options.suite.items, task, settings);
  const usage = emptyTokens();
  let requests = 0;
  const controller = new AbortController();
  const simulator = options.simulator ?? createSimAdapter({}, { simulator: task.simulator });
  // the run's order without cache warming: sessions replicate by replicate
  for (const step of groupSteps(task, planned, false).flat()) {
    const complete = async (request: ChatRequest): Promise<ChatResponse> => {
      requests++;
      const response = await simulator.send(lane, withStepSeed(request, step.seed), { signal: controller.signal, timeoutMs: settings.timeoutMs });
      usage.prompt += response.tokens.prompt;
      usage.completion += response.tokens.completion;
      return response;
    };
    try {
      await task.runStep(step.item, step.replicate, { lane, settings: settings.task, complete, signal: controller.signal, seed: settings.seed });
    } catch {
      // a simulated failure still counts its requests
    }
  }
  const steps = planned.length;
  const history = await completionHistory(options.runsDir, lane.slug);
  const completion = history === null ? usage.completion : Math.round(history * steps);
  const price = findPrice(options.prices, lane);
  const tokens = { ...emptyTokens(), prompt: usage.prompt, completion };
  return {
    lane: lane.slug, model: lane.model, steps, requests, prompt_tokens: usage.prompt, completion_tokens: completion,
    completion_source: history === null ? 'simulated' : 'history',
    cost_usd: price === null ? null : costOf(price, tokens), batch_cost_usd: price === null ? null : costOf(price, tokens, { batch: true }),
    prices_as_of: options.prices.as_of,
  };
}
