// First run: no workspace yet. One friendly form creates the first brand, then the Dashboard.
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { Icon } from '../components/Icon';
import { WorkspaceForm, emptyWorkspaceValues, toCreateInput } from '../components/WorkspaceForm';
import { toastSuccess } from '../stores/ui';
import { useWorkspaces } from '../stores/workspaces';

export function Onboarding() {
  const create = useWorkspaces((s) => s.create);
  const navigate = useNavigate();

  useEffect(() => {
    document.title = 'Welcome · Postdesk';
  }, []);

  return (
    <main id="main" className="onboarding">
      <div className="onboarding__intro">
        <span className="logo logo--large" aria-hidden="true">
          <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M4 5.5h16v10H9l-5 4z" />
            <path d="M8.5 10.5h7" />
          </svg>
        </span>
        <h1>Welcome to Postdesk</h1>
        <p className="onboarding__lead">Tell us about your brand. It takes a minute, and you can change all of it later in Settings.</p>
        <ul className="onboarding__points">
          <li>
            <Icon name="database" size={16} />
            <span>
              <strong>Stays on this computer.</strong> One file, no account, works offline.
            </span>
          </li>
          <li>
            <Icon name="briefcase" size={16} />
            <span>
              <strong>One workspace per brand.</strong> Add clients or side projects any time.
            </span>
          </li>
          <li>
            <Icon name="sparkle" size={16} />
            <span>
              <strong>Your voice, your timezone.</strong> Posts are written and scheduled to match.
            </span>
          </li>
        </ul>
      </div>
      <section className="onboarding__card card" aria-labelledby="onboarding-form-title">
        <h2 id="onboarding-form-title">Your first workspace</h2>
        <WorkspaceForm
          idPrefix="onboarding"
          autoFocus
          initial={emptyWorkspaceValues()}
          submitLabel="Create workspace"
          busyLabel="Creating…"
          failureTitle="Could not create your workspace"
          onSubmit={async (v) => {
            const ws = await create(toCreateInput(v));
            navigate('/dashboard', { replace: true });
            toastSuccess(`${ws.name} is ready`, 'Next: connect an account or explore with Ctrl+K.');
          }}
        />
      </section>
    </main>
  );
}
