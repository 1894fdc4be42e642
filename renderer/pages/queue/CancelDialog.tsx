// Cancel asks first: a cancelled publish does not go out. A repeating job can end the whole series.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { isSeries } from './job-states';
import { jobTypeLabel, type JobView } from './job-types';

export function CancelDialog({ job, onClose, onConfirm }: { job: JobView | null; onClose: () => void; onConfirm: (job: JobView, series: boolean) => Promise<void> }) {
  const [busy, setBusy] = useState<'one' | 'series' | null>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // The safe choice gets the focus, so a stray Enter keeps the job. (Dialog opens the modal in its
  // own effect, which runs before this one; React's autoFocus would fire while it is still closed.)
  useEffect(() => {
    if (job) keep.current?.focus();
  }, [job]);
  const label = job ? jobTypeLabel(job.type).label : '';
  const running = job?.state === 'running';
  const series = job ? isSeries(job) : false;

  const confirm = async (wholeSeries: boolean) => {
    if (!job || busy) return;
    setBusy(wholeSeries ? 'series' : 'one');
    try {
      await onConfirm(job, wholeSeries);
    } finally {
      setBusy(null);
    }
  };

  let description: string;
  if (running) description = 'It is running now. Postdesk asks it to stop; if its effect already happened (a post that went out), it is recorded as done instead.';
  else if (series) description = 'This run will not happen. Cancel only this one and the next in the series is still queued, or end the whole series.';
  else description = 'It will not run. You can still retry it later from the Done tab.';

  return (
    <Dialog open={job !== null} onClose={onClose} title={`Cancel “${label}”?`} description={description} className="queue-cancel">
      <form
        className="form__actions queue-cancel__actions"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm(false);
        }}
      >
        <button type="button" className="button" onClick={onClose} ref={keep}>
          Keep it
        </button>
        {series ? (
          <button type="button" className="button button--danger" disabled={busy !== null} onClick={() => void confirm(true)}>
            {busy === 'series' ? 'Cancelling…' : 'Cancel the whole series'}
          </button>
        ) : null}
        <button type="submit" className="button button--danger" disabled={busy !== null}>
          {busy === 'one' ? 'Cancelling…' : series ? 'Cancel this run' : 'Cancel job'}
        </button>
      </form>
    </Dialog>
  );
}
