#!/usr/bin/env -S npx zx
// The scattergun sweep: breadth (every active lane, a slice of the suite, one attempt), then depth
// (the lanes named with --finalists, the whole suite, several attempts, self-consistency), then a
// long stage (the finalists in sessions: steps share a growing context) — and an aggregate.
// Each stage is an `audition sweep`, so a rerun skips what is captured and resumes what is partial.
//
//   npx zx sweeps/scattergun.mjs --suite suites/demo-mcq.jsonl --finalists strong.t0-7,medium.t0-7
import { $, argv } from 'zx';

const suite = argv.suite ?? 'suites/demo-mcq.jsonl';
// --runs-dir only when given: the CLI owns its default ($AUDITION_RUNS_DIR, else ./runs)
const runsDir = argv['runs-dir'] === undefined ? [] : ['--runs-dir', argv['runs-dir']];
const finalists = argv.finalists === undefined ? [] : String(argv.finalists).split(',').flatMap((slug) => ['--lane', slug]);
const audition = ['node', new URL('../bin/audition.mjs', import.meta.url).pathname];
$.verbose = true;

// A stage whose lanes partly failed or could not run (exit 1 or 2: the sweep named each) still leaves the others'
// runs to build on, so the next stages go on; a budget stop (3) or Ctrl-C (130) ends the script with that code.
let exitCode = 0;
async function stage(command) {
  const { exitCode: code } = await command.nothrow();
  if (code === 3 || code === 130) process.exit(code);
  if (code !== 0 && exitCode === 0) exitCode = code;
}

await stage($`${audition} sweep --stage breadth --suite ${suite} --limit ${argv.breadth ?? 20} --replicates 1 --parallel ${argv.parallel ?? 6} ${runsDir}`);
if (finalists.length > 0) {
  await stage($`${audition} sweep --stage depth --suite ${suite} --replicates ${argv.replicates ?? 5} --sc ${argv.sc ?? 3} ${finalists} ${runsDir}`);
  await stage($`${audition} sweep --stage long --task session --suite ${suite} --replicates 2 ${finalists} ${runsDir}`);
}
await stage($`${audition} aggregate ${runsDir}`);
process.exitCode = exitCode;
