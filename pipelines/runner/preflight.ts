import { CliError } from '../../lib/errors.ts';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ProviderAdapter } from '../../core/chat.ts';
import { openLaneStore } from '../lanes/openStore.ts';
import type { ProviderPool } from '../providers/providerPool.ts';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { assertLaneFitsLimits, readLimitsFile } from './limits.ts';

/**
 * Refuses (exit 2), before a run log exists and before any request or limiter wait, a lane that cannot send at all:
 * its adapter's check (the key variable set, the base URL an http(s) URL). The message names the lane and the fix.
 */
export function assertLaneCanSend(lane: Lane, adapter: ProviderAdapter): void {
  try {
    adapter.check(lane);
  } catch (error) {
    if (error instanceof ProviderError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}

export interface SweepPreflightOptions {
  lanes: readonly string[];
  runsDir: string;
  env: NodeJS.ProcessEnv;
  providers: ProviderPool;
  limitsFile?: string;
  command?: CommandRenderer;
}

/**
 * Every lane of a sweep checked before any starts: its key and base URL (`assertLaneCanSend`) and its limits row
 * (`assertLaneFitsLimits`). Returns, by slug, why each lane that cannot run cannot. A lane the registry does not hold is
 * left to the run, which says so (or resumes it from its log).
 */
export async function findLanesThatCannotSend(options: SweepPreflightOptions): Promise<Map<string, CliError>> {
  const limits = await readLimitsFile(options.limitsFile);
  const store = await openLaneStore(options.runsDir, { readOnly: true, env: options.env });
  const refused = new Map<string, CliError>();
  try {
    for (const slug of options.lanes) {
      const lane = await store.get(slug);
      if (lane === null) continue;
      try {
        assertLaneCanSend(lane, await options.providers.adapterFor(lane));
        assertLaneFitsLimits(lane, limits.rows, limits.file, options.command ?? PLAIN_COMMAND);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        refused.set(slug, error);
      }
    }
  } finally {
    await store.close();
  }
  return refused;
}

/** One line for a lane a preflight refused: what is wrong and what to do. */
export function describeRefusal(error: CliError): string {
  return error.hint === undefined ? error.message : `${error.message}; ${error.hint}`;
}
