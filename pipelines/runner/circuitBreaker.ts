import { CliError, ExitCode } from '../../lib/errors.ts';
import type { ErrorKind } from '../../core/errorKinds.ts';
import type { Lane } from '../../core/lane.ts';
import type { ProviderAdapter } from '../../core/chat.ts';
import { asProviderError } from './requestGate.ts';

/**
 * How many request attempts (retries included) must all fail with a network or server error, with nothing else
 * before them, for a run to stop as unreachable. Attempts, not steps: with retries and backoff, ten failed steps
 * would take minutes; ten failed attempts take seconds.
 */
export const UNREACHABLE_AFTER_ATTEMPTS = 10;

/** Failures that say the server is not there or not working; sending more would only burn the suite in backoff. */
const UNREACHABLE_KINDS: ReadonlySet<ErrorKind> = new Set(['network', 'server']);

/** What the breaker saw when it tripped. */
export interface Unreachable {
  attempts: number;
  /** The last failure, as the adapter reported it. */
  kind: ErrorKind;
  message: string;
}

/**
 * Watches a run's request attempts: when the first `tripAfter` all fail with `network` or `server` errors it calls
 * `onTrip` once (the engine stops the run and abandons in-flight requests and backoff sleeps). Any other outcome
 * first — a success, or another kind of failure, which shows the server answers — disarms it for the run.
 */
export class CircuitBreaker {
  private failures = 0;
  private armed = true;
  private trip: Unreachable | null = null;

  constructor(private readonly onTrip: () => void, private readonly tripAfter: number = UNREACHABLE_AFTER_ATTEMPTS) {}

  /** Set once the breaker has tripped. */
  get tripped(): Unreachable | null {
    return this.trip;
  }

  /** The adapter, with every attempt it sends counted. */
  watch(adapter: ProviderAdapter): ProviderAdapter {
    return {
      name: adapter.name,
      buildRequest: (lane, request) => adapter.buildRequest(lane, request),
      check: (lane) => adapter.check(lane),
      baseURL: (lane) => adapter.baseURL(lane),
      send: async (lane, request, options) => {
        try {
          const response = await adapter.send(lane, request, options);
          this.armed = false;
          return response;
        } catch (error) {
          if (!options.signal.aborted) this.failed(asProviderError(error));
          throw error;
        }
      },
      close: () => adapter.close(),
    };
  }

  private failed(failure: { kind: ErrorKind; message: string }): void {
    if (!this.armed) return;
    if (!UNREACHABLE_KINDS.has(failure.kind)) {
      this.armed = false;
      return;
    }
    this.failures++;
    if (this.failures < this.tripAfter) return;
    this.armed = false;
    this.trip = { attempts: this.failures, kind: failure.kind, message: failure.message };
    this.onTrip();
  }
}

/** The error `audition run` exits 1 with when the breaker stopped a run: where the requests went, why, and the fix. */
export function unreachableError(lane: Lane, baseURL: string, trip: Unreachable, resume: string): CliError {
  const what = trip.kind === 'server' ? 'server errors (5xx)' : 'network errors';
  return new CliError(`lane ${lane.slug}: the first ${trip.attempts} requests to ${baseURL} all failed with ${what} (last: ${trip.message}); the run stopped instead of retrying every step`, {
    exitCode: ExitCode.unexpected,
    hint: `check that the server at ${baseURL} is up and reachable (the lane's base_url, or the provider's host variable), then resume: ${resume}`,
  });
}
