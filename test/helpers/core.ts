// A real core (database file, event bus) for API tests through the real handlers.
import { createCore, type Core } from '../../electron/core/app';
import { inProcessClient } from '../../electron/api/dispatch';
import { tempDir } from './db';

export async function startTestCore(): Promise<Core & { call: ReturnType<typeof inProcessClient>; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = tempDir('postdesk-core-');
  const core = await createCore({ dataDir: dir, host: 'in-process' });
  return Object.assign(core, {
    call: inProcessClient(core.ctx),
    dir,
    cleanup: async () => {
      await core.close();
      cleanup();
    },
  });
}
