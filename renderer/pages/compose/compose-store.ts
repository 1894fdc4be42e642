// The post being composed, kept outside the page so leaving Compose and coming back (or a reload
// of the route `#/compose/<postId>`) finds it as it was. Autosave: every edit restarts a short
// timer; when it fires the draft goes to the engine (posts.create the first time, posts.update
// after), one save at a time, and edits made during a save are saved right after it. Drafts are
// rows in the local database, so this works with no network at all.
import { create } from 'zustand';
import { call, onEvent } from '../../api/client';
import { createInput, draftFromPost, EMPTY_DRAFT, isBlank, isEditable, sameDraft, updateInput, type Draft, type PostView } from './draft';

export const AUTOSAVE_MS = 700;
/** After a failed save, try again this long after (the engine may be restarting). */
const RETRY_MS = 5_000;

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';
type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ComposeState {
  workspaceId: string | null;
  postId: string | null;
  /** The engine's last word on the post (status, targets' results); null for a new draft. */
  post: PostView | null;
  draft: Draft;
  /** What the engine has: the draft is dirty while it differs. */
  saved: Draft;
  load: LoadStatus;
  loadError: unknown;
  save: SaveStatus;
  savedAt: number | null;
  saveError: unknown;
  /** Start a new post in this workspace (after saving the current one). */
  startNew(workspaceId: string): Promise<void>;
  /** Show a saved post (from the route). A post already open is kept as it is. */
  open(workspaceId: string, postId: string): Promise<void>;
  edit(change: (d: Draft) => Draft): void;
  /** Save now (before scheduling, leaving, approving); resolves with the saved post. */
  flush(): Promise<PostView | null>;
  /** An action returned the post (schedule, approve...): take its status; the text is ours. */
  adopt(post: PostView): void;
  /** Reload the post from the engine (another window changed it); the draft follows when not dirty. */
  refresh(): Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<PostView | null> | null = null;
let generation = 0;

function schedule(ms: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void useCompose.getState().flush().catch(() => undefined), ms);
}

export const useCompose = create<ComposeState>()((set, get) => {
  async function saveOnce(): Promise<PostView | null> {
    const s = get();
    const g = generation;
    const draft = s.draft;
    if (!s.workspaceId) return s.post;
    if (s.postId === null && isBlank(draft)) return null;
    if (s.postId !== null && sameDraft(draft, s.saved)) {
      if (s.save !== 'saved' && s.save !== 'idle') set({ save: 'saved' });
      return s.post;
    }
    if (!isEditable(s.post?.status ?? null)) return s.post;
    set({ save: 'saving', saveError: null });
    try {
      const post = s.postId === null ? await call('posts.create', createInput(s.workspaceId, draft)) : await call('posts.update', updateInput(s.postId, draft));
      // Another post was opened meanwhile: this result is not about what is on screen.
      if (g !== generation) return post;
      const now = get();
      const dirty = !sameDraft(now.draft, draft);
      set({ postId: post.id, post, saved: draft, save: dirty ? 'pending' : 'saved', savedAt: Date.now(), saveError: null });
      return post;
    } catch (error) {
      if (g === generation) {
        set({ save: 'error', saveError: error });
        schedule(RETRY_MS);
      }
      throw error;
    }
  }

  return {
    workspaceId: null,
    postId: null,
    post: null,
    draft: EMPTY_DRAFT,
    saved: EMPTY_DRAFT,
    load: 'idle',
    loadError: null,
    save: 'idle',
    savedAt: null,
    saveError: null,

    async startNew(workspaceId) {
      await get()
        .flush()
        .catch(() => undefined);
      clearTimeout(timer);
      generation++;
      set({ workspaceId, postId: null, post: null, draft: EMPTY_DRAFT, saved: EMPTY_DRAFT, load: 'ready', loadError: null, save: 'idle', savedAt: null, saveError: null });
    },

    async open(workspaceId, postId) {
      const s = get();
      if (s.postId === postId && s.workspaceId === workspaceId && (s.load === 'ready' || s.load === 'loading')) return;
      await s.flush().catch(() => undefined);
      clearTimeout(timer);
      const g = ++generation;
      set({ workspaceId, postId, post: null, draft: EMPTY_DRAFT, saved: EMPTY_DRAFT, load: 'loading', loadError: null, save: 'idle', savedAt: null, saveError: null });
      try {
        const post = await call('posts.get', { postId });
        if (g !== generation) return;
        if (post.workspaceId !== workspaceId) {
          set({ load: 'error', loadError: new Error('This post belongs to another workspace; switch to it to open the post.') });
          return;
        }
        const draft = draftFromPost(post);
        set({ post, draft, saved: draft, load: 'ready', savedAt: post.updatedAt });
      } catch (error) {
        if (g === generation) set({ load: 'error', loadError: error });
      }
    },

    edit(change) {
      const s = get();
      if (!isEditable(s.post?.status ?? null)) return;
      const draft = change(s.draft);
      if (draft === s.draft) return;
      set({ draft, save: s.postId === null && isBlank(draft) ? 'idle' : 'pending' });
      schedule(AUTOSAVE_MS);
    },

    async flush() {
      clearTimeout(timer);
      // One save at a time; what changed during it is saved right after.
      while (inFlight) await inFlight.catch(() => undefined);
      const s = get();
      if (s.postId === null ? isBlank(s.draft) : sameDraft(s.draft, s.saved)) {
        // Typed and undone before the timer fired: what is on screen is what is saved.
        if (s.save === 'pending') set({ save: s.postId === null ? 'idle' : 'saved' });
        return s.post;
      }
      inFlight = saveOnce();
      try {
        return await inFlight;
      } finally {
        inFlight = null;
      }
    },

    adopt(post) {
      if (post.id !== get().postId) return;
      set({ post });
    },

    async refresh() {
      const s = get();
      if (!s.postId) return;
      const g = generation;
      const post = await call('posts.get', { postId: s.postId });
      if (g !== generation) return;
      const now = get();
      const server = draftFromPost(post);
      // Only another window's edit replaces the text, and only when nothing here is unsaved; an
      // echo of our own save keeps the draft as typed (a variant just opened is still empty).
      const clean = sameDraft(now.draft, now.saved) && !inFlight;
      if (clean && !sameDraft(server, now.draft)) set({ post, draft: server, saved: server });
      else set({ post });
    },
  };
});

/** Live: another window or the scheduler changed the open post (published, failed, edited). */
export function watchOpenPost(): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  const off = onEvent('posts.changed', (p) => {
    const s = useCompose.getState();
    if (p.postId !== s.postId || s.save === 'saving') return;
    clearTimeout(t);
    t = setTimeout(() => void useCompose.getState().refresh().catch(() => undefined), 150);
  });
  return () => {
    clearTimeout(t);
    off();
  };
}
