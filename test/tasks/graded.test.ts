import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Lane } from '../../core/lane.ts';
import type { Simulator } from '../../core/simulator.ts';
import { InputError } from '../../lib/errors.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { createAdapter } from '../../pipelines/providers/sim.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { PromptItem, Rubric, Suite } from '../../pipelines/suites/types.ts';
import { authorKey, checkEligibility, latestAcceptedRubrics } from '../../pipelines/tasks/graded/eligibility.ts';
import { planExperiment, readExperimentFile, type Experiment } from '../../pipelines/tasks/graded/experiment.ts';
import { gradeItemId } from '../../pipelines/tasks/graded/grade.ts';
import { runExperiment } from '../../pipelines/runner/experiment.ts';
import { gradeFraction, parseGrade } from '../../pipelines/tasks/graded/parseGrade.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROMPTS = join(ROOT, 'suites/demo-prompts.jsonl');

const rubric = (author: string, created_at: string, status: Rubric['status'] = 'accepted', ids = ['accuracy']): Rubric => ({ author, status, created_at, criteria: ids.map((id) => ({ id, description: id, max: 5 })) });
const promptCase = (id: string, rubrics: Rubric[]): PromptItem => ({ kind: 'prompt', id, cluster: null, context: 'Some material.', prompt: 'Write.', rubrics });

const eligibility = suite('checkEligibility');

eligibility('the bundled cases: 10 eligible, and the three edge cases are not, each with its reason', async () => {
  const items = (await loadSuite(PROMPTS)).items as PromptItem[];
  const results = items.map(checkEligibility);
  assert.is(results.filter((r) => r.eligible).length, 10);
  const reasons = Object.fromEntries(results.filter((r) => !r.eligible).map((r) => [r.item.id, r.reason]));
  assert.equal(Object.keys(reasons).sort(), ['announce-02', 'explain-03', 'summarise-03']);
  assert.match(reasons['announce-02'] ?? '', /from 1 author \(Hannah Weiss\)/);
  assert.match(reasons['explain-03'] ?? '', /draft by Tomás Herrera/);
  assert.match(reasons['summarise-03'] ?? '', /rejected by Lucía Fernández/);
});

eligibility('the latest accepted rubric per author is used, by created_at, not by position', async () => {
  const items = (await loadSuite(PROMPTS)).items as PromptItem[];
  const announce = checkEligibility(items.find((i) => i.id === 'announce-01') as PromptItem);
  const maya = announce.rubrics.find((r) => r.author === 'Maya Lindqvist') as Rubric;
  assert.is(maya.created_at.slice(0, 10), '2026-05-19');
  assert.equal(maya.criteria.map((c) => c.id), ['accuracy', 'upgrade_path', 'breaking_changes', 'clarity']);
});

eligibility('authors are one person across case and spacing; drafts and rejections never count', () => {
  const same = promptCase('c', [rubric('Ana Silva', '2026-01-01T00:00:00Z'), rubric(' ana  silva ', '2026-02-01T00:00:00Z')]);
  assert.is(checkEligibility(same).eligible, false);
  assert.is(latestAcceptedRubrics(same)[0].created_at, '2026-02-01T00:00:00Z');
  assert.is(authorKey('  Ana   SILVA'), 'ana silva');
  const withDraft = promptCase('d', [rubric('A', '2026-01-01T00:00:00Z'), rubric('B', '2026-01-02T00:00:00Z', 'draft'), rubric('C', '2026-01-03T00:00:00Z', 'rejected')]);
  assert.is(checkEligibility(withDraft).eligible, false);
  const two = promptCase('e', [rubric('A', '2026-01-01T00:00:00Z'), rubric('B', '2026-01-02T00:00:00Z', 'draft'), rubric('B', '2026-01-01T00:00:00Z')]);
  assert.equal(checkEligibility(two).rubrics.map((r) => r.author), ['A', 'B']);
});

const grades = suite('parseGrade');
const RUBRIC = rubric('A', '2026-01-01T00:00:00Z', 'accepted', ['accuracy', 'clarity']);

grades('reads scores per criterion from JSON, after reasoning prose, in a fence, or at top level', () => {
  const expected = { ok: true, scores: { accuracy: 4, clarity: 3 } };
  assert.equal(parseGrade('{"scores": {"accuracy": 4, "clarity": 3}}', RUBRIC), expected);
  assert.equal(parseGrade('Reasoning: accurate but wordy.\n\n{"scores": {"accuracy": 4, "clarity": "3"}}', RUBRIC), expected);
  assert.equal(parseGrade('```json\n{"accuracy": 4, "clarity": 3, "comment": "ok"}\n```', RUBRIC), expected);
});

grades('a missing criterion, a score out of range or no JSON is a failure with a message', () => {
  assert.equal(parseGrade('{"scores": {"accuracy": 4}}', RUBRIC), { ok: false, message: 'no score for criterion clarity' });
  assert.equal(parseGrade('{"scores": {"accuracy": 6, "clarity": 3}}', RUBRIC), { ok: false, message: 'the score 6 for accuracy is outside 0–5' });
  assert.equal(parseGrade('{"scores": {"accuracy": "good", "clarity": 3}}', RUBRIC), { ok: false, message: 'the score for accuracy is not a number: "good"' });
  assert.equal(parseGrade('Looks fine to me.', RUBRIC), { ok: false, message: 'no JSON object in the grade' });
});

grades('gradeFraction is the sum over the maxima', () => {
  assert.is(gradeFraction({ accuracy: 4, clarity: 3 }, RUBRIC), 0.7);
});

const experiment = suite('readExperimentFile');

function writeExperiment(dir: string, body: string): string {
  const path = join(dir, 'exp.yaml');
  writeFileSync(path, body);
  return path;
}

experiment('reads the bundled experiment, resolving paths against the file', async () => {
  const e = await readExperimentFile(join(ROOT, 'experiments/demo-graded.yaml'));
  assert.is(e.suite, PROMPTS);
  assert.is(e.lanes, join(ROOT, 'lanes/demo.yaml'));
  assert.equal(e.graders, [{ lane: 'strong.t0-7', reasoning: true }, { lane: 'medium.t0-7', reasoning: false }]);
  assert.equal([e.note_replications, e.grade_replications, e.cases], [3, 2, 'all']);
});

experiment('errors name the file, the line and the field', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const base = 'name: x\nsuite: s.jsonl\ngenerators: [a]\ngraders:\n  - { lane: b, reasoning: true }\n';
    const fail = async (body: string): Promise<InputError> => {
      const e = await readExperimentFile(writeExperiment(dir, body)).catch((error: unknown) => error);
      assert.instance(e, InputError);
      return e as InputError;
    };
    const reps = 'note_replications: 5\ngrade_replications: 2\n';
    assert.match((await fail(base + 'note_replications: 0\ngrade_replications: 2\n')).message, /exp\.yaml:6: field note_replications: must be ≥ 1/);
    assert.match((await fail(base.replace('reasoning: true', 'reasoning: yes please') + reps)).message, /exp\.yaml:5: field graders\[0\]\.reasoning: expected a boolean/);
    assert.match((await fail(base + reps + 'grade_replicatoins: 2\n')).message, /field grade_replicatoins: is not an experiment field/);
    assert.match((await fail(base.replace('name: x', 'name: my exp') + reps)).message, /exp\.yaml:1: field name/);
    assert.match((await fail('name: [\n')).message, /exp\.yaml:\d+: not valid YAML/);
  } finally {
    cleanup();
  }
});

const plan = suite('planExperiment');

plan('198 cases × 5 notes = 990 notes; × 2 rubrics × 2 grades = 3,960 grades', () => {
  const items = Array.from({ length: 200 }, (_, i) => promptCase(`c${i}`, i < 198 ? [rubric('A', '2026-01-01T00:00:00Z'), rubric('B', '2026-01-01T00:00:00Z')] : [rubric('A', '2026-01-01T00:00:00Z')]));
  const suiteOf: Suite = { name: 's', path: 's.jsonl', sha256: 'x', items };
  const e: Experiment = { file: 'e.yaml', name: 'e', suite: 's.jsonl', stage: 'exp', generators: ['g'], graders: [{ lane: 'r', reasoning: true }], cases: 'all', note_replications: 5, grade_replications: 2, seed: 1 };
  const p = planExperiment(e, suiteOf);
  assert.equal([p.cases.length, p.skipped.length, p.notes, p.grades], [198, 2, 990, 3960]);
  const two = planExperiment({ ...e, generators: ['g1', 'g2'], graders: [{ lane: 'r', reasoning: true }, { lane: 'r', reasoning: false }] }, suiteOf);
  assert.equal([two.notesPerGenerator, two.gradesPerGrader, two.grades], [990, 7920, 15840]);
  assert.throws(() => planExperiment({ ...e, cases: ['nope'] }, suiteOf), /case nope is not a prompt item/);
});

const orchestrate = suite('runExperiment');

orchestrate('generates, reads the notes back, grades every (case × generator × note × author), and resumes', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const e = await readExperimentFile(join(ROOT, 'experiments/demo-graded.yaml'));
    const s = await loadSuite(e.suite);
    const roster = await readLaneFile(e.lanes as string);
    const options = { experiment: e, suite: s, resolveLane: async (slug: string) => roster.find((l) => l.slug === slug)!, adapterFor: async (_lane: Lane, simulator: Simulator | undefined) => createAdapter({}, { simulator }), runsDir: dir, output: createMemoryOutput(), env: {}, workers: 4 };
    const result = await runExperiment(options);
    assert.equal(result.runs.map((r) => [r.phase, r.lane, r.result.status]), [['generate', 'strong.t0-7', 'completed'], ['generate', 'weak.t0-7', 'completed'], ['grade', 'strong.t0-7', 'completed'], ['grade', 'medium.t0-7', 'completed']]);
    assert.is(result.plan.notes, 60);
    assert.is(result.gradeJobs, 21 * 3 * 2);
    const grade = await readRunLog(result.runs[2].result.path);
    assert.is(grade.steps.length, 21 * 3 * 2 * 2);
    const step = grade.steps.find((x) => x.status === 'ok')!;
    assert.is(step.lane, 'strong.t0-7');
    assert.equal(Object.keys(step.task ?? {}).sort(), ['case_id', 'generator_lane', 'grade_attempts', 'grader_reasoning', 'note_replicate', 'rubric_author', 'rubric_created_at']);
    assert.is(step.item_id, gradeItemId(String(step.task?.['case_id']), String(step.task?.['generator_lane']), Number(step.task?.['note_replicate']), String(step.task?.['rubric_author'])));
    assert.is(step.cluster, step.task?.['case_id']);
    assert.ok(Object.keys(step.evaluation?.scores ?? {}).length >= 3);
    assert.ok(grade.steps.some((x) => (x.task?.['grade_attempts'] as number) > 1), 'a malformed grade was retried');
    const mean = (lane: string): number => {
      const scores = grade.steps.filter((x) => x.status === 'ok' && x.task?.['generator_lane'] === lane).map((x) => x.evaluation?.score ?? 0);
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    assert.ok(mean('strong.t0-7') > mean('weak.t0-7') + 0.2, `strong notes grade higher: ${mean('strong.t0-7')} vs ${mean('weak.t0-7')}`);
    const before = readFileSync(result.runs[2].result.path, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length;
    const again = await runExperiment(options);
    assert.equal(again.runs.map((r) => r.result.counts.ok + r.result.counts.error), result.runs.map((r) => r.result.counts.ok + r.result.counts.error));
    const after = readFileSync(result.runs[2].result.path, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length;
    assert.is(after, before, 'a second run resumes: no step is repeated');
  } finally {
    cleanup();
  }
});

eligibility.run();
grades.run();
experiment.run();
plan.run();
orchestrate.run();
