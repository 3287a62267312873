import { summarizeProgress } from '../../analysis/progress.ts';
import { requireRunLog } from '../../pipelines/runlog/discover.ts';
import { hasLiveWriter } from '../../pipelines/runlog/lock.ts';
import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import type { Command } from '../command.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: "show a run's progress from its log: done, errors, pending, cache hits, rate so far, ETA",
  description: 'Reads only the run log (no database), so it works while the run is still writing it. RUN_ID may also be the path of a log.',
  positionals: [{ name: 'RUN_ID', description: 'the run id (its log is RUNS/<stage>/RUN_ID.jsonl) or a log path' }],
  options: { ...RUNS_DIR_OPTION, ...JSON_OPTION },
  examples: ['audition status 20261122-101500-4o', 'audition status runs/smoke/20261122-101500-4o.jsonl --json'],
  async run({ options, positionals, output, env }) {
    const id = positionals[0];
    const runsDir = runsDirOf(options, env);
    const paths = [await requireRunLog(runsDir, id, { appendable: false, rerun: ['status'], command: commandRenderer(env) })];
    const log = await readRunLog(paths[0]);
    if (log.start === null && log.steps.length === 0 && !log.damaged) {
      throw new CliError(`${paths[0]} is not a run log: it has no usable run_start and no usable step (${log.lines} non-empty lines, ${log.problems.length} unusable)`, { hint: 'pass a run id or the path of a runs/<stage>/<run_id>.jsonl log' });
    }
    const p = summarizeProgress(log, new Date(), { writerAlive: hasLiveWriter(paths[0]) });
    for (const problem of log.problems.slice(0, 5)) output.warn(`${problem.file}:${problem.line}: ${problem.reason}`);
    if (log.problems.length > 5) output.warn(`… and ${log.problems.length - 5} more unusable lines`);
    for (const warning of log.warnings) output.warn(`${paths[0]}: ${warning}`);
    if (options.flag('json')) {
      output.data(renderJsonLines([{ ...p }]));
      return;
    }
    const rate = p.rate === null ? '–' : `${(p.rate * 100).toFixed(1)}% ${p.metric}`;
    const rows = [
      ['run', `${p.run_id} (${p.status === 'stopped' ? `stopped without run_end (resume with: ${commandHint(env, ['run', '--resume', p.run_id, '--suite', log.start?.suite.path ?? '…'])})` : p.status})`],
      ['lane', `${p.lane} · ${p.model}`],
      ['suite', `${p.suite} · stage ${p.stage}`],
      ['progress', `${p.done} of ${p.planned} done (${p.percent_done}%), ${p.errors} errors${p.errors === 0 ? '' : ` (${p.model_failures} model failures, worth 0; ${p.missing} missing, to retry)`}, ${p.pending} pending`],
      ['outcomes', `${p.ok} ok, ${p.abstain} abstain; rate so far ${rate}`],
      ['cache hits', `${p.cache_hits} of ${p.ok + p.abstain + p.errors} steps read cached prompt tokens`],
      ['cost', p.cost_usd === null ? 'n/a (no price for this model)' : `$${p.cost_usd.toFixed(4)}`],
      ['time', `started ${p.started_at}, last step ${p.last_step_at ?? '–'}, elapsed ${formatDuration(p.elapsed_s)}`],
      ['pace', p.steps_per_min === null ? '–' : `${p.steps_per_min} steps/min, ETA ${formatDuration(p.eta_s)}`],
      ['log', `${p.file}${p.superseded > 0 ? `; ${p.superseded} retried steps` : ''}${p.problem_lines > 0 ? `; ${p.problem_lines} unusable lines` : ''}`],
    ].map(([field, value]) => ({ field, value }));
    output.data(renderTable(rows, ['field', 'value']));
  },
};
