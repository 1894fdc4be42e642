// Your own developer app for a network that requires one (X, Meta, LinkedIn): where to make it,
// and its client id (+ secret). Used in Settings → Platforms and as the first step of connecting.
// The secret is write-only: the engine says whether one is saved, never what it is.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call } from '../../api/client';
import { Field } from '../../components/Field';
import { fieldErrors, type FieldErrors } from '../../lib/issues';
import type { PlatformInfo } from './account-labels';
import { ErrorNote } from './ErrorNote';

export type PlatformAppView = ApiOutput<'accounts.getApp'>;
const FIELDS = ['clientId', 'clientSecret'] as const;

export function PlatformAppForm({
  info,
  onSaved,
  submitLabel,
  secondary,
  autoFocus = false,
}: {
  info: PlatformInfo;
  onSaved: (view: PlatformAppView) => void;
  submitLabel: string;
  secondary?: ReactNode;
  autoFocus?: boolean;
}) {
  const [app, setApp] = useState<{ status: 'loading' } | { status: 'ready'; view: PlatformAppView } | { status: 'error'; error: unknown }>({ status: 'loading' });
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors<(typeof FIELDS)[number]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [nonce, setNonce] = useState(0);
  const first = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let live = true;
    call('accounts.getApp', { platform: info.platform }).then(
      (view) => {
        if (!live) return;
        setApp({ status: 'ready', view });
        setClientId(view.clientId ?? '');
      },
      (error: unknown) => live && setApp({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [info.platform, nonce]);

  useEffect(() => {
    if (autoFocus && app.status === 'ready') first.current?.focus();
  }, [autoFocus, app.status]);

  useEffect(() => {
    if (Object.keys(errors).length > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const hasSecret = app.status === 'ready' && app.view.hasClientSecret;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: FieldErrors<(typeof FIELDS)[number]> = {};
    if (clientId.trim() === '') local.clientId = 'Paste the client id from your app’s settings.';
    if (info.needsClientSecret && !hasSecret && secret.trim() === '') local.clientSecret = 'Paste the client secret too; this network needs both.';
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const view = await call('accounts.setApp', {
        platform: info.platform,
        clientId: clientId.trim(),
        // Empty keeps the saved secret; the field never shows it.
        ...(info.needsClientSecret && secret.trim() !== '' ? { clientSecret: secret.trim() } : {}),
      });
      setApp({ status: 'ready', view });
      setSecret('');
      onSaved(view);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) setErrors(fieldErrors(err.issues, FIELDS));
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (app.status === 'loading') return <p className="muted">Loading your {info.name} app…</p>;
  if (app.status === 'error')
    return (
      <p className="inline-error" role="alert">
        Could not read your {info.name} app settings.{' '}
        <button type="button" className="link-button" onClick={() => setNonce((n) => n + 1)}>
          Try again
        </button>
      </p>
    );

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-busy={busy}>
      {info.appHelp ? <p className="acct-help">{info.appHelp}</p> : null}
      {failure ? <ErrorNote error={failure} title={`Could not save your ${info.name} app`} /> : errors._form ? <p className="form__error" role="alert">{errors._form}</p> : null}
      <Field label="Client ID" error={errors.clientId}>
        {(c) => (
          <input
            {...c}
            ref={first}
            className="input input--mono"
            name={`${info.platform}-client-id`}
            autoComplete="off"
            spellCheck={false}
            value={clientId}
            onChange={(e) => {
              setClientId(e.target.value);
              if (errors.clientId) setErrors((x) => ({ ...x, clientId: undefined }));
            }}
          />
        )}
      </Field>
      {info.needsClientSecret ? (
        <Field
          label="Client secret"
          error={errors.clientSecret}
          hint={hasSecret ? 'A secret is saved (encrypted). Leave this empty to keep it, or paste a new one.' : 'Stored encrypted on this computer; Postdesk never shows it again.'}
        >
          {(c) => (
            <input
              {...c}
              className="input input--mono"
              type="password"
              name={`${info.platform}-client-secret`}
              autoComplete="off"
              placeholder={hasSecret ? '••••••••  saved' : undefined}
              value={secret}
              onChange={(e) => {
                setSecret(e.target.value);
                if (errors.clientSecret) setErrors((x) => ({ ...x, clientSecret: undefined }));
              }}
            />
          )}
        </Field>
      ) : null}
      <div className="form__actions">
        {secondary}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
