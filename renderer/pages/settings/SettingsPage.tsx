// Settings: the workspace's profile (workspaces.update), appearance, where the data lives, and
// deleting a workspace (typed confirmation, as the API requires).
import { useState } from 'react';
import { call, messageOf } from '../../api/client';
import { useApi } from '../../api/useApi';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Page, Section } from '../../components/Page';
import { WorkspaceForm, type WorkspaceFormValues } from '../../components/WorkspaceForm';
import { ThemeSwitch } from '../../shell/ThemeSwitch';
import { toastError, toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace, useWorkspaces, type Workspace, type WorkspacePatch } from '../../stores/workspaces';
import { AiSection } from './AiSection';
import { ArchiveSection } from './ArchiveSection';
import { BackupsSection } from './BackupsSection';
import { InboxSection } from './InboxSection';
import { PlatformAppsSection } from './PlatformAppsSection';
import { SecuritySection } from './SecuritySection';
import { SyncSection } from './SyncSection';

function valuesOf(ws: Workspace): WorkspaceFormValues {
  return {
    name: ws.name,
    // "other" is the engine's word for "not given"; show the empty field with its placeholder.
    businessType: ws.businessType === 'other' ? '' : ws.businessType,
    brandVoice: ws.brandVoice as WorkspaceFormValues['brandVoice'],
    timezone: ws.timezone,
    description: ws.description ?? '',
  };
}

/** Only the fields that changed, so a save never rewrites what another window just edited. */
export function patchOf(before: WorkspaceFormValues, after: WorkspaceFormValues): WorkspacePatch {
  const patch: WorkspacePatch = {};
  if (after.name !== before.name) patch.name = after.name;
  if (after.businessType !== before.businessType) patch.businessType = after.businessType;
  if (after.brandVoice !== before.brandVoice) patch.brandVoice = after.brandVoice;
  if (after.timezone !== before.timezone) patch.timezone = after.timezone;
  if (after.description !== before.description) patch.description = after.description;
  return patch;
}

function CopyButton({ text, label }: { text: string; label: string }) {
  return (
    <button
      type="button"
      className="button button--small"
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => toastSuccess(`${label} copied`),
          (err: unknown) => toastError(`Could not copy the ${label.toLowerCase()}`, err),
        )
      }
    >
      Copy
      <span className="visually-hidden"> {label.toLowerCase()}</span>
    </button>
  );
}

function DataLocation() {
  const info = useApi('app.info', {});
  if (info.status === 'loading') return <p className="muted">Asking the engine…</p>;
  if (info.status === 'error')
    return (
      <p className="inline-error" role="alert">
        Could not ask the engine where the data lives: {messageOf(info.error)}{' '}
        <button type="button" className="link-button" onClick={info.reload}>
          Try again
        </button>
      </p>
    );
  const d = info.data;
  return (
    <dl className="kv">
      <div className="kv__row">
        <dt>Database file</dt>
        <dd>
          <span className="path">{d.databaseFile}</span>
          <CopyButton text={d.databaseFile} label="Database path" />
        </dd>
      </div>
      <div className="kv__row">
        <dt>Data folder</dt>
        <dd>
          <span className="path">{d.dataDir}</span>
          <CopyButton text={d.dataDir} label="Folder path" />
        </dd>
      </div>
      <div className="kv__row">
        <dt>Running as</dt>
        <dd>{d.host === 'web' ? 'Web mode (the engine serves this page on 127.0.0.1 only)' : d.host === 'electron' ? 'Desktop app' : d.host}</dd>
      </div>
      <div className="kv__row">
        <dt>Version</dt>
        <dd>Postdesk {d.version}</dd>
      </div>
    </dl>
  );
}

function DeleteWorkspace({ ws }: { ws: Workspace }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const refresh = useWorkspaces((s) => s.refresh);
  const matches = typed === ws.name;
  return (
    <>
      <div className="danger">
        <div>
          <p className="danger__title">Delete this workspace</p>
          <p className="danger__text">Removes {ws.name} and everything in it from this computer. This cannot be undone.</p>
        </div>
        <button type="button" className="button button--danger" onClick={() => setOpen(true)}>
          Delete workspace…
        </button>
      </div>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          setTyped('');
        }}
        title={`Delete ${ws.name}?`}
        description="Its profile, and later its accounts, posts, messages and knowledge, are deleted from the database file. Other workspaces are not touched."
      >
        <form
          className="form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!matches || busy) return;
            setBusy(true);
            try {
              await call('workspaces.delete', { workspaceId: ws.id, confirmName: typed });
              setOpen(false);
              toastSuccess(`${ws.name} was deleted`);
              await refresh().catch(() => undefined);
            } catch (err) {
              toastError(`Could not delete ${ws.name}`, err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field label={`Type “${ws.name}” to confirm`}>
            {(c) => <input {...c} className="input" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />}
          </Field>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--danger" disabled={!matches || busy}>
              {busy ? 'Deleting…' : 'Delete forever'}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

export function SettingsPage() {
  const ws = useCurrentWorkspace();
  const update = useWorkspaces((s) => s.update);
  if (!ws) return null;
  const initial = valuesOf(ws);

  return (
    <Page title="Settings" subtitle={`Settings for ${ws.name}, and for this app on this computer.`}>
      <Section id="profile" title="Brand profile" description="Used to schedule in the right timezone and to write in your voice.">
        <div className="card">
          <WorkspaceForm
            // A new form per workspace, so switching never shows another brand's values. Not per
            // save: remounting would drop the keyboard focus from the Save button.
            key={ws.id}
            idPrefix="settings"
            initial={initial}
            issuePrefix={['patch']}
            submitLabel="Save changes"
            busyLabel="Saving…"
            failureTitle="Could not save the brand profile"
            onSubmit={async (v) => {
              const patch = patchOf(initial, v);
              if (Object.keys(patch).length === 0) {
                toastSuccess('Nothing to save', 'The profile already says that.');
                return;
              }
              await update(ws.id, patch);
              toastSuccess('Brand profile saved');
            }}
          />
        </div>
      </Section>

      <Section id="appearance" title="Appearance" description="System follows your computer’s light or dark setting.">
        <div className="card card--row">
          <span className="card__label" id="theme-label">
            <Icon name="sun" size={14} />
            Theme
          </span>
          <ThemeSwitch showLabels name="theme-settings" />
        </div>
      </Section>

      <Section id="data" title="Where your data lives" description="Local-first: nothing leaves this computer unless you connect an account or turn on sync.">
        <div className="card">
          <DataLocation />
        </div>
      </Section>

      <SecuritySection />

      <PlatformAppsSection />

      <InboxSection />

      <AiSection />

      <ArchiveSection />

      <BackupsSection />

      <SyncSection />

      <Section id="danger" title="Danger zone">
        <div className="card card--danger">
          <DeleteWorkspace ws={ws} />
        </div>
      </Section>
    </Page>
  );
}
