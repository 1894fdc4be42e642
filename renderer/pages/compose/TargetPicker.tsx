// "Publish to": the workspace's accounts as toggle chips with their network's mark. An account
// that cannot publish (signed out, refused) is shown but cannot be picked, with the reason and a
// way to fix it; one already on the post stays removable.
import { Link } from 'react-router-dom';
import { Icon } from '../../components/Icon';
import { accountHandle, accountName, platformName, type AccountView, type PlatformInfo } from '../accounts/account-labels';
import { NetworkMark } from '../accounts/AccountAvatar';

export function canPublish(a: Pick<AccountView, 'status'>): boolean {
  return a.status === 'active';
}

export function TargetPicker({
  accounts,
  platforms,
  selected,
  readOnly,
  onToggle,
}: {
  accounts: readonly AccountView[];
  platforms: readonly PlatformInfo[] | null;
  selected: ReadonlySet<string>;
  readOnly: boolean;
  onToggle: (a: AccountView) => void;
}) {
  const blocked = accounts.filter((a) => !canPublish(a));
  return (
    <fieldset className="cmp-targets">
      <legend className="cmp-label">Publish to</legend>
      {accounts.length === 0 ? (
        <p className="cmp-targets__empty">
          No accounts are connected to this workspace yet.{' '}
          <Link className="link" to="/accounts?connect=">
            Connect an account
          </Link>{' '}
          — your draft is kept meanwhile.
        </p>
      ) : (
        <ul className="cmp-targets__list">
          {accounts.map((a) => {
            const on = selected.has(a.id);
            const ok = canPublish(a);
            const network = platformName(a.platform, platforms);
            const who = accountHandle(a) ?? accountName(a);
            return (
              <li key={a.id}>
                <button
                  type="button"
                  className={`cmp-chip${on ? ' is-on' : ''}${ok ? '' : ' is-blocked'}`}
                  aria-pressed={on}
                  disabled={readOnly || (!ok && !on)}
                  title={ok ? `${who} on ${network}` : a.healthMessage}
                  onClick={() => onToggle(a)}
                  data-account-id={a.id}
                >
                  <NetworkMark platform={a.platform} size="sm" />
                  <span className="cmp-chip__name">{who}</span>
                  <span className="visually-hidden"> on {network}</span>
                  {on ? <Icon name="check" size={13} className="cmp-chip__check" /> : null}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {blocked.length > 0 ? (
        <ul className="cmp-targets__blocked">
          {blocked.map((a) => (
            <li key={a.id}>
              <Icon name="alert" size={13} />
              <span>
                {accountHandle(a) ?? accountName(a)} ({platformName(a.platform, platforms)}): {a.healthMessage}{' '}
                {a.health === 'needs_reconnect' || a.health === 'disconnected' || a.health === 'error' ? (
                  <Link className="link" to={`/accounts?reconnect=${encodeURIComponent(a.id)}`}>
                    Reconnect
                  </Link>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
