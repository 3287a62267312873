import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactValue, secretValues } from '../../lib/secrets.ts';
import { ProviderError, type ChatRequest, type ChatResponse } from '../../core/chat.ts';
import { emptyTokens } from '../../core/tokens.ts';
import { dryRunDumpPath } from '../runlog/discover.ts';
import type { RunLaneOptions, RunResult } from './engine.ts';
import { withStepSeed, type PlannedStep } from './plan.ts';

/** Thrown by the dry-run context once a step's first request is recorded. */
class DryRunRecorded extends Error {}

/** Writes each step's first request body, exactly as the adapter would send it (redacted), to runs/_dry-run/; sends nothing. */
export async function dryRun(options: RunLaneOptions, runId: string, planned: readonly PlannedStep[]): Promise<RunResult> {
  const path = dryRunDumpPath(options.runsDir, options.settings.stage, runId);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const secrets = secretValues(options.env);
  for (const step of planned) {
    const complete = async (request: ChatRequest): Promise<ChatResponse> => {
      const built = options.adapter.buildRequest(options.lane, withStepSeed(request, step.seed));
      out.write(JSON.stringify(redactValue({ run_id: runId, item_id: step.item.id, replicate: step.replicate, url: built.url, body: built.body }, secrets)) + '\n');
      throw new DryRunRecorded();
    };
    try {
      await options.task.runStep(step.item, step.replicate, { lane: options.lane, settings: options.settings.task, complete, signal: new AbortController().signal, seed: options.settings.seed });
    } catch (error) {
      if (!(error instanceof DryRunRecorded) && !(error instanceof ProviderError)) throw error;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  options.output.info(`dry run: wrote ${planned.length} request bodies to ${path}; nothing was sent`);
  return { runId, path, status: 'completed', counts: { ok: 0, abstain: 0, error: 0 }, costUsd: 0, priced: false, tokens: emptyTokens() };
}
