import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ChatRequest, type ChatResponse } from '../../core/chat.ts';
import { emptyTokens } from '../../core/tokens.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import type { TaskContext } from '../../pipelines/tasks/task.ts';

export const LANE: Lane = { slug: 'fake.t0-7', alias: 'fake', provider: 'sim', model: 'sim-medium', dials: { temperature: 0.7 }, active: true, visible: true };

/** A small MCQ item: a given card (A), no card (B), a 20-word card (C), gold D with a card quoted from the passage. */
export function ternItem(id = 'tern-01'): McqItem {
  return {
    kind: 'mcq', id, cluster: 'tern', question: 'How many breeding pairs of marsh tern did the survey count?',
    options: [
      { key: 'A', text: '2,860 breeding pairs', pro: 'report cites 2,860 pairs of marsh tern' },
      { key: 'B', text: '3,142 breeding pairs' },
      { key: 'C', text: '4,120 breeding pairs', pro: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty' },
      { key: 'D', text: '3,412 breeding pairs', pro: 'survey counted 3,412 breeding pairs' },
    ],
    answer: 'D',
    evidence: [{ id: 'tern-p1', text: 'The survey counted 3,412 breeding pairs of the marsh tern. Numbers were up from 2,860 pairs in 2022. Salinity averaged 6.8 parts per thousand, below the limit.' }],
    tags: [],
  };
}

/** An MMLU-style item: five options, no passages, no PRO cards (gold C). */
export function closedBookItem(id = 'astro-01'): McqItem {
  return {
    kind: 'mcq', id, cluster: null, question: 'Which planet has the shortest year?',
    options: [{ key: 'A', text: 'Venus' }, { key: 'B', text: 'Earth' }, { key: 'C', text: 'Mercury' }, { key: 'D', text: 'Mars' }, { key: 'E', text: 'Jupiter' }],
    answer: 'C', evidence: [], tags: [],
  };
}

export type Reply = string | ProviderError;

/** A TaskContext whose `complete` answers from a script (by call order) and records the requests. */
export function fakeContext(settings: Record<string, unknown>, replies: readonly Reply[] | ((request: ChatRequest, call: number) => Reply)): TaskContext & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    lane: LANE, settings, signal: new AbortController().signal, seed: 1, requests,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const call = requests.length;
      requests.push(request);
      const reply = typeof replies === 'function' ? replies(request, call) : replies[call % replies.length];
      if (reply instanceof ProviderError) throw reply;
      return { text: reply, finishReason: 'stop', tokens: emptyTokens(), ttftMs: null };
    },
  };
}

/** A JSON answer citing the card of `key` first, then passage quotes. */
export function answer(key: string | null, quotes: string[] = [], card?: string): string {
  const citations = [...(card === undefined ? [] : [{ source: `card:${key}`, quote: card }]), ...quotes.map((quote) => ({ source: 'tern-p1', quote }))];
  return JSON.stringify({ answer: key ?? 'IDK', citations });
}
