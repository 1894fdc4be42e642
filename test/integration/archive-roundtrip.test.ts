// Workspace archives, end to end through the real API on real database files: a rich demo
// workspace (seeded posts, inbox, comments, knowledge with vectors, plus media files with a
// thumbnail, a stored knowledge file and saved sign-ins) is exported and imported into a fresh
// data folder, and every row of every table and every file's bytes come back identical. Damaged
// archives are refused with nothing written; an older-schema archive is migrated; secrets travel
// only under a passphrase. (The large demo's full round trip runs in `npm run bench -- data`.)
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed';
import { migrations } from '../../migrations/embedded';
import { exportRows } from '../../electron/core/archive/export-rows';
import { importArchive } from '../../electron/core/archive/archive';
import { ArchiveError, type ArchiveFailure } from '../../electron/core/archive/format';
import { planTables } from '../../electron/core/archive/tables';
import { loadCredentials, saveCredentials } from '../../electron/core/accounts/credentials';
import { importMediaFile } from '../../electron/core/media/library';
import { installCapture } from '../../electron/core/sync/capture';
import { thumbnailStoredPath } from '../../electron/core/media/thumbnails';
import { tempDir } from '../helpers/db';
import { startTestCore, type TestCore } from '../helpers/core';
import { jpeg, png } from '../helpers/media-fixtures';

const TOKEN = 'tok-PLAINTEXT-9f8e7d6c5b4a';
const APP_KEY = 'sk-PLAINTEXT-app-key-1234567890';
const PASSPHRASE = 'correct horse battery staple';

let source: TestCore;
let workspaceId: string;
let accountId: string;
let docId: string;
let plainArchive: string;
const scratch = tempDir('postdesk-archive-');

/** Every row of every table the archive plans for this workspace, keyed by table, sorted. */
function snapshot(core: TestCore, ws: string, skip: readonly string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of planTables(core.ctx.db.sqlite)) {
    if (skip.includes(p.name)) continue;
    const rows = core.ctx.db.sqlite.prepare(p.select).raw(true).all({ ws }) as unknown[][];
    out[p.name] = rows.map((r) => JSON.stringify(r.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))).sort();
  }
  return out;
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function mediaFiles(core: TestCore, ws: string): Map<string, string> {
  const rows = core.ctx.db.sqlite.prepare<[string], { path: string | null; thumb: string | null }>('SELECT path, thumbnail_path AS thumb FROM media WHERE workspace_id = ?').all(ws);
  const out = new Map<string, string>();
  for (const r of rows) for (const p of [r.path, r.thumb]) if (p) out.set(p, sha(join(core.dir, p)));
  return out;
}

async function refusedWith(p: Promise<unknown>): Promise<ArchiveFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveError);
  return (err as ArchiveError).reason;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const FTS_TABLES = ['posts_fts', 'messages_fts', 'comments_fts', 'knowledge_fts'] as const;

/** Every full-text index holds exactly its table's rows (FTS5 'integrity-check' with rank 1 compares
 * the index with the content table and throws on any difference), and the insert triggers that keep
 * it in step are in place for the rows written after an import. */
function expectSearchIndexesIntact(core: TestCore, when: string): void {
  for (const fts of FTS_TABLES) {
    expect(() => core.ctx.db.sqlite.prepare(`INSERT INTO ${fts}(${fts}, rank) VALUES ('integrity-check', 1)`).run(), `${fts} ${when}`).not.toThrow();
  }
  const triggers = core.ctx.db.sqlite.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts_ai' ORDER BY name`).all();
  expect(triggers.map((t) => t.name), when).toEqual(['comments_fts_ai', 'knowledge_fts_ai', 'messages_fts_ai', 'posts_fts_ai']);
}

beforeAll(async () => {
  source = await startTestCore();
  const seeded = seedDemo(source.ctx.db, { scale: 'small', seed: 7, brand: 'bakery', now: Date.now() });
  workspaceId = seeded.workspaceId;
  accountId = source.ctx.db.sqlite.prepare<[string], { id: string }>('SELECT id FROM accounts WHERE workspace_id = ? ORDER BY id LIMIT 1').get(workspaceId)!.id;

  // Media files on disk, one with a thumbnail (stored content-addressed like the app does).
  const pics = [png(64, 48, 1), png(32, 32, 2), jpeg(40, 30)];
  const ids: string[] = [];
  for (const [i, bytes] of pics.entries()) {
    const file = join(scratch.dir, `pic-${i}.${i === 2 ? 'jpg' : 'png'}`);
    writeFileSync(file, bytes);
    ids.push((await importMediaFile({ db: source.ctx.db, dataDir: source.dir }, { workspaceId, path: file })).id);
  }
  const thumbBytes = png(16, 12, 3);
  const thumbSha = createHash('sha256').update(thumbBytes).digest('hex');
  const thumbPath = thumbnailStoredPath(thumbSha, 'image/webp');
  mkdirSync(join(source.dir, thumbPath, '..'), { recursive: true });
  writeFileSync(join(source.dir, thumbPath), thumbBytes);
  source.ctx.db.sqlite.prepare('UPDATE media SET thumbnail_path = ? WHERE id = ?').run(thumbPath, ids[0]);

  // A knowledge document stored as a file, named by absolute path (as knowledge.import does).
  docId = randomUUID();
  const docFile = join(source.dir, 'knowledge', `${docId}.txt`);
  mkdirSync(join(source.dir, 'knowledge'), { recursive: true });
  writeFileSync(docFile, 'Opening hours: 7 to 3, closed Mondays.\n');
  source.ctx.db.sqlite
    .prepare(`INSERT INTO knowledge_documents (id, workspace_id, title, file_path, file_name, mime_type, file_size_bytes, status) VALUES (?, ?, 'Hours', ?, 'hours.txt', 'text/plain', 39, 'indexed')`)
    .run(docId, workspaceId, docFile);

  // Saved sign-ins: an account's tokens and a workspace API key, sealed by this install's vault.
  saveCredentials(source.ctx.db, source.ctx.vault, { workspaceId, accountId, credentials: { accessToken: TOKEN, refreshToken: `${TOKEN}-refresh`, expiresAt: null, scopes: ['read'] } });
  const secretId = randomUUID();
  source.ctx.db.sqlite
    .prepare('INSERT INTO app_secrets (id, workspace_id, name, value_encrypted) VALUES (?, ?, ?, ?)')
    .run(secretId, workspaceId, 'ai.api_key', source.ctx.vault.seal('app_secrets', secretId, 'value_encrypted', APP_KEY));

  plainArchive = join(scratch.dir, 'plain.postdesk.tgz');
  await source.call('archive.export', { workspaceId, path: plainArchive });
}, 120_000);

afterAll(async () => {
  await source?.cleanup();
  scratch.cleanup();
});

describe('workspace archive round trip', () => {
  it('given an exported workspace, when it is imported into a fresh data folder, then every row and every media file is identical', async () => {
    const target = await startTestCore();
    try {
      const progress: string[] = [];
      target.ctx.events.subscribe((event, payload) => {
        if (event === 'archive.progress') progress.push((payload as { stage: string }).stage);
      });
      const summary = await target.call('archive.inspect', { path: plainArchive });
      expect(summary.workspace.id).toBe(workspaceId);
      expect(summary.workspaceExists).toBe(false);
      expect(summary.hasSecrets).toBe(false);

      const result = await target.call('archive.import', { path: plainArchive });
      expect(result.workspaceId).toBe(workspaceId);
      expect(result.migratedFrom).toBeNull();
      expect(progress).toContain('committing');
      expect(progress.at(-1)).toBe('done');

      // Rows: everything but secrets (left out without a passphrase) and the knowledge file's
      // absolute path, which now points into this data folder.
      const skip = ['account_secrets', 'app_secrets', 'knowledge_documents'];
      const before = snapshot(source, workspaceId, skip);
      const after = snapshot(target, workspaceId, skip);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
      expect(before['conversation_messages']!.length).toBeGreaterThan(1000);
      expect(before['knowledge_vec_384']!.length).toBeGreaterThan(0);

      const docs = (core: TestCore) =>
        core.ctx.db.sqlite.prepare<[string], Record<string, unknown>>('SELECT * FROM knowledge_documents WHERE workspace_id = ? ORDER BY id').all(workspaceId);
      const [srcDocs, dstDocs] = [docs(source), docs(target)];
      expect(dstDocs.map(({ file_path: _a, ...rest }) => rest)).toEqual(srcDocs.map(({ file_path: _a, ...rest }) => rest));
      const stored = dstDocs.find((d) => d['id'] === docId)!;
      expect(String(stored['file_path']).startsWith(target.dir)).toBe(true);
      expect(readFileSync(String(stored['file_path']), 'utf8')).toContain('closed Mondays');

      // Media: the same files with the same bytes, thumbnail included.
      const srcMedia = mediaFiles(source, workspaceId);
      expect(srcMedia.size).toBe(4);
      expect(mediaFiles(target, workspaceId)).toEqual(srcMedia);

      // Full-text search works on the imported rows (this install's triggers indexed them).
      const word = source.ctx.db.sqlite.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH 'order'`).get()!.n;
      expect(target.ctx.db.sqlite.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH 'order'`).get()!.n).toBe(word);
      expectSearchIndexesIntact(target, 'after the import');
      expect(filesUnder(join(target.dir, 'archive-work'))).toEqual([]);
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('given no passphrase, when a workspace is exported, then no secret (plaintext or sealed) is in the archive bytes', () => {
    const bytes = gunzipSync(readFileSync(plainArchive));
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from(APP_KEY))).toBe(false);
    const sealed = source.ctx.db.sqlite.prepare<[string], { v: string }>('SELECT access_token_encrypted AS v FROM account_secrets WHERE account_id = ?').get(accountId)!.v;
    expect(bytes.includes(Buffer.from(sealed))).toBe(false);
    expect(bytes.includes(Buffer.from('account_secrets.jsonl'))).toBe(false);
  });

  it('given an export passphrase, when the archive is imported elsewhere, then the wrong passphrase is refused and the right one restores the secrets under the new vault', async () => {
    const archive = join(scratch.dir, 'secrets.postdesk.tgz');
    const exported = await source.call('archive.export', { workspaceId, path: archive, passphrase: PASSPHRASE });
    expect(exported.secrets).toBe(true);
    const bytes = gunzipSync(readFileSync(archive));
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from(APP_KEY))).toBe(false);

    const target = await startTestCore();
    try {
      expect(await refusedWith(importArchive(target.ctx, { path: archive }))).toBe('passphrase_required');
      expect(await refusedWith(importArchive(target.ctx, { path: archive, passphrase: 'not the passphrase' }))).toBe('wrong_passphrase');
      expect(target.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM workspaces').get()).toEqual({ n: 0 });

      const result = await target.call('archive.import', { path: archive, passphrase: PASSPHRASE });
      expect(result.secrets).toBe(true);
      expect(loadCredentials(target.ctx.db, target.ctx.vault, accountId).accessToken).toBe(TOKEN);
      const row = target.ctx.db.sqlite.prepare<[string], { id: string; v: string }>('SELECT id, value_encrypted AS v FROM app_secrets WHERE workspace_id = ?').get(workspaceId)!;
      expect(target.ctx.vault.open('app_secrets', row.id, 'value_encrypted', row.v)).toBe(APP_KEY);
      // Sealed with the importing install's own key, not carried over.
      expect(target.ctx.vault.cipher.keyId).not.toBe(source.ctx.vault.cipher.keyId);
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('given damaged archives, when each is imported, then it is refused with a reason and nothing is written', async () => {
    const target = await startTestCore();
    try {
      const good = readFileSync(plainArchive);
      const cases: { name: string; bytes: Buffer; reasons: ArchiveFailure[] }[] = [];
      cases.push({ name: 'truncated', bytes: good.subarray(0, Math.floor(good.length * 0.6)), reasons: ['wrong_format', 'damaged'] });
      const flipped = Buffer.from(good);
      for (let i = Math.floor(flipped.length / 2); i < Math.floor(flipped.length / 2) + 64; i++) flipped[i] = flipped[i]! ^ 0xff;
      cases.push({ name: 'bytes changed', bytes: flipped, reasons: ['wrong_format', 'damaged'] });
      cases.push({ name: 'not an archive', bytes: Buffer.from('just some text, not a tarball\n'.repeat(100)), reasons: ['wrong_format'] });

      // A row file changed after export (checksum no longer matches), and a manifest claiming a
      // newer schema: both repacked as valid tar.gz files.
      const unpacked = join(scratch.dir, 'unpacked');
      mkdirSync(unpacked, { recursive: true });
      await tarExtract({ file: plainArchive, cwd: unpacked });
      const manifestText = readFileSync(join(unpacked, 'manifest.json'), 'utf8');
      const entries = ['manifest.json', ...readdirSync(unpacked).filter((n) => n !== 'manifest.json')];
      const repack = async (name: string) => {
        const out = join(scratch.dir, name);
        await tarCreate({ gzip: true, file: out, cwd: unpacked, portable: true }, entries);
        return readFileSync(out);
      };
      const postsFile = join(unpacked, 'rows', 'posts.jsonl');
      const postsText = readFileSync(postsFile, 'utf8');
      writeFileSync(postsFile, postsText.replace('"', "'"));
      cases.push({ name: 'checksum mismatch', bytes: await repack('tampered.tgz'), reasons: ['damaged'] });
      writeFileSync(postsFile, postsText);
      // A message row the database refuses (a direction its CHECK does not allow), with the manifest's
      // checksum made to match: the import fails mid-commit, after thousands of rows went in.
      const messagesFile = join(unpacked, 'rows', 'conversation_messages.jsonl');
      const messagesText = readFileSync(messagesFile, 'utf8');
      const lines = messagesText.trimEnd().split('\n');
      lines[lines.length - 1] = lines.at(-1)!.replace(/"(inbound|outbound)"/, '"sideways"');
      const refusedText = lines.join('\n') + '\n';
      writeFileSync(messagesFile, refusedText);
      const refusing = JSON.parse(manifestText) as { files: { path: string; bytes: number; sha256: string }[] };
      const entry = refusing.files.find((f) => f.path === 'rows/conversation_messages.jsonl')!;
      entry.bytes = Buffer.byteLength(refusedText);
      entry.sha256 = createHash('sha256').update(refusedText).digest('hex');
      writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify(refusing));
      cases.push({ name: 'a row refused mid-commit', bytes: await repack('refused-row.tgz'), reasons: ['damaged'] });
      writeFileSync(messagesFile, messagesText);
      const newer = JSON.parse(manifestText) as { schema: { idx: number; tag: string } };
      newer.schema = { idx: migrations.at(-1)!.idx + 1, tag: '9999_future' };
      writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify(newer));
      cases.push({ name: 'newer schema', bytes: await repack('newer.tgz'), reasons: ['newer_schema'] });

      for (const c of cases) {
        const file = join(scratch.dir, `case-${c.name.replace(/\W+/g, '-')}.tgz`);
        writeFileSync(file, c.bytes);
        const reason = await refusedWith(importArchive(target.ctx, { path: file }));
        expect(c.reasons, c.name).toContain(reason);
        expect(target.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM workspaces').get(), c.name).toEqual({ n: 0 });
        expect(target.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM posts').get(), c.name).toEqual({ n: 0 });
        expect(target.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM conversation_messages').get(), c.name).toEqual({ n: 0 });
        expectSearchIndexesIntact(target, c.name);
        expect(filesUnder(join(target.dir, 'media')), c.name).toEqual([]);
        expect(filesUnder(join(target.dir, 'archive-work')), c.name).toEqual([]);
      }
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('given an install with another workspace and sync capture on, when the archive is imported, then clashing row numbers move up, ids and search are intact, and nothing lands in the sync outbox', async () => {
    const target = await startTestCore();
    try {
      // Another workspace whose posts, messages and chunks use the same seq numbers as the archive's.
      seedDemo(target.ctx.db, { scale: 'small', seed: 8, brand: 'bakery', workspaceName: 'Other bakery', now: Date.now() });
      installCapture(target.ctx.db.sqlite);
      const outboxBefore = target.ctx.db.sqlite.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sync_outbox').get()!.n;

      await importArchive(target.ctx, { path: plainArchive });

      const ids = (core: TestCore, table: string) =>
        core.ctx.db.sqlite.prepare<[string], { id: string }>(`SELECT id FROM ${table} WHERE workspace_id = ? ORDER BY id`).all(workspaceId).map((r) => r.id);
      for (const table of ['posts', 'conversation_messages', 'comments', 'knowledge_chunks']) expect(ids(target, table), table).toEqual(ids(source, table));
      const vectors = (core: TestCore) =>
        core.ctx.db.sqlite.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM knowledge_vec_384 WHERE chunk_seq IN (SELECT seq FROM knowledge_chunks WHERE workspace_id = ?)').get(workspaceId)!.n;
      expect(vectors(target)).toBe(vectors(source));
      const minSeq = (core: TestCore) => core.ctx.db.sqlite.prepare<[string], { n: number }>('SELECT MIN(seq) AS n FROM conversation_messages WHERE workspace_id = ?').get(workspaceId)!.n;
      expect(minSeq(target)).toBeGreaterThan(minSeq(source));
      // The imported messages are found by full-text search under their new row numbers.
      const hit = source.ctx.db.sqlite.prepare<[string], { id: string; content: string }>('SELECT id, content FROM conversation_messages WHERE workspace_id = ? AND length(content) > 20 LIMIT 1').get(workspaceId)!;
      const word = hit.content.split(/\W+/).find((w) => w.length > 4)!;
      const found = target.ctx.db.sqlite
        .prepare<[string, string], { id: string }>(`SELECT m.id FROM messages_fts JOIN conversation_messages m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ? AND m.workspace_id = ?`)
        .all(`"${word}"`, workspaceId)
        .map((r) => r.id);
      expect(found).toContain(hit.id);
      expectSearchIndexesIntact(target, 'after an import beside another workspace');
      expect(target.ctx.db.sqlite.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sync_outbox').get()!.n).toBe(outboxBefore);
      expect(target.ctx.db.sqlite.prepare('SELECT applying FROM sync_state WHERE id = 1').get()).toEqual({ applying: 0 });
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('given an import under way, when it is cancelled, then it stops with nothing written', async () => {
    const target = await startTestCore();
    try {
      const operationId = randomUUID();
      let cancelled = false;
      target.ctx.events.subscribe((event, payload) => {
        const p = payload as { operationId: string; stage: string };
        if (event === 'archive.progress' && p.operationId === operationId && p.stage === 'verifying' && !cancelled) {
          cancelled = true;
          void target.call('archive.cancel', { operationId });
        }
      });
      expect(await refusedWith(importArchive(target.ctx, { path: plainArchive, operationId }))).toBe('cancelled');
      expect(target.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM workspaces').get()).toEqual({ n: 0 });
      expect(filesUnder(join(target.dir, 'archive-work'))).toEqual([]);
      expect(await target.call('archive.cancel', { operationId })).toEqual({ cancelled: false });
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('given a workspace that is already here, when its archive is imported, then it is refused as a conflict', async () => {
    const err = await source.call('archive.import', { path: plainArchive }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already on this computer/) });
  });

  it('given an archive from an older schema version, when it is imported, then it is migrated and its rows arrive', async () => {
    const olderIdx = migrations.at(-1)!.idx - 1;
    const dir = tempDir('postdesk-archive-old-');
    const target = await startTestCore();
    try {
      // A database left at the previous schema version, with a workspace and a post in it.
      const old = openDatabase({ file: join(dir.dir, 'postdesk.db'), migrateUpTo: olderIdx });
      const ws = randomUUID();
      const post = randomUUID();
      old.sqlite.prepare(`INSERT INTO workspaces (id, name) VALUES (?, 'Old bakery')`).run(ws);
      old.sqlite.prepare(`INSERT INTO posts (id, workspace_id, content) VALUES (?, ?, 'Fresh rye on Saturday')`).run(post, ws);
      old.close();
      const work = join(dir.dir, 'work');
      mkdirSync(work);
      const archive = join(dir.dir, 'old.postdesk.tgz');
      const { manifest } = await exportRows(
        {
          dbFile: join(dir.dir, 'postdesk.db'),
          dataDir: dir.dir,
          workspaceId: ws,
          outFile: archive,
          workDir: work,
          appVersion: 'old',
          createdAt: Date.now(),
          prewritten: { tables: [], files: [], secrets: null },
          gzipLevel: 1,
        },
        () => undefined,
      );
      expect(manifest.schema.idx).toBe(olderIdx);

      const summary = await target.call('archive.inspect', { path: archive });
      expect(summary.needsMigration).toBe(true);
      const result = await target.call('archive.import', { path: archive });
      expect(result.migratedFrom).toBe(olderIdx);
      expect(target.ctx.db.sqlite.prepare('SELECT content FROM posts WHERE id = ?').get(post)).toEqual({ content: 'Fresh rye on Saturday' });
      expect(target.ctx.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM posts_fts WHERE posts_fts MATCH 'rye'`).get()).toEqual({ n: 1 });
    } finally {
      await target.cleanup();
      dir.cleanup();
    }
  }, 120_000);
});

