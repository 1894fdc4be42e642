// The crash test's writer: opens the database file given as argv[2] like the app does (WAL,
// synchronous=NORMAL, migrations), then writes realistic work in a loop, one transaction per unit:
// a draft post (posts service), an inbound DM (the inbox ingest service) and a queued job (the
// scheduler's enqueue). After each COMMIT returns it prints `committed <seq> <postId> <messageId>
// <jobId>`; the test kills it with SIGKILL at a random moment and checks every printed unit.
import { writeSync } from 'node:fs';
import { z } from 'zod';
import { openDatabase } from '../../db/client';
import { accounts } from '../../db/schema';
import { EventBus } from '../../electron/core/events';
import { ingestItems } from '../../electron/core/inbox/ingest';
import { createDraft } from '../../electron/core/posts/posts';
import { createWorkspace } from '../../electron/core/workspaces/workspaces';
import { enqueueJob } from '../../electron/scheduler/enqueue';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-child <database file>');
const db = openDatabase({ file });
const events = new EventBus();

const JOB = { type: 'crash.unit', payload: z.object({ seq: z.number().int() }), maxAttempts: 1 } as const;

const setup = db.sqlite.transaction(() => {
  const existing = db.sqlite.prepare<[], { id: string; workspace_id: string }>("SELECT id, workspace_id FROM accounts WHERE platform_account_id = 'did:plc:crumb'").get();
  if (existing) return { accountId: existing.id, workspaceId: existing.workspace_id };
  const ws = createWorkspace(db, { name: 'Crumb Bakery', businessType: 'bakery', brandVoice: 'friendly', timezone: 'UTC' });
  const a = db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'bluesky', platformAccountId: 'did:plc:crumb', username: 'crumb', displayName: 'Crumb' }).returning().get();
  return { accountId: a.id, workspaceId: ws.id };
});
const { accountId, workspaceId } = setup();
const account = { id: accountId, workspaceId, platform: 'bluesky' as const, platformAccountId: 'did:plc:crumb' };
let seq = Number(db.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM posts').get()?.n ?? 0);
const run = process.pid.toString(36);

const unit = db.sqlite.transaction((n: number) => {
  const post = createDraft(db, { workspaceId, content: `Crash unit ${n}: today's loaves ${'and pastries '.repeat(20)}`, targets: [] });
  const messageId = `crash-${run}-${n}`;
  ingestItems({ db, events }, account, [
    {
      kind: 'dm',
      platformMessageId: messageId,
      threadId: `convo-${n % 50}`,
      parentId: null,
      authorId: `did:plc:customer${n % 50}`,
      authorHandle: `customer${n % 50}.test`,
      authorName: null,
      text: `Do you have rye bread today? (${n})`,
      createdAt: Date.now(),
      url: null,
      replyDeadline: null,
    },
  ]);
  const job = enqueueJob(db, JOB, { seq: n }, { runAt: Date.now() + 86_400_000 });
  return { postId: post.id, messageId, jobId: job.id };
});

process.stdout.write('ready\n');
for (;;) {
  seq++;
  const r = unit(seq);
  // Synchronous write: a line is out of the process before the next unit starts.
  writeSync(1, `committed ${seq} ${r.postId} ${r.messageId} ${r.jobId}\n`);
}
