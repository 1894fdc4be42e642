// The shapes of ids and URLs on each network, so demo rows look like what the connectors store
// (Bluesky DIDs and at:// URIs, LinkedIn URNs, numeric Meta ids, Mastodon snowflakes, ...).
import type { Platform } from '../schema';
import type { Rng } from './random';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const TID = '234567abcdefghijklmnopqrstuvwxyz';

export interface AccountShape {
  platformAccountId: string;
  username: string;
  displayName: string;
  profileUrl: string;
  serverUrl: string | null;
  authKind: 'oauth2' | 'app_password';
  scopes: string[];
}

export function accountShape(rng: Rng, platform: Platform, handle: string, brandName: string): AccountShape {
  switch (platform) {
    case 'bluesky':
      return {
        platformAccountId: `did:plc:${rng.token(24)}`,
        username: `${handle}.bsky.social`,
        displayName: brandName,
        profileUrl: `https://bsky.app/profile/${handle}.bsky.social`,
        serverUrl: 'https://bsky.social',
        authKind: 'app_password',
        scopes: [],
      };
    case 'mastodon':
      return {
        platformAccountId: rng.digits(18),
        username: `${handle}@mastodon.social`,
        displayName: brandName,
        profileUrl: `https://mastodon.social/@${handle}`,
        serverUrl: 'https://mastodon.social',
        authKind: 'oauth2',
        scopes: ['read', 'write'],
      };
    case 'x':
      return {
        platformAccountId: rng.digits(19),
        username: handle,
        displayName: brandName,
        profileUrl: `https://x.com/${handle}`,
        serverUrl: null,
        authKind: 'oauth2',
        scopes: ['tweet.read', 'tweet.write', 'users.read', 'dm.read', 'dm.write', 'offline.access'],
      };
    case 'linkedin':
      return {
        platformAccountId: `urn:li:organization:${rng.digits(8)}`,
        username: handle,
        displayName: brandName,
        profileUrl: `https://www.linkedin.com/company/${handle}`,
        serverUrl: null,
        authKind: 'oauth2',
        scopes: ['w_organization_social', 'r_organization_social'],
      };
    case 'facebook':
      return {
        platformAccountId: rng.digits(15),
        username: handle,
        displayName: brandName,
        profileUrl: `https://www.facebook.com/${handle}`,
        serverUrl: null,
        authKind: 'oauth2',
        scopes: ['pages_manage_posts', 'pages_read_engagement', 'pages_messaging'],
      };
    default:
      return {
        platformAccountId: rng.digits(17),
        username: handle,
        displayName: brandName,
        profileUrl: `https://www.instagram.com/${handle}/`,
        serverUrl: null,
        authKind: 'oauth2',
        scopes: ['instagram_basic', 'instagram_content_publish', 'instagram_manage_comments', 'instagram_manage_messages'],
      };
  }
}

/** A published post's id and public URL on its network. */
export function postRef(rng: Rng, platform: Platform, account: { platformAccountId: string; username: string }): { id: string; url: string } {
  switch (platform) {
    case 'bluesky': {
      const rkey = rng.token(13, TID);
      return {
        id: `at://${account.platformAccountId}/app.bsky.feed.post/${rkey}`,
        url: `https://bsky.app/profile/${account.username}/post/${rkey}`,
      };
    }
    case 'mastodon': {
      const id = rng.digits(18);
      return { id, url: `https://mastodon.social/@${account.username.split('@')[0] ?? account.username}/${id}` };
    }
    case 'x': {
      const id = rng.digits(19);
      return { id, url: `https://x.com/${account.username}/status/${id}` };
    }
    case 'linkedin': {
      const id = `urn:li:share:${rng.digits(19)}`;
      return { id, url: `https://www.linkedin.com/feed/update/${id}/` };
    }
    case 'facebook': {
      const post = rng.digits(16);
      return { id: `${account.platformAccountId}_${post}`, url: `https://www.facebook.com/${account.platformAccountId}/posts/${post}` };
    }
    default: {
      const code = rng.token(11, B64URL);
      return { id: rng.digits(17), url: `https://www.instagram.com/p/${code}/` };
    }
  }
}

/** A person's id on a network (what DMs and comments carry as the author). */
export function personId(rng: Rng, platform: Platform): string {
  switch (platform) {
    case 'bluesky':
      return `did:plc:${rng.token(24)}`;
    case 'mastodon':
    case 'x':
      return rng.digits(18);
    case 'linkedin':
      return `urn:li:person:${rng.token(10, B64URL)}`;
    default:
      return rng.digits(16);
  }
}

/** A handle as shown on the network for a person called `name`. */
export function personHandle(rng: Rng, platform: Platform, name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]+/g, rng.chance(0.5) ? '.' : '_');
  const handle = rng.chance(0.6) ? `${base}${rng.int(1, 999)}` : base;
  if (platform === 'bluesky') return `${handle.replace(/[._]/g, '-')}.bsky.social`;
  if (platform === 'mastodon') return `${handle.replace(/\./g, '_')}@${rng.pick(['mastodon.social', 'hachyderm.io', 'mas.to', 'fosstodon.org'])}`;
  return handle;
}

/** A comment's id on its network. */
export function commentId(rng: Rng, platform: Platform, postId: string): string {
  switch (platform) {
    case 'bluesky':
      // A reply lives in its author's repository, not the post's.
      return `at://did:plc:${rng.token(24)}/app.bsky.feed.post/${rng.token(13, TID)}`;
    case 'facebook':
      return `${postId.split('_')[1] ?? postId}_${rng.digits(16)}`;
    case 'linkedin':
      return `urn:li:comment:(${postId},${rng.digits(19)})`;
    default:
      return rng.digits(18);
  }
}
