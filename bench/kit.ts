import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryOutput } from '../lib/output.ts';
import type { Lane } from '../core/lane.ts';
import type { McqItem, Suite } from '../pipelines/suites/types.ts';
import type { StepOutcome, Task } from '../pipelines/tasks/task.ts';

/** A suite of `n` items, each with its own `contextChars`-long passage (its own cache context). */
export function contextSuite(n: number, contextChars = 400): Suite {
  const filler = 'The survey recorded water levels, salinity and bird counts at every station along the delta. ';
  const items: McqItem[] = Array.from({ length: n }, (_, i) => ({
    kind: 'mcq', id: `item-${i}`, cluster: `ctx-${i}`, question: `What did station ${i} record?`,
    options: [{ key: 'A', text: 'water levels' }, { key: 'B', text: 'traffic' }], answer: 'A',
    evidence: [{ id: `p${i}`, text: `Context ${i}. ${filler.repeat(Math.ceil(contextChars / filler.length))}`.slice(0, contextChars) }], tags: [],
  }));
  return { name: 'bench', path: 'bench.jsonl', sha256: createHash('sha256').update(`${n}:${contextChars}`).digest('hex'), items };
}

/** One request a step: the item's passage as a cacheable system prefix, the question as the user turn. */
export const contextTask: Task<McqItem> = {
  kind: 'bench',
  accepts: (item): item is McqItem => item.kind === 'mcq',
  contextKey: (item) => item.cluster ?? item.id,
  async runStep(item, _replicate, context): Promise<StepOutcome> {
    const response = await context.complete({ messages: [{ role: 'system', content: item.evidence[0].text }, { role: 'user', content: item.question }], cachePrefix: 1 });
    return { status: 'ok', evaluation: { correct: true, score: 1, citations_evidence: null }, response: { text: response.text, finish_reason: response.finishReason, parsed: null }, error: null };
  },
};

export function openaiLane(baseUrl: string): Lane {
  return { slug: '4o.t0-7', alias: '4o', provider: 'openai', model: 'gpt-4o', base_url: `${baseUrl}/v1`, dials: { temperature: 0.7, max_output_tokens: 64 }, active: true, visible: true };
}

export function tempRunsDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'audition-bench-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const quietOutput = createMemoryOutput;

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
