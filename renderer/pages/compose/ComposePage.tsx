// Compose: one post for several accounts. Pick the accounts, write the text once (and a version per
// network where it helps), add pictures with alt text and hashtags, see each network's preview and
// counter live, then publish now, at a time, in the next free slot or on a repeat — or send it for
// approval first. The draft saves itself as you type (no network needed) and reopens at
// `#/compose/<id>`, so leaving the page loses nothing.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { localTimezone } from '../../lib/timezones';
import { toastError, toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace, type Workspace } from '../../stores/workspaces';
// Network marks and the tag input are styled with the Accounts page.
import '../../styles/accounts.css';
import '../../styles/compose.css';
import { accountHandle, accountName, platformName, type AccountView } from '../accounts/account-labels';
import { useAccounts } from '../accounts/accounts-store';
import { NetworkMark } from '../accounts/AccountAvatar';
import { DraftsDialog, useDraftCount } from '../posts/DraftsDialog';
import { useTick } from '../queue/useTick';
import { AiAssist } from './AiAssist';
import { AltTextDialog } from './AltTextDialog';
import { targetInfos, type TargetInfo } from './checks';
import { useCompose, watchOpenPost } from './compose-store';
import { ComposeEditor, MAIN_TAB } from './ComposeEditor';
import { mediaFromView, move, newTarget, postActions, type Draft, type MissedRunPolicy, type PostView } from './draft';
import { HashtagField } from './HashtagField';
import { LibraryDialog, type LibraryItem } from './LibraryDialog';
import { MediaTray, useFileDrop, type MediaIssue, type PendingUpload } from './MediaTray';
import { canUpload, uploadFile, type UploadedMedia } from './media-upload';
import { composePath, postIdFrom } from './paths';
import { PreviewCard } from './Preview';
import { PublishPanel, StatusChip } from './PublishPanel';
import { DEFAULT_REPEAT, fromRrule } from './repeat';
import { resolveChoice, suggestedTime, type ScheduleChoice } from './schedule-choice';
import { TemplateDialog } from './TemplateDialog';
import { insertTemplate, unfilled } from './templates';
import { useNextSlot } from './SchedulePanel';
import { SignatureDialog, useSignatures } from './SignatureDialog';
import { quickSignature, signaturePlan } from './signatures';
import { canPublish, TargetPicker } from './TargetPicker';
import { toInputs, whenText } from './zoned-time';

export function ComposePage() {
  const ws = useCurrentWorkspace();
  if (!ws) return null;
  // A workspace switch is a new composer: nothing of one brand's draft may show under another.
  return <Composer key={ws.id} ws={ws} />;
}

/** Statuses a returning visitor is brought back to (a scheduled or published post is not "the draft"). */
const RESUMABLE = new Set<string>(['draft', 'pending_approval', 'approved', 'rejected']);

function initialChoice(post: PostView | null, timezone: string, now: number, hasSlots: boolean): ScheduleChoice {
  const at = post?.publishAt && post.publishAt > now ? post.publishAt : suggestedTime(now);
  const { date, time } = toInputs(at, timezone);
  const repeat = post?.rrule ? fromRrule(post.rrule, timezone) : null;
  if (repeat) return { mode: 'recurring', date, time, repeat };
  if (post?.publishAt && post.publishAt > now) return { mode: 'at', date, time, repeat: DEFAULT_REPEAT };
  return { mode: hasSlots ? 'next_slot' : 'at', date, time, repeat: DEFAULT_REPEAT };
}

function mediaFromUpload(m: UploadedMedia | LibraryItem) {
  return mediaFromView({
    mediaId: m.id,
    altText: m.altText,
    url: m.url ?? `/media/${m.id}`,
    filename: m.filename,
    kind: m.kind,
    mimeType: m.mimeType,
    sizeBytes: m.sizeBytes,
    width: m.width,
    height: m.height,
    durationMs: m.durationMs ?? null,
    // A stock photo's own https address is where a network can fetch it (core/posts/posts publicUrl).
    publicUrl: m.sourceUrl?.startsWith('https://') ? m.sourceUrl : null,
  });
}

function useAnnouncer(): [string, (message: string) => void] {
  const [text, setText] = useState('');
  const announce = useCallback((message: string) => {
    // Re-announce the same words: clear first, then set on the next frame.
    setText('');
    requestAnimationFrame(() => setText(message));
  }, []);
  return [text, announce];
}

function SaveState() {
  const save = useCompose((s) => s.save);
  const savedAt = useCompose((s) => s.savedAt);
  const error = useCompose((s) => s.saveError);
  const postId = useCompose((s) => s.postId);
  const flush = useCompose((s) => s.flush);
  // Screen readers hear that the draft is safe (at most every 20 s while typing) and at once when it is not.
  const [spoken, setSpoken] = useState('');
  const lastSpoken = useRef(0);
  useEffect(() => {
    if (save === 'error') setSpoken(`The draft is not saved: ${messageOf(error)}`);
    else if (save === 'saved' && Date.now() - lastSpoken.current > 20_000) {
      lastSpoken.current = Date.now();
      setSpoken('Draft saved on this computer.');
    }
  }, [save, error]);
  const live = (
    <span className="visually-hidden" role="status" aria-live="polite">
      {spoken}
    </span>
  );
  if (save === 'error') {
    return (
      <span className="cmp-save cmp-save--error" data-testid="save-state" title={messageOf(error)}>
        {live}
        <Icon name="alert" size={13} />
        Not saved: {messageOf(error)}{' '}
        <button type="button" className="link-button" onClick={() => void flush().catch(() => undefined)}>
          Retry
        </button>
      </span>
    );
  }
  const text = save === 'saving' ? 'Saving…' : save === 'pending' ? 'Editing…' : postId === null ? 'Not saved yet — start typing' : 'Saved on this computer';
  return (
    <span className={`cmp-save cmp-save--${save}`} data-testid="save-state" title={savedAt ? new Date(savedAt).toLocaleString() : undefined}>
      {live}
      {save === 'saved' || (save === 'idle' && postId !== null) ? <Icon name="check" size={13} /> : null}
      {text}
    </span>
  );
}

function Composer({ ws }: { ws: Workspace }) {
  const params = useParams<{ postId?: string }>();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const urlPostId = postIdFrom(params, search);
  const timezone = ws.timezone || localTimezone();

  const postId = useCompose((s) => s.postId);
  const post = useCompose((s) => s.post);
  const draft = useCompose((s) => s.draft);
  const load = useCompose((s) => s.load);
  const loadError = useCompose((s) => s.loadError);
  const storeWs = useCompose((s) => s.workspaceId);
  const edit = useCompose((s) => s.edit);

  const accountsState = useAccounts(ws.id);
  const accountsReady = accountsState.workspaceId === ws.id && accountsState.status === 'ready';
  const accounts = useMemo(() => (accountsReady ? accountsState.items.filter((a) => a.status !== 'disconnected' || draft.targets.some((t) => t.accountId === a.id)) : []), [accountsReady, accountsState.items, draft.targets]);
  const platforms = accountsState.platforms;

  const tick = useTick(15_000);
  const now = useMemo(() => Math.max(tick, Date.now()), [tick, draft, post]);

  const [tab, setTab] = useState(MAIN_TAB);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [hasSlots, setHasSlots] = useState(true);
  const [choice, setChoice] = useState<ScheduleChoice>(() => initialChoice(null, timezone, Date.now(), true));
  const [policy, setPolicy] = useState<MissedRunPolicy>('publish_late');
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [justScheduled, setJustScheduled] = useState(false);
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const [altIndex, setAltIndex] = useState<number | null>(null);
  const [libraryOpen, setLibraryOpen] = useState(false);
  const [draftsOpen, setDraftsOpen] = useState(false);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [signaturesOpen, setSignaturesOpen] = useState(false);
  const signatures = useSignatures(ws.id);
  const [announcement, announce] = useAnnouncer();
  const uploadKey = useRef(0);
  const draftCount = useDraftCount(ws.id);

  // The URL decides which post is open; without one, the draft in progress comes back.
  useEffect(() => {
    const s = useCompose.getState();
    if (urlPostId) {
      void s.open(ws.id, urlPostId);
      return;
    }
    if (s.workspaceId === ws.id && s.postId !== null && RESUMABLE.has(s.post?.status ?? 'draft')) {
      navigate(composePath(s.postId), { replace: true });
    } else if (s.workspaceId !== ws.id || s.postId !== null) {
      void s.startNew(ws.id);
    }
  }, [urlPostId, ws.id, navigate]);

  // The first save gives the draft an id: put it in the URL so a reload or a link reopens it.
  useEffect(() => {
    if (postId && storeWs === ws.id && urlPostId === null && load === 'ready') navigate(composePath(postId), { replace: true });
  }, [postId, storeWs, ws.id, urlPostId, load, navigate]);

  // Leaving the page saves what is typed; so does hiding the window.
  useEffect(() => {
    const off = watchOpenPost();
    const onHide = () => {
      if (document.visibilityState === 'hidden') void useCompose.getState().flush().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      off();
      document.removeEventListener('visibilitychange', onHide);
      void useCompose.getState().flush().catch(() => undefined);
    };
  }, []);

  useEffect(() => {
    let live = true;
    call('workspaces.getPreferences', { workspaceId: ws.id }).then(
      (p) => live && setHasSlots(p.preferredTimes.length > 0),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [ws.id]);

  // A newly opened post starts with its own schedule (or a sensible suggestion).
  const choiceFor = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (load !== 'ready' || choiceFor.current === postId) return;
    // The first save of a new draft is the same post: keep what the user picked meanwhile.
    if (choiceFor.current === null && postId !== null) {
      choiceFor.current = postId;
      return;
    }
    choiceFor.current = postId;
    setChoice(initialChoice(post, timezone, Date.now(), hasSlots));
    setPolicy(post?.missedRunPolicy ?? 'publish_late');
    setJustScheduled(false);
    setActionError(null);
    setTab(MAIN_TAB);
  }, [load, postId, post, timezone, hasSlots]);
  useEffect(() => {
    // The preferences arrive after the first render: a fresh draft then defaults to the next slot.
    if (!hasSlots && choice.mode === 'next_slot' && (post === null || post.publishAt === null)) setChoice((c) => ({ ...c, mode: 'at' }));
  }, [hasSlots, choice.mode, post]);

  const status = post?.status ?? null;
  const actions = postActions(post, draft.requiresApproval);
  const readOnly = !actions.editable || load !== 'ready';
  const nextSlot = useNextSlot(ws.id, choice.mode === 'next_slot' && actions.canSchedule, `${status}`);
  const native = draft.targets
    .filter((t) => t.nativeScheduling)
    .map((t) => accounts.find((a) => a.id === t.accountId))
    .filter((a): a is AccountView => a !== undefined)
    .map((a) => ({ label: platformName(a.platform, platforms) }));
  const resolved = resolveChoice(choice, { timezone, now, nextSlot: nextSlot.at, native });
  const publishAt = choice.mode === 'now' ? null : resolved.at;
  const infos = useMemo(() => targetInfos(draft, accounts, publishAt, now), [draft, accounts, publishAt, now]);
  const selected = useMemo(() => new Set(draft.targets.map((t) => t.accountId)), [draft.targets]);
  const quick = quickSignature(signatures.items, infos);
  const quickPlan = quick ? signaturePlan(draft, infos, quick, platforms) : null;
  const applySignature = (change: (d: Draft) => Draft, message: string) => {
    edit(change);
    announce(message);
  };
  const submitting = actions.canSubmit && draft.requiresApproval;

  const blockers: string[] = [];
  if (load !== 'ready') blockers.push('The post is still loading.');
  if (draft.targets.length === 0) blockers.push('Choose at least one account to publish to.');
  for (const t of draft.targets) {
    const a = accounts.find((x) => x.id === t.accountId);
    if (a && !canPublish(a)) blockers.push(`${accountHandle(a) ?? accountName(a)} needs reconnecting on the Accounts page.`);
  }
  for (const i of infos) {
    const first = i.issues.find((x) => x.severity === 'error');
    if (first) blockers.push(`${platformName(i.account.platform, platforms)}: ${first.message}`);
  }
  if (!submitting) blockers.push(...resolved.problems);
  if (draft.templateId !== null) {
    // A template's blank left in the text would go out word for word.
    const left = [...new Set(infos.flatMap((i) => [...unfilled(i.text), ...i.target.threadParts.flatMap(unfilled)]))];
    if (infos.length === 0) left.push(...unfilled(draft.content));
    if (left.length > 0) blockers.push(`Replace ${left.join(', ')} from the template with your own words.`);
  }
  if (uploads.some((u) => !u.error)) blockers.push('Wait for the uploads to finish.');
  if (!submitting && actions.needsApproval && status !== 'pending_approval') blockers.push('This post needs approval before it can be scheduled.');

  // Crossing a limit is announced once, not every keystroke.
  const over = infos.filter((i) => i.count?.over).map((i) => platformName(i.account.platform, platforms));
  const overKey = over.join(', ');
  const lastOver = useRef('');
  useEffect(() => {
    if (overKey === lastOver.current) return;
    announce(overKey ? `Over the limit on ${overKey}.` : 'The text fits every account again.');
    lastOver.current = overKey;
  }, [overKey, announce]);

  const toggleTarget = (a: AccountView) =>
    edit((d) => (d.targets.some((t) => t.accountId === a.id) ? { ...d, targets: d.targets.filter((t) => t.accountId !== a.id) } : { ...d, targets: [...d.targets, newTarget(a.id)] }));

  // --- media

  const addMedia = useCallback(
    (items: (UploadedMedia | LibraryItem)[]) =>
      edit((d) => {
        const have = new Set(d.media.map((m) => m.mediaId));
        const fresh = items.filter((m) => !have.has(m.id)).map(mediaFromUpload);
        return fresh.length === 0 ? d : { ...d, media: [...d.media, ...fresh] };
      }),
    [edit],
  );

  const onFiles = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      if (!canUpload()) {
        toastError('Files cannot be sent from this window', new Error('Add pictures from the media library instead.'));
        return;
      }
      for (const file of files) {
        const key = ++uploadKey.current;
        setUploads((u) => [...u, { key, name: file.name, progress: 0, error: null }]);
        const up = uploadFile(ws.id, file, (progress) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, progress } : x))));
        up.promise.then(
          (m) => {
            setUploads((u) => u.filter((x) => x.key !== key));
            addMedia([m]);
            announce(`${file.name} is attached${m.duplicate ? ' (it was already in the library)' : ''}.`);
          },
          (error: unknown) => {
            setUploads((u) => u.map((x) => (x.key === key ? { ...x, error } : x)));
            announce(`${file.name} was not attached: ${messageOf(error)}`);
          },
        );
      }
    },
    [ws.id, addMedia, announce],
  );
  const drop = useFileDrop(onFiles, !readOnly);

  const mediaIssues: MediaIssue[] = [];
  const seen = new Set<string>();
  for (const i of infos) {
    for (const x of i.issues) {
      if (x.field !== 'media') continue;
      const key = `${x.index ?? -1}|${x.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      mediaIssues.push({ index: x.index ?? -1, severity: x.severity, code: x.code, message: x.message });
    }
  }
  const altLimit = infos
    .filter((i) => i.caps?.altText.supported && i.caps.altText.maxLength.value !== null)
    .map((i) => ({ max: i.caps!.altText.maxLength.value!, network: platformName(i.account.platform, platforms) }))
    .sort((a, b) => a.max - b.max)[0] ?? null;
  const room = infos.length === 0 ? null : Math.max(0, Math.min(...infos.map((i) => i.caps?.media.maxItems ?? 20)) - draft.media.length);

  // --- actions

  const run = async (what: string, fn: () => Promise<PostView>, after?: (p: PostView) => void) => {
    if (busy) return;
    setBusy(what);
    setActionError(null);
    try {
      const p = await fn();
      useCompose.getState().adopt(p);
      after?.(p);
    } catch (err) {
      setActionError(err);
      announce(`It did not work: ${messageOf(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const saved = async (): Promise<PostView> => {
    const p = await useCompose.getState().flush();
    if (!p) throw new Error('Write something first: the post is empty.');
    return p;
  };

  const primary = () => {
    if (busy || load !== 'ready') return;
    if (!submitting && !actions.canSchedule) {
      announce(status === 'pending_approval' ? 'It is waiting for approval.' : status === 'scheduled' ? 'It is already scheduled.' : 'This post cannot be scheduled now.');
      return;
    }
    if (blockers.length > 0) {
      announce(blockers[0]!);
      return;
    }
    if (submitting) {
      void run('submit', async () => call('posts.submitForApproval', { postId: (await saved()).id }), () => {
        toastSuccess('Sent for approval', 'It can be scheduled once approved.');
        announce('Sent for approval.');
      });
      return;
    }
    const when = resolved.when;
    if (!when) return;
    void run('schedule', async () => call('posts.schedule', { postId: (await saved()).id, when, missedRunPolicy: policy }), (p) => {
      setJustScheduled(true);
      const names = p.targets.map((t) => platformName(t.platform, platforms));
      const where = [...new Set(names)].join(', ');
      const msg = when.mode === 'now' ? `Publishing now on ${where}.` : `Scheduled for ${p.publishAt ? new Date(p.publishAt).toLocaleString(undefined, { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }) : 'later'} on ${where}.`;
      toastSuccess(when.mode === 'now' ? 'Publishing now' : 'Scheduled', msg);
      announce(msg);
    });
  };
  const primaryRef = useRef(primary);
  primaryRef.current = primary;

  // Ctrl/Cmd+Enter anywhere on the page does the main thing; not while a dialog is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key !== 'Enter' || e.altKey || e.shiftKey || e.isComposing) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      primaryRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const startNew = async () => {
    await useCompose.getState().startNew(ws.id);
    choiceFor.current = undefined;
    setUploads([]);
    navigate('/compose');
  };

  // --- render

  const shownAt = post?.publishedAt ?? (status === 'scheduled' || status === 'publishing' ? post?.publishAt : null) ?? (choice.mode === 'now' ? null : resolved.at);
  const previewWhen = shownAt && Math.abs(shownAt - now) > 60_000 ? whenText(shownAt, timezone, now) : 'now';
  const previewInfo: TargetInfo | undefined = infos.find((i) => i.target.accountId === previewId) ?? infos[0];
  const heading = post === null ? 'New post' : status === 'draft' ? 'Edit draft' : actions.editable ? 'Edit post' : 'Post';
  const editableNote =
    status === 'scheduled'
      ? 'This post is scheduled. Unschedule it to change it; nothing is lost.'
      : status === 'publishing'
        ? 'This post is being published right now.'
        : status === 'published'
          ? 'This post is published; its text can no longer change here.'
          : status === 'partially_published'
            ? 'Some accounts already published this post; it can no longer change here.'
            : null;

  if (load === 'error') {
    return (
      <Page title="Compose" subtitle="Write one post for several accounts.">
        <div className="inline-error" role="alert">
          <p>Could not open this post: {messageOf(loadError)}</p>
          <p>
            <button type="button" className="link-button" onClick={() => void startNew()}>
              Start a new post
            </button>{' '}
            or{' '}
            <button type="button" className="link-button" onClick={() => setDraftsOpen(true)}>
              open another draft
            </button>
            .
          </p>
        </div>
        <DraftsDialog open={draftsOpen} workspaceId={ws.id} currentId={null} onClose={() => setDraftsOpen(false)} onDeleted={() => undefined} />
      </Page>
    );
  }

  return (
    <Page
      title={heading}
      eyebrow="Compose"
      docTitle="Compose"
      subtitle={
        <span className="cmp-subtitle">
          {post ? <StatusChip status={post.status} /> : null}
          <SaveState />
        </span>
      }
      actions={
        <>
          <button type="button" className="button" onClick={() => setDraftsOpen(true)}>
            Drafts
            {draftCount ? <span className="cmp-badge">{draftCount}</span> : null}
          </button>
          <button type="button" className="button" onClick={() => void startNew()} disabled={post === null && draft.content === '' && draft.targets.length === 0}>
            <Icon name="plus" size={14} />
            New post
          </button>
        </>
      }
    >
      <div className={`cmp${drop.over ? ' is-dropping' : ''}`} {...drop.props} aria-busy={load === 'loading'}>
        <div className="cmp-main">
          {load === 'loading' ? <p className="muted">Opening the post…</p> : null}
          {editableNote ? (
            <p className="cmp-readonly" role="note">
              <Icon name="lock" size={14} />
              {editableNote}
            </p>
          ) : null}
          {actions.editResetsApproval && !readOnly ? (
            <p className="cmp-readonly cmp-readonly--soft" role="note">
              <Icon name="info" size={14} />
              Changing this post sends it back to draft; it will need approval again.
            </p>
          ) : null}

          {accountsState.status === 'error' && accountsState.workspaceId === ws.id ? (
            <p className="inline-error" role="alert">
              Could not load the accounts: {messageOf(accountsState.error)}{' '}
              <button type="button" className="link-button" onClick={() => void accountsState.load(ws.id)}>
                Try again
              </button>
            </p>
          ) : accountsReady ? (
            <TargetPicker accounts={accounts} platforms={platforms} selected={selected} readOnly={readOnly} onToggle={toggleTarget} />
          ) : (
            <p className="muted">Loading accounts…</p>
          )}

          {/* Outside the tabs, so a call keeps running (and its result stays) while tabs change. */}
          {readOnly ? null : <AiAssist workspaceId={ws.id} draft={draft} infos={infos} platforms={platforms} onEdit={edit} announce={announce} />}

          <ComposeEditor
            draft={draft}
            infos={infos}
            platforms={platforms}
            readOnly={readOnly}
            tab={tab}
            onTab={setTab}
            onEdit={edit}
            toolbar={
              readOnly ? null : (
                <div className="cmp-toolbar">
                  <button type="button" className="button button--small" onClick={() => setTemplatesOpen(true)}>
                    <Icon name="sparkle" size={13} />
                    Start from a template
                  </button>
                  <button type="button" className="button button--small" onClick={() => setSignaturesOpen(true)}>
                    <Icon name="compose" size={13} />
                    Signatures…
                  </button>
                  {quick && quickPlan && !quickPlan.present ? (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={quickPlan.tooLong.length > 0}
                      title={quickPlan.tooLong.length > 0 ? `It would make the post too long for ${quickPlan.tooLong.join(', ')}. Shorten the text first.` : quick.content}
                      onClick={() => applySignature(quickPlan.apply, `Signature “${quick.name}” added.`)}
                    >
                      <Icon name="plus" size={13} />
                      Add signature “{quick.name}”
                    </button>
                  ) : null}
                </div>
              )
            }
            hashtagSlot={
              tab === MAIN_TAB ? (
                <HashtagField workspaceId={ws.id} hashtags={draft.hashtags} accounts={accounts.filter((a) => selected.has(a.id))} readOnly={readOnly} onChange={(hashtags) => edit((d) => ({ ...d, hashtags }))} />
              ) : null
            }
            mediaSlot={
              <MediaTray
                media={draft.media}
                uploads={uploads}
                issues={mediaIssues}
                readOnly={readOnly}
                onAlt={setAltIndex}
                onMove={(from, to) => edit((d) => ({ ...d, media: move(d.media, from, to) }))}
                onRemove={(i) => edit((d) => ({ ...d, media: d.media.filter((_, j) => j !== i) }))}
                onFiles={onFiles}
                onLibrary={() => setLibraryOpen(true)}
                onDismissUpload={(key) => setUploads((u) => u.filter((x) => x.key !== key))}
              />
            }
          />
          {drop.over ? (
            <div className="cmp-dropzone" aria-hidden="true">
              <Icon name="plus" size={22} />
              Drop to attach
            </div>
          ) : null}
        </div>

        <aside className="cmp-side" aria-label="Publishing and preview">
          <PublishPanel
            post={post}
            actions={actions}
            requiresApproval={draft.requiresApproval}
            accounts={accounts}
            platforms={platforms}
            timezone={timezone}
            now={now}
            choice={choice}
            onChoice={setChoice}
            policy={policy}
            onPolicy={setPolicy}
            nextSlot={nextSlot}
            at={resolved.at}
            blockers={blockers}
            busy={busy}
            error={actionError}
            justScheduled={justScheduled}
            onPrimary={primary}
            onToggleApproval={(on) => edit((d) => ({ ...d, requiresApproval: on }))}
            onApprove={() => void run('approve', () => call('posts.approve', { postId: postId! }), () => announce('Approved. It can be scheduled now.'))}
            onReject={async (note) => {
              const p = await call('posts.reject', { postId: postId!, note });
              useCompose.getState().adopt(p);
              announce('Sent back with your note.');
            }}
            onWithdraw={() => void run('withdraw', () => call('posts.withdraw', { postId: postId! }), () => announce('Taken back to draft.'))}
            onUnschedule={() =>
              void run('unschedule', () => call('posts.unschedule', { postId: postId! }), () => {
                setJustScheduled(false);
                announce('Unscheduled. You can edit it now.');
              })
            }
            onNew={() => void startNew()}
          />

          <section className="cmp-preview card" aria-labelledby="cmp-preview-title">
            <div className="cmp-preview__head">
              <h2 id="cmp-preview-title">Preview</h2>
              {infos.length > 1 ? (
                <div className="cmp-preview__pick" role="group" aria-label="Preview on">
                  {infos.map((i) => (
                    <button
                      key={i.target.accountId}
                      type="button"
                      className={`cmp-preview__net${previewInfo?.target.accountId === i.target.accountId ? ' is-on' : ''}`}
                      aria-pressed={previewInfo?.target.accountId === i.target.accountId}
                      onClick={() => setPreviewId(i.target.accountId)}
                    >
                      <NetworkMark platform={i.account.platform} size="sm" />
                      <span className="visually-hidden">
                        {platformName(i.account.platform, platforms)} ({accountHandle(i.account) ?? accountName(i.account)})
                      </span>
                    </button>
                  ))}
                </div>
              ) : null}
            </div>
            {previewInfo ? (
              <PreviewCard
                post={{
                  account: previewInfo.account,
                  text: previewInfo.text,
                  threadParts: previewInfo.caps?.threads ? previewInfo.target.threadParts : [],
                  firstComment: previewInfo.caps?.firstComment ? previewInfo.target.firstComment : null,
                  media: draft.media,
                  when: previewWhen,
                }}
              />
            ) : (
              <p className="muted cmp-preview__empty">Choose an account to see how the post will look there.</p>
            )}
          </section>
        </aside>
      </div>

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      <AltTextDialog
        item={altIndex === null ? null : (draft.media[altIndex] ?? null)}
        limit={altLimit}
        onClose={() => setAltIndex(null)}
        onSave={(altText) => {
          const i = altIndex;
          setAltIndex(null);
          if (i === null) return;
          edit((d) => ({ ...d, media: d.media.map((m, j) => (j === i ? { ...m, altText } : m)) }));
          announce(altText ? 'Alt text saved.' : 'Alt text removed.');
        }}
      />
      <LibraryDialog
        open={libraryOpen}
        workspaceId={ws.id}
        attached={new Set(draft.media.map((m) => m.mediaId))}
        room={room}
        onClose={() => setLibraryOpen(false)}
        onPick={(items) => {
          setLibraryOpen(false);
          addMedia(items);
          announce(`${items.length} attached.`);
        }}
      />
      <TemplateDialog
        open={templatesOpen}
        workspace={ws}
        hasText={draft.content.trim() !== ''}
        onClose={() => setTemplatesOpen(false)}
        onUse={(template, text, how) => {
          setTemplatesOpen(false);
          edit((d) => ({ ...d, content: insertTemplate(d.content, text, how), templateId: template.id }));
          setTab(MAIN_TAB);
          announce(`${template.name ?? 'The template'} is in the text.`);
          requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>('.cmp-panel textarea')?.focus());
        }}
      />
      <SignatureDialog
        open={signaturesOpen}
        workspaceId={ws.id}
        signatures={signatures}
        draft={draft}
        infos={infos}
        platforms={platforms}
        onClose={() => setSignaturesOpen(false)}
        onApply={(change, message) => {
          setSignaturesOpen(false);
          applySignature(change, message);
          setTab(MAIN_TAB);
        }}
      />
      <DraftsDialog
        open={draftsOpen}
        workspaceId={ws.id}
        currentId={postId}
        onClose={() => setDraftsOpen(false)}
        onDeleted={(id) => {
          if (id === useCompose.getState().postId) void startNew();
        }}
      />
    </Page>
  );
}
