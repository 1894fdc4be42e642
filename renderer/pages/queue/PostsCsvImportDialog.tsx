// Import posts from a CSV: the file is read here, in the window, and sent as text; the engine
// previews every row (what it becomes, or what is wrong with it, by the spreadsheet's own row
// numbers), and only a file whose every row is fine can be imported — all of it in one go, or
// nothing. Fixing happens in the spreadsheet: choose the corrected file and the preview runs again.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import type { AccountView } from '../accounts/account-labels';
import { columnsLine, decodeCsv, fileProblem, importButton, importedLine, rowOutcome, summaryLine, type CsvImported, type CsvPreview } from './posts-csv';

type Step =
  | { kind: 'choose' }
  | { kind: 'checking'; name: string }
  | { kind: 'file-error'; name: string; message: string }
  | { kind: 'preview'; name: string; text: string; preview: CsvPreview; importError: string | null }
  | { kind: 'importing'; name: string; preview: CsvPreview }
  | { kind: 'done'; name: string; result: CsvImported };

function ChooseButton({ onPick, label, primary }: { onPick: () => void; label: string; primary?: boolean }) {
  return (
    <button type="button" className={primary ? 'button button--primary' : 'button'} onClick={onPick}>
      {label}
    </button>
  );
}

function Format({ timezone }: { timezone: string }) {
  return (
    <details className="qp-import__format">
      <summary>What the file should look like</summary>
      <p>The first row names the columns. Postdesk reads:</p>
      <dl className="qp-import__columns">
        <div>
          <dt>text</dt>
          <dd>The post’s text.</dd>
        </div>
        <div>
          <dt>accounts</dt>
          <dd>
            Who it goes to: <code className="code">@handle</code> or <code className="code">bluesky:handle</code>, several separated by <code className="code">|</code>.
          </dd>
        </div>
        <div>
          <dt>time</dt>
          <dd>
            Like <code className="code">2026-03-29 09:30</code>, on the workspace’s clock ({timezone}) unless it has an offset; empty makes a draft.
          </dd>
        </div>
        <div>
          <dt>media</dt>
          <dd>
            Optional. The <strong>full path</strong> of each picture or video on this computer, like <code className="code">/Users/you/Pictures/loaf.jpg</code> or{' '}
            <code className="code">C:\Users\you\Pictures\loaf.jpg</code>, several separated by <code className="code">|</code>.
          </dd>
        </div>
        <div>
          <dt>first_comment, hashtags</dt>
          <dd>Optional.</dd>
        </div>
      </dl>
    </details>
  );
}

export function PostsCsvImportDialog({
  open,
  onClose,
  workspaceId,
  timezone,
  accounts,
}: {
  open: boolean;
  onClose: () => void;
  workspaceId: string;
  timezone: string;
  accounts: readonly AccountView[];
}) {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const generation = useRef(0);
  const titleId = useId();

  useEffect(() => {
    if (open) {
      generation.current++;
      setStep({ kind: 'choose' });
    }
  }, [open]);

  // Each new step is announced by moving focus to its heading (the dialog's content changes under the user).
  useEffect(() => {
    if (step.kind !== 'choose' && step.kind !== 'checking') heading.current?.focus({ preventScroll: true });
  }, [step.kind]);

  const pick = () => {
    if (input.current) {
      // Choosing the same (now corrected) file again must still fire a change.
      input.current.value = '';
      input.current.click();
    }
  };

  const preview = async (name: string, text: string, importError: string | null = null) => {
    const g = ++generation.current;
    setStep({ kind: 'checking', name });
    try {
      const p = await call('posts.importCsvPreview', { workspaceId, source: { text } });
      if (g === generation.current) setStep({ kind: 'preview', name, text, preview: p, importError });
    } catch (err) {
      if (g === generation.current) setStep({ kind: 'file-error', name, message: messageOf(err) });
    }
  };

  const readFile = async (file: File) => {
    const problem = fileProblem(file);
    if (problem) {
      setStep({ kind: 'file-error', name: file.name, message: problem });
      return;
    }
    try {
      const { text } = decodeCsv(new Uint8Array(await file.arrayBuffer()));
      await preview(file.name, text);
    } catch (err) {
      setStep({ kind: 'file-error', name: file.name, message: `This window could not read ${file.name}: ${messageOf(err)}. Choose it again.` });
    }
  };

  const runImport = async () => {
    if (step.kind !== 'preview' || importButton(step.preview.summary).disabled) return;
    const { name, text, preview: p } = step;
    const g = ++generation.current;
    setStep({ kind: 'importing', name, preview: p });
    try {
      const result = await call('posts.importCsv', { workspaceId, source: { text } });
      if (g === generation.current) setStep({ kind: 'done', name, result });
    } catch (err) {
      // Nothing was imported (all or nothing); show the rows as they read now, with the reason.
      if (g === generation.current) await preview(name, text, messageOf(err));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  const busy = step.kind === 'checking' || step.kind === 'importing';
  const close = () => {
    // An import in flight finishes in the engine either way; closing only stops watching it.
    onClose();
  };

  let body;
  switch (step.kind) {
    case 'choose':
    case 'checking':
      body = (
        <>
          <div
            className={dragging ? 'qp-drop is-dragging' : 'qp-drop'}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <Icon name="database" size={22} className="qp-drop__icon" />
            {step.kind === 'checking' ? (
              <p role="status">Checking {step.name}…</p>
            ) : (
              <>
                <p>Drop a CSV file here, or</p>
                <ChooseButton onPick={pick} label="Choose a CSV file…" primary />
              </>
            )}
          </div>
          <p className="field__hint">
            Nothing is imported until you have seen every row. Media paths in the file must be full paths to files on this computer.
          </p>
          <Format timezone={timezone} />
        </>
      );
      break;
    case 'file-error':
      body = (
        <>
          <h3 ref={heading} tabIndex={-1} className="qp-import__step">
            {step.name} can’t be imported
          </h3>
          <div className="form__error" role="alert">
            <p>{step.message}</p>
          </div>
          <Format timezone={timezone} />
          <div className="form__actions">
            <button type="button" className="button" onClick={close}>
              Close
            </button>
            <ChooseButton onPick={pick} label="Choose another file…" primary />
          </div>
        </>
      );
      break;
    case 'preview':
    case 'importing': {
      const p = step.preview;
      const btn = importButton(p.summary);
      const cols = columnsLine(p.columns);
      const now = Date.now();
      body = (
        <>
          <h3 ref={heading} tabIndex={-1} className="qp-import__step">
            {step.name}: {summaryLine(p.summary)}
          </h3>
          {step.kind === 'preview' && step.importError ? (
            <div className="form__error" role="alert">
              <p>{step.importError}</p>
            </div>
          ) : null}
          {cols ? <p className="muted qp-import__cols">Read {cols}.</p> : null}
          {p.warnings.length > 0 ? (
            <ul className="qp-import__warnings">
              {p.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          <div className="qp-import__table-wrap">
            <table className="qp-import__table" data-testid="csv-preview">
              <caption className="visually-hidden">Each row of {step.name}, and what it becomes</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Check</th>
                  <th scope="col">Becomes</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((row) => {
                  const o = rowOutcome(row, accounts, timezone, now);
                  return (
                    <tr key={row.line} className={row.ok ? 'qp-import__row' : 'qp-import__row is-bad'} data-line={row.line}>
                      <th scope="row" className="num">
                        {row.line}
                      </th>
                      <td>
                        <span className={row.ok ? 'chip qp-tone--success' : 'chip qp-tone--danger'}>{row.ok ? 'Ready' : 'Fix'}</span>
                      </td>
                      <td className="qp-import__becomes">
                        {o ? (
                          <>
                            <p className="qp-import__text" title={o.text}>
                              {o.text.split('\n')[0]}
                            </p>
                            <p className="qp-import__meta">
                              <span className={o.scheduled ? '' : 'muted'}>{o.when}</span> · {o.accounts.join(', ')}
                              {o.media.length > 0 ? ` · ${o.media.length === 1 ? '1 file' : `${o.media.length} files`} (${o.media.join(', ')})` : ''}
                              {o.hashtags.length > 0 ? ` · ${o.hashtags.join(' ')}` : ''}
                              {o.firstComment ? ' · with a first comment' : ''}
                            </p>
                          </>
                        ) : (
                          <span className="muted">Not imported until fixed</span>
                        )}
                      </td>
                      <td className="qp-import__notes">
                        {row.errors.length > 0 ? (
                          <ul className="qp-import__errors">
                            {row.errors.map((e) => (
                              <li key={e}>{e}</li>
                            ))}
                          </ul>
                        ) : null}
                        {row.warnings.length > 0 ? (
                          <ul className="qp-import__notes-list">
                            {row.warnings.map((w) => (
                              <li key={w}>{w}</li>
                            ))}
                          </ul>
                        ) : null}
                        {row.errors.length === 0 && row.warnings.length === 0 ? <span className="muted">—</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {p.summary.failed > 0 ? (
            <p className="field__hint">Fix {p.summary.failed === 1 ? 'that row' : 'those rows'} in your spreadsheet (the row numbers are the ones it shows), save it as CSV again, and choose the new file.</p>
          ) : null}
          <div className="form__actions">
            <button type="button" className="button" onClick={pick} disabled={busy}>
              Choose another file…
            </button>
            <button type="button" className="button button--primary" disabled={btn.disabled || busy} onClick={() => void runImport()} aria-describedby={`${titleId}-all`}>
              {step.kind === 'importing' ? 'Importing…' : btn.label}
            </button>
            <span id={`${titleId}-all`} className="visually-hidden">
              Every row is imported, or none.
            </span>
          </div>
          {step.kind === 'importing' ? (
            <p className="muted" role="status">
              Importing {p.summary.total} {p.summary.total === 1 ? 'post' : 'posts'} and their media…
            </p>
          ) : null}
        </>
      );
      break;
    }
    case 'done':
      body = (
        <>
          <div className="qp-import__done" role="status">
            <Icon name="check" size={20} className="qp-import__done-icon" />
            <h3 ref={heading} tabIndex={-1} className="qp-import__step">
              {importedLine(step.result)}
            </h3>
          </div>
          <p className="muted">They are in the list now. Scheduled posts go out at their times; drafts wait in Compose.</p>
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      );
      break;
  }

  return (
    <Dialog open={open} onClose={close} title="Import posts from a CSV file" description="A spreadsheet of posts: text, accounts and time, one post a row." className="qp-import">
      <input
        ref={input}
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="CSV file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void readFile(file);
        }}
      />
      {body}
    </Dialog>
  );
}
