// The studio's defaults under the chat list: the model new chats use and standing instructions for
// every answer. Saved per workspace (ai_studio_settings).
import { useEffect, useState, type FormEvent } from 'react';
import { call, messageOf } from '../../api/client';
import type { CatalogueModel } from '../settings/ai-settings';
import { modelChoices, type StudioSettings } from './studio-view';

export function StudioDefaults({ settings, catalogue, onSaved }: { settings: StudioSettings; catalogue: readonly CatalogueModel[]; onSaved(s: StudioSettings): void }) {
  const [model, setModel] = useState(settings.defaultModel);
  const [instructions, setInstructions] = useState(settings.defaultSystemPrompt ?? '');
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  useEffect(() => {
    setModel(settings.defaultModel);
    setInstructions(settings.defaultSystemPrompt ?? '');
  }, [settings.defaultModel, settings.defaultSystemPrompt]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'saving' });
    try {
      onSaved(await call('studio.updateSettings', { workspaceId: settings.workspaceId, defaultModel: model, defaultSystemPrompt: instructions.trim() === '' ? null : instructions }));
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: messageOf(err) });
    }
  };

  return (
    <details className="studio-defaults">
      <summary>Studio defaults</summary>
      <form onSubmit={(e) => void save(e)}>
        <label>
          <span>Model for new chats</span>
          <select className="input" value={model} onChange={(e) => setModel(e.target.value)}>
            {modelChoices(catalogue, settings, settings.defaultModel).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Instructions for every answer</span>
          <textarea className="input" rows={3} maxLength={20_000} value={instructions} placeholder="e.g. Keep answers short; suggest emojis sparingly." onChange={(e) => setInstructions(e.target.value)} />
        </label>
        <button type="submit" className="button button--small" disabled={state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save defaults'}
        </button>
        {state.kind === 'saved' ? (
          <span className="muted" role="status">
            Saved.
          </span>
        ) : null}
        {state.kind === 'error' ? (
          <span className="inline-error" role="alert">
            Not saved: {state.message}
          </span>
        ) : null}
      </form>
    </details>
  );
}
