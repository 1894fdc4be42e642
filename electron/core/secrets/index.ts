// The secret box connectors and settings use to keep tokens, cookies and API keys out of clear text.
export type { SecretCipher } from './cipher';
export { SecretError, isSecretError, SECRET_ERROR_CODES, type SecretErrorCode } from './errors';
export { NodeKeyCipher, SECRET_KEY_ENV, KEY_FILE_NAME, type NodeKeyOptions } from './node-key-cipher';
export { PassphraseCipher, PASSPHRASE_FILE_NAME, DEFAULT_SCRYPT, type ScryptParams, type PassphraseOptions } from './passphrase-cipher';
export { SafeStorageCipher, type SafeStorageLike } from './safe-storage-cipher';
export { chooseCipher, chooseCipherAsync, type ChooseCipherOptions, type ChosenCipher, type CipherKind, type CipherWarning } from './choose-cipher';
export { hasStoredSecrets } from './stored-secrets';
export { SecretVault, secretAad, type SealedTable, type VaultOptions, type VaultStatus } from './vault';
