// Picks the cipher for this host and says, in words a user can act on, when protection is weak.
import type { SecretCipher } from './cipher';
import { NodeKeyCipher } from './node-key-cipher';
import { PassphraseCipher, type ScryptParams } from './passphrase-cipher';
import { SafeStorageCipher, type SafeStorageLike } from './safe-storage-cipher';

export type CipherKind = 'safe-storage' | 'passphrase' | 'env-key' | 'key-file';

export interface CipherWarning {
  code: 'linux_no_secret_service' | 'keychain_unavailable';
  message: string;
}

export interface ChooseCipherOptions {
  /** Electron's safeStorage in the desktop host; absent in the Node host. */
  safeStorage?: SafeStorageLike;
  platform: NodeJS.Platform;
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The user chose a passphrase: it wins over everything else. */
  passphrase?: string;
  scrypt?: ScryptParams;
  hasStoredSecrets?: () => boolean;
}

export interface ChosenCipher {
  cipher: SecretCipher;
  kind: CipherKind;
  /** Set when the secrets are less protected than they should be; show it in Settings. */
  warning?: CipherWarning;
}

/** Backends where Electron encrypts with a key from the OS secret store. Anything else on Linux
 * ('basic_text', or a name we do not know) may be Electron's hard-coded key: treated as no keychain. */
const LINUX_KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function chooseCipher(opts: ChooseCipherOptions): ChosenCipher {
  const hasStoredSecrets = opts.hasStoredSecrets;
  if (opts.passphrase !== undefined) {
    return {
      kind: 'passphrase',
      cipher: PassphraseCipher.unlock({
        dataDir: opts.dataDir,
        passphrase: opts.passphrase,
        ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
        ...(hasStoredSecrets ? { hasStoredSecrets } : {}),
      }),
    };
  }

  const nodeKey = (): ChosenCipher => {
    const cipher = NodeKeyCipher.load({ dataDir: opts.dataDir, env: opts.env, ...(hasStoredSecrets ? { hasStoredSecrets } : {}) });
    return { cipher, kind: cipher.source === 'env' ? 'env-key' : 'key-file' };
  };

  // The Node host (web mode, CLI): the key file or env key is the intended protection, no warning.
  if (!opts.safeStorage) return nodeKey();

  if (!opts.safeStorage.isEncryptionAvailable()) {
    return {
      ...nodeKey(),
      warning: {
        code: 'keychain_unavailable',
        message:
          'The system keychain is not available, so secrets are encrypted with a key file in the app data folder. ' +
          'Anyone who can read that folder can read them. Set a passphrase in Settings for stronger protection.',
      },
    };
  }

  if (opts.platform === 'linux') {
    const backend = opts.safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (!LINUX_KEYRING_BACKENDS.has(backend)) {
      // Electron's 'basic_text' key is the same on every machine, i.e. no protection at all. A random
      // per-install key file at least keeps secrets unreadable from a copied database file.
      return {
        ...nodeKey(),
        warning: {
          code: 'linux_no_secret_service',
          message:
            `No secret service (GNOME Keyring or KWallet) is running (backend: ${backend}), so the system keychain cannot protect ` +
            'your tokens. They are encrypted with a key file in the app data folder instead. Set a passphrase in Settings, ' +
            'or start a secret service and restart Postdesk, for stronger protection.',
        },
      };
    }
  }
  return { cipher: new SafeStorageCipher(opts.safeStorage), kind: 'safe-storage' };
}


/** chooseCipher for the main process: a passphrase is derived off the event loop (scrypt's cost
 * would otherwise freeze the UI for a few hundred ms). */
export async function chooseCipherAsync(opts: ChooseCipherOptions): Promise<ChosenCipher> {
  if (opts.passphrase === undefined) return chooseCipher(opts);
  const cipher = await PassphraseCipher.unlockAsync({
    dataDir: opts.dataDir,
    passphrase: opts.passphrase,
    ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
    ...(opts.hasStoredSecrets ? { hasStoredSecrets: opts.hasStoredSecrets } : {}),
  });
  return { cipher, kind: 'passphrase' };
}
