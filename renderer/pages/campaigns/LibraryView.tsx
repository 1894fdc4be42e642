// The component library tab: reusable assets and templates, searched by words and tags, added by
// hand here or saved from a campaign's asset.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { snippet } from './campaign-format';

type Search = ApiOutput<'library.search'>;
type ComponentType = Search['items'][number]['componentType'];

export function LibraryView({ workspaceId, say }: { workspaceId: string; say: (t: string, error?: boolean) => void }) {
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [result, setResult] = useState<Search | null>(null);
  const [types, setTypes] = useState<ApiOutput<'campaigns.componentTypes'>>([]);
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ name: '', category: 'Template', tags: '', componentType: 'email_template' as ComponentType, content: '' });
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setResult(await call('library.search', { workspaceId, query: query || undefined, tags: tag ? [tag] : undefined }));
    } catch (err) {
      say(`Could not search the library: ${messageOf(err)}`, true);
    }
  }, [workspaceId, query, tag, say]);
  useEffect(() => {
    const t = setTimeout(() => void load(), 150);
    return () => clearTimeout(t);
  }, [load]);
  useEffect(() => {
    void call('campaigns.componentTypes', {}).then(setTypes);
  }, []);

  const save = async () => {
    setError(null);
    try {
      await call('library.save', {
        workspaceId,
        name: form.name,
        category: form.category || null,
        tags: form.tags.split(/[,\s]+/).filter(Boolean),
        componentType: form.componentType,
        content: form.content,
      });
      setAdding(false);
      setForm({ ...form, name: '', tags: '', content: '' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const remove = async (id: string, name: string) => {
    if (!window.confirm(`Delete "${name}" from the library? Copies in campaigns stay.`)) return;
    try {
      await call('library.delete', { libraryId: id });
      await load();
    } catch (err) {
      say(`Could not delete: ${messageOf(err)}`, true);
    }
  };
  const label = (t: ComponentType) => types.find((x) => x.type === t)?.label ?? t;

  return (
    <div className="clibrary">
      <div className="clibrary__bar">
        <input className="input" type="search" aria-label="Search the library" placeholder="Search name, tags or text" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
          Add to library…
        </button>
      </div>
      {result && result.tags.length > 0 ? (
        <div className="clibrary__tags" role="group" aria-label="Filter by tag">
          {result.tags.map((t) => (
            <button key={t.tag} type="button" className={`button button--small${tag === t.tag ? ' button--primary' : ''}`} aria-pressed={tag === t.tag} onClick={() => setTag(tag === t.tag ? null : t.tag)}>
              #{t.tag} ({t.count})
            </button>
          ))}
        </div>
      ) : null}
      {result?.items.length === 0 ? (
        <p className="empty--inline">{query || tag ? 'Nothing in the library matches.' : 'The library is empty. Save a campaign asset to it, or add a template here.'}</p>
      ) : (
        <ul className="cassets">
          {result?.items.map((i) => (
            <li key={i.id} className="casset">
              <div className="casset__head">
                <h3 className="casset__name">{i.name}</h3>
                <span className="badge badge--soft">{label(i.componentType)}</span>
                {i.category ? <span className="casset__meta">{i.category}</span> : null}
                <span className="casset__meta">used {i.uses}×</span>
              </div>
              <p className="casset__meta">{i.tags.map((t) => `#${t}`).join(' ')}</p>
              <p>{snippet(i.content, 200)}</p>
              <button type="button" className="link-button" onClick={() => void remove(i.id, i.name)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <Dialog open={adding} onClose={() => setAdding(false)} title="Add to the library" className="dialog--form">
        <div className="form">
          <label className="field">
            <span className="field__label">Name</span>
            <input className="input" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <div className="cform__row">
            <label className="field">
              <span className="field__label">Kind</span>
              <select className="input" value={form.componentType} onChange={(e) => setForm({ ...form, componentType: e.target.value as ComponentType })}>
                {types.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">Category</span>
              <select className="input" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
                <option>Template</option>
                <option>Asset</option>
              </select>
            </label>
          </div>
          <label className="field">
            <span className="field__label">Tags</span>
            <input className="input" value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} placeholder="email, onboarding" />
          </label>
          <label className="field">
            <span className="field__label">Text</span>
            <textarea className="textarea" rows={8} value={form.content} onChange={(e) => setForm({ ...form, content: e.target.value })} />
          </label>
          {error ? (
            <p className="form__error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setAdding(false)}>
              Cancel
            </button>
            <button type="button" className="button button--primary" onClick={() => void save()}>
              Save
            </button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
