// CSV import through the API on real files: a good file becomes scheduled posts with their media
// in the library; a file with one bad row imports nothing and says which rows and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { startTestCore, type TestCore } from '../helpers/core';
import { tempDir } from '../helpers/db';
import { png } from '../helpers/media-fixtures';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ core: TestCore; workspaceId: string; dir: string }> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  const files = tempDir('postdesk-csv-');
  cleanups.push(files.cleanup);
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  for (const [platform, id, username] of [
    ['bluesky', 'did:plc:crumb', 'crumb.bsky.social'],
    ['mastodon', '1099', 'crumb'],
  ] as const) {
    recordSignIn(core.ctx, {
      workspaceId: ws.id,
      platform,
      authKind: platform === 'bluesky' ? 'app_password' : 'oauth2',
      serverUrl: null,
      result: {
        profile: { platformAccountId: id, username, displayName: 'Crumb Bakery', profileUrl: null, avatarUrl: null, serverUrl: null },
        credentials: { accessToken: `t-${id}`, refreshToken: null, expiresAt: null, scopes: [] },
      },
    });
  }
  return { core, workspaceId: ws.id, dir: files.dir };
}

describe('importing posts from a CSV file', () => {
  it('given a spreadsheet export with two good rows and a picture, when imported, then both posts exist, the one with a time is scheduled, and the picture is in the library once', async () => {
    const s = await setup();
    writeFileSync(join(s.dir, 'croissant.png'), png(40, 30, 3));
    const csv = [
      'text;accounts;time;media;hashtags',
      '"Croissants are back 🥐\nFrom 7am";crumb.bsky.social|mastodon:crumb;2031-05-04 08:30;croissant.png;#bakery',
      'Sourdough Saturday;crumb;;croissant.png;',
      '',
    ].join('\r\n');
    const file = join(s.dir, 'posts.csv');
    writeFileSync(file, `\uFEFF${csv}`);

    const preview = await s.core.call('posts.importCsvPreview', { workspaceId: s.workspaceId, source: { path: file } });
    expect(preview.summary).toEqual({ total: 2, ok: 2, failed: 0 });

    const result = await s.core.call('posts.importCsv', { workspaceId: s.workspaceId, source: { path: file } });
    expect(result).toMatchObject({ created: 2, scheduled: 1 });
    const first = await s.core.call('posts.get', { postId: result.postIds[0]! });
    expect(first).toMatchObject({ status: 'scheduled', content: 'Croissants are back 🥐\nFrom 7am', hashtags: ['#bakery'], source: 'imported', publishAt: Date.parse('2031-05-04T08:30:00+02:00') });
    expect(first.targets.map((t) => t.platform).sort()).toEqual(['bluesky', 'mastodon']);
    expect(first.media).toHaveLength(1);
    const second = await s.core.call('posts.get', { postId: result.postIds[1]! });
    expect(second).toMatchObject({ status: 'draft', publishAt: null });
    expect((await s.core.call('media.list', { workspaceId: s.workspaceId })).total).toBe(1);
  });

  it('given a file with one bad row among good ones, when imported, then nothing is created and the bad rows are named with their reason', async () => {
    const s = await setup();
    const csv = ['text,accounts,time', 'Good one,crumb,2031-05-04 08:30', ',crumb,2031-05-05 08:30', 'Unknown account,someone.else,2031-05-06 08:30', `${'x'.repeat(301)},crumb.bsky.social,2031-05-07 08:30`].join('\n');
    const preview = await s.core.call('posts.importCsvPreview', { workspaceId: s.workspaceId, source: { text: csv } });
    expect(preview.summary).toEqual({ total: 4, ok: 1, failed: 3 });
    const bad = preview.rows.filter((r) => !r.ok);
    expect(bad.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(bad[2]!.errors.join(' ')).toMatch(/over Bluesky's limit of 300/);

    await expect(s.core.call('posts.importCsv', { workspaceId: s.workspaceId, source: { text: csv } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await s.core.call('posts.list', { workspaceId: s.workspaceId })).total).toBe(0);
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM jobs WHERE type = 'post.publish'`).pluck().get()).toBe(0);
  });
});

describe('the Queue’s bulk actions and the templates', () => {
  it('given three scheduled posts, when two are moved a day later, one paused and a draft cancelled, then each ends where asked and a post with no time says why it could not move', async () => {
    const s = await setup();
    const accounts = await s.core.call('accounts.list', { workspaceId: s.workspaceId });
    const bsky = accounts.find((a) => a.platform === 'bluesky')!;
    const at = Date.parse('2031-06-01T09:00:00+02:00');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: `Post ${i}`, targets: [{ accountId: bsky.id }] });
      await s.core.call('posts.schedule', { postId: p.id, when: { mode: 'at', at: at + i * 3_600_000 } });
      ids.push(p.id);
    }
    const draft = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'No time yet', targets: [{ accountId: bsky.id }] });

    const shifted = await s.core.call('posts.bulk', { postIds: [ids[0]!, ids[1]!, draft.id], action: { kind: 'shift', byMs: 86_400_000 } });
    expect(shifted).toMatchObject({ ok: 2, failed: 1 });
    expect(shifted.results[2]).toMatchObject({ postId: draft.id, ok: false, error: 'It has no time to move.' });
    expect((await s.core.call('posts.get', { postId: ids[1]! })).publishAt).toBe(at + 3_600_000 + 86_400_000);

    expect(await s.core.call('posts.bulk', { postIds: [ids[2]!], action: { kind: 'pause' } })).toMatchObject({ ok: 1 });
    expect((await s.core.call('posts.get', { postId: ids[2]! })).status).toBe('draft');
    expect(await s.core.call('posts.bulk', { postIds: [draft.id], action: { kind: 'cancel' } })).toMatchObject({ ok: 1 });
    expect((await s.core.call('posts.get', { postId: draft.id })).status).toBe('cancelled');
    const pending = s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM jobs WHERE type = 'post.publish' AND status = 'pending'`).pluck().get();
    expect(pending).toBe(2);
  });

  it('given a new workspace, then its five built-in templates are listed with their placeholders', async () => {
    const s = await setup();
    const templates = await s.core.call('posts.templates', { workspaceId: s.workspaceId });
    expect(templates.map((t) => t.theme).sort()).toEqual(['fun_fact', 'promotion', 'seasonal', 'testimonial', 'tip'].sort());
    for (const t of templates) expect(t.placeholders.every((p) => t.text.includes(`{${p}}`))).toBe(true);
  });
});

describe('moving a post to a time that is refused', () => {
  it('given a scheduled post whose account now needs reconnecting, when moved, then the move is refused and the post keeps its old time and its job', async () => {
    const s = await setup();
    const accounts = await s.core.call('accounts.list', { workspaceId: s.workspaceId });
    const bsky = accounts.find((a) => a.platform === 'bluesky')!;
    const at = Date.parse('2031-06-01T09:00:00+02:00');
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Keep me', targets: [{ accountId: bsky.id }] });
    await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'at', at } });
    s.core.ctx.db.sqlite.prepare(`UPDATE accounts SET status = 'revoked' WHERE id = ?`).run(bsky.id);

    await expect(s.core.call('posts.reschedule', { postId: post.id, at: at + 86_400_000 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/reconnecting/) });
    expect(await s.core.call('posts.get', { postId: post.id })).toMatchObject({ status: 'scheduled', publishAt: at });
    const jobs = s.core.ctx.db.sqlite.prepare(`SELECT status, run_at FROM jobs WHERE type = 'post.publish'`).all();
    expect(jobs).toEqual([{ status: 'pending', run_at: at }]);
  });
});
