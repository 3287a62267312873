import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../lib/errors.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { TASK_KINDS, TASK_SETTING_SPECS, parseTaskSettings } from '../../pipelines/tasks/settings.ts';
import { compileTemplate, templateSection } from '../../pipelines/tasks/template.ts';

const settings = suite('parseTaskSettings');

settings('fills the documented defaults for each kind', () => {
  assert.equal(parseTaskSettings('mcq', {}, {}), { kind: 'mcq', cards_budget: 6, max_learn_boosts: 2, idk: false, strict_evidence: false, sc: 1, sc_extract: 1, best_of: 1, tau: 0.5 });
  assert.equal(parseTaskSettings('generate', {}, {}), { kind: 'generate', max_attempts: 3 });
  assert.equal(parseTaskSettings('grade', {}, {}), { kind: 'grade', max_attempts: 3, grader_reasoning: false });
  const session = parseTaskSettings('session', {}, {});
  assert.equal([session['context_limit' as keyof typeof session], session['trim_strategy' as keyof typeof session]], [16000, 'sliding-window']);
});

settings('takes flags or keys, typed or as strings, and accepts its own output', () => {
  const parsed = parseTaskSettings('mcq', { 'cards-budget': '4', sc: 5, 'sc-extract': '2', tau: '0.25', idk: 'true' }, {});
  assert.equal(parsed, { kind: 'mcq', cards_budget: 4, max_learn_boosts: 2, idk: true, strict_evidence: false, sc: 5, sc_extract: 2, best_of: 1, tau: 0.25 });
  assert.equal(parseTaskSettings('mcq', parsed, {}), parsed);
});

settings('errors name the field and say what is wrong', () => {
  const fail = (kind: string, raw: Record<string, unknown>): InputError => {
    try {
      parseTaskSettings(kind, raw, { file: 'run.yaml', field: 'task' });
    } catch (error) {
      assert.instance(error, InputError);
      return error as InputError;
    }
    throw new Error('expected a failure');
  };
  assert.match(fail('mcq', { sc: 'many' }).message, /run\.yaml: field task\.sc: expected a whole number; got "many"/);
  assert.match(fail('mcq', { 'cards-budget': 2.5 }).message, /field task\.cards-budget: expected a whole number/);
  assert.match(fail('mcq', { tau: 1.5 }).message, /task\.tau: must be ≤ 1/);
  assert.match(fail('mcq', { tua: 0.5 }).message, /task\.tua: is not a task setting/);
  assert.match(fail('generate', { sc: 3 }).message, /--sc does not apply to generate tasks/);
  assert.match(fail('mcq', { sc: 3, best_of: 3 }).message, /--best-of 3 cannot be combined with --sc 3/);
  assert.match(fail('mcq', { sc: 2, sc_extract: 3 }).message, /--sc-extract 3 is more than --sc 2/);
  assert.match(fail('session', { trim_threshold: 0.5, trim_target: 0.6 }).message, /--trim-target 0\.6 must be below --trim-threshold 0\.5/);
  assert.match(fail('session', { trim_strategy: 'lru' }).message, /must be one of sliding-window, importance, hybrid, aggressive, none/);
  assert.match(fail('quiz', {}).message, /unknown task kind "quiz"/);
});

settings('every spec is well formed data: a flag, a snake_case key, a default of its type, known kinds', () => {
  for (const spec of TASK_SETTING_SPECS) {
    assert.match(spec.flag, /^[a-z][a-z-]*$/);
    assert.is(spec.key, spec.flag.replaceAll('-', '_'));
    assert.is(typeof spec.default, spec.type === 'integer' ? 'number' : spec.type);
    assert.ok(spec.kinds.every((k) => (TASK_KINDS as readonly string[]).includes(k)));
  }
});

const registry = suite('createTask');

registry('makes each kind from settings; grade tasks only come from an experiment', () => {
  assert.is(createTask('mcq', {}).kind, 'mcq');
  assert.is(createTask('session', {}).sequential, true);
  assert.is(createTask('generate', {}).kind, 'generate');
  assert.throws(() => createTask('grade', {}), /run inside an experiment/);
});

const templates = suite('templates');

templates('sections split on --- name --- lines; slots must all be given', () => {
  const t = compileTemplate('t', '--- a ---\nHello {{name}}!\n\n--- b ---\nplain\n');
  assert.is(t.get('a')?.render({ name: 'you' }), 'Hello you!');
  assert.is(t.get('b')?.render({}), 'plain');
  assert.throws(() => t.get('a')?.render({}), /no value for \{\{name\}\}/);
});

templates('every bundled template section renders with its slots filled', () => {
  const files = { mcq: ['system', 'passage', 'learn', 'card', 'snippet', 'option', 'user', 'rule-answer', 'rule-idk', 'rule-strict'], session: ['system', 'passages'], generate: ['system', 'user'], grade: ['system', 'criterion', 'case', 'note', 'format-plain', 'format-reasoning'] };
  for (const [file, sections] of Object.entries(files)) {
    for (const name of sections) {
      const section = templateSection(file, name);
      const text = section.render(Object.fromEntries(section.slots.map((s) => [s, `<${s}>`])));
      assert.not.match(text, /\{\{[a-z_]+\}\}/, `${file}/${name}`);
      assert.ok(text.trim().length > 0, `${file}/${name}`);
    }
  }
});

settings.run();
registry.run();
templates.run();
