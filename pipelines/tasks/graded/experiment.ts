import { dirname, resolve } from 'node:path';
import { InputError } from '../../../lib/errors.ts';
import { readYamlFile } from '../../../lib/yamlFile.ts';
import { Fields } from '../../../lib/fields.ts';
import type { PromptItem, Suite } from '../../suites/types.ts';
import { checkEligibility, type Eligibility } from './eligibility.ts';

/** A grader lane and whether it reasons before scoring. */
export interface GraderSpec {
  lane: string;
  reasoning: boolean;
}

/** A generate-then-grade experiment, as read from its YAML/JSON file (paths resolved against the file). */
export interface Experiment {
  file: string;
  name: string;
  suite: string;
  stage: string;
  /** A lane roster to resolve slugs from; the registry when absent. */
  lanes?: string;
  generators: string[];
  graders: GraderSpec[];
  /** Case ids, or 'all' eligible cases of the suite. */
  cases: 'all' | string[];
  note_replications: number;
  grade_replications: number;
  /** The runs' seed; RUN_DEFAULTS.seed when the file gives none. */
  seed?: number;
  max_attempts?: number;
  notes?: string;
}

const KEYS = ['name', 'suite', 'stage', 'lanes', 'generators', 'graders', 'cases', 'note_replications', 'grade_replications', 'seed', 'max_attempts', 'notes'] as const;
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

function slugList(fields: Fields, key: string): string[] {
  const list = fields.array(key);
  if (list.length === 0) fields.fail(key, 'needs at least one lane');
  return list.map((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') fields.fail(`${key}[${i}]`, 'expected a lane slug');
    return v;
  });
}

function parseGraders(fields: Fields): GraderSpec[] {
  const list = fields.array('graders');
  if (list.length === 0) fields.fail('graders', 'needs at least one grader lane');
  const graders = list.map((entry, i): GraderSpec => {
    if (typeof entry === 'string') return { lane: entry, reasoning: false };
    const grader = new Fields(entry, fields.at(`graders[${i}]`));
    const unknown = grader.unknownKeys(['lane', 'reasoning']);
    if (unknown.length > 0) grader.fail(unknown[0], 'is not a grader field', 'graders are {lane, reasoning}');
    return { lane: grader.string('lane'), reasoning: grader.boolean('reasoning', { optional: true }) ?? false };
  });
  const seen = new Set<string>();
  graders.forEach((g, i) => {
    const key = `${g.lane}|${g.reasoning}`;
    if (seen.has(key)) fields.fail(`graders[${i}]`, `grader ${g.lane}${g.reasoning ? ' with reasoning' : ''} is listed twice`);
    seen.add(key);
  });
  return graders;
}

function parseExperiment(value: unknown, file: string): Experiment {
  const fields = new Fields(value, { file });
  const unknown = fields.unknownKeys(KEYS);
  if (unknown.length > 0) fields.fail(unknown[0], 'is not an experiment field', `fields: ${KEYS.join(', ')}`);
  const name = fields.string('name');
  if (!NAME.test(name)) fields.fail('name', `${JSON.stringify(name)} may hold only letters, digits, '-' and '_' (it names the run logs)`);
  const base = dirname(file);
  const rawCases = fields.value['cases'];
  let cases: Experiment['cases'] = 'all';
  if (rawCases !== undefined && rawCases !== 'all') {
    if (!Array.isArray(rawCases) || rawCases.length === 0 || rawCases.some((c) => typeof c !== 'string')) fields.fail('cases', 'expected "all" or a list of case ids');
    cases = rawCases as string[];
  }
  const experiment: Experiment = {
    file, name, suite: resolve(base, fields.string('suite')), stage: fields.string('stage', { optional: true }) ?? 'exp',
    generators: slugList(fields, 'generators'), graders: parseGraders(fields), cases,
    note_replications: fields.integer('note_replications', { min: 1, max: 1000 }), grade_replications: fields.integer('grade_replications', { min: 1, max: 1000 }),
  };
  const seed = fields.integer('seed', { optional: true });
  if (seed !== undefined) experiment.seed = seed;
  const lanes = fields.string('lanes', { optional: true });
  if (lanes !== undefined) experiment.lanes = resolve(base, lanes);
  const attempts = fields.integer('max_attempts', { optional: true, min: 1, max: 20 });
  if (attempts !== undefined) experiment.max_attempts = attempts;
  const notes = fields.string('notes', { optional: true });
  if (notes !== undefined) experiment.notes = notes;
  return experiment;
}

/** Reads an experiment file (YAML or JSON); errors name file, line and field. */
export async function readExperimentFile(path: string): Promise<Experiment> {
  const file = await readYamlFile(path, 'experiment file');
  try {
    return parseExperiment(file.value, path);
  } catch (error) {
    throw error instanceof InputError ? file.locate(error) : error;
  }
}

/** What an experiment will run: the eligible cases and the step counts of each phase. */
export interface ExperimentPlan {
  cases: Eligibility[];
  /** Listed or suite cases that cannot run, with the reason. */
  skipped: { id: string; reason: string }[];
  /** Notes per generator lane: cases × note_replications. */
  notesPerGenerator: number;
  /** Grades per grader lane: Σ rubrics(case) × note_replications × generators × grade_replications. */
  gradesPerGrader: number;
  notes: number;
  grades: number;
}

/** Plans an experiment over a suite: eligible cases (≥ 2 accepted rubrics by different authors) and the counts. */
export function planExperiment(experiment: Experiment, suite: Suite): ExperimentPlan {
  const prompts = suite.items.filter((i): i is PromptItem => i.kind === 'prompt');
  const byId = new Map(prompts.map((i) => [i.id, i]));
  const skipped: ExperimentPlan['skipped'] = [];
  let chosen: PromptItem[] = prompts;
  if (experiment.cases !== 'all') {
    chosen = [];
    for (const id of experiment.cases) {
      const item = byId.get(id);
      if (item === undefined) throw new InputError({ file: experiment.file, field: 'cases' }, `case ${id} is not a prompt item of ${suite.path}`);
      chosen.push(item);
    }
  }
  const cases: Eligibility[] = [];
  for (const item of chosen) {
    const e = checkEligibility(item);
    if (e.eligible) cases.push(e);
    else skipped.push({ id: item.id, reason: e.reason ?? 'not eligible' });
  }
  const notesPerGenerator = cases.length * experiment.note_replications;
  const rubrics = cases.reduce((sum, c) => sum + c.rubrics.length, 0);
  const gradesPerGrader = rubrics * experiment.note_replications * experiment.generators.length * experiment.grade_replications;
  return { cases, skipped, notesPerGenerator, gradesPerGrader, notes: notesPerGenerator * experiment.generators.length, grades: gradesPerGrader * experiment.graders.length };
}
