// A row's details: the full error, the facts the scheduler keeps, and every attempt from
// jobs.get (who ran it, when, how it ended, and whether an interrupted attempt was checked).
import { useEffect, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { jobTypeLabel, type AttemptView, type JobDetail, type JobView } from './job-types';
import { durationLabel, exactTime, relativeTime } from './time';

const OUTCOME: Record<AttemptView['status'], { label: string; tone: string }> = {
  running: { label: 'Running', tone: 'accent' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  interrupted: { label: 'Interrupted', tone: 'warning' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
};

function reconciledText(r: AttemptView['reconciled']): string {
  if (r === 'done') return 'Had happened — not repeated';
  if (r === 'not_done') return 'Had not happened — retried';
  return '—';
}

/** The scheduler's own note on a cancelled job ("Cancelled.", "Cancelled (the whole series)."): not an error. */
const CANCEL_NOTE = /^Cancelled\b/;

function errorHeading(state: JobView['state']): string {
  switch (state) {
    case 'failed':
      return 'Why it failed';
    case 'completed':
      return 'Error from an earlier attempt';
    case 'cancelled':
      return 'Last error before it was cancelled';
    default:
      return 'Last error';
  }
}

function Time({ at, now, timezone }: { at: number | null; now: number; timezone: string }) {
  if (at === null) return <span className="muted">—</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={exactTime(at, timezone)}>
      {relativeTime(at, now)}
    </time>
  );
}

function resultText(result: unknown): string | null {
  if (result === null || result === undefined) return null;
  const text = JSON.stringify(result, null, 2);
  return text.length > 2000 ? `${text.slice(0, 2000)}\n…` : text;
}

export function JobDetails({ job, id, now, timezone }: { job: JobView; id: string; now: number; timezone: string }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'ready'; data: JobDetail } | { status: 'error'; error: unknown }>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const type = jobTypeLabel(job.type);

  // Refetch whenever the row changes (the list refreshes on every scheduler event for it).
  useEffect(() => {
    let live = true;
    call('jobs.get', { jobId: job.id }).then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [job.id, job.updatedAt, job.attempts, nonce]);

  const d = state.status === 'ready' ? state.data : job;
  const history = state.status === 'ready' ? state.data.history : null;
  const result = d.state === 'completed' ? resultText(d.result) : null;

  return (
    <div className="qdetails" id={id} role="region" aria-label={`${type.label}: details and attempts`}>
      {d.lastError && d.state === 'cancelled' && CANCEL_NOTE.test(d.lastError) ? (
        <p className="qdetails__note">{d.lastError}</p>
      ) : d.lastError ? (
        <div className="qdetails__error">
          <p className="qdetails__label">{errorHeading(d.state)}</p>
          {/* Only a failure that still stands is shown as one; an error a later attempt got past is history. */}
          <pre className={d.state === 'failed' || d.state === 'retrying' ? 'qerror' : 'qerror qerror--past'}>{d.lastError}</pre>
        </div>
      ) : null}
      {d.progress?.message && (d.state === 'running' || d.state === 'cancelling') ? <p className="qdetails__progress">{d.progress.message}</p> : null}

      <dl className="qfacts">
        <div>
          <dt>Type</dt>
          <dd>
            <code className="code">{type.raw}</code>
          </dd>
        </div>
        <div>
          <dt>Queued</dt>
          <dd>
            <Time at={d.createdAt} now={now} timezone={timezone} />
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>
            <Time at={d.dueAt} now={now} timezone={timezone} />
          </dd>
        </div>
        {d.completedAt !== null ? (
          <div>
            <dt>Ended</dt>
            <dd>
              <Time at={d.completedAt} now={now} timezone={timezone} />
            </dd>
          </div>
        ) : null}
        {d.recurring ? (
          <div>
            <dt>Repeats</dt>
            <dd>Yes — the next run is queued when this one ends</dd>
          </div>
        ) : null}
        {d.cronJobId ? (
          <div>
            <dt>Started by</dt>
            <dd>A timed rule (cron)</dd>
          </div>
        ) : null}
        {d.uniqueKey ? (
          <div>
            <dt>Key</dt>
            <dd>
              <code className="code" title="At most one job is ever queued with this key.">
                {d.uniqueKey}
              </code>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Job ID</dt>
          <dd>
            <code className="code">{d.id}</code>
          </dd>
        </div>
      </dl>

      {result ? (
        <details className="qdetails__result">
          <summary>Result</summary>
          <pre className="qresult">{result}</pre>
        </details>
      ) : null}

      {state.status === 'error' ? (
        <p className="inline-error" role="alert">
          Could not load the attempts: {messageOf(state.error)}{' '}
          <button type="button" className="link-button" onClick={() => setNonce((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : history === null ? (
        <p className="muted">Loading attempts…</p>
      ) : history.length === 0 ? (
        <p className="qdetails__none">No attempts yet — it has not run.</p>
      ) : (
        <div className="qattempts-wrap">
          <table className="qattempts">
            <caption>Attempts</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <abbr title="After a crash or an unclear failure, Postdesk checks whether the attempt's effect happened before trying again.">Effect check</abbr>
                </th>
                <th scope="col">Runner</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {history.map((a) => {
                const o = OUTCOME[a.status];
                return (
                  <tr key={a.attempt}>
                    <th scope="row" className="num">
                      {a.attempt}
                    </th>
                    <td>
                      <Time at={a.startedAt} now={now} timezone={timezone} />
                    </td>
                    <td className="num">{a.finishedAt === null ? <span className="muted">—</span> : durationLabel(a.finishedAt - a.startedAt)}</td>
                    <td>
                      <span className={`chip chip--${o.tone}`}>{o.label}</span>
                    </td>
                    <td>{reconciledText(a.reconciled)}</td>
                    <td>
                      <code className="qrunner" title={a.runner}>
                        {a.runner}
                      </code>
                    </td>
                    <td className="qattempts__error">{a.error ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
