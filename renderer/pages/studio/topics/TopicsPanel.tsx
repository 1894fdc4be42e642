// AI Studio → Topics: what customers write about. Choose a period, run the analysis (a background
// job whose progress shows here), and read the topics largest first with their keywords, counts
// and sample messages; each sample opens its conversation in the Inbox. Past runs stay readable.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApiOutput } from '../../../../electron/api';
import { call, messageOf, onEvent } from '../../../api/client';
import { useCurrentWorkspace } from '../../../stores/workspaces';
import './topics.css';

type Latest = ApiOutput<'topics.latest'>;
type Topic = Latest['topics'][number];
type Runs = ApiOutput<'topics.runs'>;
type TopicMessages = ApiOutput<'topics.messages'>;

const PERIODS = [1, 7, 14, 30, 90, 365] as const;
const MAX_TOPIC_CHOICES = [5, 10, 15, 20] as const;

interface Live {
  jobId: string | null;
  fraction: number;
  message: string | null;
}

function periodLabel(days: number): string {
  return days === 1 ? 'Last 24 hours' : days === 365 ? 'Last year' : `Last ${days} days`;
}

function dateLabel(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

function runLabel(r: Runs[number]): string {
  const when = new Date(r.createdAt).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${when} · ${r.days ? periodLabel(r.days).toLowerCase() : 'period'} · ${r.totalTopics} topics`;
}

/** Where a conversation opens in the Inbox (any status, so a closed thread opens too). */
export function inboxLink(conversationId: string): string {
  return `/inbox?${new URLSearchParams({ view: 'all', open: conversationId }).toString()}`;
}

export function TopicsPanel() {
  const ws = useCurrentWorkspace();
  const wsId = ws?.id ?? null;
  const [days, setDays] = useState<number>(30);
  const [maxTopics, setMaxTopics] = useState<number>(10);
  const [latest, setLatest] = useState<Latest | null>(null);
  const [runs, setRuns] = useState<Runs>([]);
  const [viewing, setViewing] = useState<string | null>(null);
  const [live, setLive] = useState<Live | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const load = useCallback(
    async (modelId: string | null) => {
      if (!wsId) return;
      try {
        const [l, r] = await Promise.all([
          call('topics.latest', modelId ? { workspaceId: wsId, modelId } : { workspaceId: wsId }),
          call('topics.runs', { workspaceId: wsId }),
        ]);
        setLatest(l);
        setRuns(r);
        setLive((cur) => (l.runningJobId ? (cur ?? { jobId: l.runningJobId, fraction: 0, message: 'Analysis under way' }) : null));
        setError(null);
      } catch (err) {
        setError(messageOf(err));
      }
    },
    [wsId],
  );

  useEffect(() => {
    setLatest(null);
    setViewing(null);
    setLive(null);
    setNotice(null);
    void load(null);
    if (!wsId) return;
    // A job cancelled before it started, or failing before the analysis could say so, sends no
    // 'topics.progress': the scheduler's own events end the progress line then.
    const isOurs = (p: { type: string; workspaceId: string | null }) => p.type === 'topics.analyze' && p.workspaceId === wsId;
    const offCancelled = onEvent('jobs.cancelled', (p) => {
      if (!isOurs(p)) return;
      setLive(null);
      setNotice('The topic analysis was cancelled.');
    });
    const offFailed = onEvent('jobs.failed', (p) => {
      if (!isOurs(p)) return;
      if (p.willRetry) {
        setLive((cur) => (cur ? { ...cur, message: `Failed (${p.error}); trying again shortly` } : cur));
        return;
      }
      setLive(null);
      setError(`The topic analysis failed: ${p.error}`);
    });
    const offProgress = onEvent('topics.progress', (p) => {
      if (p.workspaceId !== wsId) return;
      if (p.status === 'running') {
        setLive({ jobId: p.jobId, fraction: p.fraction, message: p.message });
        return;
      }
      setLive(null);
      if (p.status === 'cancelled') setNotice(p.message);
      else if (p.status === 'failed') setError(`The topic analysis failed: ${p.error ?? 'unknown error'}. Try again; if it keeps failing, check Settings → AI.`);
      // A finished run shows itself below; only "nothing to analyse" needs saying.
      else if (p.modelId === null) setNotice(p.message);
      setViewing(null);
      void load(null);
    });
    return () => {
      offCancelled();
      offFailed();
      offProgress();
    };
  }, [wsId, load]);

  const run = async () => {
    if (!wsId) return;
    setStarting(true);
    setError(null);
    setNotice(null);
    try {
      const r = await call('topics.run', { workspaceId: wsId, days, maxTopics });
      setLive((cur) => cur ?? { jobId: r.jobId, fraction: 0, message: r.alreadyRunning ? 'An analysis is already under way' : 'Queued' });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setStarting(false);
    }
  };

  const view = (modelId: string) => {
    setViewing(modelId);
    void load(modelId);
  };

  if (!ws) return null;
  const current = latest?.run ?? null;
  const busy = live !== null || starting;

  return (
    <section className="topics" aria-labelledby="topics-heading">
      <h2 id="topics-heading" className="topics__title">
        What customers write about
      </h2>
      <p className="topics__intro">Groups the customer messages of a period into topics, with the words that set each apart and typical messages.</p>
      <div className="topics__controls">
        <label className="topics__field">
          <span>Period</span>
          <select className="input" value={days} onChange={(e) => setDays(Number(e.target.value))} disabled={busy}>
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {periodLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <label className="topics__field">
          <span>At most</span>
          <select className="input" value={maxTopics} onChange={(e) => setMaxTopics(Number(e.target.value))} disabled={busy}>
            {MAX_TOPIC_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n} topics
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--primary" onClick={() => void run()} disabled={busy}>
          {busy ? 'Analysing…' : 'Run analysis'}
        </button>
        {runs.length > 1 && (
          <label className="topics__field topics__field--runs">
            <span>Run</span>
            <select className="input" value={viewing ?? current?.id ?? ''} onChange={(e) => view(e.target.value)}>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                  {r.isActive ? ' (latest)' : ''}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      {live && (
        <div className="topics__progress" role="status" aria-live="polite">
          <progress max={100} value={Math.round(live.fraction * 100)} aria-label="Topic analysis progress" />
          <span>{live.message ?? 'Working…'}</span>
        </div>
      )}
      {error && (
        <p className="topics__error" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="topics__notice" role="status">
          {notice}
        </p>
      )}

      {latest && !current && !live && <p className="topics__empty">No analysis yet. Choose a period and run one to see what customers write about.</p>}
      {current && (
        <>
          <p className="topics__summary">
            {current.totalDocuments.toLocaleString()} messages from {dateLabel(current.dateRangeStart)} to {dateLabel(current.dateRangeEnd)} · {current.totalTopics}{' '}
            topic{current.totalTopics === 1 ? '' : 's'}
            {current.outliers > 0 ? ` · ${current.outliers} fit none` : ''} · labels {current.labelSource === 'ai' ? 'by AI' : 'from keywords'}
          </p>
          {current.notes.length > 0 && (
            <ul className="topics__notes">
              {current.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          <ol className="topics__list" aria-label="Topics, largest first">
            {latest!.topics.map((t) => (
              <TopicCard key={`${current.id}:${t.topicId}`} workspaceId={ws.id} modelId={current.id} topic={t} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function TopicCard({ workspaceId, modelId, topic }: { workspaceId: string; modelId: string; topic: Topic }) {
  const [all, setAll] = useState<TopicMessages | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const outliers = topic.topicId === -1;

  const showAll = async () => {
    setLoading(true);
    try {
      setAll(await call('topics.messages', { workspaceId, modelId, topicId: topic.topicId, limit: 100 }));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  };

  return (
    <li className={`topic${outliers ? ' topic--outliers' : ''}`} aria-label={topic.label}>
      <div className="topic__head">
        <h3 className="topic__label">{topic.label}</h3>
        <span className="topic__count">
          {topic.count.toLocaleString()} message{topic.count === 1 ? '' : 's'} · {Math.round(topic.share * 100)}%
        </span>
      </div>
      <div className="topic__bar" aria-hidden="true">
        <span style={{ width: `${Math.max(2, Math.round(topic.share * 100))}%` }} />
      </div>
      {topic.keywords.length > 0 && (
        <ul className="topic__keywords" aria-label="Keywords">
          {topic.keywords.map((k) => (
            <li key={k}>{k}</li>
          ))}
        </ul>
      )}
      <ul className="topic__samples" aria-label="Sample messages">
        {(all ? all.messages.map((m) => ({ messageId: m.messageId, conversationId: m.conversationId, text: m.text })) : topic.samples).map((s, i) => (
          <li key={s.messageId || i} className="topic__sample">
            <span className="topic__text">{s.text}</span>
            {s.conversationId ? (
              <Link className="topic__open" to={inboxLink(s.conversationId)}>
                Open conversation
              </Link>
            ) : (
              <span className="topic__gone">deleted since</span>
            )}
          </li>
        ))}
      </ul>
      {!all && topic.count > topic.samples.length && (
        <button type="button" className="button button--small" onClick={() => void showAll()} disabled={loading}>
          {loading ? 'Loading…' : `Show ${Math.min(100, topic.count)} messages`}
        </button>
      )}
      {all && all.total > all.messages.length && <p className="topic__more">Showing the {all.messages.length} most typical of {all.total}.</p>}
      {error && (
        <p className="topics__error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
