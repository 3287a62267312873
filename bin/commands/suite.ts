import { CliError } from '../../lib/errors.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { checkSuiteFile } from '../../pipelines/suites/load.ts';
import { isClosedBook, type Suite } from '../../pipelines/suites/types.ts';
import { checkEligibility } from '../../pipelines/tasks/graded/eligibility.ts';
import { PRO_CARD_MAX_WORDS } from '../../pipelines/tasks/mcq/learn.ts';
import { countWords } from '../../pipelines/tasks/mcq/tokens.ts';
import type { Command } from '../command.ts';
import { JSON_OPTION } from './shared.ts';

/** The counts `suite check` prints. */
export function countSuite(suite: Suite): Record<string, string | number> {
  const mcq = suite.items.flatMap((i) => (i.kind === 'mcq' ? [i] : []));
  const prompts = suite.items.flatMap((i) => (i.kind === 'prompt' ? [i] : []));
  const options = mcq.flatMap((i) => i.options);
  return {
    suite: suite.name, sha256: suite.sha256.slice(0, 12), items: suite.items.length,
    clusters: new Set(suite.items.map((i) => i.cluster ?? i.id)).size,
    mcq: mcq.length, mcq_closed_book: mcq.filter(isClosedBook).length, options: options.length, pro_cards: options.filter((o) => o.pro !== undefined).length, pro_cards_to_slice: options.filter((o) => o.pro === undefined).length,
    pro_cards_to_clip: options.filter((o) => o.pro !== undefined && countWords(o.pro) > PRO_CARD_MAX_WORDS).length,
    passages: new Set(mcq.flatMap((i) => i.evidence.map((e) => e.id))).size,
    prompt: prompts.length, with_rubrics: prompts.filter((i) => i.rubrics.length > 0).length, rubrics: prompts.reduce((n, i) => n + i.rubrics.length, 0),
    eligible_cases: prompts.filter((i) => checkEligibility(i).eligible).length,
  };
}

export const suiteCheck: Command = {
  name: 'suite check',
  summary: 'validate a suite file (JSONL or CSV) and print its counts',
  description: 'Every bad line is reported with its file, line and field; the exit code is 2 when any is found.',
  positionals: [{ name: 'FILE', description: 'a suite: .jsonl (mcq and prompt items) or .csv (mcq items)' }],
  options: { ...JSON_OPTION },
  examples: ['audition suite check suites/demo-mcq.jsonl', 'audition suite check suites/demo-mcq.csv --json'],
  async run({ positionals, options, output }) {
    const { suite, problems } = await checkSuiteFile(positionals[0]);
    for (const problem of problems) output.info(`${problem.message}${problem.hint === undefined ? '' : ` (${problem.hint})`}`);
    if (problems.length > 0) throw new CliError(`${positionals[0]}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${suite.items.length} items are valid`, { hint: 'fix the lines above' });
    const counts = countSuite(suite);
    output.data(options.flag('json') ? renderJsonLines([counts]) : renderTable(Object.entries(counts).map(([field, value]) => ({ field, value }))));
  },
};
