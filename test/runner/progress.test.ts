import type { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput, type Output } from '../../lib/output.ts';
import { ProgressReporter } from '../../pipelines/runner/progress.ts';

const progress = suite('ProgressReporter');

progress('on a TTY: one bar redrawn in place with done/total, rate, ETA, errors and cost', () => {
  const written: string[] = [];
  const tty: Output = { ...createMemoryOutput(), interactive: true, stderr: { write: (s: string) => (written.push(s), true) } as unknown as Writable };
  const reporter = new ProgressReporter(tty, 'strong.t0-7');
  reporter.update({ done: 25, total: 100, errors: 2, costUsd: 0.1234 }, true);
  reporter.finish({ done: 100, total: 100, errors: 2, costUsd: 0.5 });
  assert.match(written[0], /^\rstrong\.t0-7 \[======\s+\] 25\/100 25% · ([\d.]+|–) steps\/s · ETA \S+ · errors 2 · \$0\.1234/);
  assert.ok(written.every((w) => !w.includes('\n') || w === '\n'), 'redrawn with \\r, one newline at the end');
  assert.is(written.at(-1), '\n');
});

progress('when piped: plain lines, at most one per interval', () => {
  const out = createMemoryOutput();
  const reporter = new ProgressReporter(out, 'lane', 60_000);
  reporter.update({ done: 1, total: 10, errors: 0, costUsd: 0 }, true);
  for (let i = 2; i < 10; i++) reporter.update({ done: i, total: 10, errors: 0, costUsd: 0 });
  reporter.finish({ done: 10, total: 10, errors: 0, costUsd: 0 });
  assert.is(out.logText.length, 2);
  assert.match(out.logText[1], /^lane 10\/10 100% /);
  assert.not.match(out.logText.join(''), /\r|\x1b/);
});

progress('no pace before a second has passed or from steps a resumed run found done; an unpriced model costs n/a, not $0', () => {
  const out = createMemoryOutput();
  const reporter = new ProgressReporter(out, 'lane');
  reporter.update({ done: 90, doneBefore: 90, total: 100, errors: 0, costUsd: null }, true);
  assert.match(out.logText[0], /^lane 90\/100 90% · – steps\/s · ETA \? · errors 0 · cost n\/a$/);
  assert.not.match(out.logText[0], /\$0/);
});

progress.run();
