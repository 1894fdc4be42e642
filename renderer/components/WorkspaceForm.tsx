// The brand profile form: first-run onboarding, "New workspace" and Settings all use it.
// Validation is the engine's (the zod schema in the contract); its issues land on the fields.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiCallError } from '../api/client';
import { BRAND_VOICES, BRAND_VOICE_INFO, BUSINESS_TYPE_SUGGESTIONS, type BrandVoice } from '../lib/brand-voices';
import { fieldErrors, type FieldErrors } from '../lib/issues';
import { allTimezones, localTimezone, offsetLabel } from '../lib/timezones';
import { toastError } from '../stores/ui';
import { Combobox } from './Combobox';
import { Field } from './Field';

export interface WorkspaceFormValues {
  name: string;
  businessType: string;
  brandVoice: BrandVoice;
  timezone: string;
  description: string;
  /** Preferred posting times, 'HH:MM' separated by commas; only on create (Settings edits them apart). */
  preferredTimes?: string;
}

export const WORKSPACE_FIELDS = ['name', 'businessType', 'brandVoice', 'timezone', 'description', 'preferredTimes'] as const;
type FieldName = (typeof WORKSPACE_FIELDS)[number];

export function emptyWorkspaceValues(): WorkspaceFormValues {
  return { name: '', businessType: '', brandVoice: 'friendly', timezone: localTimezone(), description: '', preferredTimes: '09:00, 13:00, 17:00' };
}

export function WorkspaceForm({
  initial,
  submitLabel,
  busyLabel,
  onSubmit,
  failureTitle,
  issuePrefix = [],
  secondary,
  autoFocus = false,
  idPrefix,
  descriptionRows = 3,
}: {
  initial: WorkspaceFormValues;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (values: WorkspaceFormValues) => Promise<void>;
  /** Toast title when the save fails for a reason other than invalid fields. */
  failureTitle: string;
  /** Where the fields sit in the method's input, e.g. ['patch'] for workspaces.update. */
  issuePrefix?: string[];
  secondary?: ReactNode;
  autoFocus?: boolean;
  idPrefix: string;
  descriptionRows?: number;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<FieldName>>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const timezoneOptions = useMemo(() => {
    const now = new Date();
    return allTimezones().map((tz) => ({ value: tz, detail: offsetLabel(tz, now) }));
  }, []);
  const businessOptions = useMemo(() => BUSINESS_TYPE_SUGGESTIONS.map((value) => ({ value })), []);

  useEffect(() => {
    if (autoFocus) nameRef.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    // Send the user to the first thing to fix.
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = <K extends keyof WorkspaceFormValues>(key: K, v: WorkspaceFormValues[K]) => {
    setValues((s) => ({ ...s, [key]: v }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      await onSubmit(values);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) {
        setErrors(fieldErrors(err.issues, WORKSPACE_FIELDS, issuePrefix));
      } else if (err instanceof ApiCallError && err.code === 'invalid_input') {
        setErrors({ _form: err.message });
      } else {
        toastError(failureTitle, err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-busy={busy}>
      {errors._form ? (
        <p className="form__error" role="alert">
          {errors._form}
        </p>
      ) : null}
      <Field label="Brand name" error={errors.name} hint="How your audience knows you. Shown in the workspace switcher.">
        {(c) => <input {...c} ref={nameRef} className="input" name="name" autoComplete="organization" value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label="Business type" error={errors.businessType} hint="Anything you like — pick a suggestion or type your own.">
        {(c) => <Combobox control={c} name="businessType" value={values.businessType} onChange={(v) => set('businessType', v)} options={businessOptions} placeholder="e.g. Bakery" />}
      </Field>
      <fieldset className={errors.brandVoice ? 'field field--invalid voice-picker' : 'field voice-picker'} aria-describedby={errors.brandVoice ? `${idPrefix}-voice-error` : undefined}>
        <legend className="field__label">Brand voice</legend>
        <div className="voice-picker__options">
          {BRAND_VOICES.map((v) => (
            <label key={v} className={values.brandVoice === v ? 'voice-option is-checked' : 'voice-option'}>
              <input type="radio" name={`${idPrefix}-brandVoice`} value={v} checked={values.brandVoice === v} onChange={() => set('brandVoice', v)} />
              <span className="voice-option__label">{BRAND_VOICE_INFO[v].label}</span>
              <span className="voice-option__example">{BRAND_VOICE_INFO[v].example}</span>
            </label>
          ))}
        </div>
        {errors.brandVoice ? (
          <p className="field__error" id={`${idPrefix}-voice-error`}>
            {errors.brandVoice}
          </p>
        ) : null}
      </fieldset>
      <Field label="Timezone" error={errors.timezone} hint="Posts are scheduled in this timezone. Type a city or region to search.">
        {(c) => <Combobox control={c} name="timezone" value={values.timezone} onChange={(v) => set('timezone', v)} options={timezoneOptions} placeholder="e.g. Europe/Paris" />}
      </Field>
      {values.preferredTimes !== undefined ? (
        <Field label="When do you like to post?" error={errors.preferredTimes} hint="Local times, separated by commas. “Next free slot” scheduling uses them.">
          {(c) => <input {...c} className="input" name="preferredTimes" inputMode="numeric" value={values.preferredTimes ?? ''} onChange={(e) => set('preferredTimes', e.target.value)} />}
        </Field>
      ) : null}
      <Field label="Description" optional error={errors.description} hint="What you offer and to whom, in a sentence or two. The AI writes from this.">
        {(c) => <textarea {...c} className="input textarea" name="description" rows={descriptionRows} value={values.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      <div className="form__actions">
        {secondary}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** The create input from form values (empty description means none). */
export function toCreateInput(v: WorkspaceFormValues) {
  return {
    name: v.name,
    businessType: v.businessType,
    brandVoice: v.brandVoice,
    timezone: v.timezone,
    ...(v.description.trim() ? { description: v.description } : {}),
    ...(v.preferredTimes !== undefined ? { preferredTimes: parseTimes(v.preferredTimes) } : {}),
  };
}

/** "9:00, 13:30" -> ['09:00', '13:30']; anything else is passed on for the engine to reject by name. */
export function parseTimes(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (/^\d:\d\d$/.test(t) ? `0${t}` : t));
}
