// New / edit campaign: name, goal, audience, dates, budget, status and kind. The engine checks
// everything again; its field messages are shown under the fields.
import { useState, type FormEvent } from 'react';
import { ApiCallError, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { dateInput, fromDateInput, STATUS_LABELS, TYPE_LABELS, type CampaignItem } from './campaign-format';

export interface CampaignFormValues {
  name: string;
  goals: string[];
  targetAudience: string | null;
  description: string | null;
  startsAt: number | null;
  endsAt: number | null;
  budget: { amount: number; currency: string } | null;
  status: CampaignItem['status'];
  type: CampaignItem['type'];
}

export function CampaignForm({
  open,
  initial,
  onClose,
  onSubmit,
}: {
  open: boolean;
  initial: CampaignItem | null;
  onClose: () => void;
  onSubmit: (v: CampaignFormValues) => Promise<void>;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [goal, setGoal] = useState(initial?.goals.join('\n') ?? '');
  const [audience, setAudience] = useState(initial?.targetAudience ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [starts, setStarts] = useState(dateInput(initial?.startsAt ?? null));
  const [ends, setEnds] = useState(dateInput(initial?.endsAt ?? null));
  const [amount, setAmount] = useState(initial?.budget ? String(initial.budget.amount) : '');
  const [currency, setCurrency] = useState(initial?.budget?.currency ?? 'USD');
  const [status, setStatus] = useState<CampaignItem['status']>(initial?.status ?? 'draft');
  const [type, setType] = useState<CampaignItem['type']>(initial?.type ?? 'social');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local['name'] = 'Give the campaign a name.';
    const budgetAmount = amount.trim() === '' ? null : Number(amount.replace(',', '.'));
    if (budgetAmount !== null && (!Number.isFinite(budgetAmount) || budgetAmount < 0)) local['budget'] = 'Write the budget as an amount, like 1500.';
    if (starts && ends && ends < starts) local['endsAt'] = 'The campaign ends before it starts.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit({
        name: name.trim(),
        goals: goal
          .split('\n')
          .map((g) => g.trim())
          .filter(Boolean),
        targetAudience: audience.trim() || null,
        description: description.trim() || null,
        startsAt: fromDateInput(starts),
        endsAt: fromDateInput(ends, true),
        budget: budgetAmount === null ? null : { amount: budgetAmount, currency: currency.trim().toUpperCase() },
        status,
        type,
      });
    } catch (err) {
      if (err instanceof ApiCallError && err.issues.length > 0) {
        setErrors(Object.fromEntries(err.issues.map((i) => [String(i.path[0]), i.message])));
      }
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const err = (k: string) =>
    errors[k] ? (
      <span className="field__error" role="alert">
        {errors[k]}
      </span>
    ) : null;

  return (
    <Dialog open={open} onClose={onClose} title={initial ? 'Edit campaign' : 'New campaign'} className="dialog--form">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span className="field__label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus />
          {err('name')}
        </label>
        <label className="field">
          <span className="field__label">Goal</span>
          <textarea className="textarea" rows={2} value={goal} onChange={(e) => setGoal(e.target.value)} placeholder="200 workshop sign-ups (one goal a line)" />
        </label>
        <label className="field">
          <span className="field__label">Audience</span>
          <input className="input" value={audience} onChange={(e) => setAudience(e.target.value)} placeholder="Home bakers in Portland" />
        </label>
        <label className="field">
          <span className="field__label">
            Notes <span className="field__optional">optional</span>
          </span>
          <textarea className="textarea" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="cform__row">
          <label className="field">
            <span className="field__label">Starts</span>
            <input className="input" type="date" value={starts} onChange={(e) => setStarts(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Ends</span>
            <input className="input" type="date" value={ends} onChange={(e) => setEnds(e.target.value)} />
            {err('endsAt')}
          </label>
        </div>
        <div className="cform__row">
          <label className="field">
            <span className="field__label">Budget</span>
            <input className="input" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="1500" />
            {err('budget')}
          </label>
          <label className="field">
            <span className="field__label">Currency</span>
            <input className="input" value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} />
          </label>
        </div>
        <div className="cform__row">
          <label className="field">
            <span className="field__label">Status</span>
            <select className="input" value={status} onChange={(e) => setStatus(e.target.value as CampaignItem['status'])}>
              {Object.entries(STATUS_LABELS).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Kind</span>
            <select className="input" value={type} onChange={(e) => setType(e.target.value as CampaignItem['type'])}>
              {Object.entries(TYPE_LABELS).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
        {formError ? (
          <p className="form__error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {initial ? 'Save' : 'Create campaign'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
