import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const SECRET = 'sk-e2e-secret-key-do-not-leak-0123456789';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

const questionOf = (body: unknown): string => {
  const messages = (body as { messages: { content: string }[] }).messages;
  return /Question: (.*)/.exec(messages.at(-1)!.content)?.[1] ?? '';
};

const e2e = suite('audition run (real openai SDK, fake server)');
let fake: FakeOpenAI;
let runs: { dir: string; cleanup: () => void };
const env = (): NodeJS.ProcessEnv => ({ OPENAI_API_KEY: SECRET });
let limits = '';

e2e.before(async () => {
  fake = await startFakeOpenAI({ latencyMs: 60, respond: () => ({ text: '{"answer": "A", "citations": []}' }) });
  runs = makeTempDir();
  // the shipped table holds gpt-4o to its tier-1 30k tokens a minute; the fake has no limit
  limits = join(runs.dir, 'limits.md');
  writeFileSync(limits, '| provider | model | requests_per_minute | tokens_per_minute |\n|---|---|---|---|\n| openai | * | | |\n');
  const added = runCli(['lanes', 'add', '--alias', '4o', '--provider', 'openai', '--model', 'gpt-4o', '--temperature', '0.7', '--max-output-tokens', '256', '--base-url', `${fake.url}/v1`, '--runs-dir', runs.dir]);
  assert.is(added.code, 0, added.stderr);
});

e2e.after(async () => {
  await fake.close();
  runs.cleanup();
});

e2e('a run SIGKILLed mid-way and resumed loses no completed step and repeats none', async () => {
  const args = ['--suite', SUITE, '--runs-dir', runs.dir, '--limits', limits];
  const first = startCli(['run', '--lane', '4o.t0-7', '--replicates', '2', '--concurrency', '4', '--stage', 'e2e', '--run-id', 'killed', ...args], env());
  const logPath = join(runs.dir, 'e2e', 'killed.jsonl');
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 25));
    let lines = 0;
    try {
      lines = readFileSync(logPath, 'utf8').split('\n').length;
    } catch {
      // not created yet
    }
    if (lines > 40) break;
  }
  first.kill('SIGKILL');
  assert.is(await first.exited, null, 'killed, not finished');

  const before = await readRunLog(logPath);
  assert.is(before.end, null, 'a SIGKILL leaves no run_end');
  const doneBefore = before.steps.filter((s) => s.status === 'ok');
  assert.ok(doneBefore.length >= 30 && doneBefore.length < 136, `${doneBefore.length} steps done before the kill`);
  const doneByQuestion = new Map<string, number>();
  const suiteItems = readFileSync(SUITE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; question: string });
  const questionById = new Map(suiteItems.map((i) => [i.id, i.question]));
  for (const s of doneBefore) doneByQuestion.set(questionById.get(s.item_id)!, (doneByQuestion.get(questionById.get(s.item_id)!) ?? 0) + 1);

  const sentBefore = fake.requests.length;
  const resumed = startCli(['run', '--resume', 'killed', ...args], env());
  assert.is(await resumed.exited, 0, resumed.output());

  const after = await readRunLog(logPath);
  assert.is(after.end?.status, 'completed');
  assert.equal(after.end?.counts, { ok: 136, abstain: 0, error: 0 });
  assert.is(after.steps.length, 136);
  for (const s of doneBefore) {
    const kept = after.steps.find((x) => x.item_id === s.item_id && x.replicate === s.replicate)!;
    assert.equal(kept.timing.started_at, s.timing.started_at, 'a completed step is kept as it was, not redone');
  }
  const resentByQuestion = new Map<string, number>();
  for (const r of fake.requests.slice(sentBefore)) resentByQuestion.set(questionOf(r.body), (resentByQuestion.get(questionOf(r.body)) ?? 0) + 1);
  for (const item of suiteItems) {
    assert.is(resentByQuestion.get(item.question) ?? 0, 2 - (doneByQuestion.get(item.question) ?? 0), `item ${item.id}: only its unfinished replicates are sent again`);
  }
});

e2e('--dry-run makes no connection and writes the exact bodies without the key; aggregate never reads the dump', async () => {
  const own = makeTempDir(); // no other run's logs, so aggregate has nothing but the dump to trip over
  try {
    const added = runCli(['lanes', 'add', '--alias', '4o', '--provider', 'openai', '--model', 'gpt-4o', '--temperature', '0.7', '--max-output-tokens', '256', '--base-url', `${fake.url}/v1`, '--runs-dir', own.dir]);
    assert.is(added.code, 0, added.stderr);
    const sentBefore = fake.stats.requests;
    const r = startCli(['run', '--lane', '4o.t0-7', '--suite', SUITE, '--stage', 'dry', '--run-id', 'dry1', '--dry-run', '--runs-dir', own.dir, '--limits', limits], env());
    assert.is(await r.exited, 0, r.output());
    assert.is(fake.stats.requests, sentBefore, 'nothing reached the server');
    const dump = readFileSync(join(own.dir, '_dry-run', 'dry', 'dry1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { url: string; body: { model: string; temperature: number; messages: unknown[] } });
    assert.is(dump.length, 68);
    assert.equal([dump[0].body.model, dump[0].body.temperature], ['gpt-4o', 0.7]);
    assert.match(dump[0].url, /^http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions$/);
    const aggregated = runCli(['aggregate', '--runs-dir', own.dir]);
    assert.is(aggregated.code, 0, aggregated.stderr);
    assert.match(aggregated.stderr, /read 0 logs .*: 0 lines = 0 records \+ 0 quarantined/);
  } finally {
    own.cleanup();
  }
});

e2e('Ctrl-C stops taking steps, closes the log with run_end interrupted, and exits 130', async () => {
  const r = startCli(['run', '--lane', '4o.t0-7', '--suite', SUITE, '--replicates', '3', '--concurrency', '2', '--stage', 'sigint', '--run-id', 'sig1', '--runs-dir', runs.dir, '--limits', limits], env());
  const logPath = join(runs.dir, 'sigint', 'sig1.jsonl');
  for (let i = 0; i < 400; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    try {
      if (readFileSync(logPath, 'utf8').split('\n').length > 10) break;
    } catch {
      // not created yet
    }
  }
  const sentAt = Date.now();
  r.kill('SIGINT');
  assert.is(await r.exited, ExitCode.interrupted, r.output());
  assert.ok(Date.now() - sentAt < 5000, 'stopped within a few seconds');
  const log = await readRunLog(logPath);
  assert.equal([log.end?.status, log.end?.reason], ['interrupted', 'signal']);
  assert.ok(log.steps.length < 204);
  assert.match(r.output(), /resume with: audition run --resume sig1/);
});

e2e('--max-cost stops the run before it would overspend: exit 3, run_end interrupted', async () => {
  // gpt-4o at $2.50/M input and $10/M output: a demo step costs about $0.002
  const r = startCli(['run', '--lane', '4o.t0-7', '--suite', SUITE, '--concurrency', '1', '--stage', 'cost', '--run-id', 'cost1', '--max-cost', '0.02', '--runs-dir', runs.dir, '--limits', limits], env());
  assert.is(await r.exited, 3, r.output());
  assert.match(r.output(), /stopped by --max-cost/);
  const log = await readRunLog(join(runs.dir, 'cost', 'cost1.jsonl'));
  assert.equal([log.end?.status, log.end?.reason], ['interrupted', 'max-cost']);
  assert.ok(log.end!.cost_usd <= 0.02, `spent ${log.end!.cost_usd}`);
  assert.ok(log.steps.length > 0 && log.steps.length < 68);
});

e2e("OpenAI's 429 insufficient_quota stops the run at once, like a refused key: exit 2, run_end failed (quota), the cause and the fix named", async () => {
  fake.inject({ kind: 'status', status: 429, type: 'insufficient_quota' });
  const sentBefore = fake.stats.requests;
  const r = startCli(['run', '--lane', '4o.t0-7', '--suite', SUITE, '--concurrency', '1', '--stage', 'quota', '--run-id', 'quota1', '--runs-dir', runs.dir, '--limits', limits], env());
  assert.is(await r.exited, ExitCode.usage, r.output());
  assert.is(fake.stats.requests - sentBefore, 1, 'not retried, and nothing else sent');
  assert.match(r.output(), /error: lane 4o\.t0-7: openai HTTP 429 insufficient_quota: You exceeded your current quota.*stopped at its first quota or billing failure/);
  assert.match(r.output(), /hint: check the provider account's plan and billing \(credits, spend limits\), then resume: audition run --resume quota1 /);
  const log = await readRunLog(join(runs.dir, 'quota', 'quota1.jsonl'));
  assert.equal([log.end?.status, log.end?.reason], ['failed', 'quota']);
  assert.equal(log.steps.map((s) => [s.status, s.error?.kind, s.attempts]), [['error', 'quota', 1]]);
});

e2e('no key appears in any output file or in the command output', async () => {
  const r = startCli(['run', '--lane', '4o.t0-7', '--suite', SUITE, '--stage', 'keys', '--limit', '5', '--runs-dir', runs.dir, '--limits', limits], env());
  assert.is(await r.exited, 0);
  assert.not.match(r.output(), new RegExp(SECRET));
  for (const file of allFiles(runs.dir)) {
    if (file.endsWith('.duckdb')) continue;
    assert.not.ok(readFileSync(file, 'utf8').includes(SECRET), `${file} holds the key`);
  }
  assert.ok(fake.requests.some((q) => q.headers['authorization'] === `Bearer ${SECRET}`), 'the key was sent to the server, and only there');
});

e2e.run();
