import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { UNREACHABLE_AFTER_ATTEMPTS } from '../../pipelines/runner/circuitBreaker.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { closedPort } from '../helpers/ports.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const KEY = 'sk-failfast-test-key-0123456789';
const KEYS: NodeJS.ProcessEnv = { OPENAI_API_KEY: KEY, DEAD_KEY: KEY };
/** Variables that must be unset for these tests, whatever the environment running them holds ('' reads as unset). */
const NO_KEYS: NodeJS.ProcessEnv = { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', DEEPSEEK_API_KEY: '', OPENAI_BASE_URL: '' };

/** The run logs under a runs folder (not the registry, not dry-run dumps). */
function runLogs(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('_')) walk(join(folder, entry.name));
      else if (entry.isFile() && /\.jsonl(\.gz)?$/.test(entry.name)) found.push(join(folder, entry.name));
    }
  };
  walk(dir);
  return found;
}

const failFast = suite('fail fast: preflight, circuit breaker and --verify-first exit codes (real openai SDK, fake server)');
let fake: FakeOpenAI;
/** What the fake does to each request; ok unless a test says otherwise. */
let fault: 'ok' | 'always-500' | 401 | 400 = 'ok';
let runs: { dir: string; cleanup: () => void };
let limits = '';

failFast.before(async () => {
  fake = await startFakeOpenAI({
    respond: () => ({ text: '{"answer": "A", "citations": []}' }),
    faultFor: () => (fault === 'ok' ? undefined : { kind: 'status', status: fault === 'always-500' ? 500 : fault }),
  });
  runs = makeTempDir();
  limits = join(runs.dir, 'limits.md');
  writeFileSync(limits, '| provider | model | requests_per_minute | tokens_per_minute |\n|---|---|---|---|\n| openai | * | | |\n| anthropic | * | | |\n');
  const dead = await closedPort();
  const roster = join(runs.dir, 'lanes.yaml');
  writeFileSync(roster, [
    'lanes:',
    `  - { alias: 4o, provider: openai, model: gpt-4o, base_url: "${fake.url}/v1", dials: { temperature: 0.7, max_output_tokens: 256 } }`,
    `  - { alias: mini, provider: openai, model: gpt-4o-mini, base_url: "${fake.url}/v1", dials: { temperature: 0.2, max_output_tokens: 256 } }`,
    `  - { alias: sonnet, provider: anthropic, model: claude-sonnet-4-6, base_url: "${fake.url}", dials: { temperature: 0.5, max_output_tokens: 256 } }`,
    `  - { alias: ds, provider: openai-compatible, backend: deepseek, model: deepseek-chat, base_url: "${fake.url}/v1", dials: { temperature: 0.5, max_output_tokens: 256 } }`,
    `  - { alias: dead, provider: openai, model: gpt-4o, base_url: "http://127.0.0.1:${dead}/v1", api_key_env: DEAD_KEY, dials: { temperature: 0.7, max_output_tokens: 256 } }`,
    `  - { alias: badurl, provider: openai, model: gpt-4o, base_url: "localhost:8000/v1", dials: { temperature: 0.7, max_output_tokens: 256 } }`,
    '  - { alias: strong, provider: sim, model: sim-strong, dials: { temperature: 0.7, max_output_tokens: 1024 } }',
  ].join('\n'));
  const imported = runCli(['lanes', 'import', roster, '--runs-dir', runs.dir]);
  assert.is(imported.code, 0, imported.stderr);
});

failFast.after(async () => {
  try {
    await fake.close();
  } finally {
    runs.cleanup();
  }
});

const runArgs = (lane: string, stage: string, ...more: string[]): string[] => ['run', '--lane', lane, '--suite', SUITE, '--stage', stage, '--runs-dir', runs.dir, '--limits', limits, ...more];

failFast('audition run with the key unset: exit 2 naming the variable and the fix, no run log, nothing sent', async () => {
  const sentBefore = fake.stats.requests;
  const r = startCli(runArgs('4o.t0-7', 'nokey', '--run-id', 'nokey1'), NO_KEYS);
  assert.is(await r.exited, ExitCode.usage, r.output());
  assert.match(r.stderr(), /error: OPENAI_API_KEY is not set: the openai lane 4o\.t0-7 needs an API key in it \(nothing was sent\); set OPENAI_API_KEY/);
  assert.not.match(r.stderr(), /\n\s+at /, 'no stack');
  assert.is(fake.stats.requests, sentBefore, 'nothing reached the server');
  assert.not.ok(existsSync(join(runs.dir, 'nokey')), 'no run log, not even its folder');
});

failFast('audition run with a base URL that is not http(s): exit 2 naming base_url, no run log', async () => {
  const r = startCli(runArgs('badurl.t0-7', 'badurl'), KEYS);
  assert.is(await r.exited, ExitCode.usage, r.output());
  assert.match(r.stderr(), /the base_url of lane badurl\.t0-7 is "localhost:8000\/v1", not an http\(s\) URL \(nothing was sent\); set it to the server's address/);
  assert.not.ok(existsSync(join(runs.dir, 'badurl')));
});

failFast('a sweep checks every lane first: lanes without keys are named in a line each, get no log and hold nothing up; the others run, an unreachable one stops early', async () => {
  const sentBefore = fake.stats.requests;
  const started = Date.now();
  const r = startCli(['sweep', '--stage', 'sw', '--suite', SUITE, '--limit', '12', '--lane', 'dead.t0-7', '--lane', '4o.t0-7', '--lane', 'sonnet.t0-5', '--lane', 'ds.t0-5', '--lane', 'strong.t0-7', '--parallel', '1', '--concurrency', '4', '--json', '--runs-dir', runs.dir, '--limits', limits], {
    ...NO_KEYS,
    DEAD_KEY: KEY,
  });
  // the dead lane has a key of its own: only the keys the other three need are missing
  assert.is(await r.exited, ExitCode.usage, r.output());
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 30_000, `the sweep took ${elapsed} ms`);
  const stderr = r.stderr();
  assert.match(stderr, /4o\.t0-7: OPENAI_API_KEY is not set: the openai lane 4o\.t0-7 needs an API key/);
  assert.match(stderr, /sonnet\.t0-5: ANTHROPIC_API_KEY is not set: the anthropic lane sonnet\.t0-5 needs an API key/);
  assert.match(stderr, /ds\.t0-5: DEEPSEEK_API_KEY is not set: the openai-compatible\/deepseek lane ds\.t0-5 needs an API key/);
  assert.is(fake.stats.requests, sentBefore, 'nothing was sent for the lanes without keys');
  const unreachableAt = stderr.search(/dead\.t0-7: lane dead\.t0-7: the first \d+ requests to http:\/\/127\.0\.0\.1:\d+\/v1 all failed/);
  assert.ok(unreachableAt > stderr.indexOf('ds.t0-5: DEEPSEEK_API_KEY is not set'), 'the lanes that cannot send are named before the first lane (one at a time) has run');
  const rows = r.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { lane: string; status: string; ok: number | null });
  const statusOf = (lane: string): string | undefined => rows.find((row) => row.lane === lane)?.status;
  assert.equal(['dead.t0-7', '4o.t0-7', 'sonnet.t0-5', 'ds.t0-5', 'strong.t0-7'].map(statusOf), ['failed', 'cannot send', 'cannot send', 'cannot send', 'completed']);
  const logs = runLogs(join(runs.dir, 'sw')).map((p) => p.slice(join(runs.dir, 'sw').length + 1));
  assert.equal(logs.map((l) => l.split('.').slice(1, -2).join('.')).sort(), ['dead.t0-7', 'strong.t0-7'], 'logs only for the lanes that could send');
});

failFast('a server that always answers 500: the run stops after the first attempts, run_end failed (unreachable), exit 1 naming the base URL', async () => {
  fault = 'always-500';
  try {
    const sentBefore = fake.stats.requests;
    const r = startCli(runArgs('mini.t0-2', 'down', '--run-id', 'down1', '--limit', '40', '--concurrency', '4', '--max-retries', '3'), KEYS);
    assert.is(await r.exited, ExitCode.unexpected, r.output());
    const sent = fake.stats.requests - sentBefore;
    assert.ok(sent >= UNREACHABLE_AFTER_ATTEMPTS && sent <= UNREACHABLE_AFTER_ATTEMPTS + 4, `${sent} requests; the suite with retries would have been ${40 * 4}`);
    assert.match(r.stderr(), new RegExp(`error: lane mini\\.t0-2: the first ${UNREACHABLE_AFTER_ATTEMPTS} requests to ${fake.url}/v1 all failed with server errors \\(5xx\\)`));
    assert.match(r.stderr(), /hint: check that the server at .* is up and reachable .*then resume: audition run --resume down1 /);
    const log = await readRunLog(join(runs.dir, 'down', 'down1.jsonl'));
    assert.equal([log.end?.status, log.end?.reason], ['failed', 'unreachable']);
  } finally {
    fault = 'ok';
  }
});

failFast('a closed port: the run stops after the first attempts with network errors, exit 1 naming the base URL', async () => {
  const started = Date.now();
  const r = startCli(runArgs('dead.t0-7', 'dead', '--run-id', 'dead1', '--concurrency', '4'), KEYS);
  assert.is(await r.exited, ExitCode.unexpected, r.output());
  assert.ok(Date.now() - started < 30_000);
  assert.match(r.stderr(), /error: lane dead\.t0-7: the first \d+ requests to http:\/\/127\.0\.0\.1:\d+\/v1 all failed with network errors/);
  const log = await readRunLog(join(runs.dir, 'dead', 'dead1.jsonl'));
  assert.equal([log.end?.status, log.end?.reason], ['failed', 'unreachable']);
  assert.ok(log.steps.length < 68, `${log.steps.length} steps logged`);
});

const VERIFY_FIRST = [
  { fault: 401, lane: 'mini.t0-2', exit: ExitCode.usage, kind: 'auth' },
  { fault: 400, lane: 'mini.t0-2', exit: ExitCode.usage, kind: 'invalid_request' },
  { fault: 'always-500', lane: 'mini.t0-2', exit: ExitCode.unexpected, kind: 'server' },
  { fault: 'ok', lane: 'dead.t0-7', exit: ExitCode.unexpected, kind: 'network' },
] as const;

for (const c of VERIFY_FIRST) {
  failFast(`--verify-first exits as the run would: ${c.kind} → ${c.exit}`, async () => {
    fault = c.fault;
    try {
      const sentBefore = fake.stats.requests;
      const r = startCli(runArgs(c.lane, `verify-${c.kind}`, '--verify-first', '--max-retries', '0'), KEYS);
      assert.is(await r.exited, c.exit, r.output());
      assert.match(r.stderr(), new RegExp(`--verify-first: the first request for lane ${c.lane.replace('.', '\\.')} failed with ${c.kind}`));
      assert.ok(fake.stats.requests - sentBefore <= 1, 'nothing but the first request');
    } finally {
      fault = 'ok';
    }
  });
}

failFast.run();
