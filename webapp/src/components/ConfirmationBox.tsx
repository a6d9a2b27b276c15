import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

export interface ConfirmationBoxProps {
  /** Kept mounted and opened or closed: closing it (rather than unmounting it) is what lets the
   * page behind it be read again by screen readers. */
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  /** Absent: the box only informs (the done step), and confirming closes it. */
  cancelLabel?: string;
  onCancel?: () => void;
  /** The box has closed and the page behind it is readable again: the moment to leave the screen.
   * Not earlier: Fluent's focus manager (tabster) unhides the page a little after the box closes,
   * and a screen unmounted before that stays hidden from screen readers for good. */
  onClosed?: () => void;
  busy?: boolean;
}

/** The modal box a change or an order passes through before it is made: it shows what will happen
 * (API version 2 adds the price and the charge preview) and waits for a yes. */
export function ConfirmationBox(props: ConfirmationBoxProps) {
  const { open, title, children, confirmLabel, onConfirm, cancelLabel, onCancel, onClosed, busy = false } = props;
  return (
    <Dialog
      open={open}
      modalType="alert"
      onOpenChange={(_, data) => !data.open && !busy && onCancel?.()}
      surfaceMotion={{ onMotionFinish: (_, { direction }) => direction === 'exit' && onClosed && whenPageRevealed(onClosed) }}
    >
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{children}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm} disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
              {confirmLabel}
            </Button>
            {cancelLabel && onCancel && (
              <Button onClick={onCancel} disabled={busy}>
                {cancelLabel}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Calls back once no part of the page is hidden by a modal any more. */
function whenPageRevealed(callback: () => void) {
  const hidden = () => document.querySelector('body > [aria-hidden="true"]:not([data-tabster-dummy])') !== null;
  if (!hidden()) return callback();
  const observer = new MutationObserver(() => {
    if (hidden()) return;
    observer.disconnect();
    callback();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['aria-hidden'], subtree: true });
}
