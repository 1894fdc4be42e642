// Settings → Backups: the verified copies Postdesk keeps (daily, before updates, and made here),
// Back up now with progress, Restore (the current file is kept aside), the integrity checks and
// how hard each commit is pushed to disk.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { Section } from '../../components/Page';
import { toastError, toastSuccess } from '../../stores/ui';
import { formatBytes, formatWhen, KIND_WORDS, phaseWords, verifiedWords, type BackupEntry, type BackupStatus } from './backups-view';
import { RestoreDialog } from './RestoreDialog';
import './backups.css';

function useBackupStatus() {
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setStatus(await call('backups.status', {}));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { status, error, reload };
}

function BackUpNow({ onDone, running }: { onDone: () => void; running: BackupStatus['inProgress'] }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<BackupStatus['inProgress']>(null);
  const polling = useRef<number | null>(null);
  const active = busy || running !== null;

  useEffect(() => {
    if (!active) return;
    // The copy runs in the engine's background thread; its progress is read a few times a second.
    polling.current = window.setInterval(() => {
      call('backups.status', {}).then(
        (s) => setProgress(s.inProgress),
        () => undefined,
      );
    }, 300);
    return () => {
      if (polling.current !== null) window.clearInterval(polling.current);
    };
  }, [active]);

  const shown = progress ?? running;
  return (
    <div className="bk-now">
      <button
        type="button"
        className="button button--primary"
        disabled={active}
        onClick={async () => {
          setBusy(true);
          setProgress({ phase: 'copying', fraction: 0, startedAt: Date.now(), kind: 'manual' });
          try {
            const entry = await call('backups.create', {});
            toastSuccess(`Backed up (${formatBytes(entry.bytes)}, verified)`);
          } catch (err) {
            toastError('The backup was not made', err);
          } finally {
            setBusy(false);
            setProgress(null);
            onDone();
          }
        }}
      >
        {active ? 'Backing up…' : 'Back up now'}
      </button>
      {active && shown ? (
        <div className="bk-now__progress" data-testid="backup-progress">
          <progress max={1} value={shown.fraction} aria-label="Backup progress" />
          <span className="muted" aria-live="polite">
            {phaseWords(shown.phase)} ({Math.round(shown.fraction * 100)}%)
          </span>
        </div>
      ) : null}
    </div>
  );
}

function BackupList({ backups, onRestore }: { backups: BackupEntry[]; onRestore: (b: BackupEntry) => void }) {
  if (backups.length === 0) return <p className="muted">No backups yet. The first daily one is made tonight; or back up now.</p>;
  return (
    <table className="bk-table" aria-label="Backups">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Kind</th>
          <th scope="col">Size</th>
          <th scope="col">Check</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {backups.map((b) => (
          <tr key={b.name} data-testid="backup-row">
            <td title={b.name}>{formatWhen(b.createdAt)}</td>
            <td>{KIND_WORDS[b.kind]}</td>
            <td>{formatBytes(b.bytes)}</td>
            <td className={b.verified === 'failed' ? 'bk-failed' : b.verified === 'ok' ? 'bk-ok' : 'muted'}>{verifiedWords(b)}</td>
            <td>
              <button type="button" className="button button--small" disabled={b.verified === 'failed'} onClick={() => onRestore(b)}>
                Restore<span className="visually-hidden"> the backup of {formatWhen(b.createdAt)}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Integrity({ status, onChecked }: { status: BackupStatus; onChecked: () => void }) {
  const [busy, setBusy] = useState(false);
  const c = status.lastCheck;
  const words = status.checking
    ? 'A check is running in the background…'
    : c === null
      ? 'Not checked since Postdesk started.'
      : c.ok
        ? `${c.level === 'full' ? 'Full check' : c.level === 'quick' ? 'Quick check' : 'Startup check (header and structure; the full check runs weekly)'} passed ${formatWhen(c.checkedAt)}${c.ms > 0 ? ` in ${(c.ms / 1000).toFixed(1)} s` : ''}.`
        : `Problems found ${formatWhen(c.checkedAt)}: ${c.problems.slice(0, 2).join('; ')}`;
  return (
    <div className="bk-integrity">
      <p className={c && !c.ok ? 'inline-error' : 'muted'} data-testid="integrity-status">
        {words}
      </p>
      <button
        type="button"
        className="button button--small"
        disabled={busy || status.checking}
        onClick={async () => {
          setBusy(true);
          try {
            const r = await call('backups.check', { level: 'full' });
            if (r.ok) toastSuccess('The database passed the full integrity check');
            else toastError('The database failed its integrity check', new Error(r.problems.slice(0, 2).join('; ')));
          } catch (err) {
            toastError('The integrity check could not run', err);
          } finally {
            setBusy(false);
            onChecked();
          }
        }}
      >
        {busy ? 'Checking…' : 'Check the whole database now'}
      </button>
    </div>
  );
}

function DurabilityChoice({ value, onChanged }: { value: BackupStatus['durability']; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const choose = async (durability: 'normal' | 'full') => {
    if (durability === value || busy) return;
    setBusy(true);
    try {
      await call('backups.setDurability', { durability });
      toastSuccess(durability === 'full' ? 'Every change is now on disk before it is confirmed' : 'Back to fast saving');
    } catch (err) {
      toastError('The setting was not changed', err);
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  return (
    <fieldset className="bk-durability" disabled={busy}>
      <legend>When a change counts as saved</legend>
      <label>
        <input type="radio" name="durability" checked={value === 'normal'} onChange={() => void choose('normal')} /> Fast (recommended): a crash of
        Postdesk loses nothing; a power cut may lose the last second of changes, never damages the file.
      </label>
      <label>
        <input type="radio" name="durability" checked={value === 'full'} onChange={() => void choose('full')} /> Every change on disk first: survives a power
        cut too; each save waits for the disk.
      </label>
    </fieldset>
  );
}

export function BackupsSection() {
  const { status, error, reload } = useBackupStatus();
  const [restoring, setRestoring] = useState<BackupEntry | null>(null);
  return (
    <Section
      id="backups"
      title="Backups"
      description="Postdesk copies your database every day and before each update, checks every copy, and keeps 7 daily and 4 weekly ones."
    >
      {error ? (
        <p className="inline-error" role="alert">
          Could not list the backups: {messageOf(error)}{' '}
          <button type="button" className="link-button" onClick={() => void reload()}>
            Try again
          </button>
        </p>
      ) : status === null ? (
        <p className="muted">Asking the engine…</p>
      ) : (
        <div className="stack">
          <BackUpNow running={status.inProgress} onDone={() => void reload()} />
          <BackupList backups={status.backups} onRestore={setRestoring} />
          <p className="muted">
            Backups are in <span className="path">{status.dir}</span>.
          </p>
          <Integrity status={status} onChecked={() => void reload()} />
          <DurabilityChoice value={status.durability} onChanged={() => void reload()} />
        </div>
      )}
      <RestoreDialog backup={restoring} damaged={status?.recovery !== null && status?.recovery !== undefined} onClose={() => setRestoring(null)} />
    </Section>
  );
}
