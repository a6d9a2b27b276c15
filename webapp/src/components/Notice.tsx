import { MessageBar, MessageBarBody } from '@fluentui/react-components';

/** A change's outcome ("The subscription now has 30 licences."), announced to screen readers. */
export function Notice({ children }: { children: string }) {
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}
