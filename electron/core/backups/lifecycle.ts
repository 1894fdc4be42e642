// The core's startup seam for database health (used by electron/core/app.ts): the bounded launch
// check, the background quick_check for large files, and the durability choice kept in a file
// beside the database (it must be known before the database is opened).
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Durability } from '../../../db/client';
import type { ApiContext } from '../context';
import { healthOf, type IntegrityResult, type Recovery } from './health';
import { writeFailureKind } from './storage';
import { checkDatabaseFile, probeDatabaseFile, recoveryFromCheck, STARTUP_CHECK_AWAIT_BYTES, STARTUP_CHECK_INLINE_BYTES } from './integrity';

export const DURABILITY_FILE = 'durability';

export function readDurability(dataDir: string): Durability {
  try {
    return readFileSync(join(dataDir, DURABILITY_FILE), 'utf8').trim() === 'full' ? 'full' : 'normal';
  } catch {
    return 'normal';
  }
}

export function writeDurability(dataDir: string, value: Durability): void {
  const file = join(dataDir, DURABILITY_FILE);
  writeFileSync(`${file}.tmp`, `${value}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export interface StartupCheck {
  result: IntegrityResult | null;
  recovery: Recovery | null;
  /** A quick_check left running for after startup (large files). */
  background: Promise<IntegrityResult> | null;
}

export async function startupCheck(file: string, nativeBinding?: string): Promise<StartupCheck> {
  if (!existsSync(file) || statSync(file).size === 0) return { result: null, recovery: null, background: null };
  const t0 = performance.now();
  const inline = statSync(file).size <= STARTUP_CHECK_INLINE_BYTES;
  const probed = probeDatabaseFile(file, nativeBinding, inline);
  const ms = Math.round(performance.now() - t0);
  if (probed) return { result: { level: inline ? 'quick' : 'probe', ok: false, problems: probed.problems, checkedAt: probed.detectedAt, ms }, recovery: probed, background: null };
  if (inline) return { result: { level: 'quick', ok: true, problems: [], checkedAt: Date.now(), ms }, recovery: null, background: null };
  if (statSync(file).size > STARTUP_CHECK_AWAIT_BYTES) {
    return { result: { level: 'probe', ok: true, problems: [], checkedAt: Date.now(), ms: Math.round(performance.now() - t0) }, recovery: null, background: checkDatabaseFile(file, 'quick') };
  }
  const result = await checkDatabaseFile(file, 'quick');
  return { result, recovery: recoveryFromCheck(file, result), background: null };
}

/** A large file's quick_check finishing after startup: record it, and fall into recovery on damage. */
export function watchBackgroundCheck(ctx: ApiContext, file: string, check: Promise<IntegrityResult>): void {
  const health = healthOf(ctx);
  health.checking = true;
  check.then(
    (result) => {
      health.checking = false;
      health.lastCheck = result;
      const recovery = recoveryFromCheck(file, result);
      if (recovery && !health.recovery) void health.enterRecovery?.(recovery).catch((err: unknown) => console.error('[core] could not switch to recovery:', err));
    },
    (err: unknown) => {
      health.checking = false;
      console.error('[core] the background integrity check could not run:', err);
    },
  );
}

/** The database could not be opened for writing: say why in words a host can show as they are. */
export function storageStartError(err: unknown, dataDir: string): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^SQLITE_(CANTOPEN|READONLY|FULL|IOERR)/.test(code)) return err;
  const kind = writeFailureKind(dataDir);
  if (kind === 'read_only') {
    return Object.assign(new Error(`Postdesk cannot write to its data folder ${dataDir}: the folder or its drive is read-only. Make it writable (or start Postdesk with another --data folder), then start again; nothing in it was changed.`, { cause: err }), { code: 'read_only' });
  }
  if (kind === 'disk_full' || code === 'SQLITE_FULL') {
    return Object.assign(new Error(`The disk holding ${dataDir} is full, so Postdesk cannot open its database. Free some space, then start again; nothing in it was changed.`, { cause: err }), { code: 'disk_full' });
  }
  return err;
}
