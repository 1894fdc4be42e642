// One open thread: its newest page of messages, older pages on demand (scrolling to the top), and
// live: 'inbox.changed' naming it (a new message, a reply's progress) refetches the newest page,
// merged with the older pages already loaded so reading history is never interrupted.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, onCatchUp, onEvent } from '../../api/client';
import type { Message, Thread } from './inbox-types';

export const THREAD_PAGE = 50;
const DEBOUNCE_MS = 150;

export interface ThreadState {
  conversationId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  thread: Thread | null;
  /** Oldest first: older pages loaded so far, then the newest page. */
  messages: Message[];
  hasOlder: boolean;
  loadingOlder: boolean;
  error: unknown;
  /** A background refresh failed: the thread may be out of date. */
  refreshError: unknown;
}

export interface ThreadData extends ThreadState {
  reload(): Promise<void>;
  loadOlder(): Promise<void>;
}

const IDLE: ThreadState = { conversationId: null, status: 'idle', thread: null, messages: [], hasOlder: false, loadingOlder: false, error: null, refreshError: null };

/** Messages by id, oldest first; a later copy of a message (its status changed) wins. */
export function mergeMessages(...lists: readonly (readonly Message[])[]): Message[] {
  const byId = new Map<string, Message>();
  for (const list of lists) for (const m of list) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function useThread(conversationId: string | null): ThreadData {
  const [state, setState] = useState<ThreadState>(IDLE);
  const generation = useRef(0);
  // The thread on screen, as committed (set in the effect below, not during render): a render that
  // React starts for another thread and then drops must not point a reload at that thread, and an
  // answer for any thread but this one is never applied.
  const committed = useRef<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback(async (id: string | null, keepOlder: boolean) => {
    if (!id) return;
    const g = ++generation.current;
    try {
      const thread = await call('inbox.get', { conversationId: id, limit: THREAD_PAGE });
      if (g !== generation.current || committed.current !== id) return;
      setState((s) => {
        const sameThread = keepOlder && s.conversationId === id;
        // Older pages stay only if they still join onto the newest page.
        const older = sameThread ? s.messages.filter((m) => thread.messages.length === 0 || m.sentAt <= (thread.messages[0]?.sentAt ?? 0)) : [];
        const keptOlder = sameThread && older.length > 0;
        return {
          conversationId: id,
          status: 'ready',
          thread,
          messages: mergeMessages(older, thread.messages),
          hasOlder: keptOlder ? s.hasOlder : thread.hasOlder,
          loadingOlder: sameThread && s.loadingOlder,
          error: null,
          refreshError: null,
        };
      });
    } catch (error) {
      if (g !== generation.current || committed.current !== id) return;
      setState((s) => (keepOlder && s.conversationId === id && s.thread ? { ...s, refreshError: error } : { ...IDLE, conversationId: id, status: 'error', error }));
    }
  }, []);

  useEffect(() => {
    committed.current = conversationId;
    generation.current += 1;
    if (!conversationId) {
      setState(IDLE);
      return;
    }
    setState({ ...IDLE, conversationId, status: 'loading' });
    void load(conversationId, false);
  }, [conversationId, load]);

  useEffect(() => {
    if (!conversationId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(committed.current, true), DEBOUNCE_MS);
    };
    const offs = [
      onEvent('inbox.changed', (p) => {
        // No ids: "something in this workspace changed" — this thread may be part of it.
        if (p.conversationIds.length === 0 ? p.workspaceId === stateRef.current.thread?.conversation.workspaceId : p.conversationIds.includes(conversationId)) refetch();
      }),
      onEvent('customers.changed', (p) => {
        if (p.customerId === stateRef.current.thread?.customer?.id) refetch();
      }),
      onCatchUp(refetch),
    ];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [conversationId, load]);

  const loadOlder = useCallback(async () => {
    const s = stateRef.current;
    const id = s.conversationId;
    const first = s.messages[0];
    if (!id || !first || !s.hasOlder || s.loadingOlder) return;
    setState((x) => ({ ...x, loadingOlder: true }));
    try {
      const page = await call('inbox.get', { conversationId: id, before: first.sentAt, limit: THREAD_PAGE });
      // A refresh of the newest page meanwhile (a new message, the read mark) does not make older
      // messages wrong: they merge by id. Only another thread does.
      if (committed.current !== id) return;
      setState((x) => ({ ...x, messages: mergeMessages(page.messages, x.messages), hasOlder: page.hasOlder, loadingOlder: false, refreshError: null }));
    } catch (error) {
      if (committed.current !== id) return;
      setState((x) => ({ ...x, loadingOlder: false, refreshError: error }));
    }
  }, []);

  const reload = useCallback(() => load(committed.current, true), [load]);
  const current = state.conversationId === conversationId ? state : conversationId ? { ...IDLE, conversationId, status: 'loading' as const } : IDLE;
  return { ...current, reload, loadOlder };
}
