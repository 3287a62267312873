import type { ProviderAdapter } from '../../core/chat.ts';
import { createAdapter } from '../../pipelines/providers/sim.ts';
import type { Task } from '../../pipelines/tasks/task.ts';

/** A task with the sim adapter that answers its requests, for runLane's options. */
export function withSimAdapter(task: Task): { task: Task; adapter: ProviderAdapter } {
  return { task, adapter: createAdapter({}, { simulator: task.simulator }) };
}
