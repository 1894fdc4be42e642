// One CSV import dialog for conversions, events and ad figures: pick a file, see every row checked
// (bad rows by their spreadsheet row number with the reason), then import all of it, or only the
// good rows when some are bad. Nothing is written before the user says so.
import { useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import type { ImportReport } from './campaign-format';

export type ImportMode = 'all_or_nothing' | 'good_rows_only';

/**
 * The core takes 5 MB of CSV; in web mode the whole request (the file as JSON text, its quotes
 * and line ends escaped) must fit the host's 5 MB body cap too, so the page stops a little below.
 */
const MAX_BYTES = 4.5 * 1024 * 1024;

export function ImportDialog({
  open,
  onClose,
  title,
  description,
  run,
  onImported,
  children,
  ready = true,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  /** Calls the import method with the file's text. */
  run: (csv: string, opts: { mode: ImportMode; dryRun: boolean }) => Promise<ImportReport>;
  onImported: (r: ImportReport) => void;
  /** Extra fields above the file picker (the ad account). */
  children?: ReactNode;
  /** False while the extra fields are incomplete. */
  ready?: boolean;
}) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The import ran (not just the check): only Close is left. */
  const [finished, setFinished] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const reset = () => {
    setFile(null);
    setReport(null);
    setError(null);
    setBusy(false);
    setFinished(false);
  };
  const close = () => {
    reset();
    onClose();
  };

  const check = async (f: { name: string; text: string }) => {
    setBusy(true);
    setError(null);
    setReport(null);
    setFinished(false);
    try {
      setReport(await run(f.text, { mode: 'all_or_nothing', dryRun: true }));
    } catch (err) {
      setError(`${f.name} can't be imported: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const pick = async (picked: File | undefined) => {
    if (!picked) return;
    if (picked.size > MAX_BYTES) {
      setError(`${picked.name} is larger than 4.5 MB. Export a shorter date range and import the parts one after the other.`);
      return;
    }
    const f = { name: picked.name, text: await picked.text() };
    setFile(f);
    await check(f);
  };

  const commit = async (mode: ImportMode) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await run(file.text, { mode, dryRun: false });
      setReport(r);
      setFinished(r.committed || r.summary.failed === 0 || mode === 'good_rows_only');
      if (r.committed) onImported(r);
    } catch (err) {
      setError(`The import stopped and nothing was written: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const bad = report?.rows.filter((r) => !r.ok) ?? [];
  const done = finished;
  const goodCount = report ? report.summary.ok - report.summary.duplicates - report.summary.totals : 0;

  return (
    <Dialog open={open} onClose={close} title={title} description={description} className="dialog--form cimport">
      <div className="form">
        {children}
        <div className="cimport__pick">
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv,text/plain"
            className="visually-hidden"
            aria-label="CSV file to import"
            tabIndex={-1}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              void pick(f);
            }}
          />
          <button type="button" className="button" onClick={() => input.current?.click()} disabled={busy || !ready}>
            {file ? 'Choose another file…' : 'Choose a CSV file…'}
          </button>
          {file ? <span className="cimport__file">{file.name}</span> : null}
        </div>
        {busy ? (
          <p role="status" className="cimport__status">
            Reading every row…
          </p>
        ) : null}
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        {report ? (
          <div className="cimport__report" aria-live="polite">
            <p className={report.committed ? 'cok' : bad.length > 0 ? 'inline-error' : undefined} role="status">
              {report.message}
            </p>
            <p className="cimport__summary">
              {report.summary.total} rows read: {report.summary.ok} good, {report.summary.failed} with a problem
              {report.summary.duplicates ? `, ${report.summary.duplicates} already imported` : ''}
              {report.summary.totals ? `, ${report.summary.totals} total lines` : ''}.
            </p>
            {bad.length > 0 ? (
              <table className="cimport__errors" aria-label="Rows with a problem">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {bad.slice(0, 200).map((r) => (
                    <tr key={r.line}>
                      <td>Row {r.line}</td>
                      <td>{r.errors.join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {bad.length > 200 ? <p>…and {bad.length - 200} more rows with a problem.</p> : null}
          </div>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {report && !done && bad.length === 0 && goodCount > 0 ? (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void commit('all_or_nothing')}>
              Import {goodCount} rows
            </button>
          ) : null}
          {report && !done && bad.length > 0 && goodCount > 0 ? (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void commit('good_rows_only')}>
              Import the {goodCount} good rows only
            </button>
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}
