// Accounts: the workspace's connected social accounts with their health, the way to connect a new
// one (app password or browser sign-in), reconnect one whose sign-in stopped working, check,
// disconnect or remove it, and each account's own defaults. Live through `accounts.changed`.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { localTimezone } from '../../lib/timezones';
import { toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/accounts.css';
import { useTick } from '../queue/useTick';
import { accountHandle, accountName, platformName, summaryText, type AccountView, type PlatformId } from './account-labels';
import { useAccounts, useAccountsStore } from './accounts-store';
import { AccountCard, cardId } from './AccountCard';
import { NetworkMark } from './AccountAvatar';
import { DisconnectDialog, RemoveDialog } from './AccountDialogs';
import { ConnectDialog } from './ConnectDialog';
import { reconnectTarget, type ConnectTarget } from './connect-flow';

const HIGHLIGHT_MS = 4_000;

export function AccountsPage() {
  const ws = useCurrentWorkspace();
  const store = useAccounts(ws?.id ?? null, true);
  const tick = useTick(30_000);
  const now = useMemo(() => Math.max(tick, Date.now()), [tick, store.items]);
  const [params, setParams] = useSearchParams();
  const [connect, setConnect] = useState<{ open: boolean; target: ConnectTarget; reconnecting: AccountView | null }>({ open: false, target: {}, reconnecting: null });
  const [disconnectTarget, setDisconnectTarget] = useState<AccountView | null>(null);
  const [removeTarget, setRemoveTarget] = useState<AccountView | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState<ReadonlySet<string>>(new Set());
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [checkErrors, setCheckErrors] = useState<Readonly<Record<string, unknown>>>({});
  const [notice, setNotice] = useState('');
  const pendingFocus = useRef<string | null>(null);
  const restoreFocus = useRef(true);

  const loaded = ws !== null && store.workspaceId === ws.id && store.status === 'ready';
  const accounts = loaded ? store.items : [];
  const timezone = ws?.timezone ?? localTimezone();

  const openConnect = useCallback((target: ConnectTarget = {}, reconnecting: AccountView | null = null) => {
    restoreFocus.current = true;
    setConnect({ open: true, target, reconnecting });
  }, []);
  const reconnect = useCallback((a: AccountView) => openConnect(reconnectTarget(a), a), [openConnect]);

  // Arriving from the shell's banner (?reconnect=<id>) or a "connect" link (?connect=<network>).
  useEffect(() => {
    const wanted = params.get('reconnect');
    const network = params.get('connect');
    if (!wanted && network === null) return;
    if (wanted) {
      if (!loaded) return;
      const a = accounts.find((x) => x.id === wanted);
      if (a) reconnect(a);
    } else {
      openConnect(network ? { platform: network as PlatformId } : {});
    }
    setParams({}, { replace: true });
  }, [params, loaded, accounts, reconnect, openConnect, setParams]);

  // A new or reconnected account: scroll to it, give it the focus and a moment of highlight.
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id || !accounts.some((a) => a.id === id)) return;
    pendingFocus.current = null;
    const el = document.getElementById(cardId(id));
    el?.scrollIntoView({ block: 'nearest' });
    el?.focus({ preventScroll: true });
  }, [accounts]);
  useEffect(() => {
    if (!highlightId) return;
    const t = setTimeout(() => setHighlightId(null), HIGHLIGHT_MS);
    return () => clearTimeout(t);
  }, [highlightId]);

  const connected = (result: AccountView | string | null) => {
    // Focus goes to the new account's card, not back to the button that opened the dialog.
    restoreFocus.current = false;
    setConnect((c) => ({ ...c, open: false }));
    if (ws) void store.load(ws.id);
    if (result === null) return;
    const announce = (a: AccountView) => {
      const label = `${accountHandle(a) ?? accountName(a)} on ${platformName(a.platform, useAccountsStore.getState().platforms)}`;
      toastSuccess(`${label} is connected`, a.healthMessage);
      setNotice(`${label} is connected.`);
    };
    const id = typeof result === 'string' ? result : result.id;
    pendingFocus.current = id;
    setHighlightId(id);
    if (typeof result !== 'string') {
      store.upsert(result);
      announce(result);
    } else {
      // A browser sign-in's event names the account; its details come from the engine.
      call('accounts.get', { accountId: id }).then(
        (a) => {
          useAccountsStore.getState().upsert(a);
          announce(a);
        },
        () => toastSuccess('The account is connected'),
      );
    }
  };

  const check = async (a: AccountView) => {
    if (checking.has(a.id)) return;
    setChecking((s) => new Set(s).add(a.id));
    setCheckErrors(({ [a.id]: _gone, ...rest }) => rest);
    try {
      const next = await call('accounts.check', { accountId: a.id });
      store.upsert(next);
      setNotice(`${accountHandle(next) ?? accountName(next)}: ${next.healthMessage}`);
    } catch (err) {
      setCheckErrors((e) => ({ ...e, [a.id]: err }));
      setNotice(`The check failed: ${messageOf(err)}`);
      if (ws) void store.load(ws.id);
    } finally {
      setChecking((s) => {
        const next = new Set(s);
        next.delete(a.id);
        return next;
      });
    }
  };

  const disconnect = async (a: AccountView) => {
    const r = await call('accounts.disconnect', { accountId: a.id });
    store.upsert(r.account);
    setDisconnectTarget(null);
    const network = platformName(a.platform, store.platforms);
    const label = accountHandle(a) ?? accountName(a);
    toastSuccess(
      `${label} is disconnected`,
      r.revoked
        ? `Its tokens were wiped here and ${network} withdrew Postdesk's access.`
        : r.revokeError
          ? `Its tokens were wiped here, but ${network} did not confirm withdrawing access (${r.revokeError}). You can revoke it in ${network}'s settings.`
          : `Its tokens were wiped from this computer.`,
    );
    setNotice(`${label} is disconnected.`);
  };

  const remove = async (a: AccountView) => {
    await call('accounts.remove', { accountId: a.id });
    store.drop(a.id);
    setRemoveTarget(null);
    setNotice(`${accountHandle(a) ?? accountName(a)} was removed.`);
  };

  if (!ws) return null;

  let body;
  if (store.status === 'error' && store.workspaceId === ws.id) {
    body = (
      <p className="inline-error" role="alert">
        Could not load the accounts: {messageOf(store.error)}{' '}
        <button type="button" className="link-button" onClick={() => void store.load(ws.id)}>
          Try again
        </button>
      </p>
    );
  } else if (!loaded) {
    body = <p className="muted acct-loading">Loading accounts…</p>;
  } else if (accounts.length === 0) {
    body = (
      <div className="empty acct-empty" data-testid="accounts-empty">
        <div className="acct-empty__marks" aria-hidden="true">
          {(store.platforms ?? []).map((x) => (
            <NetworkMark key={x.platform} platform={x.platform} size="lg" />
          ))}
        </div>
        <p className="empty__title">Connect {ws.name}’s first account</p>
        <p className="empty__text">
          Postdesk publishes, answers comments and reads results through the accounts you connect. Bluesky takes a minute: all it needs is an app password.
        </p>
        <button type="button" className="button button--primary acct-empty__button" onClick={() => openConnect()}>
          <Icon name="plus" size={14} />
          Connect an account
        </button>
        <p className="empty__text acct-empty__note">Sign-ins are encrypted on this computer. Nothing is posted until you schedule it.</p>
      </div>
    );
  } else {
    body = (
      <ul className="acct-list" aria-label={`Accounts of ${ws.name}`}>
        {accounts.map((a) => (
          <li key={a.id}>
            <AccountCard
              account={a}
              platforms={store.platforms}
              now={now}
              timezone={timezone}
              highlighted={highlightId === a.id}
              settingsOpen={settingsOpen.has(a.id)}
              checking={checking.has(a.id)}
              checkError={checkErrors[a.id] ?? null}
              onReconnect={reconnect}
              onCheck={(x) => void check(x)}
              onToggleSettings={(x) =>
                setSettingsOpen((s) => {
                  const next = new Set(s);
                  if (next.has(x.id)) next.delete(x.id);
                  else next.add(x.id);
                  return next;
                })
              }
              onDisconnect={setDisconnectTarget}
              onRemove={setRemoveTarget}
              onSaved={store.upsert}
            />
          </li>
        ))}
      </ul>
    );
  }

  return (
    <Page
      title="Accounts"
      subtitle={loaded ? summaryText(accounts) : 'The social accounts this workspace publishes to.'}
      actions={
        <button type="button" className="button button--primary" onClick={() => openConnect()}>
          <Icon name="plus" size={14} />
          Connect account
        </button>
      }
    >
      <div className="accounts">
        {store.refreshError && loaded ? (
          <p className="inline-error" role="status">
            This list may be out of date: {messageOf(store.refreshError)}{' '}
            <button type="button" className="link-button" onClick={() => void store.load(ws.id)}>
              Refresh
            </button>
          </p>
        ) : null}
        <div aria-busy={!loaded}>{body}</div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {notice}
        </p>
      </div>
      <ConnectDialog
        open={connect.open}
        target={connect.target}
        reconnecting={connect.reconnecting}
        workspaceId={ws.id}
        platforms={store.platforms}
        platformsError={store.platformsError}
        reloadPlatforms={store.loadPlatforms}
        onClose={() => setConnect((c) => ({ ...c, open: false }))}
        onConnected={connected}
        restoreFocus={restoreFocus}
      />
      <DisconnectDialog account={disconnectTarget} platforms={store.platforms} onClose={() => setDisconnectTarget(null)} onConfirm={disconnect} />
      <RemoveDialog account={removeTarget} platforms={store.platforms} onClose={() => setRemoveTarget(null)} onConfirm={remove} />
    </Page>
  );
}
