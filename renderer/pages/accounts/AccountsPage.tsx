import { ComingPage } from '../../components/ComingPage';

export function AccountsPage() {
  return (
    <ComingPage
      spec={{
        area: 'accounts',
        issue: 5,
        issueTitle: 'Accounts and platform connectors: Bluesky, Mastodon, X, Facebook Pages, Instagram, LinkedIn',
        willDo: [
          'Connect Bluesky, Mastodon, X, Facebook Pages, Instagram and LinkedIn.',
          'Sign in through your own browser or with an app password; tokens are encrypted on this computer.',
          'See each account’s health, and reconnect in one click when access expires.',
          'Defaults per account: hashtags, and which posts to watch for comments.',
        ],
      }}
    />
  );
}
