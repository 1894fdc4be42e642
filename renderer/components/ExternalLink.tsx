// A link to somewhere outside the app, for addresses that came from strangers (messages, profiles)
// or from a network. It is a link only when the main process would open it (the same pure check,
// electron/host/external-url.ts): the href is the re-serialised URL, so what is clicked is exactly
// what was checked, and it opens in a new browsing context without a referrer or an opener. In
// Electron the window-open handler then hands it to the browser after checking it again. Anything
// else — javascript:, file:, a custom scheme, credentials in the host — stays plain text.
import type { ReactNode } from 'react';
import { externalHref } from '../../electron/host/external-url';

export function ExternalLink({ url, children, className, title }: { url: string; children?: ReactNode; className?: string; title?: string }) {
  const href = externalHref(url);
  if (href === null) return <span className={className}>{children ?? url}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={className} title={title ?? href}>
      {children ?? url}
    </a>
  );
}
