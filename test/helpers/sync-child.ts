// A device in its own process, for the kill-mid-push test: opens the given SQLite file, connects
// to the cloud and syncs in small push batches, printing PUSHED <n> after each batch the server
// committed, so the parent can SIGKILL it in the middle of a push.
import { openDatabase } from '../../db/client';
import { SyncService } from '../../electron/core/sync/service';

const [file, url] = process.argv.slice(2) as [string, string];
const db = openDatabase({ file });
const sync = new SyncService({ db, migrate: false });
await sync.connect(url);
await sync.syncNow({
  pushBatch: 25,
  onProgress: (p) => {
    if (p.phase === 'push') process.stdout.write(`PUSHED ${p.done}\n`);
  },
});
process.stdout.write('DONE\n');
await sync.close();
db.close();
