// Applies the theme to <html data-theme> and follows the OS setting when the choice is "system".
import { useEffect, useSyncExternalStore } from 'react';
import { resolvedTheme, useUi } from '../stores/ui';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(cb: () => void) {
  const mq = query();
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}

export function usePrefersDark(): boolean {
  return useSyncExternalStore(subscribe, () => query().matches);
}

export function useTheme(): 'light' | 'dark' {
  const choice = useUi((s) => s.theme);
  const prefersDark = usePrefersDark();
  const theme = resolvedTheme(choice, prefersDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  return theme;
}
