// "Connect account" (and "Reconnect"): pick a network, then sign in the way it signs in. App
// passwords are checked by the network at once; browser sign-ins open the network's page and the
// dialog waits, driven by `accounts.connect` events, until the user approves or gives up.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiCallError, call, onEvent } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import type { FieldErrors } from '../../lib/issues';
import { accountHandle, accountName, platformName, type AccountView, type PlatformInfo } from './account-labels';
import { NetworkMark } from './AccountAvatar';
import {
  applyConnectEvent,
  backStep,
  browserStep,
  canGoBack,
  firstStep,
  passwordErrors,
  pickerOrder,
  platformBlurb,
  stepTitle,
  type ConnectEvent,
  type ConnectStep,
  type ConnectTarget,
  type PasswordField,
} from './connect-flow';
import { ErrorNote } from './ErrorNote';
import { PlatformAppForm } from './PlatformAppForm';

export interface ConnectDialogProps {
  open: boolean;
  target: ConnectTarget;
  /** The account being reconnected, for the dialog's wording. */
  reconnecting: AccountView | null;
  workspaceId: string;
  platforms: PlatformInfo[] | null;
  platformsError: unknown;
  reloadPlatforms: () => Promise<void>;
  onClose: () => void;
  /** Signed in: the account (app password) or its id (browser sign-in, from the event). */
  onConnected: (account: AccountView | string | null) => void;
  /** Whether closing returns the focus to the opener (not after a connect: the new card gets it). */
  restoreFocus?: { current: boolean };
}

function startStep(target: ConnectTarget, platforms: PlatformInfo[] | null): ConnectStep {
  const info = target.platform ? platforms?.find((p) => p.platform === target.platform) : undefined;
  return info ? firstStep(info, target.server) : { kind: 'pick' };
}

export function ConnectDialog(p: ConnectDialogProps) {
  const [step, setStep] = useState<ConnectStep>(() => startStep(p.target, p.platforms));
  const stepRef = useRef(step);
  stepRef.current = step;
  const body = useRef<HTMLDivElement>(null);
  /** Events that arrive before startConnect answers (its flow id is not known yet). */
  const early = useRef<ConnectEvent[]>([]);
  const info = 'platform' in step ? p.platforms?.find((x) => x.platform === step.platform) : undefined;
  const name = 'platform' in step ? platformName(step.platform, p.platforms) : null;

  // A fresh start each time it opens (and once the network list arrives, for a reconnect).
  useEffect(() => {
    if (p.open) setStep(startStep(p.target, p.platforms));
    // Only on open and when the list first loads: a later refresh must not reset a step in progress.
  }, [p.open, p.target, p.platforms === null]);

  // The first field (or the main button) of each step has the focus.
  useEffect(() => {
    if (!p.open) return;
    const t = setTimeout(() => body.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus(), 0);
    return () => clearTimeout(t);
  }, [p.open, step.kind]);

  const onConnectedRef = useRef(p.onConnected);
  onConnectedRef.current = p.onConnected;

  const handle = (current: ConnectStep, e: ConnectEvent) => {
    const currentInfo = 'platform' in current ? p.platforms?.find((x) => x.platform === current.platform) : undefined;
    const outcome = applyConnectEvent(current, e, backStep(current, currentInfo, p.target));
    if (outcome.kind === 'step') {
      stepRef.current = outcome.step;
      setStep(outcome.step);
    } else if (outcome.kind === 'connected') onConnectedRef.current(outcome.accountId);
  };
  const handleRef = useRef(handle);
  handleRef.current = handle;

  // The browser sign-in's progress.
  useEffect(() => {
    if (!p.open) return;
    return onEvent('accounts.connect', (e) => {
      if (e.workspaceId !== p.workspaceId) return;
      const current = stepRef.current;
      if (current.kind !== 'waiting') {
        early.current.push(e);
        return;
      }
      handleRef.current(current, e);
    });
  }, [p.open, p.workspaceId]);

  const close = () => {
    const s = stepRef.current;
    // Closing while the browser is open stops the wait: nothing is left listening in the background.
    if (s.kind === 'waiting') void call('accounts.cancelConnect', { flowId: s.flowId }).catch(() => undefined);
    p.onClose();
  };

  const back = () => {
    if (step.kind === 'waiting') void call('accounts.cancelConnect', { flowId: step.flowId }).catch(() => undefined);
    setStep(backStep(step, info, p.target));
  };
  const backButton = canGoBack(step, info, p.target) ? (
    <button type="button" className="button acct-back" onClick={back}>
      Back
    </button>
  ) : null;

  /** Start the browser sign-in; called from a click, so opening the window is not a blocked popup. */
  const startBrowser = async (platform: PlatformInfo, server: string): Promise<unknown> => {
    early.current = [];
    try {
      const started = await call('accounts.startConnect', { workspaceId: p.workspaceId, platform: platform.platform, ...(server.trim() ? { serverUrl: server.trim() } : {}) });
      // Web mode: the engine cannot open the browser for the page, so the page does.
      if (!started.opened) window.open(started.authorizeUrl, '_blank', 'noopener,noreferrer');
      const waiting: ConnectStep = { kind: 'waiting', platform: platform.platform, server, flowId: started.flowId, authorizeUrl: started.authorizeUrl, opened: started.opened };
      stepRef.current = waiting;
      setStep(waiting);
      for (const e of early.current.splice(0)) handle(stepRef.current, e);
      return null;
    } catch (err) {
      return err;
    }
  };

  let content: ReactNode;
  if (step.kind === 'pick') {
    content = <PickStep platforms={p.platforms} error={p.platformsError} reload={p.reloadPlatforms} onPick={(x) => setStep(firstStep(x, p.target.server))} onCancel={close} />;
  } else if (!info) {
    content = <p className="muted">Loading {name}…</p>;
  } else if (step.kind === 'password') {
    content = <PasswordStep info={info} target={p.target} workspaceId={p.workspaceId} back={backButton} onConnected={(a) => p.onConnected(a)} />;
  } else if (step.kind === 'app') {
    content = (
      <PlatformAppForm
        info={info}
        autoFocus
        submitLabel="Save and continue"
        secondary={backButton}
        onSaved={() => {
          void p.reloadPlatforms();
          setStep(browserStep(info, p.target.server));
        }}
      />
    );
  } else if (step.kind === 'server') {
    content = <ServerStep info={info} initial={step.server} back={backButton} start={(server) => startBrowser(info, server)} />;
  } else if (step.kind === 'ready') {
    content = <ReadyStep info={info} back={backButton} start={() => startBrowser(info, step.server)} />;
  } else if (step.kind === 'waiting') {
    content = <WaitingStep name={info.name} step={step} onCancel={back} />;
  } else {
    content = (
      <div className="form">
        <ErrorNote error={new ApiCallError('platform_refused', step.error || 'The sign-in did not finish.')} title={`${info.name} did not connect`} />
        <p className="muted">Nothing was saved. Check the account on {info.name}, then try again.</p>
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button type="button" className="button button--primary" data-autofocus onClick={back}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  const who = p.reconnecting ? (accountHandle(p.reconnecting) ?? accountName(p.reconnecting)) : null;
  const description =
    step.kind === 'pick'
      ? 'Pick a network. Sign-ins are encrypted on this computer and never leave it.'
      : who
        ? `Sign in again as ${who}. Its paused posts resume once it is connected.`
        : undefined;

  return (
    <Dialog open={p.open} onClose={close} title={stepTitle(step, name, p.reconnecting !== null)} description={description} className="dialog--form acct-connect" {...(p.restoreFocus ? { restoreFocus: p.restoreFocus } : {})}>
      <div ref={body} data-step={step.kind}>
        {content}
      </div>
    </Dialog>
  );
}

function PickStep({ platforms, error, reload, onPick, onCancel }: { platforms: PlatformInfo[] | null; error: unknown; reload: () => Promise<void>; onPick: (p: PlatformInfo) => void; onCancel: () => void }) {
  if (platforms === null && error) return <ErrorNote error={error} title="Could not list the networks" />;
  if (platforms === null) return <p className="muted">Loading networks…</p>;
  if (platforms.length === 0)
    return (
      <div className="empty empty--inline">
        <p className="empty__title">No networks in this build yet</p>
        <p className="empty__text">This copy of Postdesk was built without any network connectors. </p>
        <button type="button" className="link-button" onClick={() => void reload()}>
          Check again
        </button>
      </div>
    );
  return (
    <div className="form">
      <ul className="acct-picker" aria-label="Networks">
        {pickerOrder(platforms).map((x, i) => (
          <li key={x.platform}>
            <button type="button" className="acct-picker__option" onClick={() => onPick(x)} {...(i === 0 ? { 'data-autofocus': true } : {})}>
              <NetworkMark platform={x.platform} size="lg" />
              <span className="acct-picker__text">
                <span className="acct-picker__name">{x.name}</span>
                <span className="acct-picker__blurb">{platformBlurb(x)}</span>
              </span>
              <Icon name="arrowRight" size={16} className="acct-picker__arrow" />
            </button>
          </li>
        ))}
      </ul>
      <div className="form__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function PasswordStep({ info, target, workspaceId, back, onConnected }: { info: PlatformInfo; target: ConnectTarget; workspaceId: string; back: ReactNode; onConnected: (a: AccountView) => void }) {
  const [server, setServer] = useState(target.server ?? '');
  const [identifier, setIdentifier] = useState(target.identifier ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (Object.keys(errors).some((k) => errors[k as PasswordField])) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: FieldErrors<PasswordField> = {};
    if (identifier.trim() === '') local.identifier = 'Enter your handle (or the email you sign in with).';
    if (password === '') local.password = 'Enter the app password.';
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const account = await call('accounts.connectWithPassword', {
        workspaceId,
        platform: info.platform,
        identifier: identifier.trim(),
        password,
        ...(server.trim() ? { serverUrl: server.trim() } : {}),
      });
      setPassword('');
      onConnected(account);
    } catch (err) {
      const r = passwordErrors(err, server);
      setErrors(r.fields);
      setFailure(r.failure);
    } finally {
      setBusy(false);
    }
  };

  const clear = (f: PasswordField) => errors[f] && setErrors((x) => ({ ...x, [f]: undefined }));
  const hasTarget = target.identifier !== undefined;

  return (
    <form ref={form} className="form" onSubmit={submit} noValidate aria-busy={busy}>
      {failure ? <ErrorNote error={failure} title={`${info.name} did not accept the sign-in`} /> : null}
      <Field label="Handle" error={errors.identifier} hint={info.platform === 'bluesky' ? 'Like alice.bsky.social, or the email you sign in with.' : undefined}>
        {(c) => (
          <input
            {...c}
            className="input"
            name="identifier"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            placeholder={info.platform === 'bluesky' ? 'alice.bsky.social' : undefined}
            value={identifier}
            onChange={(e) => {
              setIdentifier(e.target.value);
              clear('identifier');
            }}
            {...(!hasTarget ? { 'data-autofocus': true } : {})}
          />
        )}
      </Field>
      <Field label="App password" error={errors.password} hint={info.passwordHelp ?? undefined}>
        {(c) => (
          <input
            {...c}
            className="input"
            type="password"
            name="app-password"
            autoComplete="off"
            spellCheck={false}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              clear('password');
            }}
            {...(hasTarget ? { 'data-autofocus': true } : {})}
          />
        )}
      </Field>
      {info.serverLabel !== null ? (
        <Field
          label={info.serverLabel}
          optional
          error={errors.serverUrl}
          hint={info.serverPlaceholder ? `Leave empty for ${info.serverPlaceholder}. Self-hosted? Enter its address.` : undefined}
        >
          {(c) => (
            <input
              {...c}
              className="input"
              name="server"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder={info.serverPlaceholder ?? undefined}
              value={server}
              onChange={(e) => {
                setServer(e.target.value);
                clear('serverUrl');
              }}
            />
          )}
        </Field>
      ) : null}
      <div className="form__actions">
        {back}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? `Checking with ${info.name}…` : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function ServerStep({ info, initial, back, start }: { info: PlatformInfo; initial: string; back: ReactNode; start: (server: string) => Promise<unknown> }) {
  const [server, setServer] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (server.trim() === '') {
      setError(`Enter your ${info.serverLabel?.toLowerCase() ?? 'server'}${info.serverPlaceholder ? `, like ${info.serverPlaceholder}` : ''}.`);
      return;
    }
    setBusy(true);
    setError(undefined);
    setFailure(null);
    const err = await start(server);
    setBusy(false);
    if (err === null) return;
    const r = passwordErrors(err, server);
    if (r.fields.serverUrl) setError(r.fields.serverUrl);
    else setFailure(r.failure ?? err);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-busy={busy}>
      {failure ? <ErrorNote error={failure} title={`Could not start the ${info.name} sign-in`} /> : null}
      <Field label={info.serverLabel ?? 'Server'} error={error} hint="The server your account lives on: the part after the second @ in your address.">
        {(c) => (
          <input
            {...c}
            className="input"
            name="server"
            inputMode="url"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder={info.serverPlaceholder ?? undefined}
            value={server}
            onChange={(e) => {
              setServer(e.target.value);
              setError(undefined);
            }}
            data-autofocus
          />
        )}
      </Field>
      <p className="acct-help">Next, {info.name} opens in your browser to ask whether Postdesk may post for you.</p>
      <div className="form__actions">
        {back}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Opening…' : 'Continue in browser'}
        </button>
      </div>
    </form>
  );
}

function ReadyStep({ info, back, start }: { info: PlatformInfo; back: ReactNode; start: () => Promise<unknown> }) {
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        setFailure(null);
        const err = await start();
        setBusy(false);
        if (err !== null) setFailure(err);
      }}
      aria-busy={busy}
    >
      {failure ? <ErrorNote error={failure} title={`Could not start the ${info.name} sign-in`} /> : null}
      <p className="acct-help">
        {info.name} opens in your browser. Sign in there and approve Postdesk; this window updates by itself when you are done.
      </p>
      <div className="form__actions">
        {back}
        <button type="submit" className="button button--primary" disabled={busy} data-autofocus>
          {busy ? 'Opening…' : 'Continue in browser'}
        </button>
      </div>
    </form>
  );
}

function WaitingStep({ name, step, onCancel }: { name: string; step: Extract<ConnectStep, { kind: 'waiting' }>; onCancel: () => void }) {
  return (
    <div className="form">
      <div className="acct-waiting" role="status" aria-live="polite">
        <span className="spinner acct-waiting__spinner" aria-hidden="true" />
        <div>
          <p className="acct-waiting__title">Waiting for you to finish in the browser…</p>
          <p className="acct-waiting__text">Approve Postdesk on {name}. This window moves on by itself when the browser hands the sign-in back.</p>
        </div>
      </div>
      <p className="acct-help">
        {step.opened ? 'No browser window?' : 'If no window opened, your browser may have blocked it.'}{' '}
        <a className="link" href={step.authorizeUrl} target="_blank" rel="noopener noreferrer">
          Open the {name} sign-in page
          <Icon name="external" size={13} />
        </a>
      </p>
      <div className="form__actions">
        <button type="button" className="button" onClick={onCancel} data-autofocus>
          Cancel sign-in
        </button>
      </div>
    </div>
  );
}
