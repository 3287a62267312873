import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput } from '../../lib/output.ts';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { withSimAdapter } from '../helpers/sim.ts';
import { simTruth } from '../../pipelines/tasks/mcq/simulate.ts';
import { runLane } from '../../pipelines/runner/engine.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings, type McqTaskSettings } from '../../pipelines/tasks/settings.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const demo = suite('demo run (engine + sim + lanes/demo.yaml)');

demo('credited rates differ by lane in the direction the ground-truth model says', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const lanes = await readLaneFile(`${ROOT}lanes/demo.yaml`);
    const mcq = await loadSuite(`${ROOT}suites/demo-mcq.jsonl`);
    const settings = parseTaskSettings('mcq', {}, {}) as McqTaskSettings;
    const replicates = 12;
    const rows: { slug: string; observed: number; truth: number; se: number }[] = [];
    for (const lane of lanes) {
      const result = await runLane({
        lane, suite: mcq, ...withSimAdapter(createTask('mcq', settings)), runsDir: dir, output: createMemoryOutput(), env: {},
        settings: { replicates, seed: 5, stage: 'demo', concurrency: 8, maxRetries: 0, timeoutMs: 5000, task: settings },
      });
      assert.is(result.status, 'completed');
      const log = await readRunLog(result.path);
      assert.is(log.steps.length, mcq.items.length * replicates);
      assert.ok(log.steps.filter((s) => s.status === 'ok').every((s) => s.evaluation?.citations_evidence !== null && s.evaluation?.citations_evidence !== undefined));
      assert.ok(log.steps.some((s) => s.status === 'error' && s.error?.kind === 'parse'), 'malformed answers are parse errors');
      const truths = (mcq.items as McqItem[]).map((item) => simTruth(lane, item, settings).credited);
      const n = log.steps.length;
      rows.push({
        slug: lane.slug,
        observed: log.steps.filter((s) => s.evaluation?.citations_evidence?.credited === true).length / n,
        truth: truths.reduce((a, p) => a + p, 0) / truths.length,
        se: Math.sqrt(truths.reduce((a, p) => a + p * (1 - p), 0) * replicates) / n,
      });
    }
    for (const row of rows) assert.ok(Math.abs(row.observed - row.truth) < 4 * row.se, `${row.slug}: observed ${row.observed.toFixed(3)}, true ${row.truth.toFixed(3)}`);
    const order = [...rows].sort((a, b) => b.truth - a.truth).map((r) => r.slug);
    assert.equal(order, ['strong.t0-7', 'strong.t1-5', 'medium.t0-7', 'medium.t1-5.min0-10', 'weak.t0-7', 'coin.t1-0'], 'the order docs/sim.md and lanes/demo.yaml state');
    for (const a of rows) {
      for (const b of rows) {
        if (a.truth - b.truth >= 0.08) assert.ok(a.observed > b.observed, `${a.slug} (${a.observed.toFixed(3)}) should beat ${b.slug} (${b.observed.toFixed(3)})`);
      }
    }
  } finally {
    cleanup();
  }
});

demo.run();
