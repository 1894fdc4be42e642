// A small pill while the live event stream is down. Calls still work or fail on their own; this
// only says that live updates (new messages, job progress) are paused.
import { useEffect, useState } from 'react';
import { useConnection } from '../stores/connection';

const SHOW_AFTER_MS = 800;

export function ConnectionIndicator() {
  const status = useConnection((s) => s.status);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    // Don't flash for a blip.
    if (status !== 'reconnecting') {
      setVisible(false);
      return;
    }
    const t = setTimeout(() => setVisible(true), SHOW_AFTER_MS);
    return () => clearTimeout(t);
  }, [status]);

  return (
    <div role="status" className="connection">
      {visible ? (
        <span className="connection__pill" title="Live updates paused until the engine answers again. Saved work is safe.">
          <span className="spinner" aria-hidden="true" />
          Reconnecting…
        </span>
      ) : null}
    </div>
  );
}
