// Everything the command palette can do. Built from the areas, the workspaces and the theme, so a
// new page or workspace shows up here with no extra code.
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import type { IconName } from '../components/Icon';
import { AREAS } from '../pages/areas';
import { toastSuccess, useUi, type ThemeChoice } from '../stores/ui';
import { useWorkspaces } from '../stores/workspaces';

export interface Command {
  id: string;
  title: string;
  group: 'Go to' | 'Workspaces' | 'Appearance' | 'Help';
  icon: IconName;
  /** Keys shown at the right, e.g. ['G', 'D']. */
  keys?: string[];
  /** Extra words the fuzzy filter also matches. */
  keywords?: string;
  run: () => void;
}

const THEME_ICON: Record<ThemeChoice, IconName> = { light: 'sun', dark: 'moon', system: 'monitor' };

export function useCommands(): Command[] {
  const navigate = useNavigate();
  const list = useWorkspaces((s) => s.list);
  const currentId = useWorkspaces((s) => s.currentId);
  const switchTo = useWorkspaces((s) => s.switchTo);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const open = useUi((s) => s.open);

  return useMemo(() => {
    const cmds: Command[] = AREAS.map((a) => ({
      id: `go:${a.id}`,
      title: `Go to ${a.label}`,
      group: 'Go to',
      icon: a.icon,
      keys: ['G', a.key.toUpperCase()],
      keywords: a.summary,
      run: () => navigate(a.path),
    }));
    for (const w of list) {
      if (w.id === currentId) continue;
      cmds.push({
        id: `ws:${w.id}`,
        title: `Switch to ${w.name}`,
        group: 'Workspaces',
        icon: 'briefcase',
        keywords: `workspace brand ${w.businessType}`,
        run: () => {
          switchTo(w.id);
          toastSuccess(`Switched to ${w.name}`);
        },
      });
    }
    cmds.push({ id: 'ws:new', title: 'New workspace…', group: 'Workspaces', icon: 'plus', keywords: 'create add brand client', run: () => open('new-workspace') });
    cmds.push({
      id: 'theme:toggle',
      title: 'Toggle light / dark theme',
      group: 'Appearance',
      icon: THEME_ICON[theme],
      keywords: 'theme dark light mode',
      run: () => {
        const dark = document.documentElement.dataset.theme === 'dark';
        setTheme(dark ? 'light' : 'dark');
      },
    });
    for (const t of ['light', 'dark', 'system'] as const) {
      if (t === theme) continue;
      cmds.push({ id: `theme:${t}`, title: t === 'system' ? 'Use the system theme' : `Use the ${t} theme`, group: 'Appearance', icon: THEME_ICON[t], keywords: 'theme mode', run: () => setTheme(t) });
    }
    cmds.push({ id: 'help:keys', title: 'Keyboard shortcuts', group: 'Help', icon: 'keyboard', keys: ['?'], keywords: 'help keys shortcuts', run: () => open('help') });
    return cmds;
  }, [navigate, list, currentId, switchTo, theme, setTheme, open]);
}
