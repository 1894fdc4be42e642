// What the desktop preload exposes as `window.postdesk`: one call path and events. Shared as a
// type by electron/preload.ts (which implements it) and the renderer (which uses it).
import type { ApiErrorBody } from './errors';

export type BridgeResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export interface PostdeskBridge {
  /** Calls an API method (`area.verb`); resolves to its result or its typed error, never rejects for an API error. */
  call(method: string, input?: unknown): Promise<BridgeResult>;
  /** Subscribes to a main-process event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /**
   * The path on disk of a File the user picked or dropped (Electron's webUtils.getPathForFile): the
   * sandboxed window cannot read it, but the engine can import it from there. '' for files with no
   * path (e.g. made in the page).
   */
  pathForFile(file: File): string;
}
