// Confirm a restore: which backup, what happens to the current file (kept aside, never
// overwritten), and that Postdesk reloads afterwards.
import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { toastError } from '../../stores/ui';
import { formatWhen, type BackupEntry } from './backups-view';

export function RestoreDialog({ backup, damaged, onClose }: { backup: BackupEntry | null; damaged: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [keptAside, setKeptAside] = useState<string | null>(null);
  return (
    <Dialog
      open={backup !== null}
      onClose={() => {
        if (!busy) onClose();
      }}
      title="Restore this backup?"
      description={
        backup
          ? `Postdesk goes back to the backup of ${formatWhen(backup.createdAt)}. Changes made after it are not in it. The ${damaged ? 'damaged' : 'current'} database file is kept aside in the data folder under a new name, never overwritten, so nothing is deleted.`
          : undefined
      }
    >
      {keptAside ? (
        <p role="status">
          Restored. The previous file is kept as <span className="path">{keptAside}</span>. Reloading…
        </p>
      ) : (
        <form
          className="form"
          aria-busy={busy}
          onSubmit={async (e) => {
            e.preventDefault();
            if (!backup || busy) return;
            setBusy(true);
            try {
              const r = await call('backups.restore', { name: backup.name });
              setKeptAside(r.keptAside);
              // The engine reopened on the restored file; every page reloads its data from it.
              setTimeout(() => window.location.reload(), 1200);
            } catch (err) {
              toastError('The backup was not restored', err);
              setBusy(false);
            }
          }}
        >
          <div className="form__actions">
            <button type="button" className="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? 'Checking and restoring…' : 'Restore'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
