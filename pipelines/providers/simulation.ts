import type { McqItem, PromptItem, Rubric } from '../suites/types.ts';

/**
 * What the offline `sim` provider is told about a request, so it can answer
 * like a model of known skill without parsing prompts. Real providers ignore it.
 */
export type SimulationHint =
  | {
      task: 'mcq';
      item: McqItem;
      replicate: number;
      /** Index of this sample within a step (self-consistency / best-of). */
      sample: number;
      /** Cards and evidence snippets shown to the model (within the cards budget). */
      cards: { option: string; text: string }[];
      snippets: { passage: string; text: string }[];
      allowAbstain: boolean;
    }
  | { task: 'generate'; item: PromptItem; replicate: number; sample: number }
  | { task: 'grade'; item: PromptItem; rubric: Rubric; note: string; generatorLane: string; replicate: number; sample: number }
  | { task: 'session'; item: McqItem | PromptItem; turn: number; contextTokens: number; replicate: number; sample: number };
