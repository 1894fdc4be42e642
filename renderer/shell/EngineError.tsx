// When the first load fails there is nothing to show but the reason and a way out.
import { ApiCallError, hintFor, messageOf } from '../api/client';
import { Icon } from '../components/Icon';
import { withCode } from '../components/RichText';
import { RecoveryPanel } from '../pages/settings/RecoveryPanel';

export function EngineError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const unauthorized = error instanceof ApiCallError && error.code === 'unauthorized';
  if (error instanceof ApiCallError && error.code === 'damaged') {
    // The engine is up but refuses everything except backups until the damaged file is dealt with.
    return (
      <main id="main" className="fullscreen">
        <div className="fullscreen__card" role="alert">
          <span className="fullscreen__icon" aria-hidden="true">
            <Icon name="alert" size={22} />
          </span>
          <h1>Your database file is damaged</h1>
          <RecoveryPanel message={messageOf(error)} />
        </div>
      </main>
    );
  }
  return (
    <main id="main" className="fullscreen">
      <div className="fullscreen__card" role="alert">
        <span className="fullscreen__icon" aria-hidden="true">
          <Icon name="alert" size={22} />
        </span>
        <h1>{unauthorized ? 'This tab is not signed in to Postdesk' : 'Postdesk cannot load your workspaces'}</h1>
        <p>{withCode(messageOf(error))}</p>
        <p className="muted">{withCode(hintFor(error))}</p>
        <button type="button" className="button button--primary" onClick={onRetry} autoFocus>
          Try again
        </button>
      </div>
    </main>
  );
}

export function Splash() {
  return (
    <main id="main" className="fullscreen" aria-busy="true">
      <p className="splash" role="status">
        <span className="spinner" aria-hidden="true" />
        Opening Postdesk…
      </p>
    </main>
  );
}
