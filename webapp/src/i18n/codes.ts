import type { UserErrorCode } from '../api/generated';

/** Codes of API version 2 (../shared/API.md) not yet in schema.graphql (the webhooks'); once they
 * are, the generated type has them too and they leave this list. */
export const VERSION_2_USER_ERROR_CODES = ['INVALID_URL'] as const;

/** Codes of errors[].extensions.code: refusals of a request as a whole (web/errors.py and the
 * edge), and NETWORK_ERROR for a server that did not answer at all. */
export const REQUEST_ERROR_CODES = [
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'TIMEOUT',
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_COSTLY',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_TOKENS',
  'PLAN_MISMATCH',
  'INTERNAL_SERVER_ERROR',
  'NETWORK_ERROR',
] as const;

export type ErrorCode =
  | UserErrorCode
  | (typeof VERSION_2_USER_ERROR_CODES)[number]
  | (typeof REQUEST_ERROR_CODES)[number];
