import type { ChatRequest } from '../../core/chat.ts';
import { DIAL_FIELDS, dialTargetOf } from '../../core/dialFields.ts';
import { DIAL_NAMES, type Dials, type Lane } from '../../core/lane.ts';

/** The dials one request is sent with: its max-output override wins over the lane's, the lane's seed over the step's. */
export function requestDials(lane: Lane, request: ChatRequest): Dials {
  return { ...lane.dials, max_output_tokens: request.maxOutputTokens ?? lane.dials.max_output_tokens, seed: lane.dials.seed ?? request.seed };
}

function putPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = body;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/**
 * Writes a request's dials into `body` under the fields DIAL_FIELDS names for the lane's target;
 * unset dials write nothing, and a dial the target does not take is never set on a lane the rules accept.
 */
export function putDials(body: Record<string, unknown>, lane: Lane, request: ChatRequest): void {
  const { fields } = DIAL_FIELDS[dialTargetOf(lane)];
  const dials = requestDials(lane, request);
  for (const dial of DIAL_NAMES) {
    const field = fields[dial];
    const value = dials[dial];
    if (field === null || value === undefined) continue;
    if (typeof field === 'string') putPath(body, field, value);
    else if (value === true) putPath(body, field.path, field.whenOn);
  }
}
