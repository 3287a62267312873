import type { ChatMessage } from '../../../core/chat.ts';
import type { McqItem, SuiteItem } from '../../suites/types.ts';
import { PreparedMcqCache, renderPassages } from '../mcq/prepare.ts';
import { createMcqSimulator, mcqHint } from '../mcq/simulate.ts';
import { runMcqSamples } from '../mcq/use.ts';
import type { SessionTaskSettings } from '../settings.ts';
import type { StepOutcome, Task } from '../task.ts';
import { templateSection } from '../template.ts';
import { ContextManager } from './contextManager.ts';

/** Turn importance: a turn that brought passages matters most, a credited answer next, an error not at all. */
function importanceOf(outcome: StepOutcome, broughtPassages: boolean): number {
  if (outcome.status === 'error') return 0;
  return 1 + (broughtPassages ? 2 : 0) + (outcome.evaluation?.citations_evidence?.credited === true ? 1 : 0);
}

/**
 * The `session` task: the steps of a run are MCQ turns of one conversation
 * (one per replicate) that share a growing context. Each turn brings the
 * item's passages only if they are not already in context; the context
 * manager trims earlier turns by the chosen strategy; each step logs the
 * context size it was sent with and the tokens trimmed before it.
 */
export function createSessionTask(settings: SessionTaskSettings): Task<McqItem> {
  const sessions = new Map<number, { manager: ContextManager; turn: number }>();
  const system: ChatMessage = { role: 'system', content: templateSection('session', 'system').render({}) };
  const simulator = createMcqSimulator();
  const prepared = new PreparedMcqCache();
  return {
    kind: 'session',
    sequential: true,
    accepts: (item: SuiteItem): item is McqItem => item.kind === 'mcq',
    contextKey: () => 'session',
    async runStep(item, replicate, ctx) {
      let session = sessions.get(replicate);
      if (session === undefined) sessions.set(replicate, (session = { manager: new ContextManager(settings), turn: 0 }));
      const turn = session.turn++;
      const p = prepared.prepare(item, settings);
      const present = session.manager.passagesInContext();
      const missing = item.evidence.filter((e) => !present.has(e.id));
      const passages = missing.length === 0 ? '' : templateSection('session', 'passages').render({ passages: renderPassages(missing) }) + '\n';
      const current: ChatMessage = { role: 'user', content: passages + p.questionText };
      const fit = session.manager.fit([system, current]);
      const context = { tokens: fit.tokens, trimmed: fit.trimmed, strategy: settings.trim_strategy };
      if (fit.tokens > settings.context_limit) {
        const message = `the context of ${fit.tokens} tokens exceeds the model limit of ${settings.context_limit}`;
        return { status: 'error', evaluation: null, response: null, error: { kind: 'invalid_request', message, http_status: null }, context, task: { turn } };
      }
      const kept = session.manager.turns;
      const messages: ChatMessage[] = [system, ...kept.flatMap((t) => t.messages), current];
      const relatedInContext = item.cluster !== null && kept.some((t) => t.cluster === item.cluster);
      const outcome = await runMcqSamples(p, settings, ctx, (sample) => simulator.attach(
        { messages, cachePrefix: messages.length - 1, json: true },
        { ...mcqHint(p, settings, replicate, sample, ctx.seed), session: { turn, contextTokens: fit.tokens, relatedInContext } },
      ), { turn, turns_in_context: kept.length });
      const reply: ChatMessage = { role: 'assistant', content: outcome.response?.text ?? '' };
      session.manager.add({ messages: [current, reply], importance: importanceOf(outcome, missing.length > 0), cluster: item.cluster, passages: missing.map((e) => e.id) });
      return { ...outcome, context };
    },
    simulator,
  };
}
