// A character counter in the network's own unit ("42 / 300"), amber near the limit, red over it.
// Screen readers hear it through the field's description, not on every keystroke; crossing the
// limit is announced once by the page's live region.
import { countTone, countWords, type TextCount } from './checks';

export function Counter({ count, label, id, compact = false }: { count: TextCount; label?: string; id?: string; compact?: boolean }) {
  const tone = countTone(count);
  return (
    <span id={id} className={`cmp-count cmp-count--${tone}${compact ? ' cmp-count--compact' : ''}`} data-testid="char-count">
      {label ? <span className="cmp-count__label">{label}</span> : null}
      <span className="cmp-count__num">
        {count.used.toLocaleString()}
        <span className="cmp-count__limit">/{count.limit.toLocaleString()}</span>
      </span>
      <span className={compact ? 'visually-hidden' : 'cmp-count__words'}>{countWords(count)}</span>
    </span>
  );
}
