// Settings → Security: what protects the saved sign-ins of connected accounts, a warning when that
// is weak (Linux with no secret service), and the passphrase: set, change, remove, or enter it to
// unlock after a restart. Reached from the shell's "locked" banner as /settings?section=security.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiCallError, call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Section } from '../../components/Page';
import { toastError, toastSuccess } from '../../stores/ui';
import { useAccountsStore } from '../accounts/accounts-store';
import { MIN_PASSPHRASE, passphraseProblems, protectionText, useSecurity, type SecurityStatus } from '../accounts/security-store';
import '../../styles/accounts.css';

function issueFor(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiCallError) || err.code !== 'invalid_input') return undefined;
  const issue = err.issues.find((i) => i.path[0] === field);
  return issue ? issue.message.charAt(0).toUpperCase() + issue.message.slice(1) : err.issues.length === 0 ? err.message : undefined;
}

function UnlockForm({ onUnlocked }: { onUnlocked: (s: SecurityStatus) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [params] = useSearchParams();

  useEffect(() => {
    if (params.get('section') === 'security') input.current?.focus({ preventScroll: true });
  }, [params]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (value === '') {
      setError('Enter your passphrase.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const status = await call('security.unlock', { passphrase: value });
      setValue('');
      onUnlocked(status);
    } catch (err) {
      const msg = issueFor(err, 'passphrase');
      if (msg) {
        setError(msg);
        input.current?.select();
      } else toastError('Could not unlock saved sign-ins', err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sec-unlock" onSubmit={submit} noValidate aria-busy={busy}>
      <div className="sec-unlock__head">
        <Icon name="lock" size={18} className="sec-unlock__icon" />
        <div>
          <p className="sec-unlock__title">Saved sign-ins are locked</p>
          <p className="sec-unlock__text">Enter the passphrase you chose. Until then Postdesk cannot publish, check or connect accounts.</p>
        </div>
      </div>
      <div className="sec-unlock__row">
        <Field label="Passphrase" error={error}>
          {(c) => (
            <input
              {...c}
              ref={input}
              className="input"
              type="password"
              name="unlock-passphrase"
              autoComplete="current-password"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setError(undefined);
              }}
            />
          )}
        </Field>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}

function PassphraseDialog({ open, change, onClose, onSaved }: { open: boolean; change: boolean; onClose: () => void; onSaved: (s: SecurityStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ passphrase?: string; repeat?: string }>({});
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!open) return;
    setPassphrase('');
    setRepeat('');
    setErrors({});
    first.current?.focus();
  }, [open]);

  useEffect(() => {
    if (errors.passphrase || errors.repeat) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local = passphraseProblems(passphrase, repeat);
    setErrors(local);
    if (local.passphrase || local.repeat) return;
    setBusy(true);
    try {
      const status = await call('security.setPassphrase', { passphrase });
      onSaved(status);
    } catch (err) {
      const msg = issueFor(err, 'passphrase');
      if (msg) setErrors({ passphrase: msg });
      else toastError(change ? 'Could not change the passphrase' : 'Could not set the passphrase', err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={change ? 'Change your passphrase' : 'Protect sign-ins with a passphrase'}
      description="Saved sign-ins are re-encrypted with a key made from it. Postdesk asks for it each time it starts. If you forget it, the sign-ins cannot be recovered — you would reconnect each account."
    >
      <form ref={form} className="form" onSubmit={submit} noValidate aria-busy={busy}>
        <Field label={change ? 'New passphrase' : 'Passphrase'} error={errors.passphrase} hint={`At least ${MIN_PASSPHRASE} characters. A few words are easier to remember than symbols.`}>
          {(c) => (
            <input
              {...c}
              ref={first}
              className="input"
              type="password"
              name="new-passphrase"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => {
                setPassphrase(e.target.value);
                setErrors({});
              }}
            />
          )}
        </Field>
        <Field label="Type it again" error={errors.repeat}>
          {(c) => (
            <input
              {...c}
              className="input"
              type="password"
              name="repeat-passphrase"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => {
                setRepeat(e.target.value);
                if (errors.repeat) setErrors({});
              }}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Re-encrypting…' : change ? 'Change passphrase' : 'Set passphrase'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RemovePassphraseDialog({ open, onClose, onRemoved }: { open: boolean; onClose: () => void; onRemoved: (s: SecurityStatus) => void }) {
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) keep.current?.focus();
  }, [open]);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Remove the passphrase?"
      description="Saved sign-ins are re-encrypted with your system keychain, or a key file in the data folder where there is none. Postdesk stops asking for the passphrase at start."
    >
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (busy) return;
          setBusy(true);
          try {
            onRemoved(await call('security.removePassphrase', {}));
          } catch (err) {
            toastError('Could not remove the passphrase', err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} ref={keep}>
            Keep the passphrase
          </button>
          <button type="submit" className="button button--danger" disabled={busy}>
            {busy ? 'Re-encrypting…' : 'Remove passphrase'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function SecuritySection() {
  const { status, error, load, set } = useSecurity();
  const [dialog, setDialog] = useState<'set' | 'change' | 'remove' | null>(null);
  const [params] = useSearchParams();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void load();
  }, [load]);

  // Arriving from "Unlock" (banner or an error): bring the section into view.
  // Only <main> scrolls: scrollIntoView would also nudge the whole window.
  useEffect(() => {
    const el = ref.current;
    const main = el?.closest('main');
    if (params.get('section') !== 'security' || !status || !el || !main) return;
    main.scrollBy({ top: el.getBoundingClientRect().top - main.getBoundingClientRect().top - 24 });
  }, [params, status]);

  const afterChange = (next: SecurityStatus, message: string) => {
    set(next);
    setDialog(null);
    toastSuccess(message);
    // Accounts that failed while locked can be read again.
    const { workspaceId, load: reload } = useAccountsStore.getState();
    if (workspaceId) void reload(workspaceId);
  };

  let content;
  if (!status && error)
    content = (
      <p className="inline-error" role="alert">
        Could not ask how sign-ins are protected: {messageOf(error)}{' '}
        <button type="button" className="link-button" onClick={() => void load()}>
          Try again
        </button>
      </p>
    );
  else if (!status) content = <p className="muted">Asking the engine…</p>;
  else {
    const locked = status.state === 'locked';
    const protection = protectionText(locked ? null : status.kind);
    content = (
      <>
        {locked ? <UnlockForm onUnlocked={(s) => afterChange(s, 'Saved sign-ins are unlocked')} /> : null}
        {status.warning && !locked ? (
          <div className="sec-warning" role="alert" data-testid="security-warning">
            <Icon name="alert" size={18} className="sec-warning__icon" />
            <div className="sec-warning__body">
              <p className="sec-warning__title">Your sign-ins are not well protected on this computer</p>
              <p className="sec-warning__text">{status.warning.message}</p>
            </div>
            {!status.passphraseSet ? (
              <button type="button" className="button button--primary" onClick={() => setDialog('set')}>
                Set a passphrase
              </button>
            ) : null}
          </div>
        ) : null}
        <dl className="kv">
          <div className="kv__row">
            <dt>Protected by</dt>
            <dd className="sec-kind">
              <span className="sec-kind__title">{protection.title}</span>
              <span className="sec-kind__detail">{protection.detail}</span>
            </dd>
          </div>
          <div className="kv__row">
            <dt>Passphrase</dt>
            <dd className="sec-actions">
              <span className="sec-actions__state">{status.passphraseSet ? (locked ? 'Set — not entered yet' : 'Set') : 'Not set'}</span>
              {!status.passphraseSet ? (
                <button type="button" className="button button--small" onClick={() => setDialog('set')}>
                  Set a passphrase…
                </button>
              ) : !locked ? (
                <>
                  <button type="button" className="button button--small" onClick={() => setDialog('change')}>
                    Change…
                  </button>
                  <button type="button" className="button button--small button--danger" onClick={() => setDialog('remove')}>
                    Remove…
                  </button>
                </>
              ) : null}
            </dd>
          </div>
        </dl>
      </>
    );
  }

  return (
    <Section
      id="security"
      title="Security"
      description="How the sign-ins of your connected accounts are kept on this computer. They are always encrypted, and never sent to this window."
    >
      <div className="card sec-card" ref={ref}>
        {content}
      </div>
      <PassphraseDialog
        open={dialog === 'set' || dialog === 'change'}
        change={dialog === 'change'}
        onClose={() => setDialog(null)}
        onSaved={(s) => afterChange(s, dialog === 'change' ? 'Passphrase changed' : 'Passphrase set: sign-ins are re-encrypted')}
      />
      <RemovePassphraseDialog open={dialog === 'remove'} onClose={() => setDialog(null)} onRemoved={(s) => afterChange(s, 'Passphrase removed')} />
    </Section>
  );
}
