/**
 * How a request or step failed. `auth`: the key is missing or refused; `quota`: the account cannot pay (credits used
 * up, a spend limit reached, a billing problem), which waiting does not cure, unlike `rate_limit`.
 */
export const ERROR_KINDS = ['rate_limit', 'timeout', 'server', 'invalid_request', 'auth', 'quota', 'parse', 'network', 'aborted', 'unknown'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Failures of the account rather than of one request: every later request would fail alike, so a run stops at the first. */
export const ACCOUNT_ERROR_KINDS = ['auth', 'quota'] as const satisfies readonly ErrorKind[];
export type AccountErrorKind = (typeof ACCOUNT_ERROR_KINDS)[number];

/** Whether `kind` (an error kind, or a run's stop reason) is a failure of the account (see ACCOUNT_ERROR_KINDS). */
export function isAccountError(kind: string): kind is AccountErrorKind {
  return (ACCOUNT_ERROR_KINDS as readonly string[]).includes(kind);
}

/**
 * Whose failure an error step is. `model`: the model's own output failed (an answer that does not parse, an empty
 * answer, a refusal in place of one: the tasks log these as `parse`): a failed attempt, worth 0. `infrastructure`:
 * the request never got a fair answer (limits, time, the network, the provider's server, the account, Ctrl-C):
 * missing data, which `--resume` sends again.
 */
export type FailureCharge = 'model' | 'infrastructure';

/**
 * The charge of each error kind. `unknown` (an exception nothing classified, or a kind this version does not know)
 * is infrastructure: most often it is audition's or an SDK's fault, and a failure no one can attribute should
 * show as missing data (counted and warned about) rather than silently lower a lane's rate. `invalid_request` is
 * infrastructure: in a one-request task the refused request is the one audition built (a dial the model does not
 * take, a prompt over its context); a task whose request carries the model's own earlier output charges it to the
 * model by marking the step (TASK_ERROR_SOURCE).
 */
export const ERROR_CHARGES = {
  rate_limit: 'infrastructure', timeout: 'infrastructure', server: 'infrastructure', invalid_request: 'infrastructure', auth: 'infrastructure',
  quota: 'infrastructure', parse: 'model', network: 'infrastructure', aborted: 'infrastructure', unknown: 'infrastructure',
} as const satisfies Record<ErrorKind, FailureCharge>;

/** The kinds a task may charge to the model by marking the step: only a refused request can be the model's doing. */
export const MODEL_CHARGEABLE_KINDS = ['invalid_request'] as const satisfies readonly ErrorKind[];

/** A step's `task[key] = value` that charges a MODEL_CHARGEABLE_KINDS error to the model (its request carried the model's output). */
export const TASK_ERROR_SOURCE = { key: 'error_source', value: 'model' } as const;

/** Whose failure an error of `kind` is, given the step's task facts (see ERROR_CHARGES, TASK_ERROR_SOURCE). */
export function chargeOf(kind: string, task: Readonly<Record<string, unknown>> | null | undefined): FailureCharge {
  const known = (ERROR_KINDS as readonly string[]).includes(kind) ? (kind as ErrorKind) : 'unknown';
  if ((MODEL_CHARGEABLE_KINDS as readonly string[]).includes(known) && task?.[TASK_ERROR_SOURCE.key] === TASK_ERROR_SOURCE.value) return 'model';
  return ERROR_CHARGES[known];
}
