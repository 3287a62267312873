import type { Lane } from '../../core/lane.ts';
import type { ChatRequest, ChatResponse } from '../../core/chat.ts';
import type { Simulator } from '../../core/simulator.ts';
import type { Evaluation, StepError, StepStatus } from '../../core/record.ts';
import type { SuiteItem } from '../suites/types.ts';

/** What a task may do while running one step: send requests through the scheduler. */
export interface TaskContext {
  lane: Lane;
  /** The run's task settings (cards budget, sc, tau, …), already validated. */
  settings: Record<string, unknown>;
  /**
   * Sends one request through the scheduler: rate limits, retries with backoff
   * honouring Retry-After, per-request timeout. Throws ProviderError once retries
   * are exhausted; the engine turns that into an error step. Token usage, cost and
   * attempts of every call are summed into the step by the engine.
   */
  complete(request: ChatRequest): Promise<ChatResponse>;
  signal: AbortSignal;
  /** The run's seed (RunSettings.seed); the `sim` provider's draws depend on it. Absent means 0. */
  seed?: number;
}

/** What a task returns for one (item, replicate); the engine adds tokens, timing, cost and attempts. */
export interface StepOutcome {
  status: StepStatus;
  evaluation: Evaluation | null;
  response: { text: string; finish_reason: string | null; parsed: unknown } | null;
  error: StepError | null;
  context?: { tokens: number; trimmed: number; strategy?: string };
  task?: Record<string, unknown>;
}

/** A task kind: how a step asks the model and how its answer is scored. */
export interface Task<I extends SuiteItem = SuiteItem> {
  readonly kind: string;
  /** True when this task can run the item (e.g. mcq runs only mcq items). */
  accepts(item: SuiteItem): item is I;
  /**
   * Items with the same key share a prompt prefix (a passage, a context package):
   * the scheduler warms the provider's cache with the first and sends the rest while it is warm.
   */
  contextKey(item: I): string;
  /** Steps of one run must run one after another (sessions with a growing context). */
  readonly sequential?: boolean;
  runStep(item: I, replicate: number, context: TaskContext): Promise<StepOutcome>;
  /** How the offline `sim` provider answers this task's requests (tasks without one get a fixed reply). */
  readonly simulator?: Simulator;
}
