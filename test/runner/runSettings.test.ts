import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatHelp } from '../../bin/command.ts';
import { estimate as estimateCommand } from '../../bin/commands/estimate.ts';
import { run as runCommand } from '../../bin/commands/run.ts';
import { sweep as sweepCommand } from '../../bin/commands/sweep.ts';
import type { Lane } from '../../core/lane.ts';
import type { RunStartRecord } from '../../core/record.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { launchRun } from '../../pipelines/runner/launch.ts';
import { RUN_DEFAULTS, resolveRunSettings } from '../../pipelines/runner/runSettings.ts';
import { SWEEP_DEFAULTS, runSweep, sweepIdentity, sweepRunId } from '../../pipelines/runner/sweep.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { TASK_SETTING_SPECS } from '../../pipelines/tasks/settings.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname;
const MCQ_SUITE = { items: [{ kind: 'mcq' }] } as Parameters<typeof resolveRunSettings>[1];
const SIM: Lane = { slug: 'strong.t0-7', alias: 'strong', provider: 'sim', model: 'sim-strong', dials: { temperature: 0.7 }, active: true, visible: true };
const ENV = { AUDITION_DATABASE_URL: '' };

async function registerSim(runsDir: string): Promise<void> {
  const store = await openLaneStore(runsDir, { env: ENV });
  try {
    await store.upsert([SIM]);
  } finally {
    await store.close();
  }
}

/** The `(default X)` a command's generated help gives for a flag, as text. */
function helpDefault(help: string, flag: string): string | undefined {
  return new RegExp(`--${flag} \\S+\\s+.*\\(default ([^)]+)\\)`).exec(help)?.[1];
}

const ids = suite('sweepRunId');

ids('pins the run ids of a known sweep: a changed default or identity field must be a deliberate change here', () => {
  const sha = 'a'.repeat(64);
  const plain = sweepIdentity(resolveRunSettings({}, MCQ_SUITE));
  const depth = sweepIdentity(resolveRunSettings({ replicates: 5, taskSettings: { sc: 3 } }, MCQ_SUITE));
  const long = sweepIdentity(resolveRunSettings({ replicates: 2, taskKind: 'session' }, MCQ_SUITE));
  assert.equal(
    [sweepRunId('breadth', 'strong.t0-7', sha, plain), sweepRunId('depth', 'strong.t0-7', sha, depth), sweepRunId('long', 'strong.t0-7', sha, long)],
    ['breadth.strong.t0-7.9d0fb82d', 'depth.strong.t0-7.f99c0081', 'long.strong.t0-7.2cd98456'],
  );
});

ids('hashes the resolved settings: a default given explicitly is the same run; how a run executes is not part of it', () => {
  const unset = sweepIdentity(resolveRunSettings({}, MCQ_SUITE));
  const explicit = sweepIdentity(resolveRunSettings({ replicates: RUN_DEFAULTS.replicates, seed: RUN_DEFAULTS.seed, taskKind: 'mcq', taskSettings: { sc: 1, tau: 0.5 } }, MCQ_SUITE));
  const executed = sweepIdentity(resolveRunSettings({ concurrency: 64, maxRetries: 0, timeoutMs: 1000, maxCostUsd: 5 }, MCQ_SUITE));
  assert.equal(explicit, unset);
  assert.equal(executed, unset);
  assert.equal(Object.keys(unset), ['replicates', 'seed', 'limit', 'task']);
  assert.is.not(sweepRunId('s', 'l', 'x', sweepIdentity(resolveRunSettings({ taskSettings: { tau: 0.6 } }, MCQ_SUITE))), sweepRunId('s', 'l', 'x', unset));
});

ids('runSweep names its runs by that id and skips them once completed', async () => {
  const { dir, cleanup } = makeTempDir();
  const providers = new ProviderPool(ENV);
  try {
    await registerSim(dir);
    const demo = await loadSuite(SUITE);
    const options = { lanes: [SIM.slug], suitePath: SUITE, runsDir: dir, stage: 'smoke', limit: 2, output: createMemoryOutput(), env: ENV, providers, limiters: new LimiterRegistry() };
    const first = await runSweep(options, demo);
    assert.equal(first.map((r) => [r.runId, r.action]), [[sweepRunId('smoke', SIM.slug, demo.sha256, sweepIdentity(resolveRunSettings(options, demo))), 'started']]);
    const second = await runSweep(options, demo);
    assert.equal(second.map((r) => [r.runId, r.action]), [[first[0].runId, 'skipped']]);
  } finally {
    await providers.close();
    cleanup();
  }
});

const defaults = suite('RUN_DEFAULTS');

defaults('the help of run, estimate and sweep shows the defaults a run launched without flags records', async () => {
  const { dir, cleanup } = makeTempDir();
  const providers = new ProviderPool(ENV);
  try {
    await registerSim(dir);
    const result = await launchRun({ laneSlug: SIM.slug, suitePath: SUITE, runsDir: dir, limit: 1, output: createMemoryOutput(), env: ENV, providers, limiters: new LimiterRegistry() });
    const start = (await readRunLog(result.path)).start as RunStartRecord;
    const settings = start.settings as Record<string, unknown> & { task: Record<string, unknown> };
    const help = formatHelp(runCommand);
    assert.equal(
      [helpDefault(help, 'replicates'), helpDefault(help, 'seed'), helpDefault(help, 'stage'), helpDefault(help, 'concurrency'), helpDefault(help, 'max-retries'), helpDefault(help, 'timeout')],
      [String(settings['replicates']), String(settings['seed']), start.stage, String(settings['concurrency']), String(settings['max_retries']), String(Number(settings['timeout_ms']) / 1000)],
    );
    for (const spec of TASK_SETTING_SPECS.filter((s) => s.kinds.includes('mcq') && s.type !== 'boolean')) {
      assert.is(helpDefault(help, spec.flag), String(settings.task[spec.key]), `--${spec.flag}`);
    }
    for (const flag of ['replicates', 'seed']) {
      assert.is(helpDefault(formatHelp(estimateCommand), flag), helpDefault(help, flag), `estimate --${flag}`);
      assert.is(helpDefault(formatHelp(sweepCommand), flag), helpDefault(help, flag), `sweep --${flag}`);
    }
    assert.is(helpDefault(formatHelp(sweepCommand), 'parallel'), String(SWEEP_DEFAULTS.parallel));
  } finally {
    await providers.close();
    cleanup();
  }
});

ids.run();
defaults.run();
