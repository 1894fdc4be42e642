// Cancelling posts asks first: a cancelled post does not go out, and only Compose can schedule it
// again. The safe choice has the focus, so a stray Enter keeps them.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';

export function PostsCancelDialog({ count, open, onClose, onConfirm }: { count: number; open: boolean; onClose: () => void; onConfirm: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) keep.current?.focus();
  }, [open]);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };

  const one = count === 1;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={one ? 'Cancel this post?' : `Cancel ${count} posts?`}
      description={`${one ? 'It' : 'They'} will not go out to the accounts ${one ? 'it has' : 'they have'} not reached yet; anything already published stays published. To publish ${one ? 'it' : 'them'} later, schedule ${one ? 'it' : 'them'} again from Compose.`}
      className="queue-cancel"
    >
      <form
        className="form__actions queue-cancel__actions"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <button type="button" className="button" onClick={onClose} ref={keep}>
          {one ? 'Keep it' : 'Keep them'}
        </button>
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? 'Cancelling…' : one ? 'Cancel post' : `Cancel ${count} posts`}
        </button>
      </form>
    </Dialog>
  );
}
