// UI state: theme (persisted), overlays (palette, keyboard help, new-workspace dialog), toasts.
import { create } from 'zustand';
import { hintFor, messageOf } from '../api/client';
import { readLocal, writeLocal } from '../lib/storage';

export type ThemeChoice = 'light' | 'dark' | 'system';
export const THEME_KEY = 'postdesk.theme';

export type ToastKind = 'success' | 'error' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
  hint?: string;
}

export type Overlay = 'palette' | 'help' | 'new-workspace' | null;

interface UiState {
  theme: ThemeChoice;
  overlay: Overlay;
  toasts: Toast[];
  setTheme(theme: ThemeChoice): void;
  open(overlay: Exclude<Overlay, null>): void;
  close(): void;
  toast(t: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

function readTheme(): ThemeChoice {
  const v = readLocal(THEME_KEY);
  return v === 'light' || v === 'dark' || v === 'system' ? v : 'system';
}

let nextToastId = 1;
const MAX_TOASTS = 3;
const SUCCESS_MS = 4_000;

export const useUi = create<UiState>()((set, get) => ({
  theme: readTheme(),
  overlay: null,
  toasts: [],
  setTheme(theme) {
    writeLocal(THEME_KEY, theme);
    set({ theme });
  },
  open(overlay) {
    set({ overlay });
  },
  close() {
    set({ overlay: null });
  },
  toast(t) {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts, { ...t, id }].slice(-MAX_TOASTS) }));
    // Errors stay until dismissed: the user needs time to read what to do.
    if (t.kind !== 'error') setTimeout(() => get().dismiss(id), SUCCESS_MS);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }));
  },
}));

/** Show "what failed" (title), the engine's explanation, and what to do about it. */
export function toastError(whatFailed: string, err: unknown): void {
  useUi.getState().toast({ kind: 'error', title: whatFailed, message: messageOf(err), hint: hintFor(err) });
}

export function toastSuccess(title: string, message?: string): void {
  useUi.getState().toast({ kind: 'success', title, ...(message ? { message } : {}) });
}

export function resolvedTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}
