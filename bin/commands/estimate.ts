import { commandRenderer } from '../../lib/commandHint.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { requireLane } from '../../pipelines/lanes/manage.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { estimateRun } from '../../pipelines/runner/estimate.ts';
import { readPriceTable } from '../../pipelines/runner/pricing.ts';
import { resolveRunSettings } from '../../pipelines/runner/runSettings.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import type { Command } from '../command.ts';
import { RUN_OPTIONS, TASK_OPTIONS, definedEntries, taskSettingsFrom } from './run.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

export const estimate: Command = {
  name: 'estimate',
  summary: 'project the requests, tokens and cost of a run before starting it',
  description: 'Plays every step through the offline simulator to count requests and prompt tokens, takes completion tokens from the lane’s past runs when it has them, and prices them from config/prices.json (no cache discounts: an upper bound).',
  options: {
    lane: { type: 'string', value: 'SLUG', description: 'a lane to estimate; default: every active lane', multiple: true },
    suite: RUN_OPTIONS['suite'],
    task: RUN_OPTIONS['task'],
    replicates: RUN_OPTIONS['replicates'],
    seed: RUN_OPTIONS['seed'],
    limit: RUN_OPTIONS['limit'],
    ...TASK_OPTIONS,
    ...JSON_OPTION,
    ...RUNS_DIR_OPTION,
  },
  examples: ['audition estimate --lane gpt5.reason-high --lane sonnet.t1-0.ext --suite suites/demo-mcq.jsonl --replicates 5'],
  async run({ options, output, env }) {
    const runsDir = runsDirOf(options, env);
    const suite = await loadSuite(options.required('suite'), commandRenderer(env));
    const settings = resolveRunSettings({
      taskSettings: taskSettingsFrom(options),
      ...definedEntries({ taskKind: options.string('task'), replicates: options.integer('replicates', { min: 1 }), seed: options.integer('seed', { min: 0 }), limit: options.integer('limit', { min: 1 }) }),
    }, suite);
    const store = await openLaneStore(runsDir, { readOnly: true, env });
    const lanes = await (async () => {
      try {
        const slugs = options.list('lane');
        if (slugs.length === 0) return (await store.list()).filter((l) => l.active);
        return await Promise.all(slugs.map((s) => requireLane(store, s, commandRenderer(env))));
      } finally {
        await store.close();
      }
    })();
    const prices = readPriceTable();
    const rows = [];
    for (const lane of lanes) {
      rows.push(await estimateRun({ lane, suite, task: createTask(String(settings.task['kind']), settings.task), settings, prices, runsDir }));
    }
    output.data(options.flag('json') ? renderJsonLines(rows as never[]) : renderTable(rows.map((r) => ({ lane: r.lane, steps: r.steps, requests: r.requests, prompt_tokens: r.prompt_tokens, completion_tokens: r.completion_tokens, completions_from: r.completion_source, cost_usd: r.cost_usd ?? 'n/a', batch_usd: r.batch_cost_usd ?? 'n/a' }))));
    const total = rows.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
    const unpriced = rows.filter((r) => r.cost_usd === null);
    if (unpriced.length > 0) output.warn(`no price for ${[...new Set(unpriced.map((r) => r.model))].join(', ')} (lanes ${unpriced.map((r) => r.lane).join(', ')}): cost n/a, left out of the total; add them to config/prices.json`);
    output.info(`total ≈ $${total.toFixed(2)}${unpriced.length > 0 ? ` for the ${rows.length - unpriced.length} priced lanes` : ''} (prices as of ${prices.as_of}; no prompt-cache discounts, so an upper bound)`);
  },
};
