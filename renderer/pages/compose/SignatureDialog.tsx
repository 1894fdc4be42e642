// Signatures: the lines the brand ends posts with. The dialog lists those that concern the chosen
// accounts (defaults first), each with what adding it does to every network's count — refused
// where a network would be over its limit — and adds or takes it off in one click; it also makes,
// edits and deletes them. The toolbar's quick button adds the default in one click.
import { useCallback, useEffect, useId, useState } from 'react';
import { ApiCallError } from '../../api/errors';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { fieldErrors, type FieldErrors } from '../../lib/issues';
import { platformName, type PlatformInfo } from '../accounts/account-labels';
import type { TargetInfo } from './checks';
import type { Draft } from './draft';
import { signaturePlan, signaturesFor, type Signature, type SignaturePlan } from './signatures';

export interface SignaturesState {
  status: 'loading' | 'ready' | 'error';
  items: Signature[];
  error: unknown;
  reload(): void;
}

export function useSignatures(workspaceId: string): SignaturesState {
  const [state, setState] = useState<Omit<SignaturesState, 'reload'>>({ status: 'loading', items: [], error: null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    call('posts.signatures', { workspaceId }).then(
      (items) => live && setState({ status: 'ready', items, error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, status: 'error', error })),
    );
    return () => {
      live = false;
    };
  }, [workspaceId, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

/** "Bluesky 214/300 · Mastodon 226/500", or where it would not fit. */
export function fitWords(plan: SignaturePlan): string {
  if (plan.tooLong.length > 0) return `Too long for ${plan.tooLong.join(', ')}`;
  const seen = new Set<string>();
  return plan.fits
    .filter((f) => !seen.has(f.network) && seen.add(f.network))
    .map((f) => `${f.network} ${f.used.toLocaleString()}/${f.limit.toLocaleString()}`)
    .join(' · ');
}

type FormField = 'name' | 'content' | 'platform' | 'isDefault';
interface FormState {
  id: string | null;
  name: string;
  content: string;
  platform: string;
  isDefault: boolean;
}
const EMPTY_FORM: FormState = { id: null, name: '', content: '', platform: '', isDefault: false };

export function SignatureDialog({
  open,
  workspaceId,
  signatures,
  draft,
  infos,
  platforms,
  onClose,
  onApply,
}: {
  open: boolean;
  workspaceId: string;
  signatures: SignaturesState;
  draft: Draft;
  infos: readonly TargetInfo[];
  platforms: readonly PlatformInfo[] | null;
  onClose: () => void;
  /** Change the draft; `message` is announced. */
  onApply: (change: (d: Draft) => Draft, message: string) => void;
}) {
  const id = useId();
  const [form, setForm] = useState<FormState | null>(null);
  const [errors, setErrors] = useState<FieldErrors<FormField>>({});
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setForm(null);
    setErrors({});
    setConfirmDelete(null);
    // Fresh on each opening (another window may have changed them); after each change below too.
    signatures.reload();
  }, [open, signatures.reload]);

  const offered = signaturesFor(signatures.items, infos);
  const others = signatures.items.filter((s) => !offered.includes(s));
  const networks = platforms ?? [];

  const save = async (f: FormState) => {
    setBusy(true);
    setErrors({});
    const fields = { name: f.name, content: f.content, platform: f.platform === '' ? null : (f.platform as NonNullable<Signature['platform']>), isDefault: f.isDefault };
    try {
      if (f.id === null) await call('posts.createSignature', { workspaceId, ...fields });
      else await call('posts.updateSignature', { signatureId: f.id, ...fields });
      setForm(null);
      signatures.reload();
    } catch (err) {
      setErrors(err instanceof ApiCallError && err.issues.length > 0 ? fieldErrors(err.issues, ['name', 'content', 'platform', 'isDefault'] as const) : { _form: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (s: Signature) => {
    setBusy(true);
    try {
      await call('posts.deleteSignature', { signatureId: s.id });
      setConfirmDelete(null);
      signatures.reload();
    } catch (err) {
      setErrors({ _form: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const scope = (s: Signature) => (s.platform === null ? 'Every network' : platformName(s.platform, platforms));

  const item = (s: Signature, usable: boolean) => {
    const plan = signaturePlan(draft, infos, s, platforms);
    const blocked = !plan.present && plan.tooLong.length > 0;
    return (
      <li key={s.id} className="cmp-sig" data-testid="signature">
        <div className="cmp-sig__head">
          <span className="cmp-sig__name">{s.name}</span>
          <span className="cmp-tpl__theme">{scope(s)}</span>
          {s.isDefault ? <span className="cmp-tpl__theme cmp-sig__default">Default</span> : null}
        </div>
        <p className="cmp-sig__text">{s.content}</p>
        {usable ? (
          <p id={`${id}-fit-${s.id}`} className={`cmp-sig__fit${blocked ? ' is-over' : ''}`} data-testid="signature-fit">
            {fitWords(plan) || 'Added to the main text.'}
          </p>
        ) : (
          <p className="cmp-sig__fit muted">For {scope(s)}: none of the chosen accounts is there.</p>
        )}
        <div className="cmp-sig__actions">
          {usable ? (
            <button
              type="button"
              className={plan.present ? 'button button--small' : 'button button--small button--primary'}
              disabled={blocked}
              aria-describedby={`${id}-fit-${s.id}`}
              title={blocked ? `It would make the post too long for ${plan.tooLong.join(', ')}. Shorten the text first.` : undefined}
              onClick={() => {
                if (plan.present) onApply(plan.remove, `Signature “${s.name}” taken off.`);
                else onApply(plan.apply, `Signature “${s.name}” added.`);
              }}
            >
              {plan.present ? 'Take it off' : 'Add to the post'}
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={() => setForm({ id: s.id, name: s.name, content: s.content, platform: s.platform ?? '', isDefault: s.isDefault })}>
            Edit<span className="visually-hidden"> {s.name}</span>
          </button>
          {confirmDelete === s.id ? (
            <>
              <button type="button" className="button button--small button--danger" disabled={busy} onClick={() => void remove(s)}>
                Delete “{s.name}”
              </button>
              <button type="button" className="link-button" onClick={() => setConfirmDelete(null)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" className="link-button" onClick={() => setConfirmDelete(s.id)}>
              Delete<span className="visually-hidden"> {s.name}</span>
            </button>
          )}
        </div>
      </li>
    );
  };

  return (
    <Dialog open={open} onClose={onClose} title="Signatures" description="A line to end posts with, for every network or for one. Added where it fits each network’s limit." className="dialog--form cmp-sigs">
      {signatures.status === 'loading' && signatures.items.length === 0 ? <p className="muted">Loading signatures…</p> : null}
      {signatures.status === 'error' ? (
        <p className="inline-error" role="alert">
          Could not load the signatures: {messageOf(signatures.error)}{' '}
          <button type="button" className="link-button" onClick={signatures.reload}>
            Try again
          </button>
        </p>
      ) : null}
      {errors._form && form === null ? (
        <p className="inline-error" role="alert">
          {errors._form}
        </p>
      ) : null}
      {signatures.status === 'ready' && signatures.items.length === 0 && form === null ? <p className="muted">No signatures yet. Make one below; it is saved for this workspace.</p> : null}

      {form === null ? (
        <>
          {offered.length > 0 ? <ul className="cmp-sig__list">{offered.map((s) => item(s, true))}</ul> : null}
          {others.length > 0 ? (
            <details className="cmp-sig__others">
              <summary>For other networks ({others.length})</summary>
              <ul className="cmp-sig__list">{others.map((s) => item(s, false))}</ul>
            </details>
          ) : null}
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setForm({ ...EMPTY_FORM })}>
              <Icon name="plus" size={13} />
              New signature
            </button>
            <button type="button" className="button button--primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            e.stopPropagation();
            void save(form);
          }}
        >
          <div className={errors.name ? 'field field--invalid' : 'field'}>
            <label className="field__label" htmlFor={`${id}-name`}>
              Name
            </label>
            <input id={`${id}-name`} className="input" value={form.name} maxLength={60} autoFocus aria-invalid={errors.name ? true : undefined} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            {errors.name ? <p className="field__error">{errors.name}</p> : null}
          </div>
          <div className={errors.content ? 'field field--invalid' : 'field'}>
            <label className="field__label" htmlFor={`${id}-content`}>
              Text
            </label>
            <textarea id={`${id}-content`} className="input textarea" rows={3} maxLength={1000} value={form.content} aria-invalid={errors.content ? true : undefined} onChange={(e) => setForm({ ...form, content: e.target.value })} />
            {errors.content ? <p className="field__error">{errors.content}</p> : null}
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-platform`}>
              For
            </label>
            <select id={`${id}-platform`} className="input" value={form.platform} onChange={(e) => setForm({ ...form, platform: e.target.value })}>
              <option value="">Every network</option>
              {networks.map((p) => (
                <option key={p.platform} value={p.platform}>
                  {p.name} only
                </option>
              ))}
            </select>
          </div>
          <label className="cmp-check">
            <input type="checkbox" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} />
            <span>
              <span className="cmp-check__title">Default</span>
              <span className="cmp-check__hint">Offered first, and added in one click from the composer’s toolbar. One default {form.platform === '' ? 'for every network' : `for ${platformName(form.platform, platforms)}`}.</span>
            </span>
          </label>
          {errors._form ? (
            <p className="inline-error" role="alert">
              {errors._form}
            </p>
          ) : null}
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setForm(null)}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={busy}>
              {form.id === null ? 'Save signature' : 'Save changes'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
