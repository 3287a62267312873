import type { Location } from '../../lib/errors.ts';
import { Fields } from '../../lib/fields.ts';
import { findNearMiss } from '../../lib/nearMiss.ts';
import { foldOptionKey, indexOptionKeys } from './optionKeys.ts';
import type { EvidencePassage, McqItem, McqOption, PromptItem, Rubric, RubricCriterion, SuiteItem } from './types.ts';

const MCQ_KEYS = ['kind', 'id', 'cluster', 'question', 'options', 'answer', 'evidence', 'passages', 'tags'] as const;
const PROMPT_KEYS = ['kind', 'id', 'cluster', 'system', 'context', 'prompt', 'rubrics', 'tags'] as const;
const OPTION_KEYS = ['key', 'text', 'pro'] as const;
const PASSAGE_KEYS = ['id', 'text'] as const;
const PASSAGE_RECORD_KEYS = ['kind', 'id', 'text'] as const;
const RUBRIC_KEYS = ['author', 'status', 'created_at', 'criteria'] as const;
const CRITERION_KEYS = ['id', 'description', 'max'] as const;
const RUBRIC_STATUSES = ['accepted', 'draft', 'rejected'] as const;

/** Option keys are short letters or digits; `IDK` is reserved for abstaining. */
const OPTION_KEY = /^[A-Za-z0-9]{1,4}$/;
const ITEM_ID = /^[^\s|]+$/;
const CRITERION_ID = /^[A-Za-z0-9_-]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Where an item keeps fields the suite format does not know, verbatim. */
const META = 'meta';

function rejectUnknown(fields: Fields, known: readonly string[], what: string): void {
  const unknown = fields.unknownKeys(known);
  if (unknown.length > 0) fields.fail(unknown[0], `is not a field of ${what}`, `${what} fields are: ${known.join(', ')}`);
}

/**
 * An item's `meta`: its explicit `meta` object merged with every top-level
 * field the format does not know, kept verbatim. A field that is probably a
 * typo of a known field the item lacks ("anwser" without "answer") is an
 * error instead, since keeping it would silently change what is scored.
 */
function parseMeta(fields: Fields, known: readonly string[], what: string): Record<string, unknown> | undefined {
  const meta: Record<string, unknown> = { ...fields.object(META, { optional: true })?.value };
  const absent = known.filter((key) => fields.value[key] === undefined);
  for (const key of fields.unknownKeys([...known, META])) {
    const near = findNearMiss(key, absent);
    if (near !== undefined) fields.fail(key, `is not a field of ${what}; did you mean "${near}"?`, `rename it to "${near}", or move it under "${META}" to keep it as data`);
    if (key in meta) fields.fail(key, `is also a key of "${META}"`, 'keep one of the two');
    meta[key] = fields.value[key];
  }
  return Object.keys(meta).length === 0 ? undefined : meta;
}

/** A required string that is not blank. */
function text(fields: Fields, key: string): string {
  const value = fields.string(key);
  if (value.trim() === '') fields.fail(key, 'is empty');
  return value;
}

function optionalText(fields: Fields, key: string): string | undefined {
  const value = fields.string(key, { optional: true });
  if (value !== undefined && value.trim() === '') fields.fail(key, 'is empty', `remove "${key}" or give it text`);
  return value;
}

function parseCluster(fields: Fields): string | null {
  return optionalText(fields, 'cluster') ?? null;
}

function parseTags(fields: Fields): string[] {
  const list = fields.array('tags', { optional: true }) ?? [];
  return list.map((tag, i) => {
    if (typeof tag !== 'string' || tag.trim() === '') fields.fail(`tags[${i}]`, 'expected a non-empty string');
    return tag;
  });
}

function parseId(fields: Fields): string {
  const id = text(fields, 'id');
  if (!ITEM_ID.test(id)) fields.fail('id', `${JSON.stringify(id)} may not contain spaces or '|'`);
  return id;
}

function parseOptions(fields: Fields): McqOption[] {
  const list = fields.objects('options');
  if (list.length < 2) fields.fail('options', `needs at least 2 options; got ${list.length}`);
  const seen = new Set<string>();
  return list.map((option, i) => {
    rejectUnknown(option, OPTION_KEYS, 'an option');
    const key = text(option, 'key');
    if (!OPTION_KEY.test(key) || key.toUpperCase() === 'IDK') option.fail('key', `${JSON.stringify(key)} must be 1–4 letters or digits (and not IDK)`);
    if (seen.has(foldOptionKey(key))) fields.fail(`options[${i}].key`, `key ${key} appears twice`);
    seen.add(foldOptionKey(key));
    const parsed: McqOption = { key, text: text(option, 'text') };
    const pro = optionalText(option, 'pro');
    if (pro !== undefined) parsed.pro = pro;
    return parsed;
  });
}

/** An item's inline evidence passages (their ids unique within the item). */
function parsePassages(fields: Fields): EvidencePassage[] {
  const list = fields.objects('evidence', { optional: true });
  const seen = new Set<string>();
  return list.map((passage, i) => {
    rejectUnknown(passage, PASSAGE_KEYS, 'a passage');
    const id = text(passage, 'id');
    if (seen.has(id)) fields.fail(`evidence[${i}].id`, `passage id ${id} appears twice`);
    seen.add(id);
    return { id, text: text(passage, 'text') };
  });
}

/** The ids in an item's `passages`: passages defined elsewhere in the suite, none of them also given inline. */
function parsePassageRefs(fields: Fields, inline: readonly EvidencePassage[]): string[] {
  const list = fields.array('passages', { optional: true }) ?? [];
  const seen = new Set(inline.map((p) => p.id));
  return list.map((ref, i) => {
    if (typeof ref !== 'string' || ref.trim() === '') fields.fail(`passages[${i}]`, 'expected a passage id (a non-empty string)');
    if (seen.has(ref)) fields.fail(`passages[${i}]`, `passage id ${ref} appears twice (in passages or evidence)`);
    seen.add(ref);
    return ref;
  });
}

/** The gold answer as the option key it names (see foldOptionKey), so JSONL and CSV suites follow one rule. */
function parseAnswerKey(fields: Fields, options: readonly McqOption[]): string {
  const answer = text(fields, 'answer');
  const key = indexOptionKeys(options.map((o) => o.key)).get(foldOptionKey(answer));
  if (key === undefined) fields.fail('answer', `${JSON.stringify(answer)} is not one of the option keys ${options.map((o) => o.key).join(', ')}`, 'option keys match ignoring case and surrounding spaces');
  return key;
}

function parseMcq(fields: Fields): SuiteRecord {
  const meta = parseMeta(fields, MCQ_KEYS, 'an mcq item');
  const id = parseId(fields);
  const cluster = parseCluster(fields);
  const question = text(fields, 'question');
  const options = parseOptions(fields);
  const evidence = parsePassages(fields);
  const passageRefs = parsePassageRefs(fields, evidence);
  const item: McqItem = { kind: 'mcq', id, cluster, question, options, answer: parseAnswerKey(fields, options), evidence, tags: parseTags(fields) };
  if (meta !== undefined) item.meta = meta;
  return { kind: 'item', item, passageRefs };
}

function parsePassageRecord(fields: Fields): SuiteRecord {
  rejectUnknown(fields, PASSAGE_RECORD_KEYS, 'a passage record');
  return { kind: 'passage', passage: { id: text(fields, 'id'), text: text(fields, 'text') } };
}

function parseCriterion(fields: Fields): RubricCriterion {
  rejectUnknown(fields, CRITERION_KEYS, 'a rubric criterion');
  const id = text(fields, 'id');
  if (!CRITERION_ID.test(id)) fields.fail('id', `${JSON.stringify(id)} may hold only letters, digits, '_' and '-'`);
  return { id, description: text(fields, 'description'), max: fields.integer('max', { min: 1, max: 100 }) };
}

function parseRubric(fields: Fields): Rubric {
  rejectUnknown(fields, RUBRIC_KEYS, 'a rubric');
  const createdAt = text(fields, 'created_at');
  if (!ISO_DATE.test(createdAt) || Number.isNaN(Date.parse(createdAt))) fields.fail('created_at', `${JSON.stringify(createdAt)} is not an ISO 8601 date`, 'e.g. 2026-05-14T10:00:00Z');
  const criteria = fields.objects('criteria').map(parseCriterion);
  if (criteria.length === 0) fields.fail('criteria', 'needs at least one criterion');
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (seen.has(c.id)) fields.fail(`criteria[${i}].id`, `criterion ${c.id} appears twice`);
    seen.add(c.id);
  });
  return { author: text(fields, 'author'), status: fields.oneOf('status', RUBRIC_STATUSES), created_at: createdAt, criteria };
}

function parsePrompt(fields: Fields): PromptItem {
  const meta = parseMeta(fields, PROMPT_KEYS, 'a prompt item');
  const item: PromptItem = {
    kind: 'prompt', id: parseId(fields), cluster: parseCluster(fields), context: text(fields, 'context'), prompt: text(fields, 'prompt'),
    rubrics: fields.objects('rubrics', { optional: true }).map(parseRubric),
  };
  const system = optionalText(fields, 'system');
  if (system !== undefined) item.system = system;
  parseTags(fields);
  if (meta !== undefined) item.meta = meta;
  return item;
}

/**
 * One validated line of a suite: an item, or a passage of the suite's passage
 * table. An MCQ item holds its inline evidence; `passageRefs` are the ids of
 * the passages it refers to, which the loader resolves against the table.
 */
export type SuiteRecord = { kind: 'item'; item: SuiteItem; passageRefs: string[] } | { kind: 'passage'; passage: EvidencePassage };

/**
 * Validates one suite record from parsed JSON. An item's `kind` may be
 * omitted when the shape says it (options → mcq, prompt → prompt); a passage
 * says `"kind": "passage"`. Errors name file, line and field.
 */
export function parseSuiteRecord(value: unknown, where: Location): SuiteRecord {
  const fields = new Fields(value, where);
  const kind = fields.oneOf('kind', ['mcq', 'prompt', 'passage'], { optional: true }) ?? (fields.has('options') ? 'mcq' : fields.has('prompt') ? 'prompt' : undefined);
  if (kind === undefined) {
    for (const key of fields.unknownKeys(['options', 'prompt'])) {
      const near = findNearMiss(key, ['options', 'prompt']);
      if (near !== undefined) fields.fail(key, `is not a suite field; did you mean "${near}"?`, `rename it to "${near}"`);
    }
    fields.fail('kind', 'is missing and the item has neither "options" nor "prompt"', 'add "kind": "mcq", "prompt" or "passage"');
  }
  if (kind === 'passage') return parsePassageRecord(fields);
  return kind === 'mcq' ? parseMcq(fields) : { kind: 'item', item: parsePrompt(fields), passageRefs: [] };
}
