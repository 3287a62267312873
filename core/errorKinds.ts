/** How a request or step failed. */
export const ERROR_KINDS = ['rate_limit', 'timeout', 'server', 'invalid_request', 'auth', 'parse', 'network', 'aborted', 'unknown'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
