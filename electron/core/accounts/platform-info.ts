// What the Accounts page needs to offer a network: its name, how it signs in, whether the user
// must bring their own developer app (and where to make one), and what it can do.
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema/enums';
import type { PlatformRegistry } from './registry';
import { getPlatformAppView } from './platform-apps';

interface Presentation {
  name: string;
  /** Label for the server field where accounts live on a server of the user's choice. */
  serverLabel: string | null;
  serverPlaceholder: string | null;
  /** Where to create the developer app, and what to paste where ({callback}: the exact callback URL). */
  appHelp: string | null;
  /** What the identifier/password fields mean for app-password sign-in. */
  passwordHelp: string | null;
}

const PRESENTATION: Partial<Record<Platform, Presentation>> = {
  bluesky: {
    name: 'Bluesky',
    serverLabel: 'Server (PDS)',
    serverPlaceholder: 'bsky.social',
    appHelp: null,
    passwordHelp: 'Use an app password, not your main password: Bluesky → Settings → Privacy and security → App passwords.',
  },
  mastodon: {
    name: 'Mastodon',
    serverLabel: 'Instance',
    serverPlaceholder: 'mastodon.social',
    appHelp: null,
    passwordHelp: null,
  },
  x: {
    name: 'X',
    serverLabel: null,
    serverPlaceholder: null,
    appHelp:
      'Create a project and app at developer.x.com, turn on OAuth 2.0 (type: Native App), add {callback} as a callback URL, and paste the OAuth 2.0 Client ID here.',
    passwordHelp: null,
  },
  facebook: {
    name: 'Facebook Pages',
    serverLabel: null,
    serverPlaceholder: null,
    appHelp:
      'Create a Business app at developers.facebook.com, add Facebook Login, add {callback} as a valid OAuth redirect URI, and paste the App ID and App Secret here.',
    passwordHelp: null,
  },
  instagram: {
    name: 'Instagram',
    serverLabel: null,
    serverPlaceholder: null,
    appHelp:
      'Instagram professional accounts connect through a Facebook Page and the same Meta app: create it at developers.facebook.com, then paste its App ID and App Secret here.',
    passwordHelp: null,
  },
  linkedin: {
    name: 'LinkedIn',
    serverLabel: null,
    serverPlaceholder: null,
    appHelp:
      'Create an app at linkedin.com/developers, add the "Share on LinkedIn" and "Sign In with LinkedIn using OpenID Connect" products, add {callback} as an authorized redirect URL, and paste the Client ID and Client Secret here.',
    passwordHelp: null,
  },
};

export interface PlatformInfo {
  platform: Platform;
  name: string;
  authKind: 'oauth2' | 'app_password';
  /** The user must register their own developer app first. */
  needsApp: boolean;
  needsClientSecret: boolean;
  appConfigured: boolean;
  appHelp: string | null;
  passwordHelp: string | null;
  serverLabel: string | null;
  serverPlaceholder: string | null;
  capabilities: {
    textLimit: number;
    threads: boolean;
    firstComment: boolean;
    nativeScheduling: boolean;
    dms: boolean;
    comments: boolean;
    metrics: boolean;
    altText: boolean;
  };
}

export function listPlatformInfo(db: Database, registry: PlatformRegistry): PlatformInfo[] {
  return registry.supported.map((platform) => {
    const connector = registry.connector(platform);
    const p = PRESENTATION[platform] ?? { name: platform, serverLabel: null, serverPlaceholder: null, appHelp: null, passwordHelp: null };
    const oauth = connector.auth.kind === 'oauth2' ? connector.auth : null;
    const needsApp = oauth !== null && oauth.clientIdSource === 'user_app';
    const app = getPlatformAppView(db, platform);
    const c = connector.capabilities;
    return {
      platform,
      name: p.name,
      authKind: connector.auth.kind,
      needsApp,
      needsClientSecret: oauth?.needsClientSecret ?? false,
      appConfigured: !needsApp || (app.clientId !== null && (!oauth?.needsClientSecret || app.hasClientSecret)),
      appHelp: p.appHelp?.replace('{callback}', `http://127.0.0.1:${registry.callbackPort}/callback`) ?? null,
      passwordHelp: p.passwordHelp,
      serverLabel: p.serverLabel,
      serverPlaceholder: p.serverPlaceholder,
      capabilities: {
        textLimit: c.text.limit.value,
        threads: c.threads,
        firstComment: c.firstComment,
        nativeScheduling: c.scheduling.native,
        dms: c.dms,
        comments: c.comments,
        metrics: c.metrics,
        altText: c.altText.supported,
      },
    };
  });
}
