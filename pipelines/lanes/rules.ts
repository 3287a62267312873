import { DIAL_FIELDS, dialTargetOf, targetsOfDial } from '../../core/dialFields.ts';
import { DIAL_NAMES, isOpenAIReasoningModel, type Dials, type Lane } from '../../core/lane.ts';

/** A provider rule, checked before any request is sent. */
export interface ProviderRule {
  id: string;
  field: keyof Dials | 'model' | 'base_url' | 'backend';
  /** What the provider requires, in one sentence a user can act on. */
  rule: string;
  /** The provider documentation the rule encodes. */
  doc: string;
  /** Returns a description of the violation, or null when the lane satisfies the rule. */
  check(lane: Lane): string | null;
}

export interface RuleViolation {
  lane: string;
  field: string;
  rule: string;
  message: string;
}

const OPENAI_REASONING_DOC = 'https://platform.openai.com/docs/guides/reasoning';
const ANTHROPIC_THINKING_DOC = 'https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking';
const ANTHROPIC_MESSAGES_DOC = 'https://docs.anthropic.com/en/api/messages';

const isSet = (v: unknown): boolean => v !== undefined;
const openaiReasoning = (lane: Lane): boolean => lane.provider === 'openai' && isOpenAIReasoningModel(lane.model);
const outside = (v: number | undefined, lo: number, hi: number): boolean => v !== undefined && (v < lo || v > hi);

/**
 * Rules that a lane sets only dials its target (provider, backend, OpenAI reasoning model) takes:
 * derived from DIAL_FIELDS, which the adapters write request bodies from, one rule a dial some target refuses.
 */
function acceptedDialRules(): ProviderRule[] {
  return DIAL_NAMES.flatMap((dial) => {
    const { refusing } = targetsOfDial(dial);
    if (refusing.length === 0) return [];
    return [{
      id: `backend.${dial}`,
      field: dial,
      rule: `${dial} is not taken by ${refusing.map((t) => t.label).join(', ')}`,
      doc: refusing.map((t) => t.doc).join(' '),
      check: (lane: Lane) => {
        const target = DIAL_FIELDS[dialTargetOf(lane)];
        if (!isSet(lane.dials[dial]) || target.fields[dial] !== null) return null;
        return `remove ${dial} from this ${lane.model} lane${target.hint === undefined ? '' : ` (${target.hint})`}`;
      },
    }];
  });
}

/** Every rule, in the order they are reported. */
export const PROVIDER_RULES: readonly ProviderRule[] = [
  ...acceptedDialRules(),
  {
    id: 'openai.reasoning.effort',
    field: 'reasoning_effort',
    rule: "reasoning_effort 'minimal' exists only for gpt-5 models; o-series take low|medium|high",
    doc: OPENAI_REASONING_DOC,
    check: (lane) => (openaiReasoning(lane) && lane.dials.reasoning_effort === 'minimal' && !lane.model.startsWith('gpt-5') ? `use low, medium or high for ${lane.model}` : null),
  },
  {
    id: 'anthropic.temperature-range',
    field: 'temperature',
    rule: 'Anthropic temperature must be within 0..1',
    doc: ANTHROPIC_MESSAGES_DOC,
    check: (lane) => (lane.provider === 'anthropic' && outside(lane.dials.temperature, 0, 1) ? `temperature ${lane.dials.temperature} is outside 0..1` : null),
  },
  {
    id: 'anthropic.max-tokens-required',
    field: 'max_output_tokens',
    rule: 'Anthropic requires max_tokens on every request',
    doc: ANTHROPIC_MESSAGES_DOC,
    check: (lane) => (lane.provider === 'anthropic' && !isSet(lane.dials.max_output_tokens) ? 'set max_output_tokens (for example 4096)' : null),
  },
  {
    id: 'anthropic.thinking.temperature',
    field: 'temperature',
    rule: 'with Anthropic extended thinking, temperature may only be left unset or set to 1',
    doc: ANTHROPIC_THINKING_DOC,
    check: (lane) =>
      lane.provider === 'anthropic' && lane.dials.thinking === true && lane.dials.temperature !== undefined && lane.dials.temperature !== 1
        ? `temperature ${lane.dials.temperature} is not allowed with thinking; remove it (or use 1)`
        : null,
  },
  {
    id: 'anthropic.thinking.no-top-k',
    field: 'top_k',
    rule: 'Anthropic extended thinking is incompatible with top_k',
    doc: ANTHROPIC_THINKING_DOC,
    check: (lane) => (lane.provider === 'anthropic' && lane.dials.thinking === true && isSet(lane.dials.top_k) ? 'remove top_k from this extended-thinking lane' : null),
  },
  {
    id: 'anthropic.thinking.top-p',
    field: 'top_p',
    rule: 'with Anthropic extended thinking, top_p may only be set between 0.95 and 1',
    doc: ANTHROPIC_THINKING_DOC,
    check: (lane) => (lane.provider === 'anthropic' && lane.dials.thinking === true && outside(lane.dials.top_p, 0.95, 1) ? `top_p ${lane.dials.top_p} is outside 0.95..1` : null),
  },
  {
    id: 'anthropic.thinking.budget',
    field: 'thinking_budget_tokens',
    rule: 'Anthropic extended thinking needs thinking_budget_tokens ≥ 1024 and below max_output_tokens',
    doc: ANTHROPIC_THINKING_DOC,
    check: (lane) => {
      if (lane.dials.thinking !== true || lane.provider !== 'anthropic') return null;
      const budget = lane.dials.thinking_budget_tokens;
      if (budget === undefined) return 'set thinking_budget_tokens (≥ 1024)';
      if (budget < 1024) return `thinking_budget_tokens ${budget} is below 1024`;
      const max = lane.dials.max_output_tokens;
      if (max !== undefined && budget >= max) return `thinking_budget_tokens ${budget} must be below max_output_tokens ${max}`;
      return null;
    },
  },
  {
    id: 'thinking.needs-flag',
    field: 'thinking_budget_tokens',
    rule: 'thinking_budget_tokens only applies when thinking is on',
    doc: ANTHROPIC_THINKING_DOC,
    check: (lane) => (isSet(lane.dials.thinking_budget_tokens) && lane.dials.thinking !== true ? 'set thinking: true or remove thinking_budget_tokens' : null),
  },
  {
    id: 'moonshot.temperature-range',
    field: 'temperature',
    rule: 'Moonshot (Kimi) temperature must be within 0..1',
    doc: 'https://platform.moonshot.ai/docs/api/chat',
    check: (lane) => (lane.backend === 'moonshot' && outside(lane.dials.temperature, 0, 1) ? `temperature ${lane.dials.temperature} is outside 0..1` : null),
  },
  {
    id: 'range.temperature',
    field: 'temperature',
    rule: 'temperature must be within 0..2',
    doc: 'https://platform.openai.com/docs/api-reference/chat/create',
    check: (lane) => (outside(lane.dials.temperature, 0, 2) ? `temperature ${lane.dials.temperature} is outside 0..2` : null),
  },
  {
    id: 'range.top-p',
    field: 'top_p',
    rule: 'top_p must be above 0 and at most 1',
    doc: 'https://platform.openai.com/docs/api-reference/chat/create',
    check: (lane) => (lane.dials.top_p !== undefined && (lane.dials.top_p <= 0 || lane.dials.top_p > 1) ? `top_p ${lane.dials.top_p} is outside (0, 1]` : null),
  },
  ...(['frequency_penalty', 'presence_penalty'] as const).map((dial): ProviderRule => ({
    id: `range.${dial.replaceAll('_', '-')}`,
    field: dial,
    rule: `${dial} must be within -2..2`,
    doc: 'https://platform.openai.com/docs/api-reference/chat/create',
    check: (lane) => (outside(lane.dials[dial], -2, 2) ? `${dial} ${lane.dials[dial]} is outside -2..2` : null),
  })),
  {
    id: 'range.repetition-penalty',
    field: 'repetition_penalty',
    rule: 'repetition_penalty must be above 0 and at most 2 (1 = off)',
    doc: 'https://docs.vllm.ai/en/latest/api/vllm/sampling_params.html',
    check: (lane) => (lane.dials.repetition_penalty !== undefined && (lane.dials.repetition_penalty <= 0 || lane.dials.repetition_penalty > 2) ? `repetition_penalty ${lane.dials.repetition_penalty} is outside (0, 2]` : null),
  },
  {
    id: 'range.min-p',
    field: 'min_p',
    rule: 'min_p must be within 0..1',
    doc: 'https://docs.vllm.ai/en/latest/api/vllm/sampling_params.html',
    check: (lane) => (outside(lane.dials.min_p, 0, 1) ? `min_p ${lane.dials.min_p} is outside 0..1` : null),
  },
  {
    id: 'range.top-k',
    field: 'top_k',
    rule: 'top_k must be a whole number ≥ 1',
    doc: 'https://docs.vllm.ai/en/latest/api/vllm/sampling_params.html',
    check: (lane) => (lane.dials.top_k !== undefined && (!Number.isInteger(lane.dials.top_k) || lane.dials.top_k < 1) ? `top_k ${lane.dials.top_k} is not a whole number ≥ 1` : null),
  },
  {
    id: 'range.max-output-tokens',
    field: 'max_output_tokens',
    rule: 'max_output_tokens must be a whole number ≥ 1',
    doc: 'https://platform.openai.com/docs/api-reference/chat/create',
    check: (lane) => (lane.dials.max_output_tokens !== undefined && (!Number.isInteger(lane.dials.max_output_tokens) || lane.dials.max_output_tokens < 1) ? `max_output_tokens ${lane.dials.max_output_tokens} is not a whole number ≥ 1` : null),
  },
  {
    id: 'openai-compatible.base-url',
    field: 'base_url',
    rule: 'openai-compatible lanes need base_url unless the backend is deepseek, moonshot, openrouter or together',
    doc: 'https://platform.openai.com/docs/api-reference/introduction',
    check: (lane) =>
      lane.provider === 'openai-compatible' && lane.base_url === undefined && (lane.backend === undefined || lane.backend === 'vllm' || lane.backend === 'generic')
        ? 'set base_url (for example http://127.0.0.1:8000/v1 for vLLM)'
        : null,
  },
];

/** Checks a lane against every provider rule; returns all violations (empty when the lane may run). */
export function checkLane(lane: Lane): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const rule of PROVIDER_RULES) {
    const problem = rule.check(lane);
    if (problem !== null) violations.push({ lane: lane.slug, field: rule.field, rule: rule.id, message: `${rule.rule}: ${problem}` });
  }
  return violations;
}
