// Moving a workspace to another computer: export it to one archive file (rows, media, manifest with
// checksums; secrets only under an export passphrase), look inside an archive, import it. Long
// calls: watch 'archive.progress' with the operationId you pass, and stop one with archive.cancel.
// In web mode the renderer cannot name local paths: it downloads an export from
// GET /api/archive/download/<file> and uploads an archive with PUT /api/archive/upload first
// (electron/host/archive-routes.ts), then imports the path that upload returns.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { cancelArchiveOperation, exportWorkspace, importArchive, inspectArchive } from '../core/archive/archive';
import { area, method } from './contract';
import { workspaceId } from './fields';

const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'not a valid path')
  .refine((p) => isAbsolute(p), 'give the full path of the file, not a relative one');
const passphrase = z.string().min(8, 'choose a passphrase of at least 8 characters').max(1024);
const operationId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'not a valid operation id');

export const archiveApi = area('archive', {
  'archive.export': method({
    description:
      'Export a workspace to one archive file (gzipped tar: manifest with schema version and checksums, rows as JSON lines per table, the media files). ' +
      'Secrets are left out unless `passphrase` is given (then sealed with it). `path` defaults to <data folder>/exports/. Progress: "archive.progress".',
    input: z.object({ workspaceId, path: localPath.optional(), passphrase: passphrase.optional(), operationId: operationId.optional() }),
    handler: (ctx, input) => exportWorkspace(ctx, input),
  }),
  'archive.inspect': method({
    description: "What an archive holds (workspace, rows per table, media, secrets, database version) and whether it can be imported here, from its manifest.",
    input: z.object({ path: localPath }),
    handler: (ctx, input) => inspectArchive(ctx, input.path),
  }),
  'archive.import': method({
    description:
      'Import a workspace archive: same ids, rows and media bytes; an older archive is migrated. A damaged archive or a workspace already here is refused with nothing written. ' +
      'An archive with secrets needs its export `passphrase`. Progress: "archive.progress".',
    input: z.object({ path: localPath, passphrase: z.string().min(1).max(1024).optional(), operationId: operationId.optional() }),
    handler: (ctx, input) => importArchive(ctx, input),
  }),
  'archive.cancel': method({
    description: 'Stop a running export or import by its operationId; nothing is changed. {cancelled: false} when none is running.',
    input: z.object({ operationId }),
    handler: (_ctx, input) => ({ cancelled: cancelArchiveOperation(input.operationId) }),
  }),
});
