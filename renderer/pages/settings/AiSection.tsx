// Settings → AI: the endpoint (app-wide, or this workspace's own) with presets for OpenAI,
// OpenRouter, Ollama and LM Studio, a write-only API key (the page only ever learns whether one is
// saved), the chat and embedding models, and a real "Test connection"; then the workspace's voice
// and limits (temperature, top_p, language, tone, system prompt, monthly budget); then usage.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiInput } from '../../../electron/api';
import { ApiCallError, call, messageOf } from '../../api/client';
import { useApi } from '../../api/useApi';
import { Combobox, type ComboOption } from '../../components/Combobox';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Section } from '../../components/Page';
import { fieldErrors } from '../../lib/issues';
import { toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace, type Workspace } from '../../stores/workspaces';
import { ErrorNote } from '../accounts/ErrorNote';
import {
  budgetText,
  checkBaseUrl,
  endpointKind,
  keyToSave,
  keyToTest,
  keyWillBeDropped,
  kindLabel,
  modelOptions,
  parseBudget,
  parseNumber,
  plainHttpWarning,
  presetOf,
  PRESETS,
  type AiSettings,
  type KeyDraft,
  type TestResult,
} from './ai-settings';
import { useAiSettings, useAiSettingsStore } from './ai-store';
import { AiUsage } from './AiUsage';
import { useSectionScroll } from './useSectionScroll';
import '../../styles/accounts.css';
import '../../styles/settings-sections.css';

type Scope = 'app' | 'workspace';

interface EndpointDraft {
  baseUrl: string;
  chatModel: string;
  embeddingModel: string;
}

function savedEndpoint(s: AiSettings, scope: Scope): EndpointDraft & { hasKey: boolean; savedUrl: string | null } {
  if (scope === 'app') {
    return {
      baseUrl: s.appDefault.baseUrl ?? '',
      chatModel: s.appDefault.chatModel ?? '',
      embeddingModel: s.appDefault.embeddingModel ?? '',
      hasKey: s.appDefault.hasKey,
      savedUrl: s.appDefault.baseUrl,
    };
  }
  return { baseUrl: s.baseUrl ?? '', chatModel: s.chatModel, embeddingModel: s.embeddingModel ?? '', hasKey: s.hasKey, savedUrl: s.baseUrl };
}

function Warning({ title, text, testId }: { title: string; text: string; testId?: string }) {
  return (
    <div className="set-warning" role="alert" data-testid={testId}>
      <Icon name="alert" size={18} className="set-warning__icon" />
      <div>
        <p className="set-warning__title">{title}</p>
        <p className="set-warning__text">{text}</p>
      </div>
    </div>
  );
}

/** What is in force now, in one block: which endpoint, whose, key, models; or how to set one up. */
function InUse({ s, ws }: { s: AiSettings; ws: Workspace }) {
  const e = s.effective;
  if (!e.configured)
    return (
      <div className="set-inuse set-inuse--off" data-testid="ai-in-use">
        <p className="set-inuse__title">No AI endpoint yet</p>
        <p className="set-inuse__text">
          AI buttons say how to set one up, and everything else in Postdesk works without it. Pick a preset below: a local Ollama or LM Studio keeps
          everything on this computer.
        </p>
      </div>
    );
  return (
    <div className="set-inuse" data-testid="ai-in-use">
      <p className="set-inuse__title">
        In use: {kindLabel(e.kind)} <span className="muted">· {e.source === 'workspace' ? `only for ${ws.name}` : 'app-wide'}</span>
      </p>
      <dl className="kv set-inuse__kv">
        <div className="kv__row">
          <dt>Endpoint</dt>
          <dd>
            <span className="path">{e.baseUrl}</span>
          </dd>
        </div>
        <div className="kv__row">
          <dt>API key</dt>
          <dd>{e.hasKey ? 'Saved, encrypted on this computer' : 'None'}</dd>
        </div>
        <div className="kv__row">
          <dt>Models</dt>
          <dd>
            {e.chatModel} for writing; {e.embeddingModel ? `${e.embeddingModel} for knowledge search` : 'the built-in embedder for knowledge search'}
          </dd>
        </div>
      </dl>
      {e.warning ? <Warning title="The API key is not protected in transit" text={e.warning} testId="ai-warning" /> : null}
    </div>
  );
}

function TestOutcome({ result, onPick }: { result: TestResult; onPick: (model: string) => void }) {
  const shown = result.models.slice(0, 24);
  const models =
    result.models.length > 0 ? (
      <div className="set-models">
        <p className="set-models__title">
          The endpoint lists {result.models.length === 1 ? '1 model' : `${result.models.length} models`}
          {result.models.length > shown.length ? ` (the first ${shown.length} here; type in the model field to find the others)` : ''}. Pick one for
          writing:
        </p>
        <ul className="set-models__list" aria-label="Models on this endpoint">
          {shown.map((m) => (
            <li key={m}>
              <button type="button" className="set-chip" onClick={() => onPick(m)} aria-label={`Use ${m} for writing`}>
                {m}
              </button>
            </li>
          ))}
        </ul>
      </div>
    ) : null;
  if (result.ok)
    return (
      <div className="set-test set-test--ok" data-testid="ai-test-result">
        <p className="set-test__title">
          <Icon name="check" size={14} /> Connected to {kindLabel(result.kind)}
        </p>
        <p className="set-test__text">
          {result.latencyMs !== null ? `Model list in ${result.latencyMs} ms; ` : ''}
          {result.model} answered in {result.chatLatencyMs} ms.
        </p>
        {models}
      </div>
    );
  return (
    <div className="set-test set-test--failed" data-testid="ai-test-result">
      <p className="set-test__title">
        <Icon name="alert" size={14} /> The test did not pass
      </p>
      <p className="set-test__text">{result.message}</p>
      {result.latencyMs !== null ? <p className="set-test__meta">The endpoint answered its model list in {result.latencyMs} ms.</p> : null}
      {models}
    </div>
  );
}

function EndpointCard({ s, ws }: { s: AiSettings; ws: Workspace }) {
  const setStore = useAiSettingsStore((x) => x.set);
  const [scope, setScope] = useState<Scope>(s.baseUrl ? 'workspace' : 'app');
  const saved = savedEndpoint(s, scope);
  const [draft, setDraft] = useState<EndpointDraft>(() => savedEndpoint(s, scope));
  const [key, setKey] = useState<KeyDraft>({ typed: '', clear: false });
  const [errors, setErrors] = useState<Partial<Record<'baseUrl' | 'apiKey' | 'chatModel' | 'embeddingModel' | '_form', string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const catalogue = useApi('ai.models', {});
  const keyInput = useRef<HTMLInputElement>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  const switchScope = (next: Scope) => {
    setScope(next);
    setDraft(savedEndpoint(s, next));
    setKey({ typed: '', clear: false });
    setErrors({});
    setFailure(null);
    setTest(null);
  };

  const checked = checkBaseUrl(draft.baseUrl);
  const kind = checked.url ? endpointKind(checked.url) : null;
  const preset = presetOf(draft.baseUrl);
  const listed = test?.models ?? [];
  const catalogueList = catalogue.status === 'ready' ? catalogue.data : [];
  const chatOptions = modelOptions(catalogueList, listed, kind, 'chat');
  const embedOptions = modelOptions(catalogueList, listed, kind, 'embedding');
  const savedRef = { baseUrl: saved.savedUrl, hasKey: saved.hasKey };
  const dropping = keyWillBeDropped(key, savedRef, draft.baseUrl);
  const keyAfterSave = key.typed.trim() !== '' || (saved.hasKey && !key.clear && !dropping);
  const draftWarning = plainHttpWarning(checked.url, keyAfterSave);
  const dirty =
    key.typed.trim() !== '' ||
    key.clear ||
    draft.baseUrl.trim() !== saved.baseUrl ||
    draft.chatModel.trim() !== saved.chatModel ||
    draft.embeddingModel.trim() !== saved.embeddingModel ||
    (scope === 'app' && s.baseUrl !== null);

  const change = (patch: Partial<EndpointDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
    setFailure(null);
  };

  const runTest = async () => {
    if (testing) return;
    if (draft.baseUrl.trim() !== '' && checked.error) {
      setErrors({ baseUrl: checked.error });
      urlInput.current?.focus();
      return;
    }
    if (draft.baseUrl.trim() === '' && !s.effective.configured) {
      setErrors({ baseUrl: checked.error ?? 'Enter the endpoint’s base URL first.' });
      urlInput.current?.focus();
      return;
    }
    setTesting(true);
    setTest(null);
    setTestError(null);
    const apiKey = keyToTest(key);
    try {
      const result = await call('ai.testConnection', {
        workspaceId: ws.id,
        ...(checked.url ? { baseUrl: checked.url } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(draft.chatModel.trim() ? { chatModel: draft.chatModel.trim() } : {}),
      });
      setTest(result);
    } catch (err) {
      setTestError(err);
    } finally {
      setTesting(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const url = draft.baseUrl.trim() === '' && scope === 'app' ? null : checked.url;
    if (url === null && (scope === 'workspace' || draft.baseUrl.trim() !== '')) {
      setErrors({ baseUrl: checked.error ?? 'Enter the endpoint’s base URL.' });
      urlInput.current?.focus();
      return;
    }
    if (scope === 'workspace' && draft.chatModel.trim() === '') {
      setErrors({ chatModel: 'Enter the model to write with, or test the connection to see the ones the endpoint has.' });
      return;
    }
    const apiKey = keyToSave(key, savedRef, draft.baseUrl);
    setBusy(true);
    setFailure(null);
    try {
      let next: AiSettings;
      if (scope === 'app') {
        await call('ai.updateAppEndpoint', {
          baseUrl: url,
          chatModel: draft.chatModel.trim() || null,
          embeddingModel: draft.embeddingModel.trim() || null,
          ...(apiKey !== undefined ? { apiKey } : {}),
        });
        // Back on the app-wide endpoint: the workspace's own endpoint, and the key entered for it, go.
        if (s.baseUrl !== null || s.hasKey) await call('ai.updateSettings', { workspaceId: ws.id, baseUrl: null, ...(s.hasKey ? { apiKey: null } : {}) });
        next = await call('ai.settings', { workspaceId: ws.id });
      } else {
        next = await call('ai.updateSettings', {
          workspaceId: ws.id,
          baseUrl: url,
          chatModel: draft.chatModel.trim(),
          embeddingModel: draft.embeddingModel.trim() || null,
          ...(apiKey !== undefined ? { apiKey } : {}),
        });
      }
      setStore(next);
      setDraft(savedEndpoint(next, scope));
      setKey({ typed: '', clear: false });
      toastSuccess(url === null ? 'AI endpoint removed' : 'AI endpoint saved', url === null ? 'AI features now say how to set one up.' : 'Postdesk uses it from the next AI call.');
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) setErrors(fieldErrors(err.issues, ['baseUrl', 'apiKey', 'chatModel', 'embeddingModel'] as const));
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const keyHint = preset?.keyHint ?? 'Leave empty for a server that needs no key.';
  const keyState = key.typed.trim() !== '' ? 'New, not saved yet' : key.clear ? 'Will be removed when you save' : dropping ? 'Will be removed: it was saved for another endpoint' : saved.hasKey ? 'Saved' : 'Not saved';

  return (
    <form className="card set-card" onSubmit={submit} noValidate aria-busy={busy || testing} data-testid="ai-endpoint">
      <div className="set-card__head">
        <h3 className="set-card__title">Endpoint</h3>
        <p className="set-card__text">Any OpenAI-compatible server. The key is encrypted on this computer and never shown again, not even to this page.</p>
      </div>
      <InUse s={s} ws={ws} />

      <fieldset className="set-fieldset">
        <legend className="field__label">Applies to</legend>
        <div role="radiogroup" aria-label="Applies to" className="segmented segmented--labels">
          {(['app', 'workspace'] as const).map((v) => (
            <label key={v} className={scope === v ? 'segmented__option is-checked' : 'segmented__option'}>
              <input type="radio" name="ai-scope" value={v} checked={scope === v} onChange={() => switchScope(v)} />
              <span>{v === 'app' ? 'Every workspace' : `Only ${ws.name}`}</span>
            </label>
          ))}
        </div>
        <p className="field__hint">
          {scope === 'app'
            ? s.baseUrl
              ? `${ws.name} has its own endpoint now; saving here moves it back to the app-wide one (its own key is removed).`
              : 'Workspaces without their own endpoint use this one.'
            : 'Only this workspace uses it (a client’s own key, say); the others keep the app-wide endpoint.'}
        </p>
      </fieldset>

      <fieldset className="set-fieldset">
        <legend className="field__label">Preset</legend>
        <div className="set-presets">
          {PRESETS.map((p) => (
            <button
              key={p.kind}
              type="button"
              className={preset?.kind === p.kind ? 'set-preset is-active' : 'set-preset'}
              aria-pressed={preset?.kind === p.kind}
              onClick={() => {
                change({ baseUrl: p.baseUrl });
                setTest(null);
              }}
            >
              <span className="set-preset__name">{p.label}</span>
              <span className="set-preset__url">{p.baseUrl.replace(/^https?:\/\//, '')}</span>
            </button>
          ))}
        </div>
      </fieldset>

      <Field label="Base URL" error={errors.baseUrl} hint={scope === 'app' ? 'Empty: no app-wide endpoint (AI stays off unless a workspace sets its own).' : undefined}>
        {(c) => (
          <input
            {...c}
            ref={urlInput}
            className="input"
            type="url"
            name="ai-base-url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://api.openai.com/v1"
            value={draft.baseUrl}
            onChange={(e) => change({ baseUrl: e.target.value })}
          />
        )}
      </Field>
      {draftWarning && draftWarning !== s.effective.warning ? <Warning title="The API key would cross the network unencrypted" text={draftWarning} /> : null}

      <Field label="API key" optional error={errors.apiKey} hint={dropping ? 'The saved key was for another endpoint: it is removed when you save. Enter the key for this one.' : keyHint}>
        {(c) => (
          <div className="set-key">
            <input
              {...c}
              ref={keyInput}
              className="input"
              type="password"
              name="ai-api-key"
              autoComplete="off"
              spellCheck={false}
              placeholder={saved.hasKey && !key.clear ? 'Saved — type a new key to replace it' : 'sk-…'}
              value={key.typed}
              onChange={(e) => {
                setKey({ typed: e.target.value, clear: false });
                setErrors({});
              }}
            />
            <span className={saved.hasKey && !key.clear && !dropping ? 'health health--success' : 'health health--muted'} data-testid="ai-key-state">
              {keyState}
            </span>
            {saved.hasKey && !key.clear ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  setKey({ typed: '', clear: true });
                  keyInput.current?.focus();
                }}
              >
                Remove key
              </button>
            ) : key.clear ? (
              <button type="button" className="button button--small" onClick={() => setKey({ typed: '', clear: false })}>
                Keep key
              </button>
            ) : null}
          </div>
        )}
      </Field>

      <div className="grid-2">
        <Field
          label="Chat model"
          optional={scope === 'app'}
          error={errors.chatModel}
          hint={scope === 'app' ? `Writes posts and replies, and triages messages. Empty: ${s.chatModel}, this workspace’s model.` : 'Writes posts and replies, and triages messages.'}
        >
          {(c) => (
            <Combobox
              control={c}
              name="ai-chat-model"
              value={draft.chatModel}
              onChange={(v) => change({ chatModel: v })}
              options={chatOptions}
              placeholder={scope === 'app' ? s.chatModel : 'gpt-4o-mini'}
            />
          )}
        </Field>
        <Field
          label="Embedding model"
          optional
          error={errors.embeddingModel}
          hint="For knowledge search. Empty: the built-in embedder, which works offline. Changing it re-indexes your knowledge in the background."
        >
          {(c) => <Combobox control={c} name="ai-embedding-model" value={draft.embeddingModel} onChange={(v) => change({ embeddingModel: v })} options={embedOptions} placeholder="built-in" />}
        </Field>
      </div>

      <div aria-live="polite">
        {testing ? <p className="muted">Testing: asking for the model list, then a 1-token reply…</p> : null}
        {test ? (
          <TestOutcome
            result={test}
            onPick={(m) => {
              change({ chatModel: m });
              toastSuccess(`${m} picked for writing`, 'Test again to check it answers, then save.');
            }}
          />
        ) : null}
        {testError ? <ErrorNote error={testError} title="Could not run the test" /> : null}
      </div>

      {failure ? <ErrorNote error={failure} title="Could not save the endpoint" /> : null}
      {errors._form ? (
        <p className="form__error" role="alert">
          {errors._form}
        </p>
      ) : null}
      <div className="form__actions set-actions">
        <span className="set-actions__state" role="status">
          {busy ? 'Saving…' : dirty ? 'Unsaved changes' : ''}
        </span>
        <button type="button" className="button" onClick={() => void runTest()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="button button--primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save endpoint'}
        </button>
      </div>
    </form>
  );
}

// ---- voice and limits ----------------------------------------------------------------------------

const LANGUAGES: ComboOption[] = [
  ['en', 'English'],
  ['fr', 'French'],
  ['de', 'German'],
  ['es', 'Spanish'],
  ['it', 'Italian'],
  ['pt', 'Portuguese'],
  ['nl', 'Dutch'],
  ['sv', 'Swedish'],
  ['da', 'Danish'],
  ['nb', 'Norwegian'],
  ['fi', 'Finnish'],
  ['pl', 'Polish'],
  ['cs', 'Czech'],
  ['tr', 'Turkish'],
  ['el', 'Greek'],
  ['ar', 'Arabic'],
  ['he', 'Hebrew'],
  ['hi', 'Hindi'],
  ['ja', 'Japanese'],
  ['ko', 'Korean'],
  ['zh', 'Chinese'],
].map(([value, detail]) => ({ value: value ?? '', detail: detail ?? '' }));

const TONES: ComboOption[] = ['friendly', 'professional', 'warm', 'casual', 'playful', 'witty', 'formal', 'concise', 'enthusiastic'].map((value) => ({ value }));

interface VoiceDraft {
  temperature: string;
  topP: string;
  language: string;
  tone: string;
  systemPrompt: string;
  budget: string;
}

type VoiceField = keyof VoiceDraft;

function voiceOf(s: AiSettings): VoiceDraft {
  return { temperature: String(s.temperature), topP: String(s.topP), language: s.language, tone: s.tone, systemPrompt: s.systemPrompt ?? '', budget: budgetText(s.monthlyBudgetUsd) };
}

function VoiceCard({ s, ws }: { s: AiSettings; ws: Workspace }) {
  const setStore = useAiSettingsStore((x) => x.set);
  const [draft, setDraft] = useState<VoiceDraft>(() => voiceOf(s));
  const [errors, setErrors] = useState<Partial<Record<VoiceField | '_form', string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const initial = voiceOf(s);
  const dirty = (Object.keys(initial) as VoiceField[]).some((k) => draft[k].trim() !== initial[k].trim());

  useEffect(() => {
    if (Object.keys(errors).length > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const change = (patch: Partial<VoiceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
    setFailure(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !dirty) return;
    const temperature = parseNumber(draft.temperature, 0, 2, 'the temperature');
    const topP = parseNumber(draft.topP, 0, 1, 'top_p');
    const budget = parseBudget(draft.budget);
    const local: Partial<Record<VoiceField, string>> = {};
    if (temperature.error) local.temperature = temperature.error;
    if (topP.error) local.topP = topP.error;
    if (budget.error) local.budget = budget.error;
    if (draft.language.trim().length < 2) local.language = 'Enter a language code such as en or fr-CA.';
    if (draft.tone.trim() === '') local.tone = 'Describe the tone in a word or two, e.g. friendly.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;

    const patch: ApiInput<'ai.updateSettings'> = { workspaceId: ws.id };
    if (temperature.value !== null && temperature.value !== s.temperature) patch.temperature = temperature.value;
    if (topP.value !== null && topP.value !== s.topP) patch.topP = topP.value;
    if (draft.language.trim() !== s.language) patch.language = draft.language.trim();
    if (draft.tone.trim() !== s.tone) patch.tone = draft.tone.trim();
    if ((draft.systemPrompt.trim() || null) !== (s.systemPrompt?.trim() || null)) patch.systemPrompt = draft.systemPrompt.trim() || null;
    if (budget.error === null && budget.value !== s.monthlyBudgetUsd) patch.monthlyBudgetUsd = budget.value;

    setBusy(true);
    setFailure(null);
    try {
      const next = await call('ai.updateSettings', patch);
      setStore(next);
      setDraft(voiceOf(next));
      toastSuccess('Voice and limits saved');
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) {
        const mapped = fieldErrors(err.issues, ['temperature', 'topP', 'language', 'tone', 'systemPrompt', 'monthlyBudgetUsd'] as const);
        setErrors({ ...mapped, ...(mapped.monthlyBudgetUsd ? { budget: mapped.monthlyBudgetUsd } : {}) });
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="card set-card" onSubmit={submit} noValidate aria-busy={busy} data-testid="ai-voice">
      <div className="set-card__head">
        <h3 className="set-card__title">Voice and limits for {ws.name}</h3>
        <p className="set-card__text">How the AI writes for this workspace, and how much it may spend.</p>
      </div>
      <div className="grid-2">
        <Field label="Language" error={errors.language} hint="What replies and posts are written in.">
          {(c) => <Combobox control={c} name="ai-language" value={draft.language} onChange={(v) => change({ language: v })} options={LANGUAGES} placeholder="en" />}
        </Field>
        <Field label="Tone" error={errors.tone} hint="A word or two the AI aims for.">
          {(c) => <Combobox control={c} name="ai-tone" value={draft.tone} onChange={(v) => change({ tone: v })} options={TONES} placeholder="friendly" />}
        </Field>
        <Field label="Temperature" error={errors.temperature} hint="0 to 2. Lower is steadier (0.2 suits replies), higher more varied (0.8 suits new posts).">
          {(c) => (
            <input {...c} className="input" type="number" inputMode="decimal" name="ai-temperature" min={0} max={2} step={0.1} value={draft.temperature} onChange={(e) => change({ temperature: e.target.value })} />
          )}
        </Field>
        <Field label="Top p" error={errors.topP} hint="0 to 1. Leave it at 1 unless you want the AI to keep to its likeliest words.">
          {(c) => <input {...c} className="input" type="number" inputMode="decimal" name="ai-top-p" min={0} max={1} step={0.05} value={draft.topP} onChange={(e) => change({ topP: e.target.value })} />}
        </Field>
      </div>
      <Field label="System prompt" optional error={errors.systemPrompt} hint="Standing instructions added to every call, e.g. “Never promise delivery dates.” The brand profile is already included.">
        {(c) => <textarea {...c} className="input textarea" name="ai-system-prompt" rows={4} maxLength={20_000} value={draft.systemPrompt} onChange={(e) => change({ systemPrompt: e.target.value })} />}
      </Field>
      <Field label="Monthly budget (US dollars)" optional error={errors.budget} hint="A call that would take this calendar month (UTC) past it is refused before it is made, with a message saying so. Empty: no cap.">
        {(c) => (
          <div className="set-prefixed set-prefixed--short">
            <span className="set-prefixed__prefix" aria-hidden="true">
              $
            </span>
            <input {...c} className="input" type="text" inputMode="decimal" name="ai-budget" autoComplete="off" placeholder="no cap" value={draft.budget} onChange={(e) => change({ budget: e.target.value })} />
          </div>
        )}
      </Field>
      {failure ? <ErrorNote error={failure} title="Could not save voice and limits" /> : null}
      {errors._form ? (
        <p className="form__error" role="alert">
          {errors._form}
        </p>
      ) : null}
      <div className="form__actions set-actions">
        <span className="set-actions__state" role="status">
          {busy ? 'Saving…' : dirty ? 'Unsaved changes' : ''}
        </span>
        <button type="submit" className="button button--primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save voice and limits'}
        </button>
      </div>
    </form>
  );
}

export function AiSection() {
  const ws = useCurrentWorkspace();
  const { settings, error, reload } = useAiSettings(ws?.id ?? null);
  const ref = useSectionScroll<HTMLDivElement>('ai', settings !== null);
  if (!ws) return null;
  let content;
  if (settings)
    content = (
      <>
        <EndpointCard key={`endpoint-${ws.id}`} s={settings} ws={ws} />
        <VoiceCard key={`voice-${ws.id}`} s={settings} ws={ws} />
      </>
    );
  else if (error)
    content = (
      <div className="card">
        <p className="inline-error" role="alert">
          Could not load the AI settings: {messageOf(error)}{' '}
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </p>
      </div>
    );
  else
    content = (
      <div className="card">
        <p className="muted">Loading the AI settings…</p>
      </div>
    );
  return (
    <Section
      id="ai"
      title="AI"
      description="Writing help, inbox triage and knowledge search through any OpenAI-compatible endpoint — OpenAI, OpenRouter, or Ollama and LM Studio for fully offline use. Every call is metered below."
    >
      <div className="stack" ref={ref}>
        {content}
        <AiUsage workspaceId={ws.id} budgetUsd={settings?.monthlyBudgetUsd ?? null} />
      </div>
    </Section>
  );
}
