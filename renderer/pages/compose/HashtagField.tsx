// Hashtags for the post (added at the end of the text where it does not already use them, as
// publishing does), with the workspace's saved groups to add in one click and the chosen accounts'
// own defaults.
import { useId, useState } from 'react';
import { messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { TagInput } from '../../components/TagInput';
import { accountHandle, accountName, type AccountView } from '../accounts/account-labels';
import { addHashtags, splitHashtags } from '../accounts/hashtags';
import { useHashtagGroups } from './hashtag-groups';

/** The engine takes letters, digits and _ only (posts.create): drop what it would refuse. */
export function splitPostHashtags(text: string): string[] {
  return splitHashtags(text).filter((t) => /^#[\p{L}\p{N}_]+$/u.test(t));
}

export function HashtagField({
  workspaceId,
  hashtags,
  accounts,
  readOnly,
  onChange,
}: {
  workspaceId: string;
  hashtags: readonly string[];
  /** The chosen accounts, for their default hashtags. */
  accounts: readonly AccountView[];
  readOnly: boolean;
  onChange: (tags: string[]) => void;
}) {
  const id = useId();
  const groups = useHashtagGroups(workspaceId);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [groupError, setGroupError] = useState<string | null>(null);

  const act = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setGroupError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setGroupError(`${what}: ${messageOf(err)}`);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const lower = new Set(hashtags.map((t) => t.toLowerCase()));
  const missingOf = (tags: readonly string[]) => tags.filter((t) => !lower.has(t.toLowerCase()));
  const defaults = accounts
    .map((a) => ({ who: accountHandle(a) ?? accountName(a), tags: missingOf(a.defaults.hashtags.filter((t) => /^#[\p{L}\p{N}_]+$/u.test(t))) }))
    .filter((d) => d.tags.length > 0);

  return (
    <div className="cmp-hashtags">
      <label className="cmp-label" htmlFor={id}>
        Hashtags
      </label>
      {readOnly ? (
        <p className="cmp-hashtags__static">{hashtags.length > 0 ? hashtags.join(' ') : <span className="muted">None</span>}</p>
      ) : (
        <TagInput
          control={{ id, 'aria-describedby': `${id}-hint`, 'aria-invalid': undefined }}
          values={hashtags}
          onChange={onChange}
          split={splitPostHashtags}
          add={addHashtags}
          placeholder="#sourdough #smallbusiness"
          itemLabel="hashtag"
        />
      )}
      <p id={`${id}-hint`} className="field__hint">
        Added at the end of the post where the text does not already use them; counted in each network’s limit.
      </p>
      {readOnly ? null : (
        <div className="cmp-hashtags__extras">
          {defaults.map((d) => (
            <button key={d.who} type="button" className="cmp-pill" onClick={() => onChange(addHashtags(hashtags, d.tags))}>
              <Icon name="plus" size={12} />
              {d.who}’s defaults: {d.tags.join(' ')}
            </button>
          ))}
          {groups.items.map((g) => (
            <span key={g.id} className="cmp-pill cmp-pill--group" data-testid="hashtag-group">
              <button type="button" className="cmp-pill__main" onClick={() => onChange(addHashtags(hashtags, g.hashtags))} title={g.hashtags.join(' ')} disabled={missingOf(g.hashtags).length === 0}>
                <Icon name="plus" size={12} />
                {g.name}
                <span className="cmp-pill__tags">{g.hashtags.join(' ')}</span>
              </button>
              <button type="button" className="cmp-pill__remove" aria-label={`Delete the hashtag group ${g.name}`} disabled={busy} onClick={() => void act(`Could not delete ${g.name}`, () => groups.remove(g))}>
                <Icon name="x" size={11} />
              </button>
            </span>
          ))}
          {hashtags.length > 0 && !naming ? (
            <button type="button" className="link-button cmp-hashtags__save" onClick={() => setNaming(true)}>
              Save these as a group…
            </button>
          ) : null}
          {naming ? (
            <form
              className="cmp-hashtags__name"
              onSubmit={(e) => {
                e.preventDefault();
                e.stopPropagation();
                if (name.trim() === '' || busy) return;
                void act('Could not save the group', () => groups.save(name, hashtags)).then((ok) => {
                  if (!ok) return;
                  setName('');
                  setNaming(false);
                });
              }}
            >
              <input
                className="input cmp-hashtags__name-input"
                aria-label="Group name"
                placeholder="Group name, e.g. Bakery"
                value={name}
                maxLength={60}
                autoFocus
                onChange={(e) => setName(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setNaming(false);
                  }
                }}
              />
              <button type="submit" className="button button--small" disabled={busy}>
                Save group
              </button>
            </form>
          ) : null}
          {groups.status === 'error' ? (
            <p className="inline-error cmp-hashtags__error" role="alert">
              Could not load the saved hashtag groups: {messageOf(groups.error)}{' '}
              <button type="button" className="link-button" onClick={groups.reload}>
                Try again
              </button>
            </p>
          ) : null}
          {groupError ? (
            <p className="inline-error cmp-hashtags__error" role="alert">
              {groupError}
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}
