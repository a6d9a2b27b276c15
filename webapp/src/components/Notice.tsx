import { MessageBar, MessageBarBody } from '@fluentui/react-components';

/** A short outcome ("The subscription now has 30 licences."), announced to screen readers. */
export function Notice({ children, intent = 'success' }: { children: string; intent?: 'success' | 'info' }) {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}
