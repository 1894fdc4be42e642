// The app frame once a workspace exists: sidebar, the current page, and the overlays.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { Kbd } from '../components/Page';
import { AccountsBanner } from './AccountsBanner';
import { CommandPalette } from './CommandPalette';
import { KeyboardHelp } from './KeyboardHelp';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';
import { Sidebar } from './Sidebar';
import { useGlobalKeys } from './useGlobalKeys';

export function Shell({ children }: { children: ReactNode }) {
  const [goPending, setGoPending] = useState(false);
  useGlobalKeys(useCallback((p: boolean) => setGoPending(p), []));
  const { pathname } = useLocation();
  useEffect(() => {
    // The page scrolls inside <main>, which outlives pages: each new page starts at its top.
    document.getElementById('main')?.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        // Hash links would change the route under a HashRouter; move focus instead.
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <AccountsBanner />
        {children}
      </main>
      {goPending ? (
        <div className="go-hint" aria-hidden="true">
          <Kbd>G</Kbd> then a letter — <Kbd>?</Kbd> lists them
        </div>
      ) : null}
      <CommandPalette />
      <KeyboardHelp />
      <NewWorkspaceDialog />
    </div>
  );
}
