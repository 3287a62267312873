import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { describeKeptFlags, importLanes } from '../../pipelines/lanes/manage.ts';
import { readLaneFlags } from '../../pipelines/lanes/laneFlags.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import { describeSweep, runSweep } from '../../pipelines/runner/sweep.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { ExitCode } from '../../lib/errors.ts';
import type { Command } from '../command.ts';
import { aggregateOrExplainStop, printRanking } from './aggregate.ts';
import { RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

const DEMO_LANES = fileURLToPath(new URL('../../lanes/demo.yaml', import.meta.url));
const DEMO_SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
/** The demo's own choices over RUN_DEFAULTS: enough replicates for intervals, and the sim needs no rate limit. */
const DEMO_RUN = { replicates: 3, concurrency: 16 } as const;

export const demo: Command = {
  name: 'demo',
  summary: 'the whole job offline: sim lanes × the bundled suite → logs → DuckDB → ranking and INSIGHTS.md',
  description: 'Registers the sim lanes of lanes/demo.yaml, sweeps them over suites/demo-mcq.jsonl (stage "demo"; a second run reuses the logs), aggregates, and prints the ranking with 95% intervals. No API key, no network.',
  options: {
    replicates: { type: 'string', value: 'N', description: `attempts per item and lane (default ${DEMO_RUN.replicates})` },
    ...RUNS_DIR_OPTION,
  },
  onInterrupt: 'finishing in-flight work and closing the run logs',
  async run({ options, output, env, argv, signal, tempFiles }) {
    const runsDir = runsDirOf(options, env);
    const lanes = await readLaneFile(DEMO_LANES);
    const store = await openLaneStore(runsDir, { env });
    let kept;
    try {
      kept = (await importLanes(store, lanes)).keptFlags;
    } finally {
      await store.close();
    }
    for (const line of describeKeptFlags(kept, commandRenderer(env))) output.info(line);
    output.info(`registered ${lanes.length} sim lanes from lanes/demo.yaml`);
    const disabled = new Set(kept.filter((l) => !l.active).map((l) => l.slug));
    const suite = await loadSuite(DEMO_SUITE);
    const providers = new ProviderPool(env, output);
    const runs = await runSweep({
      lanes: lanes.map((l) => l.slug).filter((slug) => !disabled.has(slug)), suitePath: DEMO_SUITE, runsDir, stage: 'demo', replicates: options.integer('replicates', { min: 1, max: 100 }) ?? DEMO_RUN.replicates,
      parallel: lanes.length - disabled.size, concurrency: DEMO_RUN.concurrency, output, signal, env, providers, limiters: new LimiterRegistry(), command: commandRenderer(env),
    }, suite).finally(() => providers.close());
    describeSweep(runs, output, commandHint(env, argv));
    if (signal.aborted) return ExitCode.interrupted;
    const result = await aggregateOrExplainStop({ runsDir, outDir: join(runsDir, '_aggregated'), laneFlags: await readLaneFlags(runsDir, env), output, signal, tempFiles });
    printRanking(result.ranking, output);
    output.info(`database: ${result.databasePath}`);
    output.info(`insights: ${result.insightsPath}`);
    output.info(`try: ${commandHint(env, ['sql', 'SELECT suite, condition, round(rate, 3) AS rate, ci_lo, ci_hi, rank FROM model_ranking ORDER BY suite, metric, rank'])}`);
    return ExitCode.ok;
  },
};
