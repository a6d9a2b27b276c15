import { Button, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { customersPath } from '../routes';
import type { Viewer } from '../viewer/ViewerProvider';
import { LanguageSwitch } from './LanguageSwitch';
import { RouterLink } from './RouterLink';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { display: 'flex', gap: tokens.spacingHorizontalL, flexGrow: 1 },
  tools: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  main: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    maxWidth: '1200px',
  },
});

/** The frame of every screen: who is signed in, the language, the way out, and the screen itself. */
export function Shell({ viewer, onSignOut, children }: { viewer?: Viewer; onSignOut?: () => void; children: ReactNode }) {
  const { t, catalogue } = useI18n();
  const styles = useStyles();
  const organisation = viewer?.partner?.name ?? viewer?.customer?.companyName;
  return (
    <>
      <header className={styles.header}>
        <Text className={styles.title}>{t('app.title')}</Text>
        <nav aria-label={t('nav.label')} className={styles.nav}>
          {viewer && <RouterLink href={customersPath}>{t('nav.customers')}</RouterLink>}
          {/* A page of its own (not a client route): GraphiQL is served by the server at /graphql. */}
          <Link href="/graphql">{t('nav.graphiql')}</Link>
        </nav>
        <div className={styles.tools}>
          {viewer && (
            <Text>
              {t('shell.signedInAs', { name: viewer.name })} · {catalogue.roles[viewer.role]}
              {organisation && ` · ${organisation}`}
            </Text>
          )}
          <LanguageSwitch />
          {onSignOut && <Button onClick={onSignOut}>{t('shell.signOut')}</Button>}
        </div>
      </header>
      <main className={styles.main}>{children}</main>
    </>
  );
}
