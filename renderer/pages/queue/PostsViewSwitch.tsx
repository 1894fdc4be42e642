// "Jobs | Posts" in the Queue's header. Each view is its own page body, so the switch is drawn
// anew after a change; it takes the focus back so the keyboard stays where the user was (the
// page would otherwise move it to the heading, as on arrival).
import { useEffect, useRef } from 'react';
import type { QueueView } from './posts-view';

let refocus = false;

export function PostsViewSwitch({ view, onView }: { view: QueueView; onView: (v: QueueView) => void }) {
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!refocus) return;
    refocus = false;
    group.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
  }, []);
  const choices: { value: QueueView; label: string }[] = [
    { value: 'jobs', label: 'Jobs' },
    { value: 'posts', label: 'Posts' },
  ];
  return (
    <div ref={group} role="radiogroup" aria-label="Queue view" className="segmented segmented--labels qview-switch">
      {choices.map((c) => (
        <label key={c.value} className={view === c.value ? 'segmented__option is-checked' : 'segmented__option'}>
          <input
            type="radio"
            name="queue-view"
            value={c.value}
            checked={view === c.value}
            onChange={() => {
              refocus = true;
              onView(c.value);
            }}
          />
          <span>{c.label}</span>
        </label>
      ))}
    </div>
  );
}
