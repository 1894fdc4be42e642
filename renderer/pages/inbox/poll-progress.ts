// "Refresh now" and what the polls are doing: each account's poll reports start and end through
// 'inbox.poll', and the accounts' pace (last poll, last error) comes from inbox.pollStatus, read
// again whenever a poll ends.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, messageOf, onEvent } from '../../api/client';
import type { PollState } from './inbox-types';

export interface AccountPoll {
  status: 'polling' | 'done' | 'failed';
  added: number;
  error: string | null;
}

export interface PollProgress {
  /** Accounts whose poll is running or ended since the last "Refresh". */
  polls: ReadonlyMap<string, AccountPoll>;
  states: PollState[] | null;
  /** The refresh call itself was refused (the engine said no, or is unreachable). */
  error: string | null;
  refreshing: boolean;
  refresh(): Promise<void>;
}

/** One line for the toolbar: what is running, or what the last refresh brought. */
export function pollSummary(polls: ReadonlyMap<string, AccountPoll>, labelOf: (accountId: string) => string): string | null {
  if (polls.size === 0) return null;
  const all = [...polls.entries()];
  const running = all.filter(([, p]) => p.status === 'polling').length;
  if (running > 0) return running === 1 ? 'Checking 1 account…' : `Checking ${running} accounts…`;
  const added = all.reduce((n, [, p]) => n + p.added, 0);
  const news = added === 0 ? 'Nothing new' : added === 1 ? '1 new message' : `${added} new messages`;
  const failed = all.filter(([, p]) => p.status === 'failed');
  if (failed.length === 0) return news;
  const errors = new Set(failed.map(([, p]) => p.error ?? ''));
  const [id, first] = failed[0] ?? ['', null];
  const why = first?.error ? `: ${first.error}` : '.';
  if (failed.length === 1) return `${news}. Could not check ${labelOf(id)}${why}`;
  // The same reason for all (no sign-in in a demo, the network down): said once.
  if (errors.size === 1) return `${news}. Could not check ${failed.length} accounts${why}`;
  return `${news}. Could not check ${failed.length} accounts (${labelOf(id)}${why.replace(/\.$/, '')}; and others)`;
}

const CLEAR_AFTER_MS = 10_000;

export function usePollProgress(workspaceId: string | null): PollProgress {
  const [polls, setPolls] = useState<ReadonlyMap<string, AccountPoll>>(new Map());
  const [states, setStates] = useState<PollState[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const clearTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const loadStates = useCallback(async () => {
    if (!workspaceId) return;
    try {
      setStates(await call('inbox.pollStatus', { workspaceId }));
    } catch {
      // Only the "last checked" line depends on it; the inbox itself works without it.
    }
  }, [workspaceId]);

  useEffect(() => {
    setPolls(new Map());
    setStates(null);
    setError(null);
    void loadStates();
  }, [loadStates]);

  useEffect(() => {
    if (!workspaceId) return;
    return onEvent('inbox.poll', (p) => {
      if (p.workspaceId !== workspaceId) return;
      clearTimeout(clearTimer.current);
      setPolls((m) => {
        const next = new Map(m);
        next.set(p.accountId, { status: p.status, added: p.added ?? 0, error: p.error ?? null });
        if ([...next.values()].every((x) => x.status !== 'polling')) {
          clearTimer.current = setTimeout(() => setPolls(new Map()), CLEAR_AFTER_MS);
        }
        return next;
      });
      if (p.status !== 'polling') void loadStates();
    });
  }, [workspaceId, loadStates]);

  useEffect(() => () => clearTimeout(clearTimer.current), []);

  const refresh = useCallback(async () => {
    if (!workspaceId) return;
    setRefreshing(true);
    setError(null);
    try {
      await call('inbox.refresh', { workspaceId });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setRefreshing(false);
    }
  }, [workspaceId]);

  return { polls, states, error, refreshing, refresh };
}
