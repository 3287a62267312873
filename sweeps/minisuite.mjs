#!/usr/bin/env -S npx zx
// A small comparison sweep: every active lane (or the lanes named with --lanes a,b) over one suite
// in two stages — a smoke pass on a few items, then the full comparison — and an aggregate at the end.
// Run it again after a crash or Ctrl-C: completed runs are skipped and partial ones resume.
//
//   npx zx sweeps/minisuite.mjs --suite suites/demo-mcq.jsonl --lanes strong.t0-7,weak.t0-7 --replicates 3
import { $, argv } from 'zx';

const suite = argv.suite ?? 'suites/demo-mcq.jsonl';
const lanes = argv.lanes === undefined ? [] : String(argv.lanes).split(',').flatMap((slug) => ['--lane', slug]);
// --runs-dir and --parallel only when given: the CLI owns their defaults
const runsDir = argv['runs-dir'] === undefined ? [] : ['--runs-dir', argv['runs-dir']];
const audition = ['node', new URL('../bin/audition.mjs', import.meta.url).pathname];
$.verbose = true;

await $`${audition} sweep --stage smoke --suite ${suite} --limit 5 --replicates 1 ${lanes} ${runsDir}`;
await $`${audition} sweep --stage compare --suite ${suite} --replicates ${argv.replicates ?? 3} ${argv.parallel === undefined ? [] : ['--parallel', argv.parallel]} ${lanes} ${runsDir}`;
await $`${audition} aggregate ${runsDir}`;
