// AI Studio: saved chats with the AI (Chats) and what customers write about (Topics). The open chat
// and tab live in the address (#/studio?thread=<id>, ?tab=topics), so a reload reopens them. With no
// AI endpoint the chats stay readable and the page says exactly how to set one up.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { call, messageOf, onEvent } from '../../api/client';
import { Page } from '../../components/Page';
import { useCurrentWorkspace } from '../../stores/workspaces';
import type { CatalogueModel } from '../settings/ai-settings';
import { Conversation } from './Conversation';
import { StudioDefaults } from './StudioDefaults';
import { ThreadList } from './ThreadList';
import type { StudioSettings, ThreadItem } from './studio-view';
import './studio.css';

const TopicsPanel = lazy(() => import('./topics/TopicsPanel').then((m) => ({ default: m.TopicsPanel })));

type Tab = 'chats' | 'topics';
const TABS: { id: Tab; label: string }[] = [
  { id: 'chats', label: 'Chats' },
  { id: 'topics', label: 'Topics' },
];

function ChatsPanel({ workspaceId }: { workspaceId: string }) {
  const [params, setParams] = useSearchParams();
  const [threads, setThreads] = useState<ThreadItem[] | null>(null);
  const [settings, setSettings] = useState<StudioSettings | null>(null);
  const [catalogue, setCatalogue] = useState<CatalogueModel[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const asked = params.get('thread');

  const open = useCallback(
    (id: string | null, replace = false) =>
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          if (id) n.set('thread', id);
          else n.delete('thread');
          return n;
        },
        { replace },
      ),
    [setParams],
  );

  const refresh = useCallback(async () => {
    try {
      setThreads(await call('studio.threads', { workspaceId }));
    } catch (err) {
      setError(`Could not load your chats: ${messageOf(err)}`);
    }
  }, [workspaceId]);

  const loadSettings = useCallback(async () => {
    try {
      const [s, models] = await Promise.all([call('studio.settings', { workspaceId }), call('ai.models', {})]);
      setSettings(s);
      setCatalogue(models);
    } catch (err) {
      setError(`Could not load the studio's settings: ${messageOf(err)}`);
    }
  }, [workspaceId]);

  useEffect(() => {
    setThreads(null);
    setSettings(null);
    void refresh();
    void loadSettings();
    return onEvent('studio.changed', (e) => {
      if (e.workspaceId === workspaceId) void refresh();
    });
  }, [workspaceId, refresh, loadSettings]);

  // The open chat: the one asked for if it is still there, else the most recent.
  const openId = threads === null ? asked : threads.some((t) => t.id === asked) ? asked : (threads[0]?.id ?? null);
  useEffect(() => {
    if (threads !== null && openId !== asked) open(openId, true);
  }, [threads, openId, asked, open]);

  const create = async () => {
    setCreating(true);
    try {
      const t = await call('studio.create', { workspaceId });
      await refresh();
      open(t.id);
    } catch (err) {
      setError(`Could not start a chat: ${messageOf(err)}`);
    } finally {
      setCreating(false);
    }
  };

  return (
    <>
      {settings && !settings.configured ? (
        <p className="studio-setup" role="note" data-testid="studio-setup">
          {settings.setup} <Link to="/settings?section=ai">Open Settings → AI</Link>
        </p>
      ) : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="studio-layout">
        <div className="studio-side">
          <ThreadList threads={threads} openId={openId} onOpen={(id) => open(id)} onNew={() => void create()} busy={creating} />
          {settings ? <StudioDefaults settings={settings} catalogue={catalogue} onSaved={setSettings} /> : null}
        </div>
        {openId && settings ? (
          <Conversation key={openId} workspaceId={workspaceId} threadId={openId} settings={settings} catalogue={catalogue} onChanged={() => void refresh()} onDeleted={() => void refresh().then(() => open(null, true))} />
        ) : threads !== null && threads.length === 0 ? (
          <div className="studio-conversation studio-conversation--empty">
            <p>Start a chat to brainstorm posts, draft replies or plan a campaign with your AI. Each chat is saved with its whole history.</p>
            <button type="button" className="button button--primary" onClick={() => void create()} disabled={creating}>
              New chat
            </button>
          </div>
        ) : null}
      </div>
    </>
  );
}

export function StudioPage() {
  const ws = useCurrentWorkspace();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'topics' ? 'topics' : 'chats';
  const tabs = useRef<HTMLDivElement>(null);

  const choose = (t: Tab) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      if (t === 'chats') n.delete('tab');
      else n.set('tab', t);
      return n;
    });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = tab === 'chats' ? 'topics' : 'chats';
    choose(next);
    tabs.current?.querySelector<HTMLElement>(`#studio-tab-${next}`)?.focus();
  };

  return (
    <Page title="AI Studio" subtitle="Chat with your AI about your marketing, and see what your customers write about.">
      <div className="studio-tabs" role="tablist" aria-label="AI Studio" ref={tabs} onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`studio-tab-${t.id}`}
            className="studio-tab"
            aria-selected={tab === t.id}
            aria-controls="studio-panel"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id="studio-panel" role="tabpanel" aria-labelledby={`studio-tab-${tab}`}>
        {!ws ? null : tab === 'chats' ? (
          <ChatsPanel workspaceId={ws.id} />
        ) : (
          <Suspense fallback={<p className="muted">Loading topics…</p>}>
            <TopicsPanel />
          </Suspense>
        )}
      </div>
    </Page>
  );
}
