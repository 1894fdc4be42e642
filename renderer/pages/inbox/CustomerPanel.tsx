// The contact behind a thread (the CRM): their name, handles on every network, lifecycle stage
// and notes (both editable), and their other conversations, which open from here.
import { useEffect, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { ExternalLink } from '../../components/ExternalLink';
import { toastError } from '../../stores/ui';
import { NetworkMark } from '../accounts/AccountAvatar';
import { avatarColour, initials } from './avatar';
import type { Customer, LifecycleStage } from './inbox-types';
import { timeAgo } from './inbox-time';
import { KIND_LABEL, networkName, personName, STAGE_LABEL } from './labels';
import { oneLine } from './safe-text';

const STAGES = Object.keys(STAGE_LABEL) as LifecycleStage[];

export function CustomerPanel({
  customer,
  currentId,
  now,
  timezone,
  onOpen,
  onChanged,
}: {
  customer: Customer | null;
  currentId: string;
  now: number;
  timezone: string;
  onOpen(conversationId: string): void;
  onChanged(): void;
}) {
  const [notes, setNotes] = useState(customer?.notes ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setNotes(customer?.notes ?? '');
    setError(null);
  }, [customer?.id, customer?.notes]);

  if (!customer) {
    return (
      <aside className="ib-customer" aria-label="Customer">
        <p className="muted">No contact for this sender yet. One is made when they are matched to a customer.</p>
      </aside>
    );
  }

  const name = oneLine(customer.name, 120) || oneLine(customer.identities[0]?.handle, 120) || 'Unnamed contact';
  const others = customer.conversations.filter((c) => c.id !== currentId);

  const saveNotes = async () => {
    setSaving(true);
    setError(null);
    try {
      await call('customers.update', { customerId: customer.id, notes: notes === '' ? null : notes });
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <aside className="ib-customer" aria-label="Customer" data-testid="customer-panel">
      <div className="ib-customer__head">
        <span className={`ib-avatar ib-avatar--lg ib-avatar--${avatarColour(customer.identities[0]?.externalId ?? name)}`} aria-hidden="true">
          {initials(customer.name, customer.identities[0]?.handle)}
        </span>
        <div>
          <h2 className="ib-customer__name">
            <bdi>{name}</bdi>
          </h2>
          <p className="muted">
            {customer.firstSeenAt !== null ? `First seen ${timeAgo(customer.firstSeenAt, now, timezone)}` : null}
            {customer.email ? (
              <>
                {' · '}
                <bdi>{oneLine(customer.email, 120)}</bdi>
              </>
            ) : null}
          </p>
        </div>
      </div>
      <div className="ib-details__row">
        <label className="ib-details__label" htmlFor="ib-stage">
          Stage
        </label>
        <select
          id="ib-stage"
          className="input ib-select"
          value={customer.lifecycleStage}
          onChange={(e) => {
            const lifecycleStage = e.target.value as LifecycleStage;
            void call('customers.update', { customerId: customer.id, lifecycleStage }).then(onChanged, (err: unknown) => {
              toastError('Could not change the stage', err);
              onChanged();
            });
          }}
        >
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {STAGE_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {customer.identities.length > 0 ? (
        <ul className="ib-customer__ids" aria-label="Handles">
          {customer.identities.map((i) => (
            <li key={`${i.channel}-${i.externalId}`}>
              <NetworkMark platform={i.channel} size="sm" />
              <span className="visually-hidden">{networkName(i.channel)}: </span>
              {i.profileUrl ? (
                <ExternalLink url={i.profileUrl}>
                  <bdi>{oneLine(i.handle ?? i.displayName ?? i.externalId, 80)}</bdi>
                </ExternalLink>
              ) : (
                <bdi>{oneLine(i.handle ?? i.displayName ?? i.externalId, 80)}</bdi>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="field">
        <label className="field__label" htmlFor="ib-customer-notes">
          Notes
        </label>
        <textarea id="ib-customer-notes" className="textarea" rows={4} value={notes} maxLength={20_000} onChange={(e) => setNotes(e.target.value)} dir="auto" />
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="button" className="button button--small" onClick={() => void saveNotes()} disabled={saving || notes === (customer.notes ?? '')}>
          {saving ? 'Saving…' : 'Save notes'}
        </button>
      </div>
      <section aria-labelledby="ib-customer-history">
        <h3 id="ib-customer-history" className="ib-details__label">
          Other conversations
        </h3>
        {others.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="ib-customer__convs">
            {others.slice(0, 20).map((c) => (
              <li key={c.id}>
                <button type="button" className="ib-customer__conv" onClick={() => onOpen(c.id)}>
                  <NetworkMark platform={c.platform} size="sm" />
                  <span className="ib-customer__conv-text">
                    <span>
                      {KIND_LABEL[c.kind]} · {c.status} · {timeAgo(c.lastMessageAt, now, timezone)}
                    </span>
                    <bdi className="ib-row__preview">{oneLine(c.lastMessagePreview, 120) || personName(c)}</bdi>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
