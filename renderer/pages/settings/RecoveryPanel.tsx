// Shown instead of the app when the engine started in recovery (the database file is damaged or
// not a database): what happened, that the file was kept, and the newest good backup to restore.
import { useEffect, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { withCode } from '../../components/RichText';
import { formatBytes, formatWhen, type BackupEntry, type BackupStatus } from './backups-view';
import { RestoreDialog } from './RestoreDialog';

export function RecoveryPanel({ message }: { message: string }) {
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [restoring, setRestoring] = useState<BackupEntry | null>(null);
  useEffect(() => {
    call('backups.status', {}).then(setStatus, setError);
  }, []);
  const newest = status?.backups.find((b) => b.name === status.recovery?.newestGood) ?? null;
  return (
    <div className="stack" data-testid="recovery">
      <p>{withCode(message)}</p>
      {error ? <p className="inline-error">Could not list the backups: {messageOf(error)}</p> : null}
      {status && !newest ? (
        <p className="inline-error">
          There is no verified backup in <span className="path">{status.dir}</span>. Keep the damaged file: a copy of it can often be repaired with
          the sqlite3 tool&apos;s <code>.recover</code> command.
        </p>
      ) : null}
      {newest ? (
        <>
          <p className="muted">
            The newest good backup is from {formatWhen(newest.createdAt)} ({formatBytes(newest.bytes)}). Changes made after it are not in it.
          </p>
          <button type="button" className="button button--primary" onClick={() => setRestoring(newest)} autoFocus>
            Restore the newest good backup
          </button>
        </>
      ) : null}
      <RestoreDialog backup={restoring} damaged onClose={() => setRestoring(null)} />
    </div>
  );
}
