// Light / dark / system as a radio group (arrow keys move between the three).
import { Icon, type IconName } from '../components/Icon';
import { useUi, type ThemeChoice } from '../stores/ui';

const CHOICES: Array<{ value: ThemeChoice; label: string; icon: IconName }> = [
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
  { value: 'system', label: 'System', icon: 'monitor' },
];

export function ThemeSwitch({ showLabels = false, name = 'theme' }: { showLabels?: boolean; name?: string }) {
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  return (
    <div role="radiogroup" aria-label="Theme" className={showLabels ? 'segmented segmented--labels' : 'segmented'}>
      {CHOICES.map((c) => (
        <label key={c.value} className={theme === c.value ? 'segmented__option is-checked' : 'segmented__option'} title={`${c.label} theme`}>
          <input type="radio" name={name} value={c.value} checked={theme === c.value} onChange={() => setTheme(c.value)} aria-label={showLabels ? undefined : `${c.label} theme`} />
          <Icon name={c.icon} size={14} />
          {showLabels ? <span>{c.label}</span> : null}
        </label>
      ))}
    </div>
  );
}
