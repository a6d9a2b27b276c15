import { Link as FluentLink } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Link } from 'wouter';

/** A link to a screen of the app: Fluent's look, wouter's navigation without a reload. */
export function RouterLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} asChild>
      <FluentLink>{children}</FluentLink>
    </Link>
  );
}
