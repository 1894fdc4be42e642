// A page's frame: its heading (focused on arrival so screen readers announce the new page),
// the window title, optional actions on the right.
import { useEffect, useRef, type ReactNode } from 'react';
import { useCurrentWorkspace } from '../stores/workspaces';

export function Page({
  title,
  eyebrow,
  subtitle,
  actions,
  children,
  docTitle,
}: {
  title: string;
  /** A small label above the heading (the area's name when the heading is something else). */
  eyebrow?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  /** The window title's first part; defaults to the heading. */
  docTitle?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const ws = useCurrentWorkspace();

  useEffect(() => {
    const t = docTitle ?? title;
    document.title = ws ? `${t} · ${ws.name} · Postdesk` : `${t} · Postdesk`;
  }, [title, docTitle, ws]);

  useEffect(() => {
    // Move focus only if it is not already inside the page (e.g. a form field the user is typing in).
    const active = document.activeElement;
    const main = heading.current?.closest('main');
    if (!main?.contains(active) || active === main) heading.current?.focus({ preventScroll: true });
  }, []);

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          {eyebrow ? <p className="page-header__eyebrow">{eyebrow}</p> : null}
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {subtitle ? <p className="page-header__subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="page-header__actions">{actions}</div> : null}
      </header>
      {children}
    </div>
  );
}

export function Section({ title, description, children, id }: { title: string; description?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section__head">
        <h2 id={headingId}>{title}</h2>
        {description ? <p className="section__description">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
