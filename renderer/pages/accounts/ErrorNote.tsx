// An API error shown where it happened (in a form or a card): what failed, the engine's reason,
// and what to do. Locked sign-ins link straight to the unlock form.
import { Link } from 'react-router-dom';
import { ApiCallError, hintFor, messageOf } from '../../api/client';
import { withCode } from '../../components/RichText';
import { UNLOCK_PATH } from './security-store';

export function isLocked(err: unknown): boolean {
  return err instanceof ApiCallError && err.code === 'locked';
}

export function ErrorNote({ error, title, className = 'form__error' }: { error: unknown; title?: string; className?: string }) {
  const locked = isLocked(error);
  // A network's own refusal is the whole story; the generic advice would only repeat it.
  const refused = error instanceof ApiCallError && (error.code === 'platform_refused' || error.code === 'invalid_input');
  return (
    <div className={`${className} acct-error`} role="alert">
      {title ? <p className="acct-error__title">{title}</p> : null}
      <p>{withCode(messageOf(error))}</p>
      {locked ? (
        <p className="acct-error__hint">
          <Link to={UNLOCK_PATH} className="link">
            Unlock saved sign-ins in Settings → Security
          </Link>
        </p>
      ) : refused ? null : (
        <p className="acct-error__hint">{withCode(hintFor(error))}</p>
      )}
    </div>
  );
}
