// Start from a template: pick one of the workspace's templates (tip, promotion, seasonal,
// testimonial, fun fact, and your own), fill its {placeholders} (the brand's name and type are
// already filled from the profile), see the result, and put it in the post.
import { Fragment, useEffect, useId, useMemo, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { fillTemplate, placeholderLabel, profileValues, THEME_LABEL, type Template } from './templates';

function Highlighted({ text }: { text: string }) {
  const parts = text.split(/(\{[a-z_][a-z0-9_]*\})/gi);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <span key={i} className="cmp-tpl__ph">
            {p}
          </span>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </>
  );
}

export function TemplateDialog({
  open,
  workspace,
  hasText,
  onClose,
  onUse,
}: {
  open: boolean;
  workspace: { id: string; name: string; businessType: string; website?: string | null };
  /** The post already has text: offer to add below it as well as to replace it. */
  hasText: boolean;
  onClose: () => void;
  onUse: (template: Template, text: string, how: 'replace' | 'append') => void;
}) {
  const id = useId();
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; items: Template[]; error: unknown }>({ status: 'loading', items: [], error: null });
  const [picked, setPicked] = useState<Template | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setPicked(null);
    call('posts.templates', { workspaceId: workspace.id }).then(
      (items) => live && setState({ status: 'ready', items, error: null }),
      (error: unknown) => live && setState({ status: 'error', items: [], error }),
    );
    return () => {
      live = false;
    };
  }, [open, workspace.id, nonce]);

  const auto = useMemo(() => profileValues(workspace), [workspace]);
  const pick = (t: Template) => {
    setPicked(t);
    setValues(Object.fromEntries(t.placeholders.map((p) => [p, auto[p.toLowerCase()] ?? ''])));
    requestAnimationFrame(() => document.getElementById(`${id}-f0`)?.focus());
  };
  const result = picked ? fillTemplate(picked.text, values) : '';
  const missing = picked ? picked.placeholders.filter((p) => !values[p]?.trim()) : [];

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={picked ? (picked.name ?? 'Template') : 'Start from a template'}
      description={picked ? 'Fill in the blanks; anything left blank stays as {a placeholder} for you to replace in the post.' : 'Templates of this workspace, with {placeholders} to fill in.'}
      className="dialog--form cmp-tpl"
    >
      {state.status === 'loading' ? <p className="muted">Loading templates…</p> : null}
      {state.status === 'error' ? (
        <p className="inline-error" role="alert">
          Could not load the templates: {messageOf(state.error)}{' '}
          <button type="button" className="link-button" onClick={() => setNonce((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? <p className="muted">This workspace has no templates switched on.</p> : null}

      {!picked && state.items.length > 0 ? (
        <ul className="cmp-tpl__list">
          {state.items.map((t) => (
            <li key={t.id}>
              <button type="button" className="cmp-tpl__item" onClick={() => pick(t)}>
                <span className="cmp-tpl__head">
                  <span className="cmp-tpl__name">{t.name ?? THEME_LABEL[t.theme] ?? t.theme}</span>
                  <span className="cmp-tpl__theme">{THEME_LABEL[t.theme] ?? t.theme}</span>
                  {t.platform ? <span className="cmp-tpl__theme">{t.platform}</span> : null}
                </span>
                <span className="cmp-tpl__text">
                  <Highlighted text={t.text} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      {picked ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            onUse(picked, result, 'replace');
          }}
        >
          {picked.placeholders.map((p, i) => (
            <div key={p} className="field">
              <label className="field__label" htmlFor={`${id}-f${i}`}>
                {placeholderLabel(p)}
                {auto[p.toLowerCase()] ? <span className="field__optional"> from your brand profile</span> : null}
              </label>
              <input id={`${id}-f${i}`} className="input" value={values[p] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [p]: e.target.value }))} />
            </div>
          ))}
          <div className="cmp-tpl__result" aria-live="polite">
            <span className="cmp-tpl__result-label">The post will start with</span>
            <p>
              <Highlighted text={result} />
            </p>
            {missing.length > 0 ? <p className="field__hint">Still blank: {missing.map((m) => `{${m}}`).join(', ')}.</p> : null}
          </div>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setPicked(null)}>
              <Icon name="arrowRight" size={13} className="cmp-flip" />
              All templates
            </button>
            {hasText ? (
              <button type="button" className="button" onClick={() => onUse(picked, result, 'append')}>
                Add below my text
              </button>
            ) : null}
            <button type="submit" className="button button--primary">
              {hasText ? 'Replace my text' : 'Use this template'}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
