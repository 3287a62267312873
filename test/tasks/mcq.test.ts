import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../core/chat.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings } from '../../pipelines/tasks/settings.ts';
import type { StepOutcome } from '../../pipelines/tasks/task.ts';
import { LANE, answer, closedBookItem, fakeContext, ternItem, type Reply } from './fixtures.ts';

const GOOD = 'counted 3,412 breeding pairs of the marsh tern';
const WIDE = 'Numbers were up from 2,860 pairs in 2022.';
const D_CARD = 'survey counted 3,412 breeding pairs';

async function step(settings: Record<string, unknown>, replies: readonly Reply[], item: McqItem = ternItem()): Promise<{ outcome: StepOutcome; requests: number }> {
  const parsed = parseTaskSettings('mcq', settings, {});
  const ctx = fakeContext(parsed, replies);
  const outcome = await createTask('mcq', parsed).runStep(item, 0, ctx);
  return { outcome, requests: ctx.requests.length };
}

const use = suite('mcq task (USE)');

use('builds the prompt from the template files: passages in the cacheable system prefix, cards, snippets, options', async () => {
  const parsed = parseTaskSettings('mcq', { idk: true }, {});
  const ctx = fakeContext(parsed, [answer('D', [GOOD], D_CARD)]);
  const task = createTask('mcq', parsed);
  await task.runStep(ternItem(), 0, ctx);
  const [request] = ctx.requests;
  assert.is(request.cachePrefix, 1);
  assert.is(request.json, true);
  assert.is(request.messages[0].role, 'system');
  assert.match(request.messages[0].content, /\[tern-p1\]\nThe survey counted/);
  const user = request.messages[1].content;
  assert.match(user, /PRO card for D: survey counted 3,412 breeding pairs/);
  assert.match(user, /PRO card for B: 3,142 breeding pairs/);
  assert.match(user, /Snippet from tern-p1: The survey counted/);
  assert.match(user, /Question: How many breeding pairs/);
  assert.match(user, /\nD\. 3,412 breeding pairs/);
  assert.match(user, /"answer": "IDK"/);
  assert.not.match(request.messages.map((m) => m.content).join(''), /\{\{/);
  assert.ok(task.simulator?.reply(LANE, request) !== undefined, 'the task’s simulator knows its request');
  assert.is(task.simulator?.reply(LANE, { messages: request.messages }), undefined, 'and only its own requests');
});

use('a correct answer with a narrow verified quote is credited; the PRO card is not evidence', async () => {
  const { outcome } = await step({}, [answer('D', [GOOD], D_CARD)]);
  assert.is(outcome.status, 'ok');
  assert.equal(outcome.evaluation, { correct: true, score: 1, citations_evidence: { coverage: 1, witness_pass: true, credited: true, reasons: [] } });
  assert.is(outcome.task?.['card_first'], true);
  const cardOnly = await step({}, [answer('D', [], D_CARD)]);
  assert.is(cardOnly.outcome.evaluation?.correct, true);
  assert.is(cardOnly.outcome.evaluation?.citations_evidence?.credited, false);
  assert.match(cardOnly.outcome.evaluation?.citations_evidence?.reasons[0] ?? '', /^no citations/);
});

use('a quote not in the passages does not count, and the reason says so', async () => {
  const { outcome } = await step({}, [answer('D', ['the survey found 3,412 pairs'], D_CARD)]);
  assert.is(outcome.evaluation?.citations_evidence?.credited, false);
  assert.is(outcome.evaluation?.citations_evidence?.reasons[0], 'no citations: 1 cited quote is not in the passages');
});

use('an unparseable answer is an error step of kind parse, never a crash', async () => {
  for (const text of ['The answer is D.', '{"answer": "D", "citations": [', '{"answer": "Z"}', '']) {
    const { outcome } = await step({}, [text]);
    assert.is(outcome.status, 'error', text);
    assert.is(outcome.error?.kind, 'parse');
    assert.is(outcome.evaluation, null);
    assert.is(outcome.response?.text, text);
  }
});

use('IDK is an abstention', async () => {
  const { outcome } = await step({ idk: true }, [answer(null)]);
  assert.is(outcome.status, 'abstain');
  assert.equal(outcome.evaluation, { correct: false, score: 0, citations_evidence: { coverage: null, witness_pass: null, credited: false, reasons: ['abstained'] } });
});

use('strict evidence: no verified quote, or a first citation that is not the shown card, makes an abstention', async () => {
  const none = await step({ strict_evidence: true }, [answer('D', [], D_CARD)]);
  assert.is(none.outcome.status, 'abstain');
  assert.equal(none.outcome.evaluation?.citations_evidence?.reasons, ['hard-evidence failure: no verified passage quote']);
  const cardLast = await step({ strict_evidence: true }, [JSON.stringify({ answer: 'D', citations: [{ source: 'tern-p1', quote: GOOD }, { source: 'card:D', quote: D_CARD }] })]);
  assert.is(cardLast.outcome.status, 'abstain');
  assert.equal(cardLast.outcome.evaluation?.citations_evidence?.reasons, ['hard-evidence failure: the first citation is not the PRO card of D']);
  const fine = await step({ strict_evidence: true }, [answer('D', [GOOD], D_CARD)]);
  assert.is(fine.outcome.status, 'ok');
  const lax = await step({}, [JSON.stringify({ answer: 'D', citations: [{ source: 'tern-p1', quote: GOOD }] })]);
  assert.is(lax.outcome.status, 'ok');
  assert.is(lax.outcome.task?.['card_first'], false);
});

use('self-consistency: majority vote with the tie rule; citations pooled from the first sc_extract winners', async () => {
  // D, A, D, A, C: D and A tie at 2; D was voted first.
  const replies = [answer('D', [WIDE], D_CARD), answer('A', [WIDE]), answer('D', [GOOD], D_CARD), answer('A', [GOOD]), answer('C')];
  const one = await step({ sc: 5 }, replies);
  assert.is(one.requests, 5);
  assert.equal(one.outcome.task?.['votes'], { D: 2, A: 2, C: 1 });
  assert.is(one.outcome.task?.['tie'], true);
  assert.is(one.outcome.evaluation?.correct, true);
  assert.is(one.outcome.evaluation?.citations_evidence?.credited, false, 'the first D sample quoted only the wide sentence');
  const pooled = await step({ sc: 5, sc_extract: 2 }, replies);
  assert.is(pooled.outcome.evaluation?.citations_evidence?.credited, false, 'wide + narrow still ties A and D');
  const narrowFirst = await step({ sc: 3, sc_extract: 2 }, [answer('D', [], D_CARD), answer('B'), answer('D', [GOOD], D_CARD)]);
  assert.is(narrowFirst.outcome.evaluation?.citations_evidence?.credited, true, 'the second D sample brings the quote');
  assert.equal((narrowFirst.outcome.response?.parsed as { citations: unknown[] }).citations.length, 2);
});

use('self-consistency: unparsed samples do not vote; all unparsed is a parse error', async () => {
  const some = await step({ sc: 3 }, ['garbage', answer('B'), 'more garbage']);
  assert.is(some.outcome.status, 'ok');
  assert.equal(some.outcome.task?.['votes'], { B: 1 });
  const none = await step({ sc: 3 }, ['garbage']);
  assert.is(none.outcome.status, 'error');
  assert.is(none.outcome.error?.kind, 'parse');
  assert.match(none.outcome.error?.message ?? '', /none of 3 samples could be parsed/);
});

use('one failed sample is dropped; all failed rethrows for the engine', async () => {
  const failure = new ProviderError('server', 'HTTP 500', { httpStatus: 500 });
  const some = await step({ sc: 3 }, [answer('D', [GOOD], D_CARD), failure, answer('D', [GOOD], D_CARD)]);
  assert.is(some.outcome.status, 'ok');
  assert.is(some.outcome.task?.['failed_samples'], 1);
  try {
    await step({ sc: 3 }, [failure]);
    assert.unreachable('should rethrow');
  } catch (error) {
    assert.is(error, failure);
  }
});

use('best-of keeps the sample whose verified quotes best support its own answer; IDK loses to any answer', async () => {
  const { outcome } = await step({ best_of: 3, idk: true }, [answer(null), answer('A', [WIDE]), answer('D', [GOOD], D_CARD)]);
  assert.is(outcome.task?.['chosen_sample'], 2);
  assert.is(outcome.evaluation?.citations_evidence?.credited, true);
  const tie = await step({ best_of: 2 }, [answer('B'), answer('C')]);
  assert.is(tie.outcome.task?.['chosen_sample'], 0);
});

const closed = suite('mcq task on closed-book items (no passages)');
const NO_EVIDENCE = { coverage: null, witness_pass: null, credited: null, reasons: ['no evidence passages: scored on the answer alone'] };

closed('the prompt has no passages block and asks for the answer alone; PRO cards still take the LEARN slots', async () => {
  for (const [settings, rule] of [[{}, /Always choose one of the options\.$/], [{ idk: true }, /If you do not know the answer, reply \{"answer": "IDK"\}\.$/], [{ strict_evidence: true }, /If you do not know the answer/]] as const) {
    const parsed = parseTaskSettings('mcq', settings, {});
    const ctx = fakeContext(parsed, ['{"answer": "C"}']);
    await createTask('mcq', parsed).runStep(closedBookItem(), 0, ctx);
    const [system, user] = ctx.requests[0].messages.map((m) => m.content);
    assert.is(system, 'You answer multiple-choice questions. Choose the option you believe is correct.');
    assert.match(user, /^Study notes\. A PRO card is a short argument for one option\.\nPRO card for A: Venus\n/);
    assert.not.match(user, /passage|[Ss]nippet|citations/);
    assert.match(user, /Question: Which planet has the shortest year\?\n\nOptions:\nA\. Venus\n[^]*\nE\. Jupiter\n/);
    assert.match(user, /\{"answer": "<option key>"\}/);
    assert.match(user, rule);
    assert.not.match(system + user, /\{\{/);
  }
});

closed('an answer is scored on correct; the evidence metrics are null, not false, even under strict evidence', async () => {
  const right = await step({}, ['{"answer": "c"}'], closedBookItem());
  assert.is(right.outcome.status, 'ok');
  assert.equal(right.outcome.evaluation, { correct: true, score: 1, citations_evidence: NO_EVIDENCE });
  assert.is(right.outcome.task?.['card_first'], null);
  const wrong = await step({ strict_evidence: true }, ['{"answer": "A", "citations": []}'], closedBookItem());
  assert.is(wrong.outcome.status, 'ok', 'no passage quote is required where there are no passages');
  assert.equal(wrong.outcome.evaluation, { correct: false, score: 0, citations_evidence: NO_EVIDENCE });
  const idk = await step({ idk: true }, ['{"answer": "IDK"}'], closedBookItem());
  assert.is(idk.outcome.status, 'abstain');
  assert.equal(idk.outcome.evaluation, { correct: false, score: 0, citations_evidence: { ...NO_EVIDENCE, reasons: [...NO_EVIDENCE.reasons, 'abstained'] } });
});

closed('self-consistency and best-of work without passages', async () => {
  const sc = await step({ sc: 3 }, ['{"answer": "A"}', '{"answer": "C"}', '{"answer": "C"}'], closedBookItem());
  assert.equal(sc.outcome.task?.['votes'], { A: 1, C: 2 });
  assert.equal(sc.outcome.evaluation, { correct: true, score: 1, citations_evidence: NO_EVIDENCE });
  const best = await step({ best_of: 2, idk: true }, ['{"answer": "IDK"}', '{"answer": "C"}'], closedBookItem());
  assert.is(best.outcome.task?.['chosen_sample'], 1, 'any answer beats an abstention');
  assert.is(best.outcome.evaluation?.correct, true);
});

use('contextKey groups items that share passages', () => {
  const task = createTask('mcq', parseTaskSettings('mcq', {}, {}));
  assert.is(task.contextKey(ternItem('a')), task.contextKey(ternItem('b')));
  assert.ok(task.accepts(ternItem()));
  assert.not.ok(task.accepts({ kind: 'prompt', id: 'p', cluster: null, context: 'c', prompt: 'p', rubrics: [] }));
});

use.run();
closed.run();
