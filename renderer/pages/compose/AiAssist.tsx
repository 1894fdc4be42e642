// AI assist in Compose: write a post from a brief (in the brand's voice, with a template and the
// knowledge base), rewrite the text for one chosen network within its limit, suggest hashtags.
// Text streams in as it is written and can be stopped; nothing reaches the draft until the user
// accepts it, and an accepted result can be undone. With no AI endpoint the buttons stay and say
// how to set one up; the rest of Compose never waits on any of this.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call, messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { accountHandle, platformName, type PlatformInfo } from '../accounts/account-labels';
import { addHashtagsTo, applyDraftText, applyVariant, textFor, type Applied } from './ai-assist';
import type { TargetInfo } from './checks';
import type { Draft } from './draft';
import { THEME_LABEL, type Template } from './templates';
import { useAiStream } from './useAiStream';
import '../../styles/compose-ai.css';

type Status = ApiOutput<'writing.status'>;
type DraftResult = ApiOutput<'writing.draftFromBrief'>;
type RewriteResult = ApiOutput<'writing.rewriteForPlatform'>;

type Task =
  | { kind: 'idle' }
  | { kind: 'brief' }
  | { kind: 'running'; what: 'draft' | 'rewrite' | 'hashtags'; network?: string }
  | { kind: 'draft'; result: DraftResult }
  | { kind: 'rewrite'; result: RewriteResult; accountId: string; network: string }
  | { kind: 'hashtags'; tags: string[] }
  | { kind: 'error'; message: string };

const STOPPED = 'Stopped. Nothing in your post was changed.';

function fitWords(fit: { platform: string; used: number; limit: number; remaining: number; over: boolean; bytes?: number | undefined }, platforms: readonly PlatformInfo[] | null): string {
  const name = platformName(fit.platform, platforms);
  if (fit.over && fit.used <= fit.limit) return `${name}: too many bytes`;
  return `${name}: ${fit.used.toLocaleString()}/${fit.limit.toLocaleString()}${fit.over ? ` — ${(fit.used - fit.limit).toLocaleString()} over` : ''}`;
}

export function AiAssist({
  workspaceId,
  draft,
  infos,
  platforms,
  onEdit,
  announce,
}: {
  workspaceId: string;
  draft: Draft;
  infos: readonly TargetInfo[];
  platforms: readonly PlatformInfo[] | null;
  onEdit: (change: (d: Draft) => Draft) => void;
  /** The page's polite live region. */
  announce: (message: string) => void;
}) {
  const id = useId();
  const stream = useAiStream();
  const [status, setStatus] = useState<Status | null>(null);
  const [task, setTask] = useState<Task>({ kind: 'idle' });
  const [brief, setBrief] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  /** The full setup advice, shown once asked for (or a button was pressed) so it never crowds the editor. */
  const [explain, setExplain] = useState(false);
  const briefRef = useRef<HTMLTextAreaElement>(null);

  const checkStatus = useCallback(async (): Promise<Status | null> => {
    try {
      const s = await call('writing.status', { workspaceId });
      setStatus(s);
      return s;
    } catch {
      // The buttons still work; a call will say what is wrong if anything is.
      return null;
    }
  }, [workspaceId]);

  useEffect(() => {
    void checkStatus();
  }, [checkStatus]);

  const notConfigured = status !== null && !status.configured;
  const setupId = `${id}-setup`;

  /** Before a call: set up since the page opened (another window)? If not, say how, instead of calling. */
  const ready = async (): Promise<boolean> => {
    if (status?.configured) return true;
    const s = await checkStatus();
    if (s && !s.configured) {
      setTask({ kind: 'idle' });
      setExplain(true);
      announce(s.setup ?? 'AI is not set up.');
      requestAnimationFrame(() => document.getElementById(setupId)?.focus());
      return false;
    }
    return true;
  };

  const failed = async (err: unknown) => {
    if (stream.stopped()) {
      setTask({ kind: 'error', message: STOPPED });
      announce(STOPPED);
      return;
    }
    if (err instanceof ApiCallError && err.code === 'ai_not_configured') {
      // The endpoint was removed in another window since the status was read.
      await checkStatus();
      setTask({ kind: 'idle' });
      setExplain(true);
      announce(messageOf(err));
      return;
    }
    setTask({ kind: 'error', message: messageOf(err) });
    announce(`The AI did not answer: ${messageOf(err)}`);
  };

  const openBrief = async () => {
    if (!(await ready())) return;
    setTask({ kind: 'brief' });
    requestAnimationFrame(() => briefRef.current?.focus());
    if (templates === null) {
      call('posts.templates', { workspaceId }).then(setTemplates, () => setTemplates([]));
    }
  };

  const write = async () => {
    const b = brief.trim();
    if (b.length < 3) {
      briefRef.current?.focus();
      announce('Say in a few words what the post is about.');
      return;
    }
    if (!(await ready())) return;
    setTask({ kind: 'running', what: 'draft' });
    try {
      const result = await stream.run((requestId) =>
        call('writing.draftFromBrief', { workspaceId, brief: b, accountIds: draft.targets.map((t) => t.accountId), ...(templateId ? { templateId } : {}), requestId }),
      );
      setTask({ kind: 'draft', result });
      announce('The post is written. Read it, then use it or discard it.');
    } catch (err) {
      await failed(err);
    }
  };

  const rewrite = async (info: TargetInfo, network: string) => {
    if (!(await ready())) return;
    const text = textFor(draft, info.target.accountId);
    setTask({ kind: 'running', what: 'rewrite', network });
    try {
      const result = await stream.run((requestId) => call('writing.rewriteForPlatform', { workspaceId, text, platform: info.account.platform, hashtags: draft.hashtags, requestId }));
      setTask({ kind: 'rewrite', result, accountId: info.target.accountId, network });
      announce(result.overLimit ? `The ${network} version is still over the limit.` : `The ${network} version is ready.`);
    } catch (err) {
      await failed(err);
    }
  };

  const hashtags = async () => {
    if (!(await ready())) return;
    const text = draft.content.trim() !== '' ? draft.content : (draft.targets.find((t) => t.content?.trim())?.content ?? '');
    const networks = [...new Set(infos.map((i) => i.account.platform))];
    setTask({ kind: 'running', what: 'hashtags' });
    try {
      const result = await stream.run((requestId) =>
        call('writing.suggestHashtags', { workspaceId, text, exclude: draft.hashtags, ...(networks.length === 1 ? { platform: networks[0] } : {}), requestId }),
      );
      setTask({ kind: 'hashtags', tags: result.hashtags });
      announce(result.hashtags.length === 0 ? 'No new hashtags to suggest.' : `${result.hashtags.length} hashtags suggested.`);
    } catch (err) {
      await failed(err);
    }
  };

  const accept = (a: Applied) => {
    onEdit(a.apply);
    setApplied(a);
    setTask({ kind: 'idle' });
    announce(`${a.label} Undo is next to AI assist.`);
  };

  const undo = () => {
    if (!applied) return;
    onEdit(applied.undo);
    setApplied(null);
    announce('Undone: the text is as it was.');
  };

  const running = task.kind === 'running';
  const hasText = draft.content.trim() !== '' || draft.targets.some((t) => t.content?.trim());
  const sameNetwork = (p: string) => infos.filter((i) => i.account.platform === p).length > 1;
  const rewritable = infos.filter((i) => i.caps !== null);

  return (
    <section className="cmp-ai" aria-labelledby={`${id}-title`}>
      <div className="cmp-ai__head">
        <h3 id={`${id}-title`} className="cmp-ai__title">
          <Icon name="sparkle" size={13} />
          AI assist
        </h3>
        {status?.configured && status.chatModel ? <span className="cmp-ai__model muted">{status.chatModel}</span> : null}
        {applied && applied.stillApplied(draft) ? (
          <span className="cmp-ai__undo" data-testid="ai-undo">
            {applied.label}{' '}
            <button type="button" className="link-button" onClick={undo}>
              Undo
            </button>
          </span>
        ) : null}
      </div>

      <div className="cmp-ai__actions" role="group" aria-label="AI assist" aria-describedby={notConfigured ? setupId : undefined}>
        <button type="button" className="button button--small" aria-expanded={task.kind === 'brief'} disabled={running} onClick={() => void openBrief()}>
          Write from a brief
        </button>
        {rewritable.map((i) => {
          const network = platformName(i.account.platform, platforms);
          const who = sameNetwork(i.account.platform) ? ` (${accountHandle(i.account) ?? i.account.displayName ?? ''})` : '';
          return (
            <button
              key={i.target.accountId}
              type="button"
              className="button button--small"
              disabled={running || !hasText}
              title={hasText ? `A version of the text that fits ${network}` : 'Write the post first'}
              onClick={() => void rewrite(i, network)}
            >
              Rewrite for {network}
              {who}
            </button>
          );
        })}
        <button type="button" className="button button--small" disabled={running || !hasText} title={hasText ? undefined : 'Write the post first'} onClick={() => void hashtags()}>
          Suggest hashtags
        </button>
      </div>

      {notConfigured ? (
        <p className={`cmp-ai__setup${explain ? ' is-open' : ''}`} id={setupId} tabIndex={-1} role="note" data-testid="ai-setup">
          <Icon name="info" size={13} />
          {explain ? (
            <span>
              {status?.setup} <Link to="/settings?section=ai">Open Settings</Link>
            </span>
          ) : (
            <span>
              AI is not set up: add an endpoint in Settings → AI (a local Ollama works offline).{' '}
              <button type="button" className="link-button" onClick={() => setExplain(true)}>
                How?
              </button>
            </span>
          )}
        </p>
      ) : null}

      {task.kind === 'brief' ? (
        <form
          className="cmp-ai__brief"
          onSubmit={(e) => {
            e.preventDefault();
            void write();
          }}
        >
          <label className="field__label" htmlFor={`${id}-brief`}>
            Brief
          </label>
          <textarea
            id={`${id}-brief`}
            ref={briefRef}
            className="input textarea"
            rows={3}
            maxLength={4000}
            value={brief}
            placeholder="What is the post about? e.g. Sourdough workshop this Saturday, $45 with lunch, few seats left"
            onChange={(e) => setBrief(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter writes here (the page's own shortcut would schedule the post).
              if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
                e.preventDefault();
                e.stopPropagation();
                void write();
              }
            }}
          />
          <div className="cmp-ai__row">
            <label className="cmp-ai__template">
              <span>Template</span>
              <select className="input" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
                <option value="">None</option>
                {(templates ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name ?? THEME_LABEL[t.theme] ?? t.theme}
                  </option>
                ))}
              </select>
            </label>
            <span className="field__hint">Written in your brand voice, with your knowledge base{draft.targets.length > 0 ? ' and the chosen accounts’ limits' : ''}.</span>
          </div>
          <div className="cmp-ai__buttons">
            <button type="submit" className="button button--primary button--small">
              Write
            </button>
            <button type="button" className="button button--small" onClick={() => setTask({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {task.kind === 'running' ? (
        <div className="cmp-ai__result" aria-busy="true" data-testid="ai-result">
          <p className="cmp-ai__label">
            {task.what === 'draft' ? 'Writing…' : task.what === 'rewrite' ? `Rewriting for ${task.network ?? 'the network'}…` : 'Finding hashtags…'}
            {stream.state.attempt > 1 ? ` The first version was too long; trying once more.` : ''}
          </p>
          {task.what !== 'hashtags' ? <p className="cmp-ai__text">{stream.state.text || '…'}</p> : null}
          <div className="cmp-ai__buttons">
            <button type="button" className="button button--small" onClick={stream.stop}>
              <Icon name="x" size={13} />
              Stop
            </button>
          </div>
        </div>
      ) : null}

      {task.kind === 'draft' ? (
        <div className="cmp-ai__result" data-testid="ai-result">
          <p className="cmp-ai__label">Written from your brief — not in the post yet</p>
          <p className="cmp-ai__text">{task.result.text}</p>
          {task.result.fits.length > 0 ? <p className="cmp-ai__fits">{task.result.fits.map((f) => fitWords(f, platforms)).join(' · ')}</p> : null}
          {task.result.sources.length > 0 ? (
            <p className="cmp-ai__sources">
              From your knowledge base: {[...new Set(task.result.sources.map((s) => s.title))].join(', ')}
            </p>
          ) : null}
          <div className="cmp-ai__buttons">
            {draft.content.trim() === '' ? (
              <button type="button" className="button button--primary button--small" onClick={() => accept(applyDraftText(draft, task.result.text, 'replace', task.result.templateId))}>
                Use this text
              </button>
            ) : (
              <>
                <button type="button" className="button button--primary button--small" onClick={() => accept(applyDraftText(draft, task.result.text, 'replace', task.result.templateId))}>
                  Replace my text
                </button>
                <button type="button" className="button button--small" onClick={() => accept(applyDraftText(draft, task.result.text, 'append', task.result.templateId))}>
                  Add below my text
                </button>
              </>
            )}
            <button type="button" className="button button--small" onClick={() => setTask({ kind: 'brief' })}>
              Edit the brief
            </button>
            <button type="button" className="button button--small" onClick={() => setTask({ kind: 'idle' })}>
              Discard
            </button>
          </div>
        </div>
      ) : null}

      {task.kind === 'rewrite' ? (
        <div className="cmp-ai__result" data-testid="ai-result">
          <p className="cmp-ai__label">{task.network} version — not in the post yet</p>
          <p className="cmp-ai__text">{task.result.text}</p>
          <p className={`cmp-ai__fits${task.result.overLimit ? ' is-over' : ''}`}>
            {fitWords(task.result.fit, platforms)}
            {draft.hashtags.length > 0 ? ' with the hashtags' : ''}
            {task.result.overLimit ? ` — still too long after ${task.result.tries} tries. Use it and shorten it yourself, or discard it.` : ''}
          </p>
          <div className="cmp-ai__buttons">
            <button type="button" className="button button--primary button--small" onClick={() => accept(applyVariant(draft, task.accountId, task.result.text, task.network))}>
              Use for {task.network}
            </button>
            <button type="button" className="button button--small" onClick={() => setTask({ kind: 'idle' })}>
              Discard
            </button>
          </div>
        </div>
      ) : null}

      {task.kind === 'hashtags' ? (
        <div className="cmp-ai__result" data-testid="ai-result">
          {task.tags.length === 0 ? (
            <p className="muted">No new hashtags to suggest: the post already has the obvious ones.</p>
          ) : (
            <>
              <p className="cmp-ai__label">Click to add</p>
              <ul className="cmp-ai__tags">
                {task.tags.map((t) => (
                  <li key={t}>
                    <button
                      type="button"
                      className="cmp-pill"
                      onClick={() => {
                        onEdit((d) => addHashtagsTo(d, [t]));
                        setTask((k) => (k.kind === 'hashtags' ? { ...k, tags: k.tags.filter((x) => x !== t) } : k));
                        announce(`${t} added.`);
                      }}
                    >
                      <Icon name="plus" size={12} />
                      <span className="visually-hidden">Add </span>
                      {t}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="cmp-ai__buttons">
            {task.tags.length > 1 ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  onEdit((d) => addHashtagsTo(d, task.tags));
                  announce(`${task.tags.length} hashtags added.`);
                  setTask({ kind: 'idle' });
                }}
              >
                Add all
              </button>
            ) : null}
            <button type="button" className="button button--small" onClick={() => setTask({ kind: 'idle' })}>
              Close
            </button>
          </div>
        </div>
      ) : null}

      {task.kind === 'error' ? (
        <p className={task.message === STOPPED ? 'cmp-ai__note' : 'inline-error'} role={task.message === STOPPED ? 'status' : 'alert'} data-testid="ai-error">
          {task.message}{' '}
          <button type="button" className="link-button" onClick={() => setTask({ kind: 'idle' })}>
            Dismiss
          </button>
        </p>
      ) : null}
    </section>
  );
}
