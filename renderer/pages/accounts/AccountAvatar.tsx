// An account's initials on its network's colour, with the network's mark in the corner. Initials,
// not the remote avatar: the window's CSP allows only local images, and a profile picture from the
// network would also tell the network when the app is open.
import { accountInitials, type AccountView } from './account-labels';

const MARKS: Readonly<Record<string, string>> = {
  bluesky: 'B',
  mastodon: 'M',
  x: 'X',
  facebook: 'f',
  instagram: 'IG',
  linkedin: 'in',
};

export function NetworkMark({ platform, size = 'md' }: { platform: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span className={`net-mark net-mark--${platform} net-mark--${size}`} aria-hidden="true">
      {MARKS[platform] ?? platform.slice(0, 1).toUpperCase()}
    </span>
  );
}

export function AccountAvatar({ account }: { account: Pick<AccountView, 'platform' | 'username' | 'displayName' | 'platformAccountId' | 'health'> }) {
  return (
    <span className={`acct-avatar acct-avatar--${account.platform}${account.health === 'disconnected' ? ' is-off' : ''}`} aria-hidden="true">
      <span className="acct-avatar__initials">{accountInitials(account)}</span>
      <NetworkMark platform={account.platform} size="sm" />
    </span>
  );
}
