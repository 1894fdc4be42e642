// Step 1: the workspace (brand profile, posting preferences, AI settings, the local user as its
// owner) and one connected account per platform. Accounts are 'active' but have no secrets:
// a demo never holds real tokens, so anything that needs the network says the account must be
// reconnected.
import { eq } from 'drizzle-orm';
import type BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../schema';
import { DAY, writer, type SeedContext, type SeededAccount } from './context';
import { accountShape } from './platforms';
import type { Brand } from './brand';
import type { Rng } from './random';

export interface WorkspaceInput {
  name: string;
  brand: Brand;
  rng: Rng;
  createdAt: number;
  /** Stored in workspaces.settings.demo so the app can tell demo data apart. */
  demo: Record<string, unknown>;
}

/** Insert the workspace row; returns its id. */
export function insertWorkspace(sqlite: BetterSqlite3.Database, input: WorkspaceInput): string {
  const orm = drizzle({ client: sqlite, schema, casing: 'snake_case' });
  const { brand, rng, createdAt } = input;
  const id = rng.uuidv7(createdAt);
  orm
    .insert(schema.workspaces)
    .values({
      id,
      name: input.name,
      businessType: brand.businessType,
      description: brand.description,
      website: brand.website,
      locationCity: brand.city,
      locationState: brand.state,
      brandVoice: brand.brandVoice,
      timezone: brand.timezone,
      color: brand.color,
      settings: { demo: input.demo },
      isSetupComplete: true,
      setupCompletedAt: createdAt,
      setupData: { source: 'demo' },
      createdAt,
      updatedAt: createdAt,
    })
    .run();
  return id;
}

/** Preferences, AI settings, the monitoring default and the local user's ownership. */
export function seedWorkspaceSettings(ctx: SeedContext): void {
  const orm = drizzle({ client: ctx.sqlite, schema, casing: 'snake_case' });
  const t = ctx.start - DAY;
  const rng = ctx.rng.fork('settings');
  const ws = ctx.workspaceId;
  orm
    .insert(schema.workspacePreferences)
    .values({
      id: rng.uuidv7(t),
      workspaceId: ws,
      postingFrequency: ctx.scale.name === 'large' ? 14 : 5,
      preferredTimes: ['08:00', '12:30', '17:30'],
      themesEnabled: ['tip', 'promotion', 'seasonal', 'testimonial', 'fun_fact'],
      avoidKeywords: ['cheap', 'diet'],
      createdAt: t,
      updatedAt: t,
    })
    .run();
  orm
    .insert(schema.aiSettings)
    .values({
      id: rng.uuidv7(t),
      workspaceId: ws,
      tone: ctx.brand.brandVoice,
      systemPrompt: `You answer messages for ${ctx.brand.name}, ${ctx.brand.description} Be warm and brief, and only state facts found in the knowledge base.`,
      flaggedKeywords: ['refund', 'lawyer', 'allergic reaction', 'sick'],
      flaggedPhrases: ['speak to the owner', 'real person'],
      instructions: 'Escalate complaints, refunds and anything about health or safety to a human.',
      ignoreExamples: ['Promote it on our page', 'Check my bio'],
      createdAt: t,
      updatedAt: t,
    })
    .run();
  orm
    .insert(schema.monitoringRules)
    .values({ id: rng.uuidv7(t), workspaceId: ws, autoMonitorCount: 10, monitoringDurationDays: 7, createdAt: t, updatedAt: t })
    .run();
  // The app makes one local user on first need (electron/core/workspaces); do the same so the
  // demo workspace has an owner like any other.
  let local = orm.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.isLocal, true)).get();
  local ??= orm.insert(schema.users).values({ isLocal: true }).returning({ id: schema.users.id }).get();
  orm.insert(schema.workspaceMembers).values({ workspaceId: ws, userId: local.id, role: 'owner', createdAt: t, updatedAt: t }).run();
}

/** Typical audience size per network for a small local business. */
const FOLLOWERS: Partial<Record<schema.Platform, number>> = {
  instagram: 18_400,
  facebook: 9_200,
  bluesky: 2_100,
  mastodon: 1_300,
  x: 4_700,
  linkedin: 950,
};

export function seedAccounts(ctx: SeedContext): void {
  const rng = ctx.rng.fork('accounts');
  const w = writer(ctx, schema.accounts, [
    'id',
    'workspaceId',
    'platform',
    'platformAccountId',
    'username',
    'displayName',
    'profileUrl',
    'avatarUrl',
    'serverUrl',
    'authKind',
    'scopes',
    'status',
    'connectedAt',
    'lastSyncedAt',
    'followersCount',
    'followingCount',
    'metadata',
    'createdAt',
    'updatedAt',
  ]);
  ctx.accounts = ctx.scale.platforms.map((platform, i): SeededAccount => {
    const connectedAt = ctx.start - DAY + i * 3_600_000;
    const shape = accountShape(rng, platform, ctx.brand.handle, ctx.brand.name);
    const scaleFactor = ctx.scale.name === 'large' ? 1 : 0.25;
    const followers = Math.round((FOLLOWERS[platform] ?? 1000) * scaleFactor * (0.8 + 0.4 * rng.next()));
    const id = rng.uuidv7(connectedAt);
    w.add({
      id,
      workspaceId: ctx.workspaceId,
      platform,
      platformAccountId: shape.platformAccountId,
      username: shape.username,
      displayName: shape.displayName,
      profileUrl: shape.profileUrl,
      avatarUrl: `${ctx.brand.website}/avatar.png`,
      serverUrl: shape.serverUrl,
      authKind: shape.authKind,
      scopes: shape.scopes,
      status: 'active',
      connectedAt,
      lastSyncedAt: ctx.now - rng.int(1, 30) * 60_000,
      followersCount: followers,
      followingCount: rng.int(80, 900),
      // No account_secrets row: the demo has no tokens, and says so.
      metadata: { demo: true },
      createdAt: connectedAt,
      updatedAt: connectedAt,
    });
    return { id, platform, username: shape.username, platformAccountId: shape.platformAccountId, followers };
  });
  w.close();
}
