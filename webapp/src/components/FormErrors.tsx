import type { ErrorCode } from '../i18n/codes';
import { ErrorNotice } from './ErrorNotice';

/** The errors of a form that belong to none of its fields. */
export function FormErrors({ codes }: { codes: readonly ErrorCode[] }) {
  return (
    <>
      {codes.map((code) => (
        <ErrorNotice key={code} code={code} />
      ))}
    </>
  );
}
