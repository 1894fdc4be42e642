// Modal dialog on the native <dialog>: the browser traps focus, makes the page behind inert and
// closes on Escape; focus returns to what opened it.
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  className,
  labelledBy,
  restoreFocus,
}: {
  open: boolean;
  onClose: () => void;
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  /** When the dialog has no visible title, the id of what labels it. */
  labelledBy?: string;
  /** Return focus to the opener on close (default). A ref so the caller can decide at close time. */
  restoreFocus?: { current: boolean };
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={labelledBy ?? (title ? titleId : undefined)}
      onClose={() => {
        const restore = restoreFocus ? restoreFocus.current : true;
        if (restore && opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
        if (open) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content box) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      {open ? (
        <div className="dialog__body">
          {title ? (
            <header className="dialog__header">
              <h2 id={titleId}>{title}</h2>
              {description ? <p className="dialog__description">{description}</p> : null}
              <button type="button" className="icon-button dialog__close" aria-label="Close" onClick={onClose}>
                <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true">
                  <path d="M6 6l12 12M18 6L6 18" />
                </svg>
              </button>
            </header>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
