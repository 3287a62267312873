import type { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput, type Output } from '../../lib/output.ts';
import { ProgressReporter } from '../../pipelines/runner/progress.ts';

const progress = suite('ProgressReporter');

progress('on a TTY: one bar redrawn in place with done/total, rate, ETA, errors and cost', () => {
  const written: string[] = [];
  const tty: Output = { ...createMemoryOutput(), interactive: true, stderr: { write: (s: string) => (written.push(s), true) } as unknown as Writable };
  let now = 0;
  const reporter = new ProgressReporter(tty, 'strong.t0-7', 10_000, () => now);
  now = 5000;
  reporter.update({ done: 25, total: 100, errors: 2, costUsd: 0.1234 }, true);
  reporter.finish({ done: 100, total: 100, errors: 2, costUsd: 0.5 });
  assert.match(written[0], /^\rstrong\.t0-7 \[======\s+\] 25\/100 25% · 5\.0 steps\/s · ETA 15s · errors 2 · \$0\.1234/);
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

progress('no pace before a second has passed, and none from steps a resumed run found done; an unpriced model costs n/a, not $0', () => {
  const out = createMemoryOutput();
  let now = 0;
  const reporter = new ProgressReporter(out, 'lane', 10_000, () => now);
  now = 200;
  reporter.update({ done: 91, doneBefore: 90, total: 100, errors: 0, costUsd: null }, true);
  now = 5000;
  reporter.update({ done: 90, doneBefore: 90, total: 100, errors: 0, costUsd: null }, true);
  assert.equal(out.logText, ['lane 91/100 91% · errors 0 · cost n/a', 'lane 90/100 90% · errors 0 · cost n/a']);
  assert.not.match(out.logText.join(''), /steps\/s|ETA|\$0/);
});

progress('the pace counts only the steps sent in this process: a resumed run that sent 10 steps in 4 s runs at 2.5 steps/s, not (90 + 10) / 4', () => {
  const out = createMemoryOutput();
  let now = 1_000_000;
  const reporter = new ProgressReporter(out, 'lane', 10_000, () => now);
  now += 4000;
  reporter.update({ done: 100, doneBefore: 90, total: 120, errors: 1, costUsd: 0.5 }, true);
  assert.is(out.logText[0], 'lane 100/120 83% · 2.5 steps/s · ETA 8s · errors 1 · $0.5000');
});

progress("a run's last line has no ETA; over less than a second it has no pace either, rather than a rate measured over milliseconds", () => {
  const out = createMemoryOutput();
  let now = 0;
  const reporter = new ProgressReporter(out, 'lane', 10_000, () => now);
  now = 4;
  reporter.finish({ done: 2, total: 204, errors: 2, costUsd: 0 });
  now = 2000;
  reporter.finish({ done: 10, total: 10, errors: 0, costUsd: 0.01 });
  assert.equal(out.logText, ['lane 2/204 1% · errors 2 · $0.0000', 'lane 10/10 100% · 5.0 steps/s · errors 0 · $0.0100']);
});

progress.run();
