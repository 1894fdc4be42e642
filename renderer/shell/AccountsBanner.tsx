// A warning above every page while the workspace cannot publish as it should: an account whose
// sign-in the network refused (its scheduled posts are paused until it is reconnected), or saved
// sign-ins locked behind a passphrase not yet entered this session.
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { onConnection } from '../api/client';
import { Icon } from '../components/Icon';
import { needingReconnect, reconnectBannerText } from '../pages/accounts/account-labels';
import { useAccounts } from '../pages/accounts/accounts-store';
import { UNLOCK_PATH, useSecurity } from '../pages/accounts/security-store';
import { useCurrentWorkspace } from '../stores/workspaces';
import '../styles/accounts.css';

export function AccountsBanner() {
  const ws = useCurrentWorkspace();
  const accounts = useAccounts(ws?.id ?? null);
  const security = useSecurity();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();

  useEffect(() => {
    void useSecurity.getState().load();
    return onConnection((_s, reconnected) => {
      if (reconnected) void useSecurity.getState().load();
    });
  }, []);

  const mine = ws && accounts.workspaceId === ws.id && accounts.status === 'ready' ? accounts.items : [];
  const due = needingReconnect(mine);
  const text = reconnectBannerText(mine, accounts.platforms);
  const locked = security.status?.state === 'locked';
  const onUnlockForm = pathname === '/settings' && search.includes('section=security');

  if (!text && !(locked && !onUnlockForm)) return null;
  return (
    <div className="shell-banners">
      {locked && !onUnlockForm ? (
        <div className="shell-banner shell-banner--warning" role="status" data-testid="locked-banner">
          <Icon name="lock" size={16} className="shell-banner__icon" />
          <p className="shell-banner__text">Saved sign-ins are locked — nothing can publish until you enter your passphrase</p>
          <button type="button" className="button button--small" onClick={() => navigate(UNLOCK_PATH)}>
            Unlock
          </button>
        </div>
      ) : null}
      {text ? (
        <div className="shell-banner shell-banner--danger" role="status" data-testid="reconnect-banner">
          <Icon name="alert" size={16} className="shell-banner__icon" />
          <p className="shell-banner__text">{text}</p>
          <button
            type="button"
            className="button button--small"
            // One account: straight into its reconnect; several: the list, where each says why.
            onClick={() => navigate(due.length === 1 && due[0] ? `/accounts?reconnect=${encodeURIComponent(due[0].id)}` : '/accounts')}
          >
            {due.length === 1 ? 'Reconnect' : 'Review accounts'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
