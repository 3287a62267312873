import { createHash } from 'node:crypto';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter } from '../../core/chat.ts';
import type { McqItem, Suite } from '../../pipelines/suites/types.ts';
import type { StepOutcome, Task, TaskContext } from '../../pipelines/tasks/task.ts';

export const TEST_LANE: Lane = { slug: 'scripted.t0-5', alias: 'scripted', provider: 'sim', model: 'sim-test', dials: { temperature: 0.5, max_output_tokens: 100 }, active: true, visible: true };

/** A suite of `n` tiny MCQ items spread over `clusters` contexts. */
export function makeSuite(n: number, clusters = 4): Suite {
  const items: McqItem[] = Array.from({ length: n }, (_, i) => ({
    kind: 'mcq', id: `q${i}`, cluster: `c${i % clusters}`, question: `question ${i}`,
    options: [{ key: 'A', text: 'yes' }, { key: 'B', text: 'no' }], answer: 'A', evidence: [{ id: `p${i % clusters}`, text: `passage ${i % clusters}` }], tags: [],
  }));
  return { name: 'test', path: 'test.jsonl', sha256: createHash('sha256').update(String(n)).digest('hex'), items };
}

/** A task that sends one request a step (context = the item's cluster) and scores the reply "A" as correct. */
export const echoTask: Task<McqItem> = {
  kind: 'echo',
  accepts: (item): item is McqItem => item.kind === 'mcq',
  contextKey: (item) => item.cluster ?? item.id,
  async runStep(item, replicate, context: TaskContext): Promise<StepOutcome> {
    const response = await context.complete({ messages: [{ role: 'system', content: `context ${item.cluster}` }, { role: 'user', content: `${item.question} #${replicate}` }], cachePrefix: 1 });
    const correct = response.text.trim() === 'A';
    return { status: 'ok', evaluation: { correct, score: correct ? 1 : 0, citations_evidence: null }, response: { text: response.text, finish_reason: response.finishReason, parsed: null }, error: null };
  },
};

export interface Call {
  request: ChatRequest;
  startedAt: number;
  endedAt: number;
}

/** An adapter whose behaviour a test scripts; it records every call and the peak concurrency. */
export class ScriptedAdapter implements ProviderAdapter {
  readonly name = 'sim' as const;
  readonly calls: Call[] = [];
  inFlight = 0;
  peakInFlight = 0;

  constructor(private readonly behave: (request: ChatRequest, callIndex: number) => Promise<ChatResponse> | ChatResponse = () => reply('A')) {}

  buildRequest(lane: Lane, request: ChatRequest): { url: string; body: Record<string, unknown> } {
    return { url: 'sim://test', body: { model: lane.model, messages: request.messages, temperature: lane.dials.temperature, authorization: 'Bearer sk-should-never-appear-000000' } };
  }

  check(): void {}

  baseURL(): string {
    return 'sim://test';
  }

  async send(_lane: Lane, request: ChatRequest): Promise<ChatResponse> {
    const call: Call = { request, startedAt: Date.now(), endedAt: 0 };
    const index = this.calls.length;
    this.calls.push(call);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      return await this.behave(request, index);
    } finally {
      this.inFlight--;
      call.endedAt = Date.now();
    }
  }

  async close(): Promise<void> {}
}

export function reply(text: string, tokens: Partial<ChatResponse['tokens']> = {}): ChatResponse {
  return { text, finishReason: 'stop', tokens: { prompt: 100, completion: 10, cached_read: 0, cache_write: 0, reasoning: 0, ...tokens }, ttftMs: null };
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { ProviderError };

/** One request an adapter sent: when (performance.now()), and whether the server answered it 429. */
export interface SentRequest {
  at: number;
  rateLimited: boolean;
}

/** The adapter, noting each request it sends in `sent`. */
export function notingSends(adapter: ProviderAdapter, sent: SentRequest[]): ProviderAdapter {
  return {
    name: adapter.name,
    buildRequest: adapter.buildRequest.bind(adapter),
    check: adapter.check.bind(adapter),
    baseURL: adapter.baseURL.bind(adapter),
    close: adapter.close.bind(adapter),
    async send(lane, request, options) {
      const record: SentRequest = { at: performance.now(), rateLimited: false };
      sent.push(record);
      try {
        return await adapter.send(lane, request, options);
      } catch (error) {
        record.rateLimited = error instanceof ProviderError && error.httpStatus === 429;
        throw error;
      }
    },
  };
}
