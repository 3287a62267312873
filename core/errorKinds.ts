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
