// The dense job table: one row per job (its name is the row header and the button that opens its
// details), state, time, attempts, last error and the row's actions.
import { Fragment } from 'react';
import { Icon } from '../../components/Icon';
import { WorkspaceAvatar } from '../../components/WorkspaceAvatar';
import type { Workspace } from '../../stores/workspaces';
import { JobDetails } from './JobDetails';
import { attemptsLabel, canCancel, displayState, errorSummary, isSeries, retryAction, STATE_INFO, whenOf } from './job-states';
import { jobTypeLabel, type JobView } from './job-types';
import { exactTime } from './time';

export const rowToggleId = (jobId: string) => `queue-job-${jobId}`;
const detailsId = (jobId: string) => `queue-job-${jobId}-details`;

export interface JobTableProps {
  jobs: JobView[];
  caption: string;
  whenHeader: string;
  now: number;
  /** Show which workspace each job belongs to (all-workspaces scope). */
  showWorkspace: boolean;
  /** The job's workspace; null for app-wide jobs, undefined for a workspace that no longer exists. */
  workspaceOf(id: string | null): Workspace | null | undefined;
  timezoneOf(job: JobView): string;
  expanded: ReadonlySet<string>;
  currentId: string | null;
  busyIds: ReadonlySet<string>;
  onToggle(job: JobView): void;
  onCurrent(job: JobView): void;
  onRetry(job: JobView): void;
  onCancel(job: JobView): void;
}

function Progress({ job, label }: { job: JobView; label: string }) {
  const fraction = job.progress?.fraction ?? null;
  const pct = fraction === null ? null : Math.round(fraction * 100);
  return (
    <div className="qprogress">
      <div
        className={pct === null ? 'qprogress__bar is-indeterminate' : 'qprogress__bar'}
        role="progressbar"
        aria-label={`${label} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct === null ? { 'aria-valuetext': 'Working…' } : { 'aria-valuenow': pct })}
      >
        <span style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      {pct !== null ? <span className="qprogress__pct">{pct}%</span> : null}
    </div>
  );
}

function WorkspaceCell({ ws }: { ws: Workspace | null | undefined }) {
  if (ws === null)
    return (
      <td className="qcell-ws muted">
        <span className="qws">
          <Icon name="database" size={14} className="qws__icon" />
          App-wide
        </span>
      </td>
    );
  if (ws === undefined) return <td className="qcell-ws muted">Deleted workspace</td>;
  return (
    <td className="qcell-ws">
      <span className="qws" title={ws.name}>
        <WorkspaceAvatar ws={ws} size={18} />
        <span className="qws__name">{ws.name}</span>
      </span>
    </td>
  );
}

export function JobTable(p: JobTableProps) {
  const columns = p.showWorkspace ? 7 : 6;
  // Only a job waiting for a decision has two buttons (run now, cancel); size the column for that.
  const twoActions = p.jobs.some((j) => retryAction(j) !== null && canCancel(j));
  return (
    <table className={p.showWorkspace ? 'qtable qtable--ws' : 'qtable'}>
      <caption className="visually-hidden">{p.caption}</caption>
      <colgroup>
        <col className="qcol-job" />
        {p.showWorkspace ? <col className="qcol-ws" /> : null}
        <col className="qcol-state" />
        <col className="qcol-when" />
        <col className="qcol-attempts" />
        <col className="qcol-error" />
        <col className={twoActions ? 'qcol-actions qcol-actions--two' : 'qcol-actions'} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Job</th>
          {p.showWorkspace ? <th scope="col">Workspace</th> : null}
          <th scope="col">State</th>
          <th scope="col">{p.whenHeader}</th>
          <th scope="col" className="num">
            Attempts
          </th>
          <th scope="col">Last error</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {p.jobs.map((job) => {
          const type = jobTypeLabel(job.type);
          const state = displayState(job, p.now);
          const info = STATE_INFO[state];
          const when = whenOf(job, p.now);
          const attempts = attemptsLabel(job);
          const retry = retryAction(job);
          const cancellable = canCancel(job);
          const open = p.expanded.has(job.id);
          const busy = p.busyIds.has(job.id);
          const tz = p.timezoneOf(job);
          const running = state === 'running' || state === 'cancelling';
          return (
            <Fragment key={job.id}>
              <tr
                className={`qrow${open ? ' is-open' : ''}${p.currentId === job.id ? ' is-current' : ''}`}
                data-job-id={job.id}
                data-state={state}
                onFocus={() => p.onCurrent(job)}
                onMouseDown={() => p.onCurrent(job)}
              >
                <th scope="row" className="qcell-job">
                  <button
                    type="button"
                    id={rowToggleId(job.id)}
                    className="qjob"
                    data-queue-row-toggle=""
                    aria-expanded={open}
                    {...(open ? { 'aria-controls': detailsId(job.id) } : {})}
                    onClick={() => p.onToggle(job)}
                  >
                    <Icon name="chevronDown" size={14} className="qjob__chevron" />
                    <span className={type.known ? 'qjob__label' : 'qjob__label qjob__label--raw'} title={type.known ? type.raw : undefined}>
                      {type.label}
                    </span>
                    {isSeries(job) ? <span className="qtag">Repeats</span> : job.cronJobId ? <span className="qtag">Timed</span> : null}
                  </button>
                </th>
                {p.showWorkspace ? <WorkspaceCell ws={p.workspaceOf(job.workspaceId)} /> : null}
                <td>
                  <span className={`chip chip--${info.tone}${running ? ' chip--live' : ''}`} title={info.help}>
                    {info.label}
                  </span>
                  {running ? <Progress job={job} label={type.label} /> : null}
                </td>
                <td className="qcell-when">
                  {when.at === null ? (
                    when.text
                  ) : (
                    <time dateTime={new Date(when.at).toISOString()} title={exactTime(when.at, tz)}>
                      {when.text}
                    </time>
                  )}
                </td>
                <td className="num" {...(attempts.detail ? { title: attempts.detail } : {})}>
                  {attempts.text}
                  {attempts.detail ? <span className="visually-hidden"> ({attempts.detail})</span> : null}
                </td>
                <td className="qcell-error">{job.lastError ? errorSummary(job.lastError, 160) : <span className="muted">—</span>}</td>
                <td className="qcell-actions">
                  {retry ? (
                    <button type="button" className="button button--small" disabled={busy} aria-keyshortcuts="r" onClick={() => p.onRetry(job)}>
                      {retry.label}
                      <span className="visually-hidden"> {type.label}</span>
                    </button>
                  ) : null}
                  {cancellable ? (
                    <button type="button" className="button button--small button--danger" disabled={busy} aria-keyshortcuts="c" onClick={() => p.onCancel(job)}>
                      Cancel
                      <span className="visually-hidden"> {type.label}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
              {open ? (
                <tr className="qrow-details">
                  <td colSpan={columns}>
                    <JobDetails job={job} id={detailsId(job.id)} now={p.now} timezone={tz} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
