// CSV import as the app runs it: the file (or pasted text) is previewed against the workspace's
// usable accounts and each network's rules; committing re-reads it, imports its media into the
// library, then creates (and schedules) every post in one transaction — or none.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { accounts } from '../../../db/schema/accounts';
import { workspaces } from '../../../db/schema/workspaces';
import type { ApiContext } from '../context';
import { importMediaFile } from '../media/library';
import { commitCsvImport, CsvImportError, CSV_MAX_BYTES, previewCsvImport, type CsvImportContext, type CsvImportPreview, type ParsedPost } from './csv-import';
import { decodeCsvBytes } from './csv-parse';
import { createDraft } from './posts';
import { schedulePost } from './schedule';
import { validateTarget, type MediaCheck } from './validate';

export type CsvSource = { path: string } | { text: string };

const EXT_KIND: Record<string, { kind: MediaCheck['kind']; mime: string }> = {
  '.png': { kind: 'image', mime: 'image/png' },
  '.jpg': { kind: 'image', mime: 'image/jpeg' },
  '.jpeg': { kind: 'image', mime: 'image/jpeg' },
  '.webp': { kind: 'image', mime: 'image/webp' },
  '.gif': { kind: 'gif', mime: 'image/gif' },
  '.mp4': { kind: 'video', mime: 'video/mp4' },
  '.mov': { kind: 'video', mime: 'video/quicktime' },
  '.webm': { kind: 'video', mime: 'video/webm' },
};

function readSource(source: CsvSource): { text: string; baseDir?: string } {
  if ('text' in source) return { text: source.text };
  if (!isAbsolute(source.path)) throw new CsvImportError('malformed', 'Give the full path of the CSV file.');
  let size: number;
  try {
    size = statSync(source.path).size;
  } catch {
    throw new CsvImportError('malformed', `There is no file at ${source.path}.`);
  }
  if (size > CSV_MAX_BYTES) throw new CsvImportError('too_large', `The file is ${(size / 1024 / 1024).toFixed(1)} MB; a CSV import takes at most 5 MB.`);
  return { text: decodeCsvBytes(readFileSync(source.path)).text, baseDir: dirname(source.path) };
}

function contextFor(ctx: ApiContext, workspaceId: string, baseDir: string | undefined, now: number): CsvImportContext {
  const timezone = ctx.db.orm.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId)).get()?.tz ?? 'UTC';
  // Only accounts that can publish: a row naming one that needs reconnecting fails in the preview.
  const usable = ctx.db.orm
    .select({ id: accounts.id, platform: accounts.platform, username: accounts.username, displayName: accounts.displayName })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.status, 'active')))
    .all();
  const platformOf = new Map(usable.map((a) => [a.id, a.platform]));
  const validate = (post: ParsedPost) => {
    const errors: string[] = [];
    const warnings: string[] = [];
    const media: MediaCheck[] = post.mediaPaths.map((p) => {
      const known = EXT_KIND[extname(p).toLowerCase()];
      return { kind: known?.kind ?? 'document', mimeType: known?.mime ?? 'application/octet-stream', sizeBytes: null, altText: null, hasPublicUrl: false };
    });
    for (const id of post.accountIds) {
      const platform = platformOf.get(id);
      if (!platform) continue;
      const text = post.hashtags.length > 0 ? `${post.text}\n\n${post.hashtags.join(' ')}` : post.text;
      for (const issue of validateTarget({ platform, capabilities: ctx.platforms.connector(platform).capabilities, text, threadParts: [], firstComment: post.firstComment, media, publishAt: post.publishAt, nativeScheduling: false }, now)) {
        (issue.severity === 'error' ? errors : warnings).push(issue.message);
      }
    }
    return { errors, warnings };
  };
  return { timezone, accounts: usable, now, fileExists: existsSync, ...(baseDir ? { baseDir } : {}), validate };
}

export function previewCsv(ctx: ApiContext, workspaceId: string, source: CsvSource, now = Date.now()): CsvImportPreview {
  const { text, baseDir } = readSource(source);
  return previewCsvImport(text, contextFor(ctx, workspaceId, baseDir, now));
}

export async function importCsv(ctx: ApiContext, workspaceId: string, source: CsvSource, now = Date.now()): Promise<{ created: number; scheduled: number; postIds: string[] }> {
  // Never trust a preview from the window: read the file again, as it is now.
  const preview = previewCsv(ctx, workspaceId, source, now);
  if (preview.summary.failed > 0) return commitCsvImport(preview, () => ({ created: 0, scheduled: 0, postIds: [] }), { now });
  const mediaIds = new Map<string, string>();
  for (const row of preview.rows) {
    for (const path of row.post?.mediaPaths ?? []) {
      if (!mediaIds.has(path)) mediaIds.set(path, (await importMediaFile(ctx, { workspaceId, path })).id);
    }
  }
  return commitCsvImport(
    preview,
    (posts) =>
      ctx.db.orm.transaction(() => {
        const postIds: string[] = [];
        let scheduled = 0;
        for (const p of posts) {
          const draft = createDraft(ctx.db, {
            workspaceId,
            content: p.text,
            hashtags: p.hashtags,
            source: 'imported',
            targets: p.accountIds.map((accountId) => ({ accountId, firstComment: p.firstComment })),
            media: p.mediaPaths.map((path) => ({ mediaId: mediaIds.get(path)! })),
          });
          if (p.publishAt !== null) {
            schedulePost(ctx, draft.id, { mode: 'at', at: p.publishAt }, {}, now);
            scheduled++;
          }
          postIds.push(draft.id);
        }
        return { created: postIds.length, scheduled, postIds };
      }),
    { now },
  );
}
