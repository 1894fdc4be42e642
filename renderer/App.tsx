// Decides what the window shows: loading, the engine's error, first-run onboarding, or the app.
import { Suspense, useCallback, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { onCatchUp, onConnection, onEvent } from './api/client';
import { Onboarding } from './onboarding/Onboarding';
import { AREAS } from './pages/areas';
import { NotFoundPage } from './pages/NotFoundPage';
import { PAGES, preloadPages } from './pages/routes';
import { EngineError, Splash } from './shell/EngineError';
import { Shell } from './shell/Shell';
import { Toasts } from './shell/Toasts';
import { useTheme } from './shell/useTheme';
import { useConnection } from './stores/connection';
import { toastError, useUi } from './stores/ui';
import { useWorkspaces } from './stores/workspaces';

function useLiveUpdates(refresh: () => Promise<void>) {
  const setConnection = useConnection((s) => s.set);
  useEffect(() => {
    const quiet = () => refresh().catch((err: unknown) => toastError('Could not refresh the workspace list', err));
    const offs = [
      onEvent('workspaces.changed', () => void quiet()),
      onEvent('app.notice', (n) => {
        useUi.getState().toast({ kind: n.level === 'error' ? 'error' : 'info', title: n.message });
      }),
      onConnection((status) => setConnection(status)),
      // Events lost while disconnected, or workspaces another device shared through sync.
      onCatchUp(() => void quiet()),
    ];
    return () => offs.forEach((off) => off());
  }, [refresh, setConnection]);
}

export function App() {
  useTheme();
  const load = useWorkspaces((s) => s.load);
  const hasWorkspace = useWorkspaces((s) => s.list.length > 0);
  const refresh = useWorkspaces((s) => s.refresh);
  const retry = useCallback(() => void refresh().catch(() => undefined), [refresh]);

  useEffect(retry, [retry]);
  useLiveUpdates(refresh);

  const state = load.status === 'error' ? 'error' : load.status !== 'ready' ? 'loading' : hasWorkspace ? 'ready' : 'onboarding';
  useEffect(() => {
    // What the window shows, for tests and the startup benchmark: `html[data-app="ready"]`.
    document.documentElement.dataset.app = state;
    if (state === 'ready' || state === 'onboarding') performance.mark('postdesk:interactive');
    if (state === 'ready') preloadPages();
  }, [state]);

  let body;
  if (state === 'error') body = <EngineError error={load.status === 'error' ? load.error : null} onRetry={retry} />;
  else if (state === 'loading') body = <Splash />;
  else if (state === 'onboarding') body = <Onboarding />;
  else
    body = (
      <Shell>
        {/* A page's code comes from the local host in a few ms; the shell stays meanwhile. */}
        <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/dashboard" replace />} />
            {AREAS.map((a) => {
              const PageComponent = PAGES[a.id];
              return <Route key={a.id} path={a.path} element={<PageComponent />} />;
            })}
            {/* A post opens in Compose at its own address, so a reload or a shared link reopens it. */}
            <Route path="/compose/:postId" element={<PAGES.compose />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </Shell>
    );

  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
