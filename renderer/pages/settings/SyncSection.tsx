// Settings → Sync: connect this device to a Postgres database (Supabase, Neon, your own) with a
// connection string, choose which workspaces sync, see the status (last sync, pending changes,
// errors in words), Sync now with a progress bar, pause/resume, disconnect, and review the values
// a merge overwrote. The connection string goes to the engine once and never comes back.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { call, messageOf, onEvent } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Section } from '../../components/Page';
import { toastError, toastSuccess } from '../../stores/ui';
import { useWorkspaces } from '../../stores/workspaces';
import {
  agoWords,
  columnWords,
  connectionStringProblem,
  lastSyncedWords,
  pendingWords,
  progressWords,
  retryWords,
  stateWords,
  tableWords,
  valueWords,
  type CloudWorkspace,
  type SyncConflict,
  type SyncProgress,
  type SyncStatus,
} from './sync-view';

/** Status, reloaded whenever the engine says sync changed, and every 30 s for "5 min ago". */
function useSyncStatus() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setStatus(await call('sync.status', {}));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void reload();
    const off = onEvent('sync.changed', () => void reload());
    const timer = window.setInterval(() => void reload(), 30_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [reload]);
  return { status, error, reload, setStatus };
}

function useSyncProgress(): SyncProgress | null {
  const [p, setP] = useState<SyncProgress | null>(null);
  useEffect(() => onEvent('sync.progress', setP), []);
  return p;
}

function ConnectForm({ onConnected }: { onConnected: (s: SyncStatus) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const problem = connectionStringProblem(value);
    if (problem) return setError(problem);
    setError(undefined);
    setBusy(true);
    try {
      const r = await call('sync.connect', { connectionString: value.trim() });
      // The string lives sealed in the engine now; the page keeps no copy.
      setValue('');
      toastSuccess('Connected', r.migrated > 0 ? 'Postdesk set up its tables in that database. Now choose the workspaces to sync.' : 'Now choose the workspaces to sync.');
      onConnected(r.status);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Connect to a Postgres database">
      <p className="muted">
        Postdesk works without any server. To use your workspaces on several computers, share one with a colleague, or let an always-on
        machine publish, point Postdesk at a Postgres database you control (Supabase, Neon or your own).
      </p>
      <ul className="muted">
        <li>
          <strong>What is sent:</strong> the rows of the workspaces you choose (posts, inbox, customers, campaigns, settings, knowledge
          document records), each change as it is made.
        </li>
        <li>
          <strong>What never leaves this computer:</strong> sign-in tokens, cookies and API keys are not sent at all, not even encrypted; on
          another device you sign in to the accounts again. Also local: the job queue, caches and knowledge embeddings.
        </li>
        <li>The connection string is stored sealed on this device, like a password, and is never shown again.</li>
      </ul>
      <Field
        label="Connection string"
        hint="From your provider's dashboard, for example postgres://user:password@db.example.com:5432/postgres"
        error={error}
      >
        {(c) => (
          <input
            {...c}
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="postgres://…"
          />
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function ProgressBar({ p }: { p: SyncProgress }) {
  const running = p.status === 'running';
  return (
    <div className="stack" data-testid="sync-progress">
      {running && p.total === 0 ? (
        <progress aria-label="Sync progress" style={{ width: '100%' }} />
      ) : (
        <progress max={1} value={p.status === 'done' ? 1 : p.fraction} aria-label="Sync progress" style={{ width: '100%' }} />
      )}
      <span className={p.status === 'failed' ? 'inline-error' : 'muted'} aria-live="polite">
        {progressWords(p)}
      </span>
    </div>
  );
}

function StatusCard({ status, progress, onChange }: { status: SyncStatus; progress: SyncProgress | null; onChange: () => void }) {
  const [busy, setBusy] = useState<null | 'sync' | 'pause' | 'disconnect'>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const retry = retryWords(status);
  const showProgress = progress !== null && (busy === 'sync' || status.running || progress.status !== 'running');

  const act = async (what: 'sync' | 'pause' | 'disconnect', run: () => Promise<unknown>, failure: string) => {
    setBusy(what);
    try {
      await run();
    } catch (err) {
      toastError(failure, err);
    } finally {
      setBusy(null);
      onChange();
    }
  };

  return (
    <div className="stack">
      <dl className="kv" data-testid="sync-status">
        <div className="kv__row">
          <dt>Sync</dt>
          <dd>{stateWords(status)}</dd>
        </div>
        <div className="kv__row">
          <dt>Last sync</dt>
          <dd data-testid="sync-last">{lastSyncedWords(status)}</dd>
        </div>
        <div className="kv__row">
          <dt>Pending</dt>
          <dd data-testid="sync-pending">{pendingWords(status.pending)}</dd>
        </div>
        {status.lastError ? (
          <div className="kv__row">
            <dt>Problem</dt>
            <dd className="inline-error" role="alert">
              {status.lastError} {retry}
            </dd>
          </div>
        ) : null}
      </dl>
      {showProgress && progress ? <ProgressBar p={progress} /> : null}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy !== null || status.paused || status.workspaces.length === 0}
          onClick={() =>
            act(
              'sync',
              async () => {
                const r = await call('sync.syncNow', {});
                if (r.ran) toastSuccess('Synced', `${r.pushed.toLocaleString()} sent, ${r.pulled.toLocaleString()} received.`);
              },
              'Sync did not finish',
            )
          }
        >
          {busy === 'sync' || status.running ? 'Syncing…' : 'Sync now'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => act('pause', () => call(status.paused ? 'sync.resume' : 'sync.pause', {}), status.paused ? 'Could not resume sync' : 'Could not pause sync')}
        >
          {status.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button button--danger" disabled={busy !== null} onClick={() => setConfirmOff(true)}>
          Disconnect…
        </button>
      </div>
      <Dialog
        open={confirmOff}
        onClose={() => setConfirmOff(false)}
        title="Disconnect sync on this device?"
        description="This device stops sending and receiving changes and forgets the connection string. Your local data stays as it is; the cloud database and other devices are not touched."
      >
        <div className="form__actions">
          <button type="button" className="button" onClick={() => setConfirmOff(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              setConfirmOff(false);
              void act('disconnect', () => call('sync.disconnect', {}), 'Could not disconnect');
            }}
          >
            Disconnect
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function WorkspaceChooser({ status, version, onChosen }: { status: SyncStatus; version: number; onChosen: () => void }) {
  const [list, setList] = useState<CloudWorkspace[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(status.workspaces.map((w) => w.id)));
  const [busy, setBusy] = useState(false);
  const refreshWorkspaces = useWorkspaces((s) => s.refresh);
  const load = useCallback(async () => {
    try {
      setList((await call('sync.cloudWorkspaces', {})).workspaces);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, []);
  // Again after each round: a workspace uploaded here is now also in the cloud.
  useEffect(() => {
    void load();
  }, [load, version]);
  const current = new Set(status.workspaces.map((w) => w.id));
  const changed = chosen.size !== current.size || [...chosen].some((id) => !current.has(id));

  if (loadError)
    return (
      <p className="inline-error" role="alert">
        Could not list the workspaces in the cloud: {messageOf(loadError)}{' '}
        <button type="button" className="link-button" onClick={() => void load()}>
          Try again
        </button>
      </p>
    );
  if (!list) return <p className="muted">Asking the cloud database which workspaces it holds…</p>;
  return (
    <form
      className="form"
      aria-label="Workspaces to sync"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await call('sync.chooseWorkspaces', { workspaceIds: [...chosen] });
          toastSuccess('Workspaces chosen', chosen.size > 0 ? 'They sync in a moment; Sync now starts at once.' : 'Nothing syncs now.');
          await refreshWorkspaces().catch(() => undefined);
          await load();
        } catch (err) {
          toastError('Could not change which workspaces sync', err);
        } finally {
          setBusy(false);
          onChosen();
        }
      }}
    >
      <fieldset className="stack">
        <legend className="field__label">Workspaces that sync</legend>
        {list.length === 0 ? <p className="muted">No workspaces yet.</p> : null}
        {list.map((w) => (
          <label key={w.id} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.has(w.id)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(w.id);
                else next.delete(w.id);
                setChosen(next);
              }}
            />{' '}
            {w.name} <span className="muted">{w.here && w.inCloud ? '(here and in the cloud)' : w.here ? '(only on this device)' : '(only in the cloud: it will be downloaded)'}</span>
          </label>
        ))}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save choice'}
        </button>
      </div>
    </form>
  );
}

function Conflicts({ version, onReviewed }: { version: number; onReviewed: () => void }) {
  const [rows, setRows] = useState<SyncConflict[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call('sync.conflicts', { limit: 50 }).then(
      (r) => {
        setRows(r.conflicts);
        setError(null);
      },
      (err: unknown) => setError(err),
    );
  }, [version]);
  if (error) return <p className="inline-error">Could not read the overwritten values: {messageOf(error)}</p>;
  if (!rows) return null;
  if (rows.length === 0) return <p className="muted">No value has been overwritten by another device.</p>;
  const unreviewed = rows.filter((c) => c.reviewedAt === null).length;
  return (
    <div className="stack">
      {unreviewed > 0 ? (
        <div className="form__actions">
          <button
            type="button"
            className="button button--small"
            onClick={() =>
              call('sync.reviewConflicts', { all: true }).then(
                () => onReviewed(),
                (err: unknown) => toastError('Could not mark them as reviewed', err),
              )
            }
          >
            Mark all as reviewed
          </button>
        </div>
      ) : null}
      <table className="bk-table" aria-label="Overwritten values">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Replaced value</th>
            <th scope="col">Kept value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-testid="sync-conflict" className={c.reviewedAt === null ? undefined : 'muted'}>
              <td>{agoWords(c.createdAt)}</td>
              <td>
                {tableWords(c.tableName)} {columnWords(c.columnName)}
                {c.workspaceName ? <span className="muted"> in {c.workspaceName}</span> : null}
              </td>
              <td>
                {valueWords(c.overwritten)} <span className="muted">({c.winner === 'remote' ? 'this device' : 'another device'})</span>
              </td>
              <td>
                {valueWords(c.kept)} <span className="muted">({c.winner === 'remote' ? 'another device, later' : 'this device, later'})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SyncSection() {
  const { status, error, reload, setStatus } = useSyncStatus();
  const progress = useSyncProgress();
  const [version, setVersion] = useState(0);
  useEffect(() => onEvent('sync.changed', () => setVersion((v) => v + 1)), []);

  return (
    <Section
      id="sync"
      title="Sync between devices"
      description="Optional: keep workspaces in step across computers through a Postgres database you control."
    >
      <div className="card">
        {error && !status ? (
          <p className="inline-error" role="alert">
            Could not ask the engine about sync: {messageOf(error)}{' '}
            <button type="button" className="link-button" onClick={() => void reload()}>
              Try again
            </button>
          </p>
        ) : !status ? (
          <p className="muted">Asking the engine…</p>
        ) : status.locked ? (
          <p className="muted" role="status" data-testid="sync-locked">
            Sync is set up on this device, but its connection string is locked with your saved sign-ins. Unlock them with your passphrase in Settings →
            Security; sync starts again by itself.
          </p>
        ) : !status.connected ? (
          <ConnectForm onConnected={setStatus} />
        ) : (
          <div className="stack">
            <StatusCard status={status} progress={progress} onChange={() => void reload()} />
            <WorkspaceChooser key={status.workspaces.map((w) => w.id).join(',')} status={status} version={version} onChosen={() => void reload()} />
            <h3>Overwritten values{status.unreviewedConflicts > 0 ? ` (${status.unreviewedConflicts})` : ''}</h3>
            <p className="muted">
              When two devices changed the same field while apart, the later change is kept. The value it replaced is listed here so you can put it back
              by hand if it mattered.
            </p>
            <Conflicts
              version={version}
              onReviewed={() => {
                setVersion((v) => v + 1);
                void reload();
              }}
            />
          </div>
        )}
      </div>
    </Section>
  );
}
