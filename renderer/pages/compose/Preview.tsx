// How the post will look on each network: a plain, faithful card (initials avatar, the account's
// name and handle, the text with its line breaks, links/hashtags/mentions coloured, the images
// grid, the thread below it, the first comment under it). No remote images: only the window's
// own /media files, so the preview works offline and tells no network the app is open.
import { Fragment } from 'react';
import { accountHandle, accountInitials, accountName, platformName, type AccountView } from '../accounts/account-labels';
import { NetworkMark } from '../accounts/AccountAvatar';
import type { MediaDraft } from './draft';
import { textParts } from './text-parts';

export interface PreviewPost {
  account: AccountView;
  text: string;
  threadParts: readonly string[];
  firstComment: string | null;
  media: readonly MediaDraft[];
  /** When it goes out, as the network would show it ("now", "Tue 24 Nov, 09:30"). */
  when: string;
}

function PostText({ text, platform }: { text: string; platform: string }) {
  if (text.trim() === '') return <p className="pv-text pv-text--empty">Nothing written yet.</p>;
  return (
    <p className="pv-text">
      {textParts(text, { bareDomains: platform === 'x' }).map((p, i) =>
        p.kind === 'text' ? <Fragment key={i}>{p.text}</Fragment> : (
          <span key={i} className={`pv-${p.kind}`}>
            {p.text}
          </span>
        ),
      )}
    </p>
  );
}

function Images({ media }: { media: readonly MediaDraft[] }) {
  const shown = media.filter((m) => m.kind === 'image' || m.kind === 'gif' || m.kind === 'video');
  if (shown.length === 0) return null;
  return (
    <div className={`pv-media pv-media--${Math.min(shown.length, 4)}`}>
      {shown.slice(0, 4).map((m) =>
        m.kind === 'video' ? (
          <div key={m.mediaId} className="pv-media__item pv-media__item--video">
            <span>Video · {m.filename}</span>
          </div>
        ) : (
          <img key={m.mediaId} className="pv-media__item" src={m.url} alt={m.altText} loading="lazy" />
        ),
      )}
      {shown.length > 4 ? <span className="pv-media__more">+{shown.length - 4}</span> : null}
    </div>
  );
}

function Head({ account, platform, sub }: { account: AccountView; platform: string; sub?: string }) {
  const name = accountName(account);
  const handle = accountHandle(account);
  return (
    <div className="pv-head">
      <span className={`pv-avatar pv-avatar--${platform}`} aria-hidden="true">
        {accountInitials(account)}
      </span>
      <div className="pv-who">
        <span className="pv-name">{name}</span>
        <span className="pv-handle">
          {handle && handle !== name ? `${handle} · ` : ''}
          {sub ?? 'now'}
        </span>
      </div>
      <NetworkMark platform={platform} size="sm" />
    </div>
  );
}

export function PreviewCard({ post }: { post: PreviewPost }) {
  const platform = post.account.platform;
  const network = platformName(platform);
  const parts = post.threadParts.filter((t) => t.trim() !== '');
  // Instagram leads with the picture and puts the caption under it.
  const captionFirst = platform !== 'instagram';
  return (
    <figure className={`pv pv--${platform}`} aria-label={`Preview on ${network}`}>
      <div className="pv-post">
        <Head account={post.account} platform={platform} sub={post.when === 'now' && (platform === 'linkedin' || platform === 'facebook') ? 'Just now' : post.when} />
        {captionFirst ? <PostText text={post.text} platform={platform} /> : null}
        <Images media={post.media} />
        {captionFirst ? null : <PostText text={post.text} platform={platform} />}
      </div>
      {parts.map((t, i) => (
        <div key={i} className="pv-post pv-post--reply">
          <Head account={post.account} platform={platform} sub={post.when} />
          <PostText text={t} platform={platform} />
        </div>
      ))}
      {post.firstComment && post.firstComment.trim() !== '' ? (
        <div className="pv-comment">
          <span className="pv-comment__label">First comment</span>
          <PostText text={post.firstComment} platform={platform} />
        </div>
      ) : null}
      {platform === 'instagram' && post.media.length === 0 ? <p className="pv-note">Instagram needs at least one picture or video.</p> : null}
    </figure>
  );
}
