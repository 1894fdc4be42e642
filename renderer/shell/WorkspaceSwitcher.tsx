// The workspace switcher: a menu button (WAI-ARIA menu pattern) listing every workspace and
// "New workspace". Arrows move, Enter picks, Escape closes and returns focus to the button.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../components/Icon';
import { WorkspaceAvatar } from '../components/WorkspaceAvatar';
import { toastSuccess, useUi } from '../stores/ui';
import { useCurrentWorkspace, useWorkspaces } from '../stores/workspaces';

export function WorkspaceSwitcher() {
  const list = useWorkspaces((s) => s.list);
  const switchTo = useWorkspaces((s) => s.switchTo);
  const current = useCurrentWorkspace();
  const openOverlay = useUi((s) => s.open);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    const all = items();
    (all.find((el) => el.getAttribute('aria-checked') === 'true') ?? all[0])?.focus();
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const closeMenu = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => all[(to + all.length) % all.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(i + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(i - 1);
        break;
      case 'Home':
        e.preventDefault();
        move(0);
        break;
      case 'End':
        e.preventDefault();
        move(all.length - 1);
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        closeMenu(true);
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  if (!current) return null;

  return (
    <div className="switcher" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="switcher__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <WorkspaceAvatar ws={current} />
        <span className="switcher__text">
          <span className="visually-hidden">Workspace: </span>
          <span className="switcher__name">{current.name}</span>
          {current.businessType && current.businessType !== 'other' ? <span className="switcher__type">{current.businessType}</span> : null}
        </span>
        <Icon name="chevronUpDown" size={14} className="switcher__chevron" />
      </button>
      {open ? (
        <div ref={menuRef} id={menuId} role="menu" aria-label="Workspaces" className="menu switcher__menu" onKeyDown={onMenuKey}>
          {list.map((w) => (
            <button
              key={w.id}
              type="button"
              role="menuitemradio"
              aria-checked={w.id === current.id}
              tabIndex={-1}
              className="menu__item"
              onClick={() => {
                closeMenu(true);
                if (w.id !== current.id) {
                  switchTo(w.id);
                  toastSuccess(`Switched to ${w.name}`);
                }
              }}
            >
              <WorkspaceAvatar ws={w} size={22} />
              <span className="menu__label">{w.name}</span>
              {w.id === current.id ? <Icon name="check" size={14} className="menu__check" /> : null}
            </button>
          ))}
          <div role="separator" className="menu__separator" />
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu__item"
            onClick={() => {
              setOpen(false);
              openOverlay('new-workspace');
            }}
          >
            <span className="menu__icon">
              <Icon name="plus" size={14} />
            </span>
            <span className="menu__label">New workspace</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
