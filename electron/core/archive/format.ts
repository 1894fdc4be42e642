// The workspace archive's format: a gzipped tar holding manifest.json first, then one JSON-lines
// file per table (rows/<table>.jsonl), the sealed secrets when the user gave an export passphrase
// (secrets/), and the media files the rows reference at the paths they have under the data folder
// (media/...). The manifest lists every other file with its size and SHA-256, so a damaged or
// altered archive is refused before a single row is written.
import { z } from 'zod';
import { ApiError, type ApiErrorCode } from '../../api/errors';

export const ARCHIVE_FORMAT = 'postdesk-workspace-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const ROWS_DIR = 'rows';
export const SECRETS_DIR = 'secrets';
/** The file extension the UI suggests; any name is accepted on import. */
export const ARCHIVE_EXTENSION = '.postdesk.tgz';

/**
 * Why an archive was refused or an export failed. `reason` is for tests and the UI; the message
 * says what happened and what to do.
 */
export type ArchiveFailure =
  | 'damaged'
  | 'wrong_format'
  | 'newer_schema'
  | 'unknown_schema'
  | 'workspace_exists'
  | 'passphrase_required'
  | 'wrong_passphrase'
  | 'not_found'
  | 'cancelled'
  | 'io';

const CODE: Record<ArchiveFailure, ApiErrorCode> = {
  damaged: 'invalid_input',
  wrong_format: 'invalid_input',
  newer_schema: 'invalid_input',
  unknown_schema: 'invalid_input',
  workspace_exists: 'conflict',
  passphrase_required: 'invalid_input',
  wrong_passphrase: 'invalid_input',
  not_found: 'not_found',
  cancelled: 'cancelled',
  io: 'unavailable',
};

export class ArchiveError extends ApiError {
  constructor(
    readonly reason: ArchiveFailure,
    message: string,
  ) {
    super(CODE[reason], message, reason === 'passphrase_required' || reason === 'wrong_passphrase' ? [{ path: ['passphrase'], message }] : undefined);
    this.name = 'ArchiveError';
  }
}

/** A JSON-lines value: SQLite's null, integer/real, text, or a blob as base64. */
export type CellValue = null | number | string | { $b: string };

const relPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\') && !p.includes('\0'), 'not a relative path inside the archive');

const tableEntry = z.object({
  name: z.string().regex(/^[a-z0-9_]+$/),
  /** 'rows': a table; 'vectors': a vec0 table's embeddings (chunk_seq, workspace_id, embedding). */
  kind: z.enum(['rows', 'vectors', 'secrets']),
  file: relPath,
  columns: z.array(z.string().regex(/^[a-z0-9_]+$/)).min(1),
  rows: z.number().int().nonnegative(),
  /** The lowest and highest `seq` (the internal row number full-text and vector tables key on),
   * so an import can tell without reading the rows whether they clash with this install's. */
  seq: z.object({ min: z.number().int(), max: z.number().int() }).nullable().optional(),
});
export type TableEntry = z.infer<typeof tableEntry>;

const fileEntry = z.object({
  path: relPath,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof fileEntry>;

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  appVersion: z.string(),
  /** The last migration applied to the database the rows came from. */
  schema: z.object({ idx: z.number().int().nonnegative(), tag: z.string().min(1) }),
  workspace: z.object({ id: z.string().min(1), name: z.string() }),
  createdAt: z.number().int(),
  /** In the order they are written and read back. */
  tables: z.array(tableEntry),
  /** Every file in the archive except manifest.json. */
  files: z.array(fileEntry),
  media: z.object({
    files: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    /** Thumbnails travel with the originals (they are made by a browser engine, not the core). */
    thumbnails: z.literal('included'),
    /** How many paths the rows name had no file on disk at export time, and the first of them. */
    missingCount: z.number().int().nonnegative(),
    missing: z.array(z.string()).max(100),
  }),
  /** Rows that name a file by absolute path (knowledge documents): the import points them at the
   * same file under its own data folder. */
  relocated: z.array(z.object({ table: z.string().regex(/^[a-z0-9_]+$/), column: z.string().regex(/^[a-z0-9_]+$/), id: z.string(), path: relPath })),
  /** Present when secrets were exported, sealed with a key derived from the export passphrase. */
  secrets: z.object({ passphraseFile: relPath, rows: z.number().int().nonnegative() }).nullable(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function totalRows(m: Pick<Manifest, 'tables'>): number {
  return m.tables.reduce((n, t) => n + t.rows, 0);
}

/** What `archive.inspect` tells the user before an import. */
export interface ArchiveSummary {
  workspace: { id: string; name: string };
  createdAt: number;
  appVersion: string;
  schema: { idx: number; tag: string };
  /** The archive's schema is older than this install's: it is migrated on import. */
  needsMigration: boolean;
  rows: number;
  tables: { name: string; rows: number }[];
  media: { files: number; bytes: number; missing: number };
  hasSecrets: boolean;
  /** A workspace with this id already exists here: importing it is refused. */
  workspaceExists: boolean;
}

export type ArchiveStage =
  | 'rows'
  | 'media'
  | 'packing'
  | 'unpacking'
  | 'verifying'
  | 'staging'
  | 'migrating'
  | 'committing'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface ArchiveProgress {
  stage: ArchiveStage;
  /** Rows (or files, or bytes for packing) done of total in this stage. */
  done: number;
  total: number;
  message: string;
}
