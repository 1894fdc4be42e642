// A message's text: React text nodes only, http(s) addresses as links through ExternalLink (which
// links only what the main process would open), long unbroken text wrapped anywhere, and a
// 100 kB message laid out as its first few thousand characters until "Show all".
import { useMemo, useState } from 'react';
import { ExternalLink } from '../../components/ExternalLink';
import { linkify } from './linkify';
import { clip, wellFormed } from './safe-text';

const UNBROKEN = /\S{120,}/;

export function MessageText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const safe = useMemo(() => wellFormed(text), [text]);
  const shown = useMemo(() => (all ? { text: safe, hidden: 0 } : clip(safe)), [safe, all]);
  const runs = useMemo(() => linkify(shown.text), [shown.text]);
  // A very long unbroken run (a hostile "word" of 100k letters) costs Chromium super-linear time to
  // break into lines while kerning applies; without kerning it is linear. Normal text keeps it.
  const unbroken = useMemo(() => UNBROKEN.test(shown.text), [shown.text]);
  return (
    <div className={unbroken ? 'ib-msg__text is-unbroken' : 'ib-msg__text'} dir="auto">
      {runs.map((r, i) =>
        r.kind === 'link' ? (
          <ExternalLink key={i} url={r.href} className="ib-link">
            {r.text}
          </ExternalLink>
        ) : (
          <span key={i}>{r.text}</span>
        ),
      )}
      {shown.hidden > 0 ? (
        <>
          {'… '}
          <button type="button" className="link-button ib-msg__more" onClick={() => setAll(true)}>
            Show all ({shown.hidden.toLocaleString()} more characters)
          </button>
        </>
      ) : null}
    </div>
  );
}
