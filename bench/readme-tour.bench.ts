// How long the README's tour takes a new user with no API keys (issue 10: under a minute, one clear message per lane
// that cannot send, no waiting on them). The baseline, measured in the same run, is one CLI start (`--help`): most of
// the tour is the ~20 commands' own start-up.
import { spawnSync } from 'node:child_process';
import { AUDITION_BIN, withReadmeTour } from '../test/helpers/readmeTour.ts';
import { reportBench } from './report.ts';

const startAt = Date.now();
spawnSync('node', [AUDITION_BIN, '--help'], { encoding: 'utf8' });
const cliStartMs = Date.now() - startAt;

const figures = await withReadmeTour(({ setUp, tour, setUpMs, tourMs }) => {
  for (const r of [...setUp, ...tour]) process.stderr.write(`${String(r.code).padStart(4)} ${String(r.ms).padStart(6)} ms  ${r.command}\n`);
  const slowest = [...tour].sort((a, b) => b.ms - a.ms)[0];
  return { tour_ms: tourMs, set_up_ms: setUpMs, commands: tour.length, slowest_command_ms: slowest?.ms ?? 0, slowest_command: slowest?.command ?? '', cli_start_ms: cliStartMs };
});
reportBench('readme-tour', figures, { tour_ms: '< 60000' }, figures.tour_ms < 60_000);
