import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../lib/errors.ts';
import { parseCsv } from '../../pipelines/suites/csv.ts';
import { checkSuiteFile, loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem, PromptItem } from '../../pipelines/suites/types.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITES = new URL('../../suites/', import.meta.url).pathname;
const MCQ = JSON.stringify({ kind: 'mcq', id: 'q1', question: 'How many?', options: [{ key: 'A', text: 'one' }, { key: 'B', text: 'two' }], answer: 'B', evidence: [{ id: 'p1', text: 'There are two.' }] });

/** Writes lines to a temp suite file and returns the error loadSuite throws. */
async function loadError(name: string, text: string): Promise<InputError> {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    try {
      await loadSuite(path);
    } catch (error) {
      assert.instance(error, InputError);
      return error as InputError;
    }
    throw new Error('expected loadSuite to fail');
  } finally {
    cleanup();
  }
}

const load = suite('loadSuite');

load('reads the bundled MCQ suite: 68 items in 15 clusters, with the file sha256', async () => {
  const s = await loadSuite(join(SUITES, 'demo-mcq.jsonl'));
  assert.is(s.name, 'demo-mcq');
  assert.is(s.items.length, 68);
  assert.is(new Set(s.items.map((i) => i.cluster)).size, 15);
  assert.ok(s.items.every((i) => i.kind === 'mcq' && i.evidence.length > 0));
  assert.is(s.sha256, createHash('sha256').update(readFileSync(join(SUITES, 'demo-mcq.jsonl'))).digest('hex'));
});

load('reads the bundled prompt suite: 13 cases with rubrics', async () => {
  const s = await loadSuite(join(SUITES, 'demo-prompts.jsonl'));
  assert.is(s.items.length, 13);
  const items = s.items as PromptItem[];
  assert.ok(items.every((i) => i.kind === 'prompt' && i.rubrics.length > 0 && i.system !== undefined));
});

load('the CSV twin (CRLF, "" escapes, multi-line cells, blank-line passage breaks) gives the same items as the JSONL', async () => {
  const csv = await loadSuite(join(SUITES, 'demo-mcq.csv'));
  const jsonl = await loadSuite(join(SUITES, 'demo-mcq.jsonl'));
  assert.is(csv.items.length, 8);
  for (const item of csv.items as McqItem[]) {
    const twin = jsonl.items.find((i) => i.id === item.id) as McqItem;
    assert.equal({ ...item, tags: [] }, { ...twin, tags: [] }, item.id);
  }
  assert.ok((csv.items as McqItem[]).some((i) => i.evidence.length === 2), 'a two-passage cell splits in two');
  assert.ok((csv.items as McqItem[]).some((i) => i.question.includes('"--legacy-lock"')), 'doubled quotes unescape');
});

load('a line that is not JSON names the file and line', async () => {
  const e = await loadError('s.jsonl', `${MCQ}\n{"kind": "mcq", "id":\n`);
  assert.match(e.message, /s\.jsonl:2: not valid JSON/);
});

load('an answer that is not an option key names line and field', async () => {
  const e = await loadError('s.jsonl', `\n${MCQ.replace('"answer":"B"', '"answer":"E"')}\n`);
  assert.is(e.where.line, 2);
  assert.is(e.where.field, 'answer');
  assert.match(e.message, /"E" is not one of the option keys A, B/);
});

/** Loads a suite from text written to a temp file. */
async function loadText(name: string, text: string): Promise<McqItem[]> {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return (await loadSuite(path)).items as McqItem[];
  } finally {
    cleanup();
  }
}

load('the answer key matches an option key ignoring case and spaces, in JSONL and CSV alike, and takes the declared spelling', async () => {
  const [upper] = await loadText('s.jsonl', MCQ.replace('"answer":"B"', '"answer":" b "'));
  assert.is(upper.answer, 'B');
  const [lower] = await loadText('s.jsonl', MCQ.replace('"key":"A"', '"key":"a"').replace('"key":"B"', '"key":"b"'));
  assert.is(lower.answer, 'b');
  const [csvItem] = await loadText('s.csv', 'id,question,option_a,option_b,answer,evidence\nq1,How many?,one,two, b ,There are two.\n');
  assert.is(csvItem.answer, 'B');
  assert.equal(csvItem.options.map((o) => o.key), ['A', 'B']);
  const e = await loadError('s.csv', 'id,question,option_a,option_b,answer,evidence\nq1,How many?,one,two,c,There are two.\n');
  assert.equal(e.where, { file: e.where.file, line: 2, field: 'answer' });
  assert.match(e.message, /"c" is not one of the option keys A, B/);
});

load('a missing or empty field, a typo and a bad nested value are named with their path', async () => {
  assert.is((await loadError('s.jsonl', MCQ.replace('"question":"How many?"', '"question":"  "'))).where.field, 'question');
  assert.is((await loadError('s.jsonl', MCQ.replace('"question"', '"questoin"'))).where.field, 'questoin');
  assert.is((await loadError('s.jsonl', MCQ.replace('{"key":"B","text":"two"}', '{"key":"B"}'))).where.field, 'options[1].text');
  const rubric = { kind: 'prompt', id: 'c1', context: 'x', prompt: 'y', rubrics: [{ author: 'A', status: 'accepted', created_at: 'May 5th', criteria: [{ id: 'acc', description: 'd', max: 5 }] }] };
  const e = await loadError('p.jsonl', JSON.stringify(rubric));
  assert.is(e.where.field, 'rubrics[0].created_at');
  assert.match(e.message, /not an ISO 8601 date/);
});

load('an item without passages (no evidence, or an empty list) is a closed-book item, in JSONL and CSV', async () => {
  const [none, empty] = await loadText('s.jsonl', [MCQ.replace(',"evidence":[{"id":"p1","text":"There are two."}]', ''), MCQ.replace('"id":"q1"', '"id":"q2"').replace('[{"id":"p1","text":"There are two."}]', '[]')].join('\n'));
  assert.equal([none.evidence, empty.evidence], [[], []]);
  const csvItems = await loadText('s.csv', 'id,question,option_a,option_b,option_c,option_d,answer\nq1,Which planet is largest?,Mars,Jupiter,Venus,Earth,B\n');
  assert.equal(csvItems.map((i) => [i.id, i.answer, i.evidence]), [['q1', 'B', []]]);
  const [blankCell] = await loadText('s.csv', 'id,question,option_a,option_b,answer,evidence\nq1,Q?,a,b,A,\n');
  assert.equal(blankCell.evidence, []);
});

load('unknown item fields are kept verbatim under meta, merged with an explicit meta object', async () => {
  const value = { ...JSON.parse(MCQ), subject: 'astronomy', source: { dataset: 'mmlu', row: 17 }, meta: { split: 'test' } };
  const [item] = await loadText('s.jsonl', JSON.stringify(value));
  assert.equal(item.meta, { split: 'test', subject: 'astronomy', source: { dataset: 'mmlu', row: 17 } });
  const [plain] = await loadText('s.jsonl', MCQ);
  assert.is(plain.meta, undefined, 'no meta when there is nothing to keep');
  const [kept] = await loadText('s.jsonl', JSON.stringify({ ...JSON.parse(MCQ), anwser: 'B', tag: 'x', tags: ['x'] }));
  assert.equal(kept.meta, { anwser: 'B', tag: 'x' }, 'a near-miss of a field the item has is data, not a typo');
  const prompt = (await loadSuite(join(SUITES, 'demo-prompts.jsonl'))).items[0];
  assert.is(prompt.meta, undefined);
  const { dir, cleanup } = makeTempDir();
  try {
    writeFileSync(join(dir, 'p.jsonl'), JSON.stringify({ ...prompt, rubrics: undefined, meta: undefined, origin: 'handwritten' }));
    assert.equal((await loadSuite(join(dir, 'p.jsonl'))).items[0].meta, { origin: 'handwritten' });
  } finally {
    cleanup();
  }
});

load('a near-miss of a missing known field is an error that names it and the field it resembles', async () => {
  const typo = await loadError('s.jsonl', MCQ.replace('"answer"', '"anwser"'));
  assert.equal([typo.where.line, typo.where.field], [1, 'anwser']);
  assert.match(typo.message, /is not a field of an mcq item; did you mean "answer"\?/);
  assert.match(typo.hint ?? '', /move it under "meta"/);
  assert.is((await loadError('s.jsonl', MCQ.replace('"evidence"', '"evidnece"'))).where.field, 'evidnece');
  assert.is((await loadError('s.jsonl', MCQ.replace('"evidence"', '"Evidence"'))).where.field, 'Evidence');
  assert.is((await loadError('s.jsonl', JSON.stringify({ ...JSON.parse(MCQ), Tags: ['x'] }))).where.field, 'Tags');
  const noKind = await loadError('s.jsonl', MCQ.replace('"kind":"mcq",', '').replace('"options"', '"optoins"'));
  assert.match(noKind.message, /field optoins: is not a suite field; did you mean "options"\?/);
  const both = await loadError('s.jsonl', JSON.stringify({ ...JSON.parse(MCQ), subject: 'a', meta: { subject: 'b' } }));
  assert.is(both.where.field, 'subject');
  assert.match(both.message, /is also a key of "meta"/);
  const badMeta = await loadError('s.jsonl', JSON.stringify({ ...JSON.parse(MCQ), meta: 'x' }));
  assert.is(badMeta.where.field, 'meta');
});

load('unknown keys inside an option or a passage are still errors', async () => {
  const option = await loadError('s.jsonl', MCQ.replace('{"key":"A","text":"one"}', '{"key":"A","text":"one","txet":"uno"}'));
  assert.is(option.where.field, 'options[0].txet');
  assert.match(option.message, /is not a field of an option/);
  assert.is((await loadError('s.jsonl', MCQ.replace('"text":"There are two."', '"text":"There are two.","source":"x"'))).where.field, 'evidence[0].source');
});

load('CSV: unknown columns are kept under meta by their header name; a near-miss of a missing column, or a repeated column, stops the read', async () => {
  const [item] = await loadText('s.csv', 'id,question,option_a,option_b,answer,evidence,Subject,Source Row\nq1,How many?,one,two,B,There are two.,astronomy,17\n');
  assert.equal(item.meta, { Subject: 'astronomy', 'Source Row': '17' });
  const typo = await loadError('s.csv', 'id,question,option_a,option_b,anwser,evidence\nq1,How many?,one,two,B,There are two.\n');
  assert.equal([typo.where.line, typo.where.field], [1, 'anwser']);
  assert.match(typo.message, /did you mean "answer"\?/);
  assert.match((await loadError('s.csv', 'id,question,option_a,option_b,opton_c,answer,evidence\nq1,Q?,a,b,c,A,t\n')).message, /field opton_c: is not a suite column; did you mean "option_c"\?/);
  assert.match((await loadError('s.csv', 'id,question,option_a,option_b,pro a,answer,evidence\nq1,Q?,a,b,c,A,t\n')).message, /did you mean "pro_a"\?/);
  assert.match((await loadError('s.csv', 'id,question,option_a,option_b,answer,evidence,Question\nq1,Q?,a,b,A,t,x\n')).message, /column "Question" appears twice/);
});

load('a duplicate id names both lines', async () => {
  const e = await loadError('s.jsonl', `${MCQ}\n${MCQ}\n`);
  assert.is(e.where.line, 2);
  assert.match(e.message, /id q1 is used twice \(first at line 1\)/);
});

load('an unknown extension or an empty file is refused', async () => {
  assert.match(((await loadSuite('/nope/x.txt').catch((e: unknown) => e)) as Error).message, /unknown file type \.txt/);
  assert.match((await loadError('e.jsonl', '\n\n')).message, /has no items/);
});

load('CSV: a missing column, a short row and an unclosed quote name file and line', async () => {
  assert.match((await loadError('c.csv', 'id,question,option_a,option_b,evidence\nq1,Q?,a,b,text\n')).message, /c\.csv:1: field answer: the header has no "answer" column/);
  assert.match((await loadError('c.csv', 'id,question,option_a,option_b,answer,evidence\nq1,Q?,a,b,A\n')).message, /c\.csv:2: has 5 cells; the header has 6/);
  assert.match((await loadError('c.csv', 'id,question,option_a,option_b,answer,evidence\nq1,Q?,a,b,A,"never\nclosed\n')).message, /c\.csv:2: a quoted cell is never closed/);
});

const table = suite('suite passages');

const ARTICLE = 'Chie Tanaka founded the Osaka Lantern Guild in 1921. The guild had 40 members by 1925.';
const item = (id: string, extra: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(MCQ), id, evidence: undefined, ...extra });

/** Writes files (name → text) to a temp dir and checks the first one. */
async function checkFiles(files: Record<string, string>): Promise<{ items: McqItem[]; problems: InputError[]; sha256: string }> {
  const { dir, cleanup } = makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const { suite: s, problems } = await checkSuiteFile(join(dir, Object.keys(files)[0]));
    return { items: s.items as McqItem[], problems, sha256: s.sha256 };
  } finally {
    cleanup();
  }
}

table('JSONL: passage lines are referenced by id from any item, before or after the line; references come before inline evidence', async () => {
  const { items, problems } = await checkFiles({
    's.jsonl': [
      item('q1', { cluster: 'guild', passages: ['guild-article'] }),
      JSON.stringify({ kind: 'passage', id: 'guild-article', text: ARTICLE }),
      item('q2', { cluster: 'guild', passages: ['guild-article'], evidence: [{ id: 'note', text: 'The guild closed in 1940.' }] }),
      item('q3', { evidence: [] }),
    ].join('\n'),
  });
  assert.equal(problems, []);
  assert.equal(items.map((i) => i.evidence.map((e) => e.id)), [['guild-article'], ['guild-article', 'note'], []]);
  assert.is(items[0].evidence[0].text, ARTICLE);
  assert.is(items[0].evidence[0], items[1].evidence[0], 'items that share a passage share one object');
});

table('an item sharing an inline passage id with another must share its text; whitespace differences do not count', async () => {
  const same = await checkFiles({ 's.jsonl': [item('q1', { evidence: [{ id: 'a1', text: ARTICLE }] }), item('q2', { evidence: [{ id: 'a1', text: ARTICLE.replace(' ', '\n  ') }] }), item('q3', { passages: ['a1'] })].join('\n') });
  assert.equal(same.problems, []);
  assert.is(same.items[2].evidence[0].text, ARTICLE, 'the first definition is the text items hold');
  const { problems } = await checkFiles({ 's.jsonl': [JSON.stringify({ kind: 'passage', id: 'a1', text: ARTICLE }), item('q1', { evidence: [{ id: 'x', text: 'x' }, { id: 'a1', text: ARTICLE.replace('40 members', '41 members') }] })].join('\n') });
  assert.is(problems.length, 1);
  const [e] = problems;
  assert.equal([e.where.line, e.where.field], [2, 'evidence[1].text']);
  assert.match(e.message, /passage a1 has a different text than at .*s\.jsonl:1: field text \(from character 69: "…Guild in 1921\. The guild had 41 members by 1925\." here, "…Guild in 1921\. The guild had 40 members by 1925\." there\)/);
  assert.match(e.hint ?? '', /give the other text its own id/);
});

table('a reference to an undefined passage, a repeated one, or a bad passage line names file, line and field', async () => {
  const { problems, items } = await checkFiles({
    's.jsonl': [
      item('q1', { passages: ['nope'] }),
      item('q2', { passages: ['a1', 'a1'] }),
      item('q3', { passages: ['a1'], evidence: [{ id: 'a1', text: ARTICLE }] }),
      JSON.stringify({ kind: 'passage', id: 'a1', text: ARTICLE, title: 'Guild' }),
      JSON.stringify({ kind: 'passage', id: 'a2' }),
      item('q4', { passages: [''] }),
    ].join('\n'),
  });
  assert.equal(problems.map((p) => [p.where.line, p.where.field]), [[1, 'passages[0]'], [2, 'passages[1]'], [3, 'passages[0]'], [4, 'title'], [5, 'text'], [6, 'passages[0]']]);
  assert.match(problems[0].message, /s\.jsonl:1: field passages\[0\]: passage nope is not defined in this suite/);
  assert.match(problems[0].hint ?? '', /"kind": "passage"/);
  assert.match(problems[1].message, /passage id a1 appears twice/);
  assert.match(problems[3].message, /is not a field of a passage record/);
  assert.equal(items, []);
});

table('CSV: a passages column refers to name.passages.csv (id, text), which the sha256 covers; inline evidence and references mix', async () => {
  const csvText = 'id,cluster,question,option_a,option_b,answer,passages,evidence\nq1,guild,Founded?,1921,1925,A,guild-article,\nq2,guild,Members?,40,41,a,"guild-article; guild-map","The map is from 1930."\nq3,,Closed-book?,yes,no,B,,\n';
  const passages = `id,text\nguild-article,"${ARTICLE}"\nguild-map,"A map of the guild hall,\nwith two floors."\n`;
  const { items, problems, sha256 } = await checkFiles({ 's.csv': csvText, 's.passages.csv': passages });
  assert.equal(problems, []);
  assert.equal(items.map((i) => i.evidence.map((e) => e.id)), [['guild-article'], ['guild-article', 'guild-map', 'guild-p1'], []]);
  assert.is(items[1].evidence[1].text, 'A map of the guild hall,\nwith two floors.');
  assert.is(items[1].answer, 'A');
  const edited = await checkFiles({ 's.csv': csvText, 's.passages.csv': passages.replace('two floors', 'three floors') });
  assert.is.not(edited.sha256, sha256, 'editing the passage table makes another suite');
  const alone = await checkFiles({ 's.csv': csvText });
  assert.equal(alone.problems.map((p) => [p.where.line, p.where.field]), [[2, 'passages[0]'], [3, 'passages[0]']]);
  assert.match(alone.problems[0].hint ?? '', /define it in s\.passages\.csv \(columns id, text\)/);
  const conflict = await checkFiles({ 's.csv': 'id,cluster,question,option_a,option_b,answer,evidence\nq1,guild,Q?,a,b,A,Other text.\n', 's.passages.csv': 'id,text\nguild-p1,Some text.\n' });
  assert.match(conflict.problems[0].message, /s\.csv:2: field evidence\[0\]\.text: passage guild-p1 has a different text than at .*s\.passages\.csv:2: field text/);
  const badTable = await checkFiles({ 's.csv': csvText, 's.passages.csv': 'id,text,title\na,b,c\n' }).catch((e: unknown) => e as InputError);
  assert.match((badTable as InputError).message, /s\.passages\.csv:1: field title: is not a column of a passage table/);
});

table('CSV: evidence cells are numbered per cluster by distinct text, so repeated passages share an id and others get their own', async () => {
  const { items, problems } = await checkFiles({ 's.csv': 'id,cluster,question,option_a,option_b,answer,evidence\nq1,c,Q?,a,b,A,"First.\n\nSecond."\nq2,c,Q?,a,b,A,Second.\nq3,c,Q?,a,b,A,Third.\nq4,,Q?,a,b,A,Third.\n' });
  assert.equal(problems, []);
  assert.equal(items.map((i) => i.evidence.map((e) => e.id)), [['c-p1', 'c-p2'], ['c-p2'], ['c-p3'], ['q4-p1']]);
});

table('a passage table is not a suite of its own', async () => {
  const e = (await loadSuite('/x/s.passages.csv').catch((error: unknown) => error)) as Error;
  assert.match(e.message, /s\.passages\.csv is the passage table of a CSV suite, not a suite/);
});

const check = suite('checkSuiteFile');

check('collects every bad line instead of stopping at the first, and keeps the good items', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 's.jsonl');
    writeFileSync(path, [MCQ, '{oops', MCQ.replace('"id":"q1"', '"id":"q2"').replace('"answer":"B"', '"answer":"Z"'), MCQ.replace('"id":"q1"', '"id":"q3"')].join('\n'));
    const { suite: s, problems } = await checkSuiteFile(path);
    assert.equal(problems.map((p) => p.where.line), [2, 3]);
    assert.equal(s.items.map((i) => i.id), ['q1', 'q3']);
  } finally {
    cleanup();
  }
});

const csv = suite('parseCsv');

csv('handles quoted commas, doubled quotes, line breaks in cells, CRLF, a BOM and blank lines', () => {
  const records = parseCsv('\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"multi\r\nline",\n', 't.csv');
  assert.equal(records.map((r) => r.cells), [['a', 'b', 'c'], ['1', 'x, y', 'say "hi"'], ['2', 'multi\r\nline', '']]);
  assert.equal(records.map((r) => r.line), [1, 2, 4]);
});

csv('a quote inside an unquoted cell is an error with its line', () => {
  assert.throws(() => parseCsv('a,b\n1,x"y\n', 't.csv'), (e: Error) => e instanceof InputError && e.where.line === 2);
});

load.run();
table.run();
check.run();
csv.run();
