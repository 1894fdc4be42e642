// Whether sealed secrets exist, so a missing key is reported instead of silently replaced.
import type BetterSqlite3 from 'better-sqlite3';

export function hasStoredSecrets(sqlite: BetterSqlite3.Database): boolean {
  const row = sqlite
    .prepare<[], { n: number }>(
      `SELECT (SELECT COUNT(*) FROM app_secrets) +
              (SELECT COUNT(*) FROM account_secrets WHERE COALESCE(access_token_encrypted, refresh_token_encrypted,
                 app_password_encrypted, cookies_encrypted, api_key_encrypted, credentials_encrypted) IS NOT NULL) AS n`,
    )
    .get();
  return (row?.n ?? 0) > 0;
}
