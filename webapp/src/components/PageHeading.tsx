import { makeStyles, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18nProvider';

const useStyles = makeStyles({
  heading: { ...typographyStyles.title2, margin: 0, outlineStyle: 'none' },
});

/** A screen's heading. On arrival it takes the focus and names the document, so that keyboard and
 * screen reader users start on the new screen rather than on the link that led there. */
export function PageHeading({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  const styles = useStyles();
  useEffect(() => {
    document.title = `${children} – ${t('app.title')}`;
  }, [children, t]);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={styles.heading}>
      {children}
    </h1>
  );
}
