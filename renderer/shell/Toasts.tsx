// Toasts: what happened, and for failures what to do. Announced politely; errors assertively.
import { Icon } from '../components/Icon';
import { withCode } from '../components/RichText';
import { useUi, type Toast } from '../stores/ui';

function ToastItem({ t }: { t: Toast }) {
  const dismiss = useUi((s) => s.dismiss);
  return (
    <li className={`toast toast--${t.kind}`} role={t.kind === 'error' ? 'alert' : undefined}>
      <Icon name={t.kind === 'error' ? 'alert' : t.kind === 'success' ? 'check' : 'info'} size={16} className="toast__icon" />
      <div className="toast__text">
        <p className="toast__title">{t.title}</p>
        {t.message ? <p className="toast__message">{withCode(t.message)}</p> : null}
        {t.hint ? <p className="toast__hint">{withCode(t.hint)}</p> : null}
      </div>
      <button type="button" className="icon-button toast__close" aria-label={`Dismiss: ${t.title}`} onClick={() => dismiss(t.id)}>
        <Icon name="x" size={14} />
      </button>
    </li>
  );
}

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  return (
    <section className="toasts" aria-label="Notifications">
      <ol className="toasts__list" aria-live="polite" aria-relevant="additions text">
        {toasts.map((t) => (
          <ToastItem key={t.id} t={t} />
        ))}
      </ol>
    </section>
  );
}
