// The text: one main text for every account, and a tab per chosen account to write that network
// its own version, add the rest of a thread where the network has threads, a first comment where
// it has them, and let a network that can hold posts publish it itself. Counters and the
// network's objections sit right under what they are about.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Icon } from '../../components/Icon';
import { accountHandle, accountName, platformName, type PlatformInfo } from '../accounts/account-labels';
import { NetworkMark } from '../accounts/AccountAvatar';
import type { Issue, TargetInfo } from './checks';
import { Counter } from './Counter';
import type { Draft, TargetDraft } from './draft';

export const MAIN_TAB = 'main';
const MAX_THREAD_PARTS = 25;

export function tabDomId(base: string, key: string) {
  return `${base}-tab-${key}`;
}

function IssueList({ issues, field, index }: { issues: readonly Issue[]; field?: Issue['field']; index?: number }) {
  const shown = issues.filter((i) => (field === undefined || i.field === field) && (index === undefined || i.index === index));
  if (shown.length === 0) return null;
  return (
    <ul className="cmp-issues">
      {shown.map((i, n) => (
        <li key={`${i.code}-${n}`} className={`cmp-issue cmp-issue--${i.severity}`}>
          <Icon name={i.severity === 'error' ? 'alert' : 'info'} size={13} />
          <span>{i.message}</span>
        </li>
      ))}
    </ul>
  );
}

function TextArea({
  label,
  value,
  onChange,
  readOnly,
  placeholder,
  describedBy,
  rows = 6,
  hideLabel = false,
  after,
  invalid,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  readOnly: boolean;
  placeholder?: string;
  describedBy?: string;
  rows?: number;
  hideLabel?: boolean;
  after?: ReactNode;
  invalid?: boolean;
}) {
  const id = useId();
  return (
    <div className="cmp-textfield">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field__label'}>
        {label}
      </label>
      <textarea
        id={id}
        className="input textarea cmp-textarea"
        rows={rows}
        value={value}
        placeholder={placeholder}
        readOnly={readOnly}
        spellCheck
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {after}
    </div>
  );
}

export function ComposeEditor({
  draft,
  infos,
  platforms,
  readOnly,
  tab,
  onTab,
  onEdit,
  mediaSlot,
  hashtagSlot,
  toolbar,
}: {
  draft: Draft;
  infos: readonly TargetInfo[];
  platforms: readonly PlatformInfo[] | null;
  readOnly: boolean;
  tab: string;
  onTab: (key: string) => void;
  onEdit: (change: (d: Draft) => Draft) => void;
  /** The media tray (shared by every tab: a post has one set of media). */
  mediaSlot: ReactNode;
  hashtagSlot: ReactNode;
  /** Tools for the main text (templates). */
  toolbar?: ReactNode;
}) {
  const base = useId();
  const tabs = useRef<HTMLDivElement>(null);
  const keys = [MAIN_TAB, ...infos.map((i) => i.target.accountId)];
  const current = keys.includes(tab) ? tab : MAIN_TAB;
  const info = infos.find((i) => i.target.accountId === current) ?? null;
  const countersId = `${base}-counters`;

  const editTarget = (accountId: string, change: (t: TargetDraft) => TargetDraft) =>
    onEdit((d) => ({ ...d, targets: d.targets.map((t) => (t.accountId === accountId ? change(t) : t)) }));

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const at = keys.indexOf(current);
    let next: string | undefined;
    if (e.key === 'ArrowRight') next = keys[(at + 1) % keys.length];
    else if (e.key === 'ArrowLeft') next = keys[(at - 1 + keys.length) % keys.length];
    else if (e.key === 'Home') next = keys[0];
    else if (e.key === 'End') next = keys[keys.length - 1];
    if (next === undefined) return;
    e.preventDefault();
    onTab(next);
    requestAnimationFrame(() => document.getElementById(tabDomId(base, next))?.focus());
  };

  return (
    <section className="cmp-editor" aria-label="Post">
      <div className="cmp-tabs" role="tablist" aria-label="Text per account" ref={tabs}>
        {keys.map((key) => {
          const i = infos.find((x) => x.target.accountId === key);
          const selected = key === current;
          const errors = i ? i.issues.filter((x) => x.severity === 'error').length : 0;
          const label = i ? (accountHandle(i.account) ?? accountName(i.account)) : 'All accounts';
          return (
            <button
              key={key}
              id={tabDomId(base, key)}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`${base}-panel`}
              tabIndex={selected ? 0 : -1}
              className={`cmp-tab${selected ? ' is-selected' : ''}${errors > 0 ? ' has-errors' : ''}`}
              onClick={() => onTab(key)}
              onKeyDown={onTabKey}
            >
              {i ? <NetworkMark platform={i.account.platform} size="sm" /> : <Icon name="compose" size={14} />}
              <span className="cmp-tab__label">{label}</span>
              {i?.target.content !== null && i?.target.content !== undefined ? <span className="cmp-tab__own">own text</span> : null}
              {errors > 0 ? (
                <span className="cmp-tab__errors" aria-label={`${errors} ${errors === 1 ? 'problem' : 'problems'}`}>
                  {errors}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>

      <div id={`${base}-panel`} role="tabpanel" aria-labelledby={tabDomId(base, current)} className="cmp-panel">
        {info === null ? (
          <>
            <TextArea
              label="Post text"
              hideLabel
              value={draft.content}
              readOnly={readOnly}
              rows={8}
              placeholder={infos.length === 0 ? 'What do you want to say? Choose the accounts above.' : 'What do you want to say?'}
              describedBy={infos.length > 0 ? countersId : undefined}
              onChange={(content) => onEdit((d) => ({ ...d, content }))}
            />
            {toolbar}
            {infos.length > 0 ? (
              <div className="cmp-counters" id={countersId}>
                {infos.map((i) =>
                  i.count ? (
                    <button key={i.target.accountId} type="button" className="cmp-counters__item" onClick={() => onTab(i.target.accountId)} title={`Open ${platformName(i.account.platform, platforms)}'s tab`}>
                      <NetworkMark platform={i.account.platform} size="sm" />
                      <Counter count={i.count} label={`${platformName(i.account.platform, platforms)}${i.target.content !== null ? ' (own text)' : ''}`} compact />
                    </button>
                  ) : null,
                )}
              </div>
            ) : null}
          </>
        ) : (
          <TargetPanel info={info} draft={draft} platforms={platforms} readOnly={readOnly} onChange={(change) => editTarget(info.target.accountId, change)} />
        )}
        {hashtagSlot}
        {mediaSlot}
      </div>
    </section>
  );
}

function TargetPanel({
  info,
  draft,
  platforms,
  readOnly,
  onChange,
}: {
  info: TargetInfo;
  draft: Draft;
  platforms: readonly PlatformInfo[] | null;
  readOnly: boolean;
  onChange: (change: (t: TargetDraft) => TargetDraft) => void;
}) {
  const id = useId();
  const t = info.target;
  const caps = info.caps;
  const network = platformName(info.account.platform, platforms);
  const who = accountHandle(info.account) ?? accountName(info.account);
  const own = t.content !== null;
  const countId = `${id}-count`;

  return (
    <div className="cmp-target">
      <div className="cmp-target__head">
        <p className="cmp-target__title">
          {own ? `${network} version` : `Same text as the other accounts`}
          <span className="cmp-target__who"> · {who}</span>
        </p>
        {readOnly ? null : own ? (
          <button type="button" className="link-button" onClick={() => onChange((x) => ({ ...x, content: null }))}>
            Use the main text again
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => onChange((x) => ({ ...x, content: draft.content }))}>
            <Icon name="compose" size={13} />
            Customise for {network}
          </button>
        )}
      </div>

      {own ? (
        <TextArea
          label={`Text for ${network}`}
          value={t.content ?? ''}
          readOnly={readOnly}
          rows={7}
          describedBy={countId}
          invalid={info.count?.over}
          onChange={(content) => onChange((x) => ({ ...x, content }))}
        />
      ) : (
        <p className="cmp-target__inherited">{draft.content.trim() === '' ? <span className="muted">The main text is empty.</span> : draft.content}</p>
      )}
      <div className="cmp-target__meta">
        {info.count ? <Counter id={countId} count={info.count} label={draft.hashtags.length > 0 ? 'With hashtags' : undefined} /> : null}
      </div>
      <IssueList issues={info.issues} field="text" />

      {caps?.threads || t.threadParts.length > 0 ? (
        <fieldset className="cmp-thread">
          <legend className="cmp-label">Thread</legend>
          {t.threadParts.length === 0 ? <p className="field__hint">Add replies that follow this post on {network}, one after another.</p> : null}
          <ol className="cmp-thread__list">
            {t.threadParts.map((part, n) => {
              const c = info.partCounts[n];
              const partCount = `${id}-part-${n}`;
              return (
                <li key={n} className="cmp-thread__part">
                  <span className="cmp-thread__dot" aria-hidden="true">
                    {n + 2}
                  </span>
                  <div className="cmp-thread__body">
                    <TextArea
                      label={`Thread post ${n + 2}`}
                      value={part}
                      rows={3}
                      readOnly={readOnly}
                      describedBy={partCount}
                      invalid={c?.over}
                      onChange={(v) => onChange((x) => ({ ...x, threadParts: x.threadParts.map((p, j) => (j === n ? v : p)) }))}
                      after={
                        <div className="cmp-thread__meta">
                          {c ? <Counter id={partCount} count={c} compact /> : null}
                          {readOnly ? null : (
                            <button type="button" className="link-button cmp-thread__remove" onClick={() => onChange((x) => ({ ...x, threadParts: x.threadParts.filter((_, j) => j !== n) }))}>
                              Remove<span className="visually-hidden"> thread post {n + 2}</span>
                            </button>
                          )}
                        </div>
                      }
                    />
                    <IssueList issues={info.issues} field="thread" index={n} />
                  </div>
                </li>
              );
            })}
          </ol>
          <IssueList issues={info.issues.filter((i) => i.field === 'thread' && i.index === undefined)} />
          {readOnly || !caps?.threads || t.threadParts.length >= MAX_THREAD_PARTS ? null : (
            <button type="button" className="button button--small" onClick={() => onChange((x) => ({ ...x, threadParts: [...x.threadParts, ''] }))}>
              <Icon name="plus" size={13} />
              Add a thread post
            </button>
          )}
        </fieldset>
      ) : null}

      {caps?.firstComment || t.firstComment.trim() !== '' ? (
        <div className="cmp-comment">
          <TextArea
            label="First comment (optional)"
            value={t.firstComment}
            rows={2}
            readOnly={readOnly}
            placeholder="Posted under the post right after it goes out — a good place for links."
            invalid={info.commentCount?.over}
            onChange={(firstComment) => onChange((x) => ({ ...x, firstComment }))}
          />
          <IssueList issues={info.issues} field="firstComment" />
        </div>
      ) : null}

      {caps?.scheduling.native || t.nativeScheduling ? (
        <div className="cmp-native">
          <label className="cmp-check">
            <input type="checkbox" checked={t.nativeScheduling} disabled={readOnly} onChange={(e) => onChange((x) => ({ ...x, nativeScheduling: e.target.checked }))} />
            <span>
              <span className="cmp-check__title">Let {network} publish it</span>
              <span className="cmp-check__hint">
                Postdesk hands the post to {network} ahead of time, so it goes out even if this computer is off.
                {caps?.scheduling.native ? ` ${network} takes posts at least ${Math.ceil(caps.scheduling.minLeadMs / 60_000)} minutes ahead; no thread or first comment.` : ''}
              </span>
            </span>
          </label>
          <IssueList issues={info.issues} field="schedule" />
        </div>
      ) : (
        <IssueList issues={info.issues} field="schedule" />
      )}

      {/* Media objections sit under each picture in the tray, which every tab shows. */}
    </div>
  );
}
