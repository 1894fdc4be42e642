// Disconnect and Remove ask first, and say what each does to tokens, scheduled posts and history.
// The safe choice has the focus, so a stray Enter keeps the account.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { accountHandle, accountName, platformName, type AccountView, type PlatformInfo } from './account-labels';
import { ErrorNote } from './ErrorNote';

function ConfirmDialog({
  account,
  title,
  description,
  keepLabel,
  confirmLabel,
  busyLabel,
  onClose,
  onConfirm,
}: {
  account: AccountView | null;
  title: string;
  description: string;
  keepLabel: string;
  confirmLabel: string;
  busyLabel: string;
  onClose: () => void;
  onConfirm: (a: AccountView) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // Dialog opens the modal in its own effect, which runs before this one.
  useEffect(() => {
    if (account) {
      setFailure(null);
      keep.current?.focus();
    }
  }, [account]);

  return (
    <Dialog open={account !== null} onClose={onClose} title={title} description={description} className="acct-confirm">
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!account || busy) return;
          setBusy(true);
          setFailure(null);
          try {
            await onConfirm(account);
          } catch (err) {
            setFailure(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        {failure ? <ErrorNote error={failure} title={`Could not ${confirmLabel.toLowerCase()}`} /> : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} ref={keep}>
            {keepLabel}
          </button>
          <button type="submit" className="button button--danger" disabled={busy}>
            {busy ? busyLabel : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function who(a: AccountView | null): string {
  return a ? (accountHandle(a) ?? accountName(a)) : '';
}

export function DisconnectDialog({ account, platforms, onClose, onConfirm }: { account: AccountView | null; platforms: PlatformInfo[] | null; onClose: () => void; onConfirm: (a: AccountView) => Promise<void> }) {
  const network = account ? platformName(account.platform, platforms) : '';
  return (
    <ConfirmDialog
      account={account}
      title={`Disconnect ${who(account)}?`}
      description={`Its sign-in tokens are wiped from this computer and Postdesk asks ${network} to withdraw its access. Posts scheduled for it pause until you reconnect it; what it already published stays.`}
      keepLabel="Keep connected"
      confirmLabel="Disconnect"
      busyLabel="Disconnecting…"
      onClose={onClose}
      onConfirm={onConfirm}
    />
  );
}

export function RemoveDialog({ account, platforms, onClose, onConfirm }: { account: AccountView | null; platforms: PlatformInfo[] | null; onClose: () => void; onConfirm: (a: AccountView) => Promise<void> }) {
  const network = account ? platformName(account.platform, platforms) : '';
  return (
    <ConfirmDialog
      account={account}
      title={`Remove ${who(account)} from Postdesk?`}
      description={`It leaves this list for good. Its posts on ${network} stay there; Postdesk's history keeps their text but no longer links them to the account. You can connect it again later as a new account.`}
      keepLabel="Keep it"
      confirmLabel="Remove"
      busyLabel="Removing…"
      onClose={onClose}
      onConfirm={onConfirm}
    />
  );
}
