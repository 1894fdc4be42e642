// "New workspace" from the switcher or the palette: the onboarding form in a dialog.
import { useNavigate } from 'react-router-dom';
import { Dialog } from '../components/Dialog';
import { WorkspaceForm, emptyWorkspaceValues, toCreateInput } from '../components/WorkspaceForm';
import { toastSuccess, useUi } from '../stores/ui';
import { useWorkspaces } from '../stores/workspaces';

export function NewWorkspaceDialog() {
  const open = useUi((s) => s.overlay === 'new-workspace');
  const close = useUi((s) => s.close);
  const create = useWorkspaces((s) => s.create);
  const navigate = useNavigate();
  return (
    <Dialog open={open} onClose={close} title="New workspace" description="One workspace per brand or client. Each has its own accounts, posts and inbox." className="dialog--form">
      <WorkspaceForm
        idPrefix="new-ws"
        autoFocus
        descriptionRows={2}
        initial={emptyWorkspaceValues()}
        submitLabel="Create workspace"
        busyLabel="Creating…"
        failureTitle="Could not create the workspace"
        secondary={
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
        }
        onSubmit={async (v) => {
          const ws = await create(toCreateInput(v));
          close();
          navigate('/dashboard');
          toastSuccess(`Switched to ${ws.name}`, 'Your new workspace is ready.');
        }}
      />
    </Dialog>
  );
}
