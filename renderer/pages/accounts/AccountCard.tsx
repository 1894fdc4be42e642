// One connected account: who it is, how healthy its sign-in is and why, what is paused, and what
// can be done about it (reconnect, check now, its own settings, disconnect, remove).
import { forwardRef } from 'react';
import { Icon } from '../../components/Icon';
import { exactTime, relativeTime } from '../queue/time';
import { accountHandle, accountName, canReconnect, HEALTH_INFO, platformName, serverHost, signInText, type AccountView, type PlatformInfo } from './account-labels';
import { AccountAvatar } from './AccountAvatar';
import { AccountSettings } from './AccountSettings';
import { ErrorNote } from './ErrorNote';
import { monitoringSummary } from './monitoring';

export const cardId = (accountId: string) => `account-${accountId}`;

export interface AccountCardProps {
  account: AccountView;
  platforms: PlatformInfo[] | null;
  now: number;
  timezone: string;
  highlighted: boolean;
  settingsOpen: boolean;
  checking: boolean;
  checkError: unknown;
  onReconnect(a: AccountView): void;
  onCheck(a: AccountView): void;
  onToggleSettings(a: AccountView): void;
  onDisconnect(a: AccountView): void;
  onRemove(a: AccountView): void;
  onSaved(a: AccountView): void;
}

function When({ at, now, timezone }: { at: number; now: number; timezone: string }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={exactTime(at, timezone)}>
      {relativeTime(at, now)}
    </time>
  );
}

export const AccountCard = forwardRef<HTMLElement, AccountCardProps>(function AccountCard(p, ref) {
  const a = p.account;
  const health = HEALTH_INFO[a.health];
  const name = accountName(a);
  const handle = accountHandle(a);
  const network = platformName(a.platform, p.platforms);
  const server = serverHost(a);
  const headingId = `${cardId(a.id)}-name`;
  const settingsId = `${cardId(a.id)}-settings`;
  const off = a.health === 'disconnected';
  const reconnect = canReconnect(a);
  // For an account in error the health message already is the last error.
  const lastError = a.lastError && a.health !== 'error' ? a.lastError : null;

  return (
    <article
      ref={ref}
      id={cardId(a.id)}
      className={`acct-card acct-card--${a.health}${p.highlighted ? ' is-highlighted' : ''}`}
      aria-labelledby={headingId}
      tabIndex={-1}
      data-account-id={a.id}
    >
      <div className="acct-card__head">
        <AccountAvatar account={a} />
        <div className="acct-card__who">
          <h3 id={headingId} className="acct-card__name">
            {name}
          </h3>
          <p className="acct-card__sub">
            {handle && handle !== name ? <span className="acct-card__handle">{handle}</span> : null}
            <span>{network}</span>
            {server ? <span className="acct-card__server" title={a.serverUrl ?? undefined}>{server}</span> : null}
          </p>
        </div>
        <span className={`health health--${health.tone}`} data-testid="account-health">
          {health.label}
        </span>
      </div>

      <p className={`acct-card__message acct-card__message--${health.tone}`}>
        {a.health === 'healthy' ? null : <Icon name={a.health === 'disconnected' ? 'info' : 'alert'} size={14} />}
        <span>{a.healthMessage}</span>
      </p>

      <dl className="acct-facts">
        <div>
          <dt>Sign-in</dt>
          <dd>{signInText(a, p.now)}</dd>
        </div>
        <div>
          <dt>Connected</dt>
          <dd>
            <When at={a.connectedAt} now={p.now} timezone={p.timezone} />
          </dd>
        </div>
        {a.lastRefreshedAt !== null && !off ? (
          <div>
            <dt>Last renewed</dt>
            <dd>
              <When at={a.lastRefreshedAt} now={p.now} timezone={p.timezone} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Paused posts</dt>
          <dd className={a.pausedJobs > 0 ? 'acct-facts__warn' : undefined}>{a.pausedJobs === 0 ? 'None' : `${a.pausedJobs} waiting for a reconnect`}</dd>
        </div>
        <div className="acct-facts__wide">
          <dt>Comments</dt>
          <dd>{monitoringSummary(a.monitoring)}</dd>
        </div>
        {a.defaults.hashtags.length > 0 ? (
          <div className="acct-facts__wide">
            <dt>Default hashtags</dt>
            <dd className="acct-facts__tags">{a.defaults.hashtags.join(' ')}</dd>
          </div>
        ) : null}
      </dl>

      {lastError ? (
        <p className="acct-card__error">
          <span className="acct-card__error-label">Last error</span> {lastError}
        </p>
      ) : null}
      {p.checkError ? <ErrorNote error={p.checkError} title={`Could not check ${handle ?? name}`} className="inline-error" /> : null}

      <div className="acct-card__actions">
        {reconnect ? (
          <button type="button" className="button button--small button--primary" onClick={() => p.onReconnect(a)}>
            Reconnect<span className="visually-hidden"> {handle ?? name}</span>
          </button>
        ) : null}
        {/* A refused sign-in cannot be checked back to health; only a reconnect helps. */}
        {!off && a.health !== 'needs_reconnect' ? (
          <button type="button" className="button button--small" onClick={() => p.onCheck(a)} disabled={p.checking}>
            <Icon name="refresh" size={14} className={p.checking ? 'acct-spin' : undefined} />
            {p.checking ? 'Checking…' : 'Check now'}
            <span className="visually-hidden"> {handle ?? name}</span>
          </button>
        ) : null}
        <button type="button" className="button button--small" aria-expanded={p.settingsOpen} aria-controls={settingsId} onClick={() => p.onToggleSettings(a)}>
          <Icon name="settings" size={14} />
          Defaults &amp; monitoring
          <span className="visually-hidden"> for {handle ?? name}</span>
          <Icon name="chevronDown" size={14} className={p.settingsOpen ? 'acct-chevron is-open' : 'acct-chevron'} />
        </button>
        <span className="acct-card__spacer" />
        {off ? (
          <button type="button" className="button button--small button--danger" onClick={() => p.onRemove(a)}>
            Remove…<span className="visually-hidden"> {handle ?? name}</span>
          </button>
        ) : (
          <button type="button" className="button button--small button--danger" onClick={() => p.onDisconnect(a)}>
            Disconnect…<span className="visually-hidden"> {handle ?? name}</span>
          </button>
        )}
      </div>

      {p.settingsOpen ? <AccountSettings key={a.id} id={settingsId} account={a} onSaved={p.onSaved} /> : null}
    </article>
  );
});
