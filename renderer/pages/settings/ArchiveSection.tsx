// Settings → Export and import: move a workspace to another computer. Export writes one archive
// (rows, media, a manifest with checksums; saved sign-ins only when the user gives a passphrase),
// with live progress and Cancel. In web mode the archive is then downloaded; in the desktop app
// it stays in the data folder's exports/ and its path is shown. Import takes an archive file
// (uploaded first in web mode), shows what it holds, asks for the passphrase if it carries
// sign-ins, and imports it with progress.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { EventPayload } from '../../../electron/api';
import { ApiCallError, call, messageOf, onEvent, transportKind } from '../../api/client';
import { TOKEN_STORAGE_KEY } from '../../api/token';
import { desktopPathOf, putFile } from '../../api/upload';
import { Field } from '../../components/Field';
import { Section } from '../../components/Page';
import { toastError, toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace, useWorkspaces } from '../../stores/workspaces';

type Progress = EventPayload<'archive.progress'>;

const STAGE_WORDS: Record<Progress['stage'], string> = {
  rows: 'Writing rows',
  media: 'Copying media',
  packing: 'Compressing',
  unpacking: 'Unpacking',
  verifying: 'Checking the archive',
  staging: 'Reading rows',
  migrating: 'Upgrading the archive',
  committing: 'Saving',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function newOperationId(): string {
  return crypto.randomUUID();
}

/** Follows one operation's progress events. */
function useProgress(operationId: string | null): Progress | null {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => {
    setP(null);
    if (!operationId) return;
    return onEvent('archive.progress', (e) => {
      if (e.operationId === operationId) setP(e);
    });
  }, [operationId]);
  return p;
}

function ProgressLine({ p, onCancel }: { p: Progress | null; onCancel: () => void }) {
  const fraction = p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
  return (
    <div className="stack" data-testid="archive-progress">
      <p className="muted" aria-live="polite">
        {p ? `${STAGE_WORDS[p.stage]}: ${p.message}` : 'Starting…'}
        {p && p.stage === 'rows' && p.total > 0 ? ` ${p.done.toLocaleString()} of ${p.total.toLocaleString()} rows` : ''}
      </p>
      {fraction === null ? <progress aria-label="Progress" /> : <progress max={1} value={fraction} aria-label="Progress" />}
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

async function download(fileName: string): Promise<void> {
  let token: string | null = null;
  try {
    token = sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    // No session storage: the request goes without a token and the engine says so.
  }
  const res = await fetch(`${location.origin}/api/archive/download/${encodeURIComponent(fileName)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `The download failed (HTTP ${res.status}).`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type ExportResult = Awaited<ReturnType<typeof call<'archive.export'>>>;

function ExportCard() {
  const ws = useCurrentWorkspace();
  const [withSecrets, setWithSecrets] = useState(false);
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [op, setOp] = useState<string | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const progress = useProgress(op);
  const web = transportKind() === 'web';
  if (!ws) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (op) return;
    if (withSecrets && pass.length < 8) return setError('Choose a passphrase of at least 8 characters.');
    if (withSecrets && pass !== confirm) return setError('The two passphrases differ. Type the same one twice.');
    setError(undefined);
    setResult(null);
    const id = newOperationId();
    setOp(id);
    try {
      const r = await call('archive.export', { workspaceId: ws.id, operationId: id, ...(withSecrets ? { passphrase: pass } : {}) });
      setResult(r);
      setPass('');
      setConfirm('');
      toastSuccess(`${ws.name} exported`, `${r.rows.toLocaleString()} rows and ${r.mediaFiles} media files in ${r.fileName}.`);
      if (web) await download(r.fileName).catch((err: unknown) => toastError('Could not download the archive', err));
    } catch (err) {
      if (!(err instanceof ApiCallError && err.code === 'cancelled')) toastError(`Could not export ${ws.name}`, err);
    } finally {
      setOp(null);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Export this workspace">
      <p>
        Export <strong>{ws.name}</strong> to one file: posts, inbox, customers, knowledge, settings and every media file, with checksums so a damaged copy is
        noticed.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} disabled={op !== null} />
        Include saved sign-ins and API keys (protected by a passphrase you choose)
      </label>
      {withSecrets ? (
        <>
          <Field label="Export passphrase" hint="Needed to import the archive. It is not stored anywhere." error={error}>
            {(c) => <input {...c} className="input" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} />}
          </Field>
          <Field label="Passphrase again">
            {(c) => <input {...c} className="input" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
          </Field>
        </>
      ) : (
        <p className="muted">Without a passphrase, connected accounts come over signed out: reconnect them on the other computer.</p>
      )}
      {op ? (
        <ProgressLine p={progress} onCancel={() => void call('archive.cancel', { operationId: op }).catch(() => undefined)} />
      ) : (
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Export workspace
          </button>
        </div>
      )}
      {result ? (
        <p data-testid="archive-export-result" role="status">
          Exported {result.rows.toLocaleString()} rows and {result.mediaFiles} media files ({formatBytes(result.bytes)}) to <span className="path">{result.path}</span>
          {result.missingMedia > 0 ? `. ${result.missingMedia} media files named by rows were not on disk and are not in the archive.` : '.'}
          {web ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => void download(result.fileName).catch((err: unknown) => toastError('Could not download the archive', err))}>
                Download again
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}

type Summary = Awaited<ReturnType<typeof call<'archive.inspect'>>>;

function ImportCard() {
  const refresh = useWorkspaces((s) => s.refresh);
  const fileInput = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [op, setOp] = useState<string | null>(null);
  const progress = useProgress(op);

  const pick = async (file: File) => {
    setSummary(null);
    setError(undefined);
    setPath(null);
    try {
      let p = desktopPathOf(file);
      if (!p) {
        setUploading(0);
        const isResult = (v: unknown): v is { path: string; bytes: number } => typeof v === 'object' && v !== null && typeof (v as { path?: unknown }).path === 'string';
        const up = putFile({ route: 'archive/upload', params: { fileName: file.name }, file, onProgress: setUploading, isResult, unreadable: 'The engine took the archive but its answer was unreadable. Try again.' });
        p = (await up.promise).path;
      }
      setPath(p);
      setSummary(await call('archive.inspect', { path: p }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setUploading(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path || !summary || op) return;
    if (summary.hasSecrets && pass === '') return setError('Enter the passphrase this archive was exported with.');
    setError(undefined);
    const id = newOperationId();
    setOp(id);
    try {
      const r = await call('archive.import', { path, operationId: id, ...(pass ? { passphrase: pass } : {}) });
      toastSuccess(`${r.name} imported`, `${r.rows.toLocaleString()} rows and ${r.mediaFiles} files${r.migratedFrom !== null ? ', upgraded from an older version' : ''}.`);
      setSummary(null);
      setPath(null);
      setPass('');
      await refresh().catch(() => undefined);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setOp(null);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Import a workspace">
      <p>Import a workspace from an archive exported on this or another computer. It arrives with the same content; nothing here is changed if the file is damaged.</p>
      <div className="form__actions">
        <input
          ref={fileInput}
          type="file"
          accept=".tgz,.gz,application/gzip"
          className="visually-hidden"
          id="archive-file"
          data-testid="archive-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void pick(f);
          }}
        />
        <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={op !== null || uploading !== null}>
          Choose archive…
        </button>
      </div>
      {uploading !== null ? <progress max={1} value={uploading} aria-label="Uploading the archive" /> : null}
      {summary ? (
        <div data-testid="archive-summary">
          <p>
            <strong>{summary.workspace.name}</strong>, exported {new Date(summary.createdAt).toLocaleString()} by Postdesk {summary.appVersion}:{' '}
            {summary.rows.toLocaleString()} rows, {summary.media.files} media files ({formatBytes(summary.media.bytes)})
            {summary.hasSecrets ? ', saved sign-ins' : ''}.{summary.needsMigration ? ' It comes from an older version and will be upgraded.' : ''}
          </p>
          {summary.workspaceExists ? (
            <p className="inline-error" role="alert">
              This workspace is already on this computer. Delete it here first if the archive should replace it.
            </p>
          ) : null}
          {summary.hasSecrets ? (
            <Field label="Export passphrase" hint="The passphrase chosen when this archive was exported.">
              {(c) => <input {...c} className="input" type="password" autoComplete="off" value={pass} onChange={(e) => setPass(e.target.value)} />}
            </Field>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {op ? (
        <ProgressLine p={progress} onCancel={() => void call('archive.cancel', { operationId: op }).catch(() => undefined)} />
      ) : summary && !summary.workspaceExists ? (
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Import {summary.workspace.name}
          </button>
        </div>
      ) : null}
    </form>
  );
}

export function ArchiveSection() {
  return (
    <Section
      id="archive"
      title="Export and import"
      description="Move a workspace to another computer: one file with everything in it. Saved sign-ins go along only under a passphrase you choose."
    >
      {/* One column beside the section's heading: the section lays its children out as a grid. */}
      <div className="stack">
        <ExportCard />
        <ImportCard />
      </div>
    </Section>
  );
}

