import type { ChatMessage } from '../../../core/chat.ts';
import type { PromptItem, SuiteItem } from '../../suites/types.ts';
import type { GenerateTaskSettings } from '../settings.ts';
import type { Task } from '../task.ts';
import { templateSection } from '../template.ts';
import { createGenerateSimulator } from './simulate.ts';

/** The generator's messages for a case: its system message (or the template's) and the material with the task. */
export function generateMessages(item: PromptItem): ChatMessage[] {
  return [
    { role: 'system', content: item.system ?? templateSection('generate', 'system').render({}) },
    { role: 'user', content: templateSection('generate', 'user').render({ context: item.context, prompt: item.prompt }) },
  ];
}

/**
 * The `generate` task: a generator lane writes a note for a prompt case. An
 * empty note is asked for again, up to max_attempts, then is an error step of
 * kind parse. A note carries no evaluation; the grade phase scores it.
 */
export function createGenerateTask(settings: GenerateTaskSettings): Task<PromptItem> {
  const simulator = createGenerateSimulator();
  // each case's messages, rendered once for its replicates and attempts
  const messagesByItem = new WeakMap<PromptItem, ChatMessage[]>();
  return {
    kind: 'generate',
    accepts: (item: SuiteItem): item is PromptItem => item.kind === 'prompt',
    contextKey: (item) => item.id,
    async runStep(item, replicate, ctx) {
      let messages = messagesByItem.get(item);
      if (messages === undefined) messagesByItem.set(item, (messages = generateMessages(item)));
      let last = { text: '', finishReason: null as string | null };
      for (let attempt = 0; attempt < settings.max_attempts; attempt++) {
        const response = await ctx.complete(simulator.attach({ messages, cachePrefix: 2 }, { item, replicate, sample: attempt, ...(ctx.seed === undefined ? {} : { seed: ctx.seed }) }));
        last = { text: response.text, finishReason: response.finishReason };
        if (response.text.trim() !== '') {
          return { status: 'ok', evaluation: { correct: null, score: null, citations_evidence: null }, response: { text: response.text, finish_reason: response.finishReason, parsed: null }, error: null, task: { case_id: item.id, note_attempts: attempt + 1 } };
        }
      }
      return {
        status: 'error', evaluation: null, response: { text: last.text, finish_reason: last.finishReason, parsed: null },
        error: { kind: 'parse', message: `empty note after ${settings.max_attempts} attempts`, http_status: null }, task: { case_id: item.id, note_attempts: settings.max_attempts },
      };
    },
    simulator,
  };
}
