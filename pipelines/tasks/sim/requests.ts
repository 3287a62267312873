import type { ChatRequest } from '../../../core/chat.ts';
import type { Lane } from '../../../core/lane.ts';
import type { Simulator } from '../../../core/simulator.ts';

/**
 * A task's Simulator: it tags each request the task makes with what the
 * request asks (a hint: the item, replicate, sample…) and answers it with
 * `answer`. The tag rides on the request under a symbol only this simulator
 * knows, so copies made on the way (`{ ...request, seed }`) keep it, JSON
 * (logs, dry-run dumps) never shows it, and no provider can read it.
 */
export class SimulatedRequests<Hint extends { seed?: number }> implements Simulator {
  private readonly key = Symbol('simulation hint');

  /** `answer` gets the run seed: the hint's (the run's seed), else the request's per-step seed, else 0. */
  constructor(private readonly answer: (lane: Lane, hint: Hint, runSeed: number) => string) {}

  /** Tags `request` with what it asks and returns it, for `ctx.complete(simulator.attach(request, hint))`. */
  attach(request: ChatRequest, hint: Hint): ChatRequest {
    (request as ChatRequest & Record<symbol, unknown>)[this.key] = hint;
    return request;
  }

  reply(lane: Lane, request: ChatRequest): string | undefined {
    const hint = (request as ChatRequest & Record<symbol, Hint | undefined>)[this.key];
    return hint === undefined ? undefined : this.answer(lane, hint, hint.seed ?? request.seed ?? 0);
  }
}
