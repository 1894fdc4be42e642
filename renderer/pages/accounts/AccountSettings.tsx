// One account's own settings: the hashtags Compose adds to its new posts, and how long its posts
// are watched for comments (its own rule, or the workspace's).
import { useId, useState, type FormEvent } from 'react';
import { ApiCallError, call } from '../../api/client';
import { Field } from '../../components/Field';
import { TagInput } from '../../components/TagInput';
import { fieldErrors } from '../../lib/issues';
import type { AccountView } from './account-labels';
import { ErrorNote } from './ErrorNote';
import { addHashtags, hashtagsProblem, sameTags, splitHashtags } from './hashtags';
import { monitoringProblems, parseWhole, type MonitoringDraft } from './monitoring';

type Errors = Partial<Record<'hashtags' | 'autoMonitorCount' | 'monitoringDurationDays' | '_form', string>>;

function draftOf(a: AccountView): MonitoringDraft {
  return {
    inherit: a.monitoring.inherited,
    enabled: a.monitoring.autoMonitorEnabled,
    count: String(a.monitoring.autoMonitorCount),
    days: String(a.monitoring.monitoringDurationDays),
  };
}

function sameDraft(a: MonitoringDraft, b: MonitoringDraft): boolean {
  if (a.inherit !== b.inherit) return false;
  if (a.inherit) return true;
  return a.enabled === b.enabled && parseWhole(a.count) === parseWhole(b.count) && parseWhole(a.days) === parseWhole(b.days);
}

export function AccountSettings({ account, id, onSaved }: { account: AccountView; id: string; onSaved: (a: AccountView) => void }) {
  const [tags, setTags] = useState<string[]>(account.defaults.hashtags);
  const [draft, setDraft] = useState<MonitoringDraft>(() => draftOf(account));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const headingId = useId();

  const initialDraft = draftOf(account);
  const dirty = !sameTags(tags, account.defaults.hashtags) || !sameDraft(draft, initialDraft);
  const set = (patch: Partial<MonitoringDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => ({ ...e, autoMonitorCount: undefined, monitoringDurationDays: undefined }));
    setSaved('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: Errors = { ...monitoringProblems(draft) };
    const tagProblem = hashtagsProblem(tags);
    if (tagProblem) local.hashtags = tagProblem;
    setErrors(local);
    setFailure(null);
    if (Object.values(local).some(Boolean)) return;
    setBusy(true);
    try {
      const next = await call('accounts.updateSettings', {
        accountId: account.id,
        defaults: { hashtags: tags },
        monitoring: draft.inherit
          ? null
          : { autoMonitorEnabled: draft.enabled, autoMonitorCount: parseWhole(draft.count) ?? 1, monitoringDurationDays: parseWhole(draft.days) ?? 1 },
      });
      // The engine's normalised form is what was saved; show exactly that.
      setTags(next.defaults.hashtags);
      setDraft(draftOf(next));
      setSaved('Saved.');
      onSaved(next);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) {
        const d = fieldErrors(err.issues, ['hashtags'] as const, ['defaults']);
        const m = fieldErrors(err.issues, ['autoMonitorCount', 'monitoringDurationDays'] as const, ['monitoring']);
        setErrors({ hashtags: d.hashtags, autoMonitorCount: m.autoMonitorCount, monitoringDurationDays: m.monitoringDurationDays });
        if (!d.hashtags && !m.autoMonitorCount && !m.monitoringDurationDays) setFailure(err);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id={id} className="acct-settings" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby={headingId}>
      <h4 id={headingId} className="visually-hidden">
        Defaults and monitoring
      </h4>
      {failure ? <ErrorNote error={failure} title="Could not save these settings" /> : null}
      <Field label="Default hashtags" error={errors.hashtags} hint="Added to new posts for this account in Compose. Type and press Enter or comma.">
        {(c) => (
          <TagInput
            control={c}
            name="hashtags"
            values={tags}
            onChange={(v) => {
              setTags(v);
              setSaved('');
              if (errors.hashtags) setErrors((x) => ({ ...x, hashtags: undefined }));
            }}
            split={splitHashtags}
            add={addHashtags}
            placeholder="#smallbatch, #coffee"
            itemLabel="hashtag"
          />
        )}
      </Field>

      <fieldset className="acct-monitor">
        <legend className="field__label">Watch new posts for comments</legend>
        <label className="acct-check">
          <input type="checkbox" checked={draft.inherit} onChange={(e) => set({ inherit: e.target.checked })} />
          <span>Use the workspace default</span>
        </label>
        <div className={draft.inherit ? 'acct-monitor__rule is-inherited' : 'acct-monitor__rule'}>
          <label className="acct-check">
            <input type="checkbox" checked={draft.enabled} disabled={draft.inherit} onChange={(e) => set({ enabled: e.target.checked })} />
            <span>Watch for comments automatically</span>
          </label>
          <div className="acct-monitor__numbers">
            <Field label="Latest posts to watch" error={errors.autoMonitorCount} hint="1 to 20">
              {(c) => (
                <input
                  {...c}
                  className="input input--number"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={20}
                  step={1}
                  name="autoMonitorCount"
                  disabled={draft.inherit || !draft.enabled}
                  value={draft.count}
                  onChange={(e) => set({ count: e.target.value })}
                />
              )}
            </Field>
            <Field label="Days after posting" error={errors.monitoringDurationDays} hint="1 to 30">
              {(c) => (
                <input
                  {...c}
                  className="input input--number"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={30}
                  step={1}
                  name="monitoringDurationDays"
                  disabled={draft.inherit || !draft.enabled}
                  value={draft.days}
                  onChange={(e) => set({ days: e.target.value })}
                />
              )}
            </Field>
          </div>
        </div>
      </fieldset>

      <div className="acct-settings__actions">
        <p className="acct-settings__saved" role="status">
          {saved}
        </p>
        <button
          type="button"
          className="button"
          disabled={!dirty || busy}
          onClick={() => {
            setTags(account.defaults.hashtags);
            setDraft(initialDraft);
            setErrors({});
            setFailure(null);
          }}
        >
          Undo changes
        </button>
        <button type="submit" className="button button--primary" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
