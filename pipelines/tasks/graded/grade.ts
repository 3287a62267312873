import type { ChatMessage } from '../../../core/chat.ts';
import type { PromptItem, Rubric, SuiteItem } from '../../suites/types.ts';
import type { GradeTaskSettings } from '../settings.ts';
import type { StepOutcome, Task } from '../task.ts';
import { templateSection } from '../template.ts';
import { authorKey } from './eligibility.ts';
import { gradeFraction, parseGrade } from './parseGrade.ts';
import { createGradeSimulator } from './simulate.ts';

/** One grade to give: a note of a generator lane for a case, against one author's rubric. */
export interface GradeJob {
  /** The synthesized item id: case|generator lane|n<note replicate>|author. */
  id: string;
  case: PromptItem;
  rubric: Rubric;
  note: string;
  generatorLane: string;
  noteReplicate: number;
}

/** The id of a grade item; `|` never occurs in suite ids, so the parts can be read back. */
export function gradeItemId(caseId: string, generatorLane: string, noteReplicate: number, author: string): string {
  return `${caseId}|${generatorLane}|n${noteReplicate}|${authorKey(author).replace(/[^a-z0-9]+/g, '-')}`;
}

/** The prompt item a grade step runs on (its cluster is the case, for the statistics). */
export function gradeItem(job: GradeJob): PromptItem {
  const item: PromptItem = { kind: 'prompt', id: job.id, cluster: job.case.id, context: job.case.context, prompt: job.case.prompt, rubrics: [job.rubric] };
  if (job.case.system !== undefined) item.system = job.case.system;
  return item;
}

/** Messages: system, the case with its rubric (shared by every note of the case: the cacheable prefix), then the note. */
function gradeMessages(job: GradeJob, reasoning: boolean, casePart: Map<string, ChatMessage>): ChatMessage[] {
  const key = `${job.case.id}\u0000${authorKey(job.rubric.author)}`;
  let caseMessage = casePart.get(key);
  if (caseMessage === undefined) {
    const criterion = templateSection('grade', 'criterion');
    const criteria = job.rubric.criteria.map((c) => criterion.render({ id: c.id, max: String(c.max), description: c.description })).join('\n');
    caseMessage = { role: 'user', content: templateSection('grade', 'case').render({ context: job.case.context, prompt: job.case.prompt, criteria }) };
    casePart.set(key, caseMessage);
  }
  const example = JSON.stringify(Object.fromEntries(job.rubric.criteria.map((c) => [c.id, 0])));
  const format = templateSection('grade', reasoning ? 'format-reasoning' : 'format-plain').render({ example });
  return [{ role: 'system', content: templateSection('grade', 'system').render({}) }, caseMessage, { role: 'user', content: templateSection('grade', 'note').render({ note: job.note, format }) }];
}

/**
 * The `grade` task: a grader lane scores a note against a rubric, criterion
 * by criterion. A reply that does not parse into every criterion's score is
 * asked for again up to max_attempts, then is an error step of kind parse.
 * Steps record the generator lane, note replicate and rubric author.
 */
export function createGradeTask(settings: GradeTaskSettings, jobs: ReadonlyMap<string, GradeJob>): Task<PromptItem> {
  const casePart = new Map<string, ChatMessage>();
  const simulator = createGradeSimulator();
  return {
    kind: 'grade',
    accepts: (item: SuiteItem): item is PromptItem => item.kind === 'prompt' && jobs.has(item.id),
    contextKey: (item) => `${item.cluster ?? item.id}\u0000${item.rubrics[0]?.author ?? ''}`,
    async runStep(item, replicate, ctx): Promise<StepOutcome> {
      const job = jobs.get(item.id);
      if (job === undefined) throw new Error(`no grade job for item ${item.id}`);
      const messages = gradeMessages(job, settings.grader_reasoning, casePart);
      const facts: Record<string, unknown> = {
        case_id: job.case.id, generator_lane: job.generatorLane, note_replicate: job.noteReplicate, rubric_author: job.rubric.author,
        rubric_created_at: job.rubric.created_at, grader_reasoning: settings.grader_reasoning,
      };
      let failure = '';
      let last = { text: '', finishReason: null as string | null };
      for (let attempt = 0; attempt < settings.max_attempts; attempt++) {
        const response = await ctx.complete(simulator.attach(
          { messages, cachePrefix: 2, json: !settings.grader_reasoning },
          { item: job.case, rubric: job.rubric, note: job.note, generatorLane: job.generatorLane, reasoning: settings.grader_reasoning, replicate, sample: attempt, ...(ctx.seed === undefined ? {} : { seed: ctx.seed }) },
        ));
        last = { text: response.text, finishReason: response.finishReason };
        const parsed = parseGrade(response.text, job.rubric);
        if (parsed.ok) {
          return {
            status: 'ok', evaluation: { correct: null, score: gradeFraction(parsed.scores, job.rubric), citations_evidence: null, scores: parsed.scores },
            response: { text: response.text, finish_reason: response.finishReason, parsed: { scores: parsed.scores } }, error: null, task: { ...facts, grade_attempts: attempt + 1 },
          };
        }
        failure = parsed.message;
      }
      return {
        status: 'error', evaluation: null, response: { text: last.text, finish_reason: last.finishReason, parsed: null },
        error: { kind: 'parse', message: `${failure} (after ${settings.max_attempts} attempts)`, http_status: null }, task: { ...facts, grade_attempts: settings.max_attempts },
      };
    },
    simulator,
  };
}
