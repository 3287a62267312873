import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatMessage, ChatRequest } from '../../core/chat.ts';
import { estimatePromptTokens } from '../../core/tokens.ts';
import { ContextManager, HYBRID_KEEP_RECENT, trimContext, type Turn } from '../../pipelines/tasks/session/contextManager.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings, type SessionWindow, type TrimStrategy } from '../../pipelines/tasks/settings.ts';
import type { StepOutcome } from '../../pipelines/tasks/task.ts';
import { createAdapter } from '../../pipelines/providers/sim.ts';
import { closedBookItem, LANE } from './fixtures.ts';

// Eight turns of 100 tokens (400 estimate characters), importance [3,1,3,1,1,1,1,1]; a fixed part of 100 tokens;
// limit 1000, threshold 0.8, target 0.6: the context (900) passes 800, so each strategy trims towards 600.
const TURNS: Turn[] = [3, 1, 3, 1, 1, 1, 1, 1].map((importance, index) => ({ index, importance, chars: 400, messages: [], cluster: null, passages: [] }));
const kept = (strategy: TrimStrategy, fixedTokens = 100, turns = TURNS): number[] => {
  const window: SessionWindow = { context_limit: 1000, trim_threshold: 0.8, trim_target: 0.6, trim_strategy: strategy };
  return trimContext(turns, fixedTokens * 4, window).kept.map((t) => t.index);
};
/** A message the estimate counts as `tokens` tokens (its text plus 8 characters of framing). */
const messageOf = (tokens: number): ChatMessage => ({ role: 'user', content: 'x'.repeat(tokens * 4 - 8) });

const trim = suite('trimContext');

trim('sliding-window drops the oldest turns', () => {
  assert.equal(kept('sliding-window'), [3, 4, 5, 6, 7]);
});

trim('importance drops the least important first, the oldest among equals', () => {
  assert.equal(kept('importance'), [0, 2, 5, 6, 7]);
});

trim(`hybrid protects the ${HYBRID_KEEP_RECENT} most recent turns and drops the least important of the rest`, () => {
  assert.equal(kept('hybrid'), [2, 4, 5, 6, 7]);
});

trim('aggressive trims down to half the target (300 here)', () => {
  assert.equal(kept('aggressive'), [6, 7]);
});

trim('none never trims; nothing is trimmed at or below the threshold', () => {
  assert.equal(kept('none'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(kept('sliding-window', 0), [0, 1, 2, 3, 4, 5, 6, 7]);
});

trim('reports tokens before and after, and stops when history runs out', () => {
  const window: SessionWindow = { context_limit: 1000, trim_threshold: 0.8, trim_target: 0.6, trim_strategy: 'sliding-window' };
  const r = trimContext(TURNS, 400, window);
  assert.equal([r.tokensBefore, r.tokensAfter, r.removed.length], [900, 600, 3]);
  const huge = trimContext(TURNS, 20_000, window);
  assert.equal([huge.kept.length, huge.tokensAfter], [0, 5000]);
});

const manager = suite('ContextManager');

manager('keeps turns across fits and reports what each fit trimmed', () => {
  const m = new ContextManager({ context_limit: 1000, trim_threshold: 0.8, trim_target: 0.6, trim_strategy: 'sliding-window' });
  for (const t of TURNS) m.add({ importance: t.importance, messages: [messageOf(100)], cluster: null, passages: [`p${t.index}`] });
  assert.equal(m.fit([]), { tokens: 800, trimmed: 0, removedTurns: 0 });
  assert.equal(m.fit([messageOf(100)]), { tokens: 600, trimmed: 300, removedTurns: 3 });
  assert.equal([...m.passagesInContext()], ['p3', 'p4', 'p5', 'p6', 'p7']);
});

const session = suite('session task');

async function runSession(settings: Record<string, unknown>, items: McqItem[], replicates = 1): Promise<StepOutcome[][]> {
  const parsed = parseTaskSettings('session', settings, {});
  const task = createTask('session', parsed);
  const adapter = createAdapter({}, { simulator: task.simulator });
  const signal = new AbortController().signal;
  const out: StepOutcome[][] = [];
  for (let r = 0; r < replicates; r++) {
    const steps: StepOutcome[] = [];
    for (const item of items) steps.push(await task.runStep(item, r, { lane: LANE, settings: parsed, signal, seed: 3, complete: (request) => adapter.send(LANE, request, { signal, timeoutMs: 1000 }) }));
    out.push(steps);
  }
  return out;
}

session('the context grows turn by turn, is trimmed past the threshold, and every step logs it', async () => {
  const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const items = demo.items.slice(0, 20) as McqItem[];
  const [steps] = await runSession({ context_limit: 4000, trim_threshold: 0.8, trim_target: 0.5, trim_strategy: 'sliding-window' }, items);
  assert.ok(steps.every((s) => s.context !== undefined && s.context.strategy === 'sliding-window'));
  assert.ok(steps[1].context!.tokens > steps[0].context!.tokens, 'the second turn carries the first');
  const trimmedAt = steps.findIndex((s) => s.context!.trimmed > 0);
  assert.ok(trimmedAt > 0, 'some step trimmed');
  assert.ok(steps[trimmedAt].context!.tokens <= 0.5 * 4000 + 1000, 'trimmed towards the target');
  assert.ok(steps.every((s) => s.context!.tokens <= 0.8 * 4000 || s.context!.trimmed > 0));
  assert.equal(steps.map((s) => s.task?.['turn']), items.map((_, i) => i));
});

session('the context a step logs is the token estimate of the request it sent, which the sim counts alike', async () => {
  const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const parsed = parseTaskSettings('session', { context_limit: 3000, trim_threshold: 0.8, trim_target: 0.5 }, {});
  const task = createTask('session', parsed);
  const adapter = createAdapter({}, { simulator: task.simulator });
  const signal = new AbortController().signal;
  let trimmed = 0;
  for (const item of demo.items.slice(0, 20) as McqItem[]) {
    let sent: ChatRequest | null = null;
    let promptTokens = 0;
    const outcome = await task.runStep(item, 0, { lane: LANE, settings: parsed, signal, seed: 3, complete: async (request) => {
      sent = request;
      const response = await adapter.send(LANE, request, { signal, timeoutMs: 1000 });
      promptTokens = response.tokens.prompt;
      return response;
    } });
    assert.ok(sent !== null);
    assert.is(outcome.context?.tokens, estimatePromptTokens(sent), `turn ${outcome.task?.['turn']}`);
    assert.is(promptTokens, estimatePromptTokens(sent), 'the sim counts prompt tokens with the same estimate');
    trimmed += outcome.context?.trimmed ?? 0;
  }
  assert.ok(trimmed > 0, 'trimmed turns are left out of the count');
});

session('passages come once while they stay in context; replicates are separate sessions', async () => {
  const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const items = (demo.items as McqItem[]).filter((i) => i.cluster === 'delta-ecology').slice(0, 3);
  const parsed = parseTaskSettings('session', {}, {});
  const task = createTask('session', parsed);
  const adapter = createAdapter({}, { simulator: task.simulator });
  const signal = new AbortController().signal;
  const seen: string[] = [];
  const ctx = (r: number) => ({ lane: LANE, settings: parsed, signal, complete: (request: Parameters<typeof adapter.send>[1]) => {
    seen.push(`${r}:${request.messages[request.messages.length - 1].content.includes('New evidence passages') ? 'passages' : 'question'}:${request.messages.length}`);
    return adapter.send(LANE, request, { signal, timeoutMs: 1000 });
  } });
  for (const item of items) await task.runStep(item, 0, ctx(0));
  await task.runStep(items[0], 1, ctx(1));
  assert.equal(seen, ['0:passages:2', '0:question:4', '0:question:6', '1:passages:2']);
});

session('closed-book turns bring no passages and are scored on correct alone', async () => {
  const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const items = [closedBookItem('astro-01'), demo.items[0] as McqItem, closedBookItem('astro-02')];
  const replicates = await runSession({}, items, 4);
  const closedSteps = replicates.flatMap((steps) => [steps[0], steps[2]]).filter((s) => s.status === 'ok');
  assert.ok(closedSteps.length >= 6, 'the sim answers closed-book turns');
  for (const s of closedSteps) {
    assert.is(typeof s.evaluation?.correct, 'boolean');
    assert.equal([s.evaluation?.citations_evidence?.credited, s.evaluation?.citations_evidence?.coverage], [null, null]);
  }
  assert.ok(replicates.every((steps) => typeof steps[1].evaluation?.citations_evidence?.credited === 'boolean' || steps[1].status === 'error'));
});

session('a context over the model limit is not sent: an invalid_request error step', async () => {
  const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const [steps] = await runSession({ context_limit: 2500, trim_strategy: 'none' }, demo.items.slice(0, 10) as McqItem[]);
  const over = steps.findIndex((s) => s.status === 'error');
  assert.ok(over > 0);
  assert.is(steps[over].error?.kind, 'invalid_request');
  assert.match(steps[over].error?.message ?? '', /exceeds the model limit of 2500/);
  assert.ok(steps[over].context!.tokens > 2500);
});

trim.run();
manager.run();
session.run();
