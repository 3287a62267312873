import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { createGenerateTask } from './graded/generate.ts';
import { createMcqTask } from './mcq/use.ts';
import { createSessionTask } from './session/session.ts';
import { parseTaskSettings } from './settings.ts';
import type { Task } from './task.ts';

/**
 * The task for a kind, from settings that `parseTaskSettings` made (or a run
 * log holds: they are validated again). Grade tasks need the notes they grade,
 * so only the experiment orchestrator builds them.
 */
export function createTask(kind: string, settings: Record<string, unknown>, command: CommandRenderer = PLAIN_COMMAND): Task {
  const parsed = parseTaskSettings(kind, settings, { field: 'task' });
  switch (parsed.kind) {
    case 'mcq':
      return createMcqTask(parsed) as Task;
    case 'session':
      return createSessionTask(parsed) as Task;
    case 'generate':
      return createGenerateTask(parsed) as Task;
    case 'grade':
      throw new CliError('grade tasks run inside an experiment, which supplies the notes to grade', { hint: `use '${command(['experiment', 'run', 'FILE'])}'` });
  }
}
