import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../bin/cli.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { ExitCode } from '../../lib/errors.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROSTER = new URL('../../lanes/production.yaml', import.meta.url).pathname;
const cli = suite('audition (bin)');

cli('--help lists the commands; --version prints the version', () => {
  const help = runCli(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /lanes import/);
  const version = runCli(['--version']);
  assert.is(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

cli('a command’s --help is generated from its options', () => {
  const r = runCli(['lanes', 'add', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--reasoning-effort LEVEL\s+minimal\|low\|medium\|high/);
  assert.match(r.stdout, /--debug/);
});

/** Runs the CLI's entry in-process, for checks that need many invocations; the bin itself is spawned in the other tests. */
async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = createMemoryOutput();
  const code = await main(argv, { ...process.env, NO_COLOR: "1" }, output);
  return { code, stdout: output.dataText.join(''), stderr: output.logText.join('\n') };
}

cli('every command group prints its subcommands, one line each, on --help, -h, help or alone (exit 0)', async () => {
  const overview = (await runMain(['--help'])).stdout;
  // the overview lists `group sub  summary`; every group's own help must list the same subcommands and summaries
  const grouped = new Map<string, string[]>();
  for (const [, group, sub, summary] of overview.matchAll(/^ {2}(\S+) (\S+) +(.+)$/gm)) grouped.set(group, [...(grouped.get(group) ?? []), `${sub}  ${summary}`]);
  assert.ok(['lanes', 'suite', 'experiment'].every((g) => grouped.has(g)), [...grouped.keys()].join(', '));
  const listedIn = (stdout: string) => stdout.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().replace(/ {2,}/, '  '));
  for (const [group, lines] of grouped) {
    for (const args of [[group, '--help'], [group, '-h'], [group, 'help'], [group]]) {
      const r = await runMain(args);
      assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, `usage: audition ${group} SUBCOMMAND`);
      assert.equal(listedIn(r.stdout), lines, args.join(' '));
    }
  }
  const bin = runCli(['lanes', '--help']);
  assert.is(bin.code, 0, bin.stderr);
  assert.equal(listedIn(bin.stdout), grouped.get('lanes'));
});

cli('an unknown subcommand of a group is a usage error (exit 2) that lists the subcommands', () => {
  const r = runCli(['lanes', 'frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown command "lanes frobnicate"/);
  assert.match(r.stderr, /^ {2}import +add or update lanes/m);
  assert.is(r.stdout, '');
});

cli('unknown commands and flags are usage errors (exit 2) without a stack', () => {
  const unknown = runCli(['frobnicate']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const flag = runCli(['lanes', 'list', '--colour']);
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /unknown option '--colour'/);
  assert.not.match(flag.stderr, /at .*\.ts:\d+/);
});

cli('the production roster imports; with a temperature on a gpt-5 lane it fails with exit 2 naming lane and field', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const ok = runCli(['lanes', 'import', ROSTER, '--runs-dir', dir]);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /imported 26 lanes/);
    const listed = runCli(['lanes', 'list', '--json', '--runs-dir', dir]);
    assert.is(listed.stdout.trim().split('\n').length, 26);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(ROSTER, 'utf8').replace('reasoning_effort: medium, max_output_tokens: 36000 } }', 'reasoning_effort: medium, temperature: 0.5, max_output_tokens: 36000 } }'));
    const fresh = makeTempDir();
    try {
      const failed = runCli(['lanes', 'import', bad, '--runs-dir', fresh.dir]);
      assert.is(failed.code, 2);
      assert.match(failed.stderr, /bad\.yaml:\d+: field lanes\[1\]\.dials\.temperature: lane gpt5\.t0-5\.reason-med/);
      assert.match(failed.stderr, /breaks rule backend\.temperature: temperature is not taken by OpenAI o-series and gpt-5 reasoning models/);
      const none = runCli(['lanes', 'list', '--json', '--runs-dir', fresh.dir]);
      assert.is(none.stdout.trim(), '', 'a roster with one bad lane changes nothing');
    } finally {
      fresh.cleanup();
    }
  } finally {
    cleanup();
  }
});

cli('lanes add / show / disable / enable / export round-trip', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const add = runCli(['lanes', 'add', 'kimi.t0-75.tp0-95.fp0-2', '--provider', 'openai-compatible', '--backend', 'openrouter', '--model', 'moonshotai/kimi-k2-0905', '--runs-dir', dir]);
    assert.is(add.code, 0, add.stderr);
    assert.is(add.stdout.trim(), 'kimi.t0-75.tp0-95.fp0-2');
    assert.is(runCli(['lanes', 'disable', 'kimi.t0-75.tp0-95.fp0-2', '--runs-dir', dir]).code, 0);
    const shown = JSON.parse(runCli(['lanes', 'show', 'kimi.t0-75.tp0-95.fp0-2', '--json', '--runs-dir', dir]).stdout) as { active: boolean; visible: boolean };
    assert.equal([shown.active, shown.visible], [false, false]);
    assert.is(runCli(['lanes', 'enable', 'kimi.t0-75.tp0-95.fp0-2', '--runs-dir', dir]).code, 0);
    const exported = runCli(['lanes', 'export', '--format', 'json', '--runs-dir', dir]);
    const roster = JSON.parse(exported.stdout) as { lanes: { slug: string; active: boolean }[] };
    assert.equal(roster.lanes.map((l) => [l.slug, l.active]), [['kimi.t0-75.tp0-95.fp0-2', true]]);
    const missing = runCli(['lanes', 'show', 'kimi.t0-7', '--runs-dir', dir]);
    assert.is(missing.code, 2);
    assert.match(missing.stderr, /hint: lanes with that alias: kimi\.t0-75\.tp0-95\.fp0-2/);
  } finally {
    cleanup();
  }
});

cli('a command that cannot stop cleanly (sql) exits at once on the first Ctrl-C, with 130', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const db = join(dir, 'empty.duckdb');
    await withDatabase(db, {}, async () => undefined);
    const r = startCli(['sql', '--db', db, 'SELECT sum(i) FROM range(1000000000000) t(i)']);
    // once the command has the database open, the CLI's own signal handling is in place (Linux /proc shows open files)
    const hasOpen = () => {
      try {
        return readdirSync(`/proc/${r.pid}/fd`).some((fd) => readlinkSync(`/proc/${r.pid}/fd/${fd}`) === db);
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 1200 && !hasOpen(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    r.kill('SIGINT');
    const code = await Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, 20_000, 'still running'))]);
    if (code === 'still running') r.kill('SIGKILL');
    assert.is(code, ExitCode.interrupted, r.output());
    assert.match(r.stderr(), /SIGINT: stopped at once/);
  } finally {
    cleanup();
  }
});

cli('--debug adds the stack to an error', () => {
  const r = runCli(['lanes', 'import', '/nonexistent.yaml', '--debug']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /CliError: cannot read lane file/);
});

cli.run();
