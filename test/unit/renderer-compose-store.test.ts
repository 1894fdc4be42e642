// The composer's autosave against a real core and database file (the renderer's client routed to
// the real handlers): nothing is stored until there is something to keep, a burst of typing is one
// save, the first save creates and later ones update, what is typed during a save is saved right
// after it, a scheduled post cannot be edited, and another window's edit replaces the text only
// when nothing here is unsaved.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch';
import { useTransport } from '../../renderer/api/client';
import { errorFromBody } from '../../renderer/api/errors';
import type { Transport } from '../../renderer/api/transport';
import { AUTOSAVE_MS, useCompose, watchOpenPost } from '../../renderer/pages/compose/compose-store';
import { newTarget } from '../../renderer/pages/compose/draft';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore;
let workspaceId: string;
let otherWorkspaceId: string;
const calls: string[] = [];
/** Makes the next call to this method wait until released (a slow engine). */
let gate: { method: string; release: () => void; wait: Promise<void> } | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hold(method: string) {
  let release!: () => void;
  const wait = new Promise<void>((r) => (release = r));
  gate = { method, release, wait };
  return () => release();
}

beforeAll(async () => {
  core = await startTestCore();
  workspaceId = (await core.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/Paris' })).id;
  otherWorkspaceId = (await core.call('workspaces.create', { name: 'Other brand', timezone: 'UTC' })).id;
  const transport: Transport = {
    kind: 'web',
    async call(method, input) {
      calls.push(method);
      if (gate && gate.method === method) {
        const g = gate;
        gate = null;
        await g.wait;
      }
      const r = await dispatch(core.ctx, method, input);
      if (!r.ok) throw errorFromBody(r.error, method);
      return r.result;
    },
    on: (event, listener) => core.ctx.events.subscribe((e, payload) => e === event && listener(payload)),
    onStatus: () => () => undefined,
    status: () => 'open',
    close: () => undefined,
  };
  useTransport(transport);
});

afterAll(async () => {
  await core?.cleanup();
});

beforeEach(async () => {
  await useCompose.getState().startNew(workspaceId);
  calls.length = 0;
});

afterEach(() => {
  gate?.release();
  gate = null;
});

const rows = () => core.ctx.db.sqlite.prepare('SELECT id, content, status FROM posts WHERE deleted_at IS NULL ORDER BY created_at').all() as { id: string; content: string; status: string }[];

async function settle() {
  await sleep(AUTOSAVE_MS + 150);
  await useCompose.getState().flush();
}

describe('autosave', () => {
  it('given an untouched composer, when nothing is typed (or only spaces), then no post is created', async () => {
    const before = rows().length;
    useCompose.getState().edit((d) => ({ ...d, content: '   ' }));
    await settle();
    expect(calls).not.toContain('posts.create');
    expect(rows()).toHaveLength(before);
    expect(useCompose.getState().save).toBe('idle');
  });

  it('given a burst of typing, then it is saved once after the pause, as a new draft, and later edits update it', async () => {
    const before = rows().length;
    for (const text of ['F', 'Fr', 'Fre', 'Fresh', 'Fresh bread']) {
      useCompose.getState().edit((d) => ({ ...d, content: text }));
      await sleep(40);
    }
    expect(useCompose.getState().save).toBe('pending');
    expect(calls).toEqual([]);
    await sleep(AUTOSAVE_MS + 200);
    await useCompose.getState().flush();
    expect(calls.filter((c) => c === 'posts.create')).toHaveLength(1);
    const s = useCompose.getState();
    expect(s.save).toBe('saved');
    expect(s.postId).not.toBeNull();
    expect(rows()).toHaveLength(before + 1);
    expect(rows().at(-1)).toMatchObject({ id: s.postId, content: 'Fresh bread', status: 'draft' });

    useCompose.getState().edit((d) => ({ ...d, content: 'Fresh bread at 7' }));
    await settle();
    expect(calls.filter((c) => c === 'posts.create')).toHaveLength(1);
    expect(calls).toContain('posts.update');
    expect(rows().at(-1)?.content).toBe('Fresh bread at 7');
  });

  it('given typing during a slow save, then the later text is saved right after it, not lost', async () => {
    useCompose.getState().edit((d) => ({ ...d, content: 'one' }));
    const release = hold('posts.create');
    const first = useCompose.getState().flush();
    await sleep(20);
    expect(useCompose.getState().save).toBe('saving');
    useCompose.getState().edit((d) => ({ ...d, content: 'one two' }));
    release();
    await first;
    // The create came back with the older text: the draft is still dirty.
    expect(useCompose.getState().save).toBe('pending');
    await settle();
    expect(useCompose.getState().save).toBe('saved');
    expect(rows().at(-1)?.content).toBe('one two');
  });

  it('given text typed and undone before the timer fires, then it reads saved without a call', async () => {
    useCompose.getState().edit((d) => ({ ...d, content: 'Keep' }));
    await useCompose.getState().flush();
    calls.length = 0;
    useCompose.getState().edit((d) => ({ ...d, content: 'Keep!' }));
    useCompose.getState().edit((d) => ({ ...d, content: 'Keep' }));
    expect(useCompose.getState().save).toBe('pending');
    await settle();
    expect(calls).toEqual([]);
    expect(useCompose.getState().save).toBe('saved');
  });
});

describe('opening posts', () => {
  it('given a saved post, when it is opened, then its text and accounts come back; opening it again keeps what is on screen', async () => {
    const acct = core.ctx.db.sqlite
      .prepare("INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, auth_kind, status, connected_at, created_at, updated_at) VALUES (?, ?, 'bluesky', 'did:plc:x', 'kofi.test', 'app_password', 'active', 0, 0, 0)")
      .run('0190aaaa-0000-7000-8000-00000000a001', workspaceId);
    expect(acct.changes).toBe(1);
    const created = await core.call('posts.create', { workspaceId, content: 'Saved elsewhere', targets: [{ accountId: '0190aaaa-0000-7000-8000-00000000a001' }] });
    await useCompose.getState().open(workspaceId, created.id);
    let s = useCompose.getState();
    expect(s.load).toBe('ready');
    expect(s.draft).toMatchObject({ content: 'Saved elsewhere', targets: [newTarget('0190aaaa-0000-7000-8000-00000000a001')] });

    useCompose.getState().edit((d) => ({ ...d, content: 'Saved elsewhere, edited here' }));
    await useCompose.getState().open(workspaceId, created.id);
    s = useCompose.getState();
    expect(s.draft.content).toBe('Saved elsewhere, edited here');
  });

  it('given a post of another workspace, when it is opened, then it is refused with a reason', async () => {
    const other = await core.call('posts.create', { workspaceId: otherWorkspaceId, content: 'Not yours', targets: [] });
    await useCompose.getState().open(workspaceId, other.id);
    const s = useCompose.getState();
    expect(s.load).toBe('error');
    expect(String(s.loadError)).toMatch(/another workspace/);
    expect(s.draft.content).toBe('');
  });

  it('given a deleted post, when it is opened, then the error says it no longer exists', async () => {
    const p = await core.call('posts.create', { workspaceId, content: 'Gone soon', targets: [] });
    await core.call('posts.delete', { postId: p.id });
    await useCompose.getState().open(workspaceId, p.id);
    expect(useCompose.getState().load).toBe('error');
    expect(String(useCompose.getState().loadError)).toMatch(/no longer exists/);
  });

  it('given a post that is not editable (published), then edits are ignored', async () => {
    const p = await core.call('posts.create', { workspaceId, content: 'Out already', targets: [] });
    core.ctx.db.sqlite.prepare("UPDATE posts SET status = 'published' WHERE id = ?").run(p.id);
    await useCompose.getState().open(workspaceId, p.id);
    useCompose.getState().edit((d) => ({ ...d, content: 'changed' }));
    expect(useCompose.getState().draft.content).toBe('Out already');
    expect(useCompose.getState().save).toBe('idle');
  });
});

describe('another window', () => {
  it('given the open post edited elsewhere, then the text follows when nothing here is unsaved, and stays when something is', async () => {
    const off = watchOpenPost();
    try {
      useCompose.getState().edit((d) => ({ ...d, content: 'Mine' }));
      await useCompose.getState().flush();
      const id = useCompose.getState().postId!;
      await core.call('posts.update', { postId: id, content: 'Theirs' });
      await expect.poll(() => useCompose.getState().draft.content, { timeout: 2_000 }).toBe('Theirs');

      useCompose.getState().edit((d) => ({ ...d, content: 'Mine again, unsaved' }));
      await core.call('posts.update', { postId: id, content: 'Theirs again' });
      await sleep(400);
      expect(useCompose.getState().draft.content).toBe('Mine again, unsaved');
      await useCompose.getState().flush();
      expect(rows().find((r) => r.id === id)?.content).toBe('Mine again, unsaved');
    } finally {
      off();
    }
  });
});
