import { InputError, type Location } from '../../lib/errors.ts';
import { Fields } from '../../lib/fields.ts';
import { BACKENDS, DIAL_NAMES, PROVIDERS, REASONING_EFFORTS, type Dials, type Lane } from '../../core/lane.ts';
import { checkLane } from './rules.ts';
import { buildSlug } from './slug.ts';

const LANE_KEYS = ['slug', 'alias', 'provider', 'model', 'backend', 'base_url', 'api_key_env', 'dials', 'active', 'visible', 'notes', 'created_at', 'updated_at'] as const;

function parseDials(fields: Fields): Dials {
  const unknown = fields.unknownKeys(DIAL_NAMES);
  if (unknown.length > 0) fields.fail(unknown[0], `is not a dial`, `dials are: ${DIAL_NAMES.join(', ')}`);
  const dials: Dials = {};
  for (const key of ['temperature', 'top_p', 'min_p', 'frequency_penalty', 'presence_penalty', 'repetition_penalty'] as const) {
    const v = fields.number(key, { optional: true });
    if (v !== undefined) dials[key] = v;
  }
  for (const key of ['top_k', 'thinking_budget_tokens', 'max_output_tokens', 'seed'] as const) {
    const v = fields.integer(key, { optional: true });
    if (v !== undefined) dials[key] = v;
  }
  const effort = fields.oneOf('reasoning_effort', REASONING_EFFORTS, { optional: true });
  if (effort !== undefined) dials.reasoning_effort = effort;
  const thinking = fields.boolean('thinking', { optional: true });
  if (thinking !== undefined) dials.thinking = thinking;
  return dials;
}

/** Validates a lane from JSON/YAML (or CLI flags), builds its slug and enforces every provider rule. */
export function parseLane(value: unknown, where: Location): Lane {
  const fields = new Fields(value, where);
  const unknown = fields.unknownKeys(LANE_KEYS);
  if (unknown.length > 0) {
    const hint = DIAL_NAMES.includes(unknown[0] as (typeof DIAL_NAMES)[number]) ? `put ${unknown[0]} under "dials"` : `lane fields are: ${LANE_KEYS.join(', ')}`;
    fields.fail(unknown[0], 'is not a lane field', hint);
  }
  const alias = fields.string('alias');
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(alias)) fields.fail('alias', `${JSON.stringify(alias)} may hold only letters, digits, '-' and '_'`);
  const dials = parseDials(fields.object('dials', { optional: true }) ?? new Fields({}, fields.at('dials')));
  const slug = buildSlug(alias, dials);
  const given = fields.string('slug', { optional: true });
  if (given !== undefined && given !== slug) {
    fields.fail('slug', `${JSON.stringify(given)} does not match the dials, which give ${JSON.stringify(slug)}`, `remove "slug" (it is built from alias and dials) or fix the dials`);
  }
  const lane: Lane = {
    slug,
    alias,
    provider: fields.oneOf('provider', PROVIDERS),
    model: fields.string('model'),
    dials,
    active: fields.boolean('active', { optional: true }) ?? true,
    visible: fields.boolean('visible', { optional: true }) ?? true,
  };
  const backend = fields.oneOf('backend', BACKENDS, { optional: true });
  if (backend !== undefined) lane.backend = backend;
  for (const key of ['base_url', 'api_key_env', 'notes', 'created_at', 'updated_at'] as const) {
    const v = fields.string(key, { optional: true });
    if (v !== undefined) lane[key] = v;
  }
  if (lane.provider === 'openai-compatible' && lane.backend === undefined) lane.backend = 'generic';
  if (lane.api_key_env !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(lane.api_key_env)) {
    fields.fail('api_key_env', 'must be the NAME of an environment variable (e.g. DEEPSEEK_API_KEY), never the key itself');
  }
  assertLaneFollowsRules(lane, where);
  return lane;
}

/** Throws an InputError naming the lane, the field and the rule of the first violation (and counting the rest). */
export function assertLaneFollowsRules(lane: Lane, where: Location): void {
  const violations = checkLane(lane);
  if (violations.length === 0) return;
  const first = violations[0];
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more: ${violations.slice(1).map((v) => `${v.field} [${v.rule}]`).join(', ')})` : '';
  const local = (DIAL_NAMES as readonly string[]).includes(first.field) ? `dials.${first.field}` : first.field;
  const field = where.field === undefined || where.field === '' ? local : `${where.field}.${local}`;
  throw new InputError({ ...where, field }, `lane ${lane.slug}: ${first.field} breaks rule ${first.rule}: ${first.message}${more}`);
}
