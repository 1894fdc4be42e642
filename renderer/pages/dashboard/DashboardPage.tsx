// Dashboard: the current brand at a glance, from what the engine knows today. Every number here
// is real; what is not built yet is listed as a next step with the issue that brings it.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { useApi } from '../../api/useApi';
import { Icon, type IconName } from '../../components/Icon';
import { Page } from '../../components/Page';
import { BRAND_VOICE_INFO, brandVoiceLabel, businessTypeLabel } from '../../lib/brand-voices';
import { formatDate, greeting, hourIn, plural } from '../../lib/format';
import { offsetLabel, timeIn } from '../../lib/timezones';
import { useNow } from '../../lib/useNow';
import { useCurrentWorkspace, useWorkspaces } from '../../stores/workspaces';

function Stat({ icon, label, value, detail }: { icon: IconName; label: string; value: string; detail?: string }) {
  return (
    <div className="stat">
      <p className="stat__label">
        <Icon name={icon} size={14} />
        {label}
      </p>
      <p className="stat__value">{value}</p>
      {detail ? <p className="stat__detail">{detail}</p> : null}
    </div>
  );
}

interface Step {
  title: string;
  done: boolean;
  detail: string;
  to: string;
  cta: string;
}

/** How far the workspace is in getting started; asks nothing until the workspace is known. */
function useSetupProgress(workspaceId: string | undefined): { connected: number; scheduled: number } {
  const [progress, setProgress] = useState({ connected: 0, scheduled: 0 });
  useEffect(() => {
    if (!workspaceId) return;
    let live = true;
    Promise.all([
      call('accounts.list', { workspaceId }),
      call('posts.list', { workspaceId, statuses: ['scheduled', 'publishing', 'published', 'partially_published'], limit: 1 }),
    ]).then(
      ([accounts, posts]) => live && setProgress({ connected: accounts.filter((a) => a.status === 'active').length, scheduled: posts.total }),
      // The checklist is a hint: if the engine cannot answer, the steps just stay unticked.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [workspaceId]);
  return progress;
}

export function DashboardPage() {
  const ws = useCurrentWorkspace();
  const count = useWorkspaces((s) => s.list.length);
  const info = useApi('app.info', {});
  const { connected, scheduled } = useSetupProgress(ws?.id);
  const now = useNow();
  if (!ws) return null;

  const voice = (BRAND_VOICE_INFO as Record<string, { label: string; example: string } | undefined>)[ws.brandVoice];
  const localTime = timeIn(ws.timezone, now) ?? '—';
  const steps: Step[] = [
    { title: 'Create your workspace', done: true, detail: `Done ${formatDate(ws.setupCompletedAt ?? ws.createdAt, ws.timezone)}`, to: '/settings', cta: 'Settings' },
    {
      title: 'Connect a social account',
      done: connected > 0,
      detail: connected > 0 ? `${connected} connected` : 'Bluesky, Mastodon, X, Facebook, Instagram or LinkedIn',
      to: '/accounts',
      cta: 'Accounts',
    },
    {
      title: 'Write and schedule a first post',
      done: scheduled > 0,
      detail: scheduled > 0 ? `${scheduled} scheduled or published` : 'Compose once, publish to every account',
      to: '/compose',
      cta: 'Compose',
    },
    { title: 'Teach the AI about your business', done: false, detail: 'Knowledge base arrives with issue #8', to: '/knowledge', cta: 'Knowledge' },
  ];
  const doneCount = steps.filter((s) => s.done).length;

  return (
    <Page
      eyebrow="Dashboard"
      title={ws.name}
      docTitle="Dashboard"
      subtitle={`${greeting(hourIn(ws.timezone, now))} — it is ${localTime} in ${ws.timezone}.`}
      actions={
        <Link to="/settings" className="button">
          <Icon name="settings" size={14} />
          Edit profile
        </Link>
      }
    >
      <div className="stats" role="list" aria-label="At a glance">
        <div role="listitem">
          <Stat icon="clock" label="Local time" value={localTime} detail={`${ws.timezone} · ${offsetLabel(ws.timezone, now)}`} />
        </div>
        <div role="listitem">
          <Stat icon="voice" label="Brand voice" value={brandVoiceLabel(ws.brandVoice)} {...(voice ? { detail: voice.example } : {})} />
        </div>
        <div role="listitem">
          <Stat icon="briefcase" label="Business type" value={businessTypeLabel(ws.businessType)} {...(ws.businessType === 'other' ? { detail: 'Set it in Settings' } : {})} />
        </div>
        <div role="listitem">
          <Stat icon="globe" label="Workspaces" value={String(count)} detail={`${plural(count, 'brand')} on this computer`} />
        </div>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="steps-title">
          <header className="card__head">
            <h2 id="steps-title">Getting started</h2>
            <span className="card__meta">
              {doneCount} of {steps.length} done
            </span>
          </header>
          <div className="progress" role="progressbar" aria-label="Getting started" aria-valuemin={0} aria-valuemax={steps.length} aria-valuenow={doneCount}>
            <span style={{ width: `${(doneCount / steps.length) * 100}%` }} />
          </div>
          <ol className="steps">
            {steps.map((s) => (
              <li key={s.title} className={s.done ? 'step is-done' : 'step'}>
                <span className="step__mark" aria-hidden="true">
                  {s.done ? <Icon name="check" size={12} /> : null}
                </span>
                <span className="step__text">
                  <span className="step__title">
                    {s.title}
                    {s.done ? <span className="visually-hidden"> (done)</span> : null}
                  </span>
                  <span className="step__detail">{s.detail}</span>
                </span>
                <Link to={s.to} className="link step__link">
                  {s.cta}
                  <Icon name="arrowRight" size={14} />
                </Link>
              </li>
            ))}
          </ol>
        </section>

        <div className="stack">
          <section className="card" aria-labelledby="profile-title">
            <header className="card__head">
              <h2 id="profile-title">Brand profile</h2>
              <Link to="/settings" className="link">
                Edit
              </Link>
            </header>
            {ws.description ? (
              <p className="profile__description">{ws.description}</p>
            ) : (
              <div className="empty empty--inline">
                <p className="empty__title">No description yet</p>
                <p className="empty__text">
                  A sentence or two about what you offer and to whom helps every AI draft sound like you.{' '}
                  <Link to="/settings" className="link">
                    Add a description
                  </Link>
                </p>
              </div>
            )}
            {ws.website ? (
              <dl className="facts">
                <div>
                  <dt>Website</dt>
                  <dd>{ws.website}</dd>
                </div>
              </dl>
            ) : null}
          </section>

          <section className="card" aria-labelledby="data-title">
            <header className="card__head">
              <h2 id="data-title">Your data</h2>
              <Icon name="database" size={16} className="card__icon" />
            </header>
            {info.status === 'ready' ? (
              <>
                <p className="card__text">Everything for every workspace is in one SQLite file on this computer:</p>
                <p className="path" title={info.data.databaseFile}>
                  {info.data.databaseFile}
                </p>
                <p className="card__meta">
                  Postdesk {info.data.version} · {info.data.host === 'web' ? 'web mode on 127.0.0.1' : info.data.host === 'electron' ? 'desktop app' : info.data.host}
                </p>
              </>
            ) : info.status === 'error' ? (
              <p className="inline-error" role="alert">
                Could not ask the engine where the data lives: {messageOf(info.error)}{' '}
                <button type="button" className="link-button" onClick={info.reload}>
                  Try again
                </button>
              </p>
            ) : (
              <p className="card__text muted">Asking the engine…</p>
            )}
          </section>
        </div>
      </div>
    </Page>
  );
}
