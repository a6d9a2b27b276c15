import type { CombinedError } from '@urql/core';
import { useState } from 'react';
import { fieldErrors, requestErrorCode, type FieldErrors } from '../api/errors';
import type { ErrorCode } from '../i18n/codes';

type UserErrors = readonly { field: readonly string[] | null; code: ErrorCode }[];

/** What a change or an order came back with, sorted onto the form: a request that failed as a
 * whole, or the payload's userErrors by field. A VERSION_CONFLICT reloads the subscription, so that
 * the reader checks the current state before trying again. */
export function useChangeOutcome<F extends string>(fields: readonly F[], onConflict?: () => void) {
  const [errors, setErrors] = useState<FieldErrors<F>>({ byField: {}, other: [] });
  /** Records the outcome; true when the change went through. */
  const settle = (error: CombinedError | undefined, userErrors: UserErrors | undefined): boolean => {
    const next: FieldErrors<F> = error
      ? { byField: {}, other: [requestErrorCode(error)] }
      : fieldErrors(userErrors ?? [], fields);
    setErrors(next);
    if (next.other.includes('VERSION_CONFLICT')) onConflict?.();
    return next.other.length === 0 && Object.keys(next.byField).length === 0;
  };
  const fail = (field: F, code: ErrorCode) => setErrors({ byField: { [field]: code } as Partial<Record<F, ErrorCode>>, other: [] });
  const clear = () => setErrors({ byField: {}, other: [] });
  return { errors, settle, fail, clear };
}

/** A whole number of licences from what was typed, or null. */
export function parseCount(typed: string): number | null {
  return /^\s*\d{1,9}\s*$/.test(typed) ? Number(typed) : null;
}
