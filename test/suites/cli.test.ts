import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITES = new URL('../../suites/', import.meta.url).pathname;
const cli = suite('audition suite check');

cli('prints the counts of the bundled suites', () => {
  const mcq = runCli(['suite', 'check', join(SUITES, 'demo-mcq.jsonl'), '--json']);
  assert.is(mcq.code, 0, mcq.stderr);
  const counts = JSON.parse(mcq.stdout) as Record<string, number>;
  assert.is(counts['items'], 68);
  assert.is(counts['mcq'], 68);
  assert.is(counts['clusters'], 15);
  assert.is(counts['options'], 272);
  const prompts = JSON.parse(runCli(['suite', 'check', join(SUITES, 'demo-prompts.jsonl'), '--json']).stdout) as Record<string, number>;
  assert.is(prompts['prompt'], 13);
  assert.is(prompts['eligible_cases'], 10);
  const table = runCli(['suite', 'check', join(SUITES, 'demo-mcq.csv')]);
  assert.is(table.code, 0);
  assert.match(table.stdout, /items\s+8/);
});

cli('lists every problem with file, line and field and exits 2', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"kind":"mcq","id":"a","question":"Q","options":[{"key":"A","text":"x"},{"key":"B","text":"y"}],"answer":"C","evidence":[{"id":"p","text":"t"}]}\nnot json\n');
    const r = runCli(['suite', 'check', path]);
    assert.is(r.code, 2);
    assert.match(r.stderr, /bad\.jsonl:1: field answer: "C" is not one of the option keys A, B/);
    assert.match(r.stderr, /bad\.jsonl:2: not valid JSON/);
    assert.match(r.stderr, /2 problems/);
    assert.not.match(r.stderr, /at .*\.ts:\d+/);
  } finally {
    cleanup();
  }
});

cli.run();
