// Arriving at /settings?section=<id> (an AI button's "set it up" link, the inbox's rules link):
// bring that section into view once it has its content, so the page does not jump afterwards.
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

export function useSectionScroll<T extends HTMLElement>(id: string, ready: boolean) {
  const ref = useRef<T>(null);
  const [params] = useSearchParams();
  const done = useRef(false);
  const wanted = params.get('section') === id;

  useEffect(() => {
    if (!wanted) {
      done.current = false;
      return;
    }
    const el = ref.current;
    const main = el?.closest('main');
    if (done.current || !ready || !el || !main) return;
    done.current = true;
    // Only <main> scrolls: scrollIntoView would also nudge the whole window.
    main.scrollBy({ top: el.getBoundingClientRect().top - main.getBoundingClientRect().top - 24 });
  }, [wanted, ready]);

  return ref;
}
