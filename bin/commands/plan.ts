import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pilotVariance, planDesigns, WORST_CASE_VARIANCE, type PilotItem } from '../../analysis/plan.ts';
import { queryNamed } from '../../analysis/queries.ts';
import { commandRenderer } from '../../lib/commandHint.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import { CliError } from '../../lib/errors.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { Command } from '../command.ts';
import { RUN_OPTIONS } from './run.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

const DEFAULT_REPLICATES = [1, 2, 3, 5];

export const planCommand: Command = {
  name: 'plan',
  summary: 'how many items and replicates a comparison of two lanes needs to detect a difference',
  description: 'Uses the two lanes’ runs on the suite in the aggregated database as pilot data (the per-item difference’s variance, split between items and replicates), else a stated worst case, and prints, per number of replicates, the items needed for the power asked at the family-adjusted level, and the difference the whole suite detects.',
  options: {
    lanes: { type: 'string', value: 'A,B', description: 'the two lanes to compare' },
    suite: RUN_OPTIONS['suite'],
    mde: { type: 'string', value: 'D', description: 'the true difference to detect, e.g. 0.05 (5 points)' },
    alpha: { type: 'string', value: 'A', description: 'two-sided level before the family adjustment (default 0.05)' },
    power: { type: 'string', value: 'P', description: 'the chance to detect it (default 0.8)' },
    family: { type: 'string', value: 'K', description: 'comparisons the test is adjusted over, Bonferroni α/K, which bounds Holm (default 1; L lanes pairwise: L(L−1)/2)' },
    replicates: { type: 'string', value: 'R,…', description: `replicate counts to plan for (default ${DEFAULT_REPLICATES.join(',')})` },
    db: { type: 'string', value: 'FILE', description: 'the aggregated database (default RUNS/_aggregated/audition.duckdb)' },
    ...JSON_OPTION,
    ...RUNS_DIR_OPTION,
  },
  examples: ['audition plan --lanes strong.t0-7,medium.t0-7 --suite suites/demo-mcq.jsonl --mde 0.05'],
  async run({ options, output, env, signal }) {
    const command = commandRenderer(env);
    const lanes = options.required('lanes', 'e.g. --lanes strong.t0-7,medium.t0-7').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (lanes.length !== 2 || lanes[0] === lanes[1]) throw new CliError('--lanes takes two different lanes, A,B', { hint: 'e.g. --lanes strong.t0-7,medium.t0-7' });
    const [laneA, laneB] = lanes as [string, string];
    const suite = await loadSuite(options.required('suite', 'e.g. --suite suites/demo-mcq.jsonl'), command);
    const effect = options.number('mde', { min: 1e-6, max: 1 });
    if (effect === undefined) throw new CliError('--mde is required: the true difference to detect', { hint: 'e.g. --mde 0.05 for 5 points' });
    const family = options.integer('family', { min: 1 }) ?? 1;
    const target = { alpha: (options.number('alpha', { min: 1e-9, max: 0.5 }) ?? 0.05) / family, power: options.number('power', { min: 0.5, max: 0.999 }) ?? 0.8 };
    const replicates = options.string('replicates')?.split(',').map((r) => Number(r.trim())) ?? DEFAULT_REPLICATES;
    if (replicates.some((r) => !Number.isInteger(r) || r < 1)) throw new CliError(`--replicates takes whole numbers ≥ 1, comma-separated (got ${options.string('replicates')})`);

    const database = options.string('db') ?? join(runsDirOf(options, env), '_aggregated', 'audition.duckdb');
    const hasDatabase = existsSync(database);
    const items: PilotItem[] = hasDatabase
      ? await withDatabase(database, { readOnly: true, signal }, async (connection) =>
        (await queryNamed(connection, 'pilot_items', { suite: suite.name, lane_a: laneA, lane_b: laneB })).map((r) => ({
          attemptsA: Number(r['attempts_a']), totalA: Number(r['total_a']), attemptsB: Number(r['attempts_b']), totalB: Number(r['total_b']),
        })))
      : [];
    const pilot = pilotVariance(items);
    if (pilot === null) {
      output.warn(`no pilot data for ${laneA} and ${laneB} on suite ${suite.name}${hasDatabase ? '' : ` (no database at ${database})`}: planning for the worst case (variance ${WORST_CASE_VARIANCE.itemVariance} an item, replicates assumed not to help)`);
      output.info(`for a real answer, run a pilot and aggregate it: ${command(['sweep', '--stage', 'pilot', '--lane', laneA, '--lane', laneB, '--suite', suite.path, '--limit', '20', '--replicates', '3'])}; ${command(['aggregate'])}`);
    } else {
      output.info(`pilot: ${pilot.items} items both lanes answered; variance of the per-item difference ${pilot.itemVariance.toFixed(4)} between items, ${pilot.replicateVariance.toFixed(4)} between replicates${pilot.replicatesSeen ? '' : ' (one attempt an item: replicates cannot be told apart, assumed not to help)'}`);
    }
    const rows = planDesigns(pilot ?? WORST_CASE_VARIANCE, effect, replicates, suite.items.length, target);
    output.info(`to detect a true difference of ${effect} with power ${target.power} at α ${+(target.alpha * family).toPrecision(6)}${family > 1 ? `/${family}` : ''} (two-sided, paired t on item means); the suite has ${suite.items.length} items`);
    output.data(options.flag('json') ? renderJsonLines(rows as never[]) : renderTable(rows.map((r) => ({
      replicates: r.replicates, items_needed: r.items_needed ?? '> 1e6', steps_per_lane: r.steps_per_lane ?? 'n/a', suite_suffices: r.suite_suffices ? 'yes' : 'no', suite_mde: Number.isNaN(r.suite_mde) ? 'n/a' : r.suite_mde.toFixed(4),
    }))));
  },
};
