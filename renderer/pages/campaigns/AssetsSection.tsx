// The campaign's assets (landing page copy, email sequence, ad copy…): the latest version of each,
// edited in place (saving keeps the previous version, listed under History), written with AI when
// an endpoint is set up (the button says how to set one up when not), inserted from the library or
// saved to it.
import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import type { CampaignDetail } from './campaign-format';

type Component = CampaignDetail['components'][number];
type ComponentType = Component['componentType'];
type TypeOption = ApiOutput<'campaigns.componentTypes'>[number];

const SETUP_HINT = 'To write assets with AI, set up an endpoint in Settings → AI (OpenAI, OpenRouter, or a local Ollama or LM Studio).';

function AssetCard({ c, onChanged, say }: { c: Component; onChanged: () => void; say: (t: string, error?: boolean) => void }) {
  const [text, setText] = useState(c.content);
  const [history, setHistory] = useState<Component[] | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(c.content), [c.id, c.content]);

  const save = async () => {
    setBusy(true);
    try {
      const v = await call('campaigns.componentUpdate', { componentId: c.id, content: text });
      say(`Saved "${v.name}" as version ${v.version}; version ${c.version} is kept in its history.`);
      setHistory(null);
      onChanged();
    } catch (err) {
      say(`Could not save "${c.name}": ${messageOf(err)}`, true);
    } finally {
      setBusy(false);
    }
  };
  const toggleHistory = async () => {
    if (history) return setHistory(null);
    try {
      setHistory(await call('campaigns.componentHistory', { componentId: c.id }));
    } catch (err) {
      say(`Could not load the history: ${messageOf(err)}`, true);
    }
  };
  const toLibrary = async () => {
    try {
      await call('library.saveComponent', { componentId: c.id, tags: [] });
      say(`Saved "${c.name}" to the library.`);
    } catch (err) {
      say(`Could not save to the library: ${messageOf(err)}`, true);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete "${c.name}" and all its versions?`)) return;
    try {
      await call('campaigns.componentDelete', { componentId: c.id });
      onChanged();
    } catch (err) {
      say(`Could not delete: ${messageOf(err)}`, true);
    }
  };

  return (
    <li className="casset">
      <div className="casset__head">
        <h3 className="casset__name">{c.name}</h3>
        <span className="badge badge--soft">v{c.version}</span>
        {c.ai ? <span className="casset__meta">written by {c.ai.model}</span> : null}
      </div>
      <textarea className="textarea casset__text" rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-label={`${c.name} text`} />
      <div className="casset__actions">
        <button type="button" className="button button--small button--primary" disabled={busy || text === c.content} onClick={() => void save()}>
          Save as version {c.version + 1}
        </button>
        <button type="button" className="button button--small" onClick={() => void toggleHistory()} aria-expanded={history !== null}>
          History ({c.version})
        </button>
        <button type="button" className="button button--small" onClick={() => void toLibrary()}>
          Save to library
        </button>
        <button type="button" className="link-button" onClick={() => void remove()}>
          Delete
        </button>
      </div>
      {history ? (
        <ol className="casset__history" aria-label={`Versions of ${c.name}`}>
          {history.map((v) => (
            <li key={v.id}>
              <details>
                <summary>
                  Version {v.version} · {new Date(v.createdAt).toLocaleString()} {v.ai ? `· ${v.ai.model}` : ''}
                </summary>
                <pre className="casset__old">{v.content}</pre>
              </details>
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function AssetsSection({ detail, onChanged, say, workspaceId }: { detail: CampaignDetail; onChanged: () => void; say: (t: string, error?: boolean) => void; workspaceId: string }) {
  const [types, setTypes] = useState<TypeOption[]>([]);
  const [aiReady, setAiReady] = useState<boolean | null>(null);
  const [adding, setAdding] = useState<'hand' | 'ai' | 'library' | null>(null);
  const [type, setType] = useState<ComponentType>('landing_page');
  const [name, setName] = useState('');
  const [brief, setBrief] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [library, setLibrary] = useState<ApiOutput<'library.search'>['items']>([]);
  const id = detail.campaign.id;

  useEffect(() => {
    void call('campaigns.componentTypes', {}).then(setTypes);
    call('ai.settings', { workspaceId })
      .then((s) => setAiReady(s.effective.configured))
      .catch(() => setAiReady(false));
  }, [workspaceId]);
  useEffect(() => {
    if (adding !== 'library') return;
    call('library.search', { workspaceId })
      .then((r) => setLibrary(r.items))
      .catch((err: unknown) => setError(`Could not load the library: ${messageOf(err)}`));
  }, [adding, workspaceId]);

  const close = () => {
    setAdding(null);
    setError(null);
    setBrief('');
    setName('');
  };
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      if (adding === 'ai') {
        const c = await call('campaigns.componentGenerate', { campaignId: id, componentType: type, brief, name: name || undefined });
        say(`${c.name} written${c.ai ? ` by ${c.ai.model} ($${c.ai.costUsd.toFixed(4)})` : ''}.`);
      } else {
        await call('campaigns.componentCreate', { campaignId: id, componentType: type, name: name || types.find((t) => t.type === type)?.label || 'Asset', content: brief });
      }
      close();
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const insert = async (libraryId: string) => {
    try {
      const c = await call('library.insert', { libraryId, campaignId: id });
      say(`Inserted "${c.name}" from the library.`);
      close();
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="csection" aria-labelledby="cassets-h">
      <div className="csection__head">
        <h2 id="cassets-h" className="csection__title">
          Assets
        </h2>
        <div className="csection__actions">
          <button type="button" className="button button--small" onClick={() => setAdding('hand')}>
            Add asset…
          </button>
          <button type="button" className="button button--small" onClick={() => setAdding('library')}>
            From library…
          </button>
          <button type="button" className="button button--small button--primary" onClick={() => setAdding('ai')} title={aiReady === false ? SETUP_HINT : undefined}>
            Generate with AI…
          </button>
        </div>
      </div>
      {aiReady === false ? <p className="casset__hint">{SETUP_HINT}</p> : null}
      {detail.components.length === 0 ? (
        <p className="empty--inline">No assets yet: landing page copy, an email sequence, ad copy… Write one, take one from the library, or generate one.</p>
      ) : (
        <ul className="cassets">
          {detail.components.map((c) => (
            <AssetCard key={c.id} c={c} onChanged={onChanged} say={say} />
          ))}
        </ul>
      )}
      <Dialog open={adding === 'hand' || adding === 'ai'} onClose={close} title={adding === 'ai' ? 'Generate an asset with AI' : 'Add an asset'} className="dialog--form">
        <div className="form">
          {adding === 'ai' && aiReady === false ? <p className="inline-error">{SETUP_HINT}</p> : null}
          <label className="field">
            <span className="field__label">Kind</span>
            <select className="input" value={type} onChange={(e) => setType(e.target.value as ComponentType)}>
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">
              Name <span className="field__optional">optional</span>
            </span>
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </label>
          <label className="field">
            <span className="field__label">{adding === 'ai' ? 'What should it say?' : 'Text'}</span>
            <textarea className="textarea" rows={adding === 'ai' ? 3 : 8} value={brief} onChange={(e) => setBrief(e.target.value)} placeholder={adding === 'ai' ? 'Warm and short; mention the free starter jar' : ''} />
            {adding === 'ai' ? <span className="field__hint">The campaign&apos;s goal, audience and dates are sent with it. The call is metered in Settings → AI → Usage.</span> : null}
          </label>
          {error ? (
            <p className="form__error" role="alert">
              {error}
            </p>
          ) : null}
          {busy && adding === 'ai' ? <p role="status">Writing…</p> : null}
          <div className="form__actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void create()}>
              {adding === 'ai' ? 'Generate' : 'Add'}
            </button>
          </div>
        </div>
      </Dialog>
      <Dialog open={adding === 'library'} onClose={close} title="Insert from the library" description="The campaign gets its own copy; editing it leaves the library item as it is." className="dialog--form">
        <div className="form">
          {error ? (
            <p className="form__error" role="alert">
              {error}
            </p>
          ) : null}
          {library.length === 0 ? <p className="empty--inline">The library is empty. Save an asset to it with “Save to library”, or add one on the Library tab.</p> : null}
          <ul className="cpick">
            {library.map((item) => (
              <li key={item.id} className="cpick__item">
                <span className="cpick__text">
                  <strong>{item.name}</strong> {item.tags.map((t) => `#${t}`).join(' ')}
                </span>
                <button type="button" className="button button--small" onClick={() => void insert(item.id)}>
                  Insert
                </button>
              </li>
            ))}
          </ul>
          <div className="form__actions">
            <button type="button" className="button" onClick={close}>
              Close
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
