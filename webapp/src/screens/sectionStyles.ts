import { makeStyles, tokens } from '@fluentui/react-components';

/** A titled block of a screen (a form, with its outcome) stacked top to bottom. */
export const useSectionStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: '280px', maxWidth: '480px' },
});
