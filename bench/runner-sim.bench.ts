// Issue 3 target (a): a 170,000-step `sim` MCQ run in ≤ 30 s with peak RSS ≤ 300 MB.
// Baseline in the same run: the same task + simulator called in a bare loop that writes one JSON line a step, no engine.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Lane } from '../core/lane.ts';
import { createAdapter } from '../pipelines/providers/sim.ts';
import { runLane } from '../pipelines/runner/engine.ts';
import { loadSuite } from '../pipelines/suites/load.ts';
import type { McqItem, Suite } from '../pipelines/suites/types.ts';
import { createTask } from '../pipelines/tasks/index.ts';
import { withSimAdapter } from '../test/helpers/sim.ts';
import { parseTaskSettings } from '../pipelines/tasks/settings.ts';
import { quietOutput, round, tempRunsDir } from './kit.ts';
import { peakRssMb, reportBench } from './report.ts';

const STEPS = 170_000;
const REPLICATES = 10;
const lane: Lane = { slug: 'strong.t0-7', alias: 'strong', provider: 'sim', model: 'sim-strong', dials: { temperature: 0.7 }, active: true, visible: true };

/** The bundled MCQ items, copied under new ids until there are STEPS / REPLICATES of them. */
async function benchSuite(): Promise<Suite> {
  const demo = await loadSuite(new URL('../suites/demo-mcq.jsonl', import.meta.url).pathname);
  const base = demo.items.filter((i): i is McqItem => i.kind === 'mcq');
  const items: McqItem[] = Array.from({ length: STEPS / REPLICATES }, (_, i) => {
    const source = base[i % base.length];
    const copy = Math.floor(i / base.length);
    return { ...source, id: `${source.id}~${copy}`, cluster: `${source.cluster}~${copy}` };
  });
  return { ...demo, items };
}

const suite = await benchSuite();
const taskSettings = parseTaskSettings('mcq', {}, { field: 'bench' });

// Baseline: task + simulator + one JSON line a step, in a plain loop.
const { dir: baseDir, cleanup: cleanBase } = tempRunsDir();
const fd = openSync(join(baseDir, 'baseline.jsonl'), 'w');
const task = createTask('mcq', taskSettings);
const adapter = createAdapter({}, { simulator: task.simulator });
const controller = new AbortController();
const baseStart = performance.now();
let baselineSteps = 0;
for (const item of suite.items.slice(0, 20_000)) {
  for (let r = 0; r < REPLICATES; r++) {
    const outcome = await task.runStep(item, r, { lane, settings: taskSettings, signal: controller.signal, complete: (request) => adapter.send(lane, { ...request, seed: r }, { signal: controller.signal, timeoutMs: 1000 }) });
    writeSync(fd, JSON.stringify({ item_id: item.id, replicate: r, ...outcome }) + '\n');
    baselineSteps++;
  }
}
closeSync(fd);
const baselineRate = baselineSteps / ((performance.now() - baseStart) / 1000);
cleanBase();

const { dir, cleanup } = tempRunsDir();
const start = performance.now();
const result = await runLane({ lane, suite, ...withSimAdapter(createTask('mcq', taskSettings)), settings: { replicates: REPLICATES, seed: 1, stage: 'bench', concurrency: 64, maxRetries: 3, timeoutMs: 30_000, task: taskSettings }, runsDir: dir, output: quietOutput(), env: {} });
const seconds = (performance.now() - start) / 1000;
const steps = result.counts.ok + result.counts.abstain + result.counts.error;
const rss = await peakRssMb();
cleanup();

process.stderr.write(`(a) ${steps} sim steps in ${round(seconds, 2)} s = ${round(steps / seconds)} steps/s, peak RSS ${round(rss)} MB; bare loop ${round(baselineRate)} steps/s\n`);
reportBench('runner-sim', { steps, seconds: round(seconds, 2), steps_per_s: round(steps / seconds), peak_rss_mb: round(rss), bare_loop_steps_per_s: round(baselineRate), engine_vs_bare_loop: round(steps / seconds / baselineRate, 2) }, { seconds: '<= 30', peak_rss_mb: '<= 300' }, steps === STEPS && seconds <= 30 && rss <= 300);
