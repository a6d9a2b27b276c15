import type { CombinedError } from '@urql/core';
import type { ErrorCode } from '../i18n/codes';

/** The code of a failed request: the server's extensions.code, or NETWORK_ERROR when no answer came. */
export function requestErrorCode(error: CombinedError): ErrorCode {
  const code = error.graphQLErrors.map((e) => e.extensions['code']).find((c) => typeof c === 'string');
  if (code !== undefined) return code as ErrorCode;
  return error.networkError ? 'NETWORK_ERROR' : 'INTERNAL_SERVER_ERROR';
}

export type FieldErrors<F extends string> = {
  /** The first error of each form field, by the field's input name. */
  byField: Partial<Record<F, ErrorCode>>;
  /** Errors that name none of the form's fields. */
  other: ErrorCode[];
};

/** Sorts a payload's userErrors onto the form's fields by the last element of each error's path. */
export function fieldErrors<F extends string>(
  userErrors: readonly { field: readonly string[] | null; code: ErrorCode }[],
  fields: readonly F[],
): FieldErrors<F> {
  const result: FieldErrors<F> = { byField: {}, other: [] };
  for (const error of userErrors) {
    const field = fields.find((f) => f === error.field?.at(-1));
    if (field !== undefined && result.byField[field] === undefined) result.byField[field] = error.code;
    else result.other.push(error.code);
  }
  return result;
}

/** A fresh idempotency key for one order: a retry of the same order sends the same key again. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
