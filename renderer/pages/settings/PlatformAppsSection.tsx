// Settings → Platforms: the networks that only let an app you registered yourself sign in (X,
// Meta, LinkedIn), each with where to register it and its client id (+ secret).
import { useState } from 'react';
import { messageOf } from '../../api/client';
import { Section } from '../../components/Page';
import { toastSuccess } from '../../stores/ui';
import { NetworkMark } from '../accounts/AccountAvatar';
import { useAccounts } from '../accounts/accounts-store';
import type { PlatformInfo } from '../accounts/account-labels';
import { PlatformAppForm } from '../accounts/PlatformAppForm';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/accounts.css';

function AppCard({ info, onSaved }: { info: PlatformInfo; onSaved: () => void }) {
  // Closed until asked for: four open forms would bury the rest of Settings.
  const [open, setOpen] = useState(false);
  const bodyId = `platform-app-${info.platform}`;
  return (
    <div className="card plat-card">
      <div className="plat-card__head">
        <NetworkMark platform={info.platform} />
        <div className="plat-card__title">
          <h3 className="plat-card__name">{info.name}</h3>
          <p className="plat-card__state">{info.appConfigured ? 'Your app is saved; accounts can connect.' : `Needs your app before ${info.name} accounts can connect.`}</p>
        </div>
        <span className={info.appConfigured ? 'health health--success' : 'health health--muted'}>{info.appConfigured ? 'Ready' : 'Not set up'}</span>
        <button type="button" className="button button--small" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          {open ? 'Close' : info.appConfigured ? 'Edit' : 'Set up'}
          <span className="visually-hidden"> your {info.name} app</span>
        </button>
      </div>
      {open ? (
        <div id={bodyId}>
          <PlatformAppForm
            info={info}
            autoFocus
            submitLabel="Save app"
            onSaved={() => {
              toastSuccess(`${info.name} app saved`, `${info.name} accounts can now connect from the Accounts page.`);
              setOpen(false);
              onSaved();
            }}
          />
        </div>
      ) : null}
    </div>
  );
}

export function PlatformAppsSection() {
  const ws = useCurrentWorkspace();
  const { platforms, platformsError, loadPlatforms } = useAccounts(ws?.id ?? null);
  const needing = platforms?.filter((p) => p.needsApp) ?? [];

  let content;
  if (platforms === null && platformsError)
    content = (
      <p className="inline-error" role="alert">
        Could not list the networks: {messageOf(platformsError)}{' '}
        <button type="button" className="link-button" onClick={() => void loadPlatforms()}>
          Try again
        </button>
      </p>
    );
  else if (platforms === null) content = <p className="muted">Loading networks…</p>;
  else if (needing.length === 0)
    content = (
      <div className="card">
        <p className="card__text">None of the networks in this build needs an app of your own: they connect straight from the Accounts page.</p>
      </div>
    );
  else
    content = (
      <div className="plat-list">
        {needing.map((p) => (
          <AppCard key={p.platform} info={p} onSaved={() => void loadPlatforms()} />
        ))}
      </div>
    );

  return (
    <Section
      id="platforms"
      title="Platforms"
      description="Some networks only let apps their developers registered sign in. Register your own (free), then paste its client id here; it stays on this computer."
    >
      {content}
    </Section>
  );
}
