// A real core (database file, event bus) for API tests through the real handlers.
import { createCore, type Core, type CoreOptions } from '../../electron/core/app';
import { inProcessClient } from '../../electron/api/dispatch';
import { ApiError } from '../../electron/api/errors';
import type { EventName, EventPayload } from '../../electron/api/events';
import { tempDir } from './db';

/** scrypt at a test cost: the passphrase flows are the same, each unlock takes ms instead of ~0.3 s. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 } as const;

export type TestCore = Core & { call: ReturnType<typeof inProcessClient>; dir: string; cleanup: () => Promise<void> };

export async function startTestCore(opts: Partial<Omit<CoreOptions, 'host'>> = {}): Promise<TestCore> {
  const fresh = opts.dataDir === undefined ? tempDir('postdesk-core-') : null;
  const dir = opts.dataDir ?? fresh!.dir;
  const core = await createCore({ host: 'in-process', scrypt: TEST_SCRYPT, env: {}, ...opts, dataDir: dir });
  return Object.assign(core, {
    call: inProcessClient(core.ctx),
    dir,
    cleanup: async () => {
      await core.close();
      fresh?.cleanup();
    },
  });
}

/** The typed API error a call failed with; a call that succeeds, or fails otherwise, fails the test. */
export async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Every payload of one event the core emits from now on, in order. */
export function listen<E extends EventName>(core: Pick<Core, 'ctx'>, name: E): EventPayload<E>[] {
  const seen: EventPayload<E>[] = [];
  core.ctx.events.subscribe((event, payload) => {
    if (event === name) seen.push(payload as EventPayload<E>);
  });
  return seen;
}
