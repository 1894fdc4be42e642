// How saved sign-ins are protected (security.status), shared by Settings → Security and the
// shell, which warns while they are locked: nothing can publish until the passphrase is entered.
import { create } from 'zustand';
import type { ApiOutput } from '../../../electron/api';
import { call } from '../../api/client';

export type SecurityStatus = ApiOutput<'security.status'>;

interface SecurityState {
  status: SecurityStatus | null;
  error: unknown;
  loading: boolean;
  load(): Promise<void>;
  /** The status a security.* call just returned. */
  set(status: SecurityStatus): void;
}

let generation = 0;

export const useSecurity = create<SecurityState>()((set) => ({
  status: null,
  error: null,
  loading: false,
  async load() {
    const g = ++generation;
    set({ loading: true });
    try {
      const status = await call('security.status', {});
      if (g === generation) set({ status, error: null, loading: false });
    } catch (error) {
      if (g === generation) set({ error, loading: false });
    }
  },
  set(status) {
    ++generation;
    set({ status, error: null, loading: false });
  },
}));

/** Where the unlock form is: Settings, scrolled to Security. */
export const UNLOCK_PATH = '/settings?section=security';

/** What protects the secrets, in words for the Security section. */
export function protectionText(kind: SecurityStatus['kind']): { title: string; detail: string } {
  switch (kind) {
    case 'safe-storage':
      return { title: 'Your system keychain', detail: 'Sign-ins are encrypted with a key your operating system keeps for your user account.' };
    case 'passphrase':
      return { title: 'Your passphrase', detail: 'Sign-ins are encrypted with a key made from your passphrase. Postdesk asks for it each time it starts.' };
    case 'key-file':
      return { title: 'A key file in the data folder', detail: 'Sign-ins are encrypted with a key stored beside the database, readable only by your user account.' };
    case 'env-key':
      return { title: 'A key from the environment', detail: 'Sign-ins are encrypted with the key in POSTDESK_SECRET_KEY.' };
    case null:
      return { title: 'Locked', detail: 'Enter your passphrase to unlock saved sign-ins.' };
  }
}

export const MIN_PASSPHRASE = 8;

/** What is wrong with a new passphrase and its repeat, per field; nothing when it can be saved. */
export function passphraseProblems(passphrase: string, repeat: string): { passphrase?: string; repeat?: string } {
  if (passphrase.length < MIN_PASSPHRASE) return { passphrase: `Too short: use at least ${MIN_PASSPHRASE} characters.` };
  if (repeat !== passphrase) return { repeat: 'The two do not match. Type the same passphrase twice.' };
  return {};
}
