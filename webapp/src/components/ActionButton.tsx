import { Button, Text, makeStyles, mergeClasses, tokens, useId, type ButtonProps } from '@fluentui/react-components';
import type { Availability } from '../actions/availability';
import { useI18n } from '../i18n/I18nProvider';

const useStyles = makeStyles({
  // As wide as its label, in a column of full-width fields or on a screen of its own.
  button: { alignSelf: 'flex-start' },
  action: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS },
  reason: { color: tokens.colorNeutralForeground2 },
});

/** A button for an action the viewer may or may not take. A disabled one stays focusable and says
 * why it is disabled, next to it and to screen readers. */
export function ActionButton({ availability, className, ...props }: ButtonProps & { availability: Availability }) {
  const { catalogue } = useI18n();
  const styles = useStyles();
  const reasonId = useId('reason');
  if (availability.enabled) return <Button {...props} className={mergeClasses(styles.button, className)} />;
  return (
    <div className={styles.action}>
      <Button {...props} className={className} disabledFocusable aria-describedby={reasonId} />
      <Text id={reasonId} size={200} className={styles.reason}>
        {catalogue.reasons[availability.reason]}
      </Text>
    </div>
  );
}
