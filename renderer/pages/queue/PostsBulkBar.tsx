// What can be done with the ticked posts — move, pause (take off the schedule), cancel — and,
// after it is done, what happened to each: how many it worked for and, for the others, why.
import { Icon } from '../../components/Icon';
import { Kbd } from '../../components/Page';
import type { BulkReport } from './posts-bulk';

export function PostsBulkBar({
  count,
  total,
  busy,
  onMove,
  onPause,
  onCancel,
  onClear,
}: {
  count: number;
  /** How many posts match the filters (loaded or not). */
  total: number;
  busy: boolean;
  onMove: () => void;
  onPause: () => void;
  onCancel: () => void;
  onClear: () => void;
}) {
  if (count === 0) return null;
  return (
    <div className="qp-bulk" role="toolbar" aria-label="Ticked posts" data-testid="posts-bulk-bar">
      <p className="qp-bulk__count" aria-live="polite">
        <strong>{count}</strong> {count === 1 ? 'post' : 'posts'} ticked{total > count ? <span className="muted"> of {total.toLocaleString()}</span> : null}
      </p>
      <div className="qp-bulk__actions">
        <button type="button" className="button button--small" onClick={onMove} disabled={busy} aria-keyshortcuts="m">
          Move…
        </button>
        <button type="button" className="button button--small" onClick={onPause} disabled={busy} aria-keyshortcuts="p" title="Take them off the schedule; they become drafts again and nothing is lost.">
          {busy ? 'Working…' : 'Pause'}
        </button>
        <button type="button" className="button button--small button--danger" onClick={onCancel} disabled={busy} aria-keyshortcuts="c">
          Cancel…
        </button>
        <button type="button" className="link-button qp-bulk__clear" onClick={onClear} aria-keyshortcuts="Escape">
          Untick all
        </button>
      </div>
      <p className="qkeys qp-bulk__keys" aria-hidden="true">
        <Kbd>M</Kbd> move · <Kbd>P</Kbd> pause · <Kbd>C</Kbd> cancel · <Kbd>Esc</Kbd> untick
      </p>
    </div>
  );
}

export function PostsBulkReport({ report, onDismiss }: { report: BulkReport; onDismiss: () => void }) {
  const failed = report.failedIds.length;
  return (
    <div className={failed > 0 ? 'qp-report qp-report--partial' : 'qp-report'} data-testid="posts-bulk-report">
      <Icon name={failed > 0 ? 'alert' : 'check'} size={16} className="qp-report__icon" />
      <div className="qp-report__body">
        <p className="qp-report__headline">{report.headline}</p>
        {report.failures.length > 0 ? (
          <ul className="qp-report__failures">
            {report.failures.map((f) => (
              <li key={f.reason}>
                <span className="qp-report__count">
                  {f.posts.length} {f.posts.length === 1 ? 'was' : 'were'} not:
                </span>{' '}
                {f.reason}{' '}
                <span className="qp-report__posts">{f.posts.map((p) => `“${p.title}”`).join(', ')}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {failed > 0 ? <p className="qp-report__note">{failed === 1 ? 'It stays ticked' : `Those ${failed} stay ticked`}, so you can try something else with {failed === 1 ? 'it' : 'them'}.</p> : null}
      </div>
      <div className="qp-report__actions">
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="x" size={14} />
        </button>
      </div>
    </div>
  );
}
