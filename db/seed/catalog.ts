// Step 2: what a marketer prepares before posting: campaigns, content templates, hashtag groups,
// saved replies and signatures.
import * as schema from '../schema';
import { DAY, writer, type SeedContext } from './context';

export function seedCatalog(ctx: SeedContext): void {
  const rng = ctx.rng.fork('catalog');
  const { brand } = ctx;
  const span = ctx.now - ctx.start;

  const campaigns = writer(ctx, schema.campaigns, [
    'id', 'workspaceId', 'name', 'description', 'status', 'type', 'targetAudience', 'businessType', 'goals',
    'views', 'conversions', 'revenueGenerated', 'startsAt', 'endsAt', 'launchedAt', 'color', 'payload', 'createdAt', 'updatedAt',
  ]);
  const colors = ['#f97316', '#0ea5e9', '#22c55e', '#a855f7', '#eab308', '#ef4444', '#14b8a6', '#6366f1'];
  for (let i = 0; i < ctx.scale.campaigns; i++) {
    const spec = brand.campaigns[i % brand.campaigns.length];
    if (!spec) break;
    // Spread over the history; the last one runs into the future.
    const startsAt = Math.round(ctx.start + (span * (i + 0.5)) / (ctx.scale.campaigns + 0.5));
    const endsAt = startsAt + rng.int(14, 45) * DAY;
    const createdAt = startsAt - rng.int(7, 21) * DAY;
    const running = endsAt > ctx.now;
    const views = rng.int(800, 40_000);
    const conversions = Math.round(views * (0.01 + rng.next() * 0.04));
    const id = rng.uuidv7(createdAt);
    campaigns.add({
      id,
      workspaceId: ctx.workspaceId,
      name: i < brand.campaigns.length ? spec.name : `${spec.name} ${new Date(startsAt).getUTCFullYear()}`,
      description: spec.description,
      status: running ? (startsAt > ctx.now ? 'ready' : 'launched') : 'archived',
      type: 'social',
      targetAudience: spec.audience,
      businessType: brand.businessType,
      goals: spec.goals,
      views: running ? Math.round(views / 3) : views,
      conversions: running ? Math.round(conversions / 3) : conversions,
      revenueGenerated: Math.round(conversions * (15 + rng.next() * 40)),
      startsAt,
      endsAt,
      launchedAt: startsAt <= ctx.now ? startsAt : null,
      color: colors[i % colors.length] ?? null,
      payload: {},
      createdAt,
      updatedAt: Math.min(ctx.now, endsAt),
    });
    ctx.campaignIds.push({ id, startsAt, endsAt });
  }
  campaigns.close();

  const t0 = ctx.start - DAY;
  const templates = writer(ctx, schema.contentTemplates, ['id', 'workspaceId', 'name', 'businessType', 'theme', 'templateText', 'platform', 'active', 'isBuiltin', 'createdAt', 'updatedAt']);
  for (const tpl of brand.templates) {
    const id = rng.uuidv7(t0);
    templates.add({
      id,
      workspaceId: ctx.workspaceId,
      name: tpl.name,
      businessType: brand.businessType,
      theme: tpl.theme,
      templateText: tpl.text,
      platform: null,
      active: true,
      isBuiltin: false,
      createdAt: t0,
      updatedAt: t0,
    });
    ctx.templateIds.push(id);
  }
  templates.close();

  const groups = writer(ctx, schema.hashtagGroups, ['id', 'workspaceId', 'name', 'hashtags', 'createdAt', 'updatedAt']);
  for (const g of brand.hashtagGroups) groups.add({ id: rng.uuidv7(t0), workspaceId: ctx.workspaceId, name: g.name, hashtags: g.tags, createdAt: t0, updatedAt: t0 });
  groups.close();

  const replies = writer(ctx, schema.savedReplies, ['id', 'workspaceId', 'title', 'content', 'shortcut', 'tags', 'useCount', 'createdAt', 'updatedAt']);
  for (const r of brand.savedReplies) {
    replies.add({ id: rng.uuidv7(t0), workspaceId: ctx.workspaceId, title: r.title, content: r.content, shortcut: r.shortcut, tags: [], useCount: rng.int(3, 400), createdAt: t0, updatedAt: t0 });
  }
  replies.close();

  const sigs = writer(ctx, schema.signatures, ['id', 'workspaceId', 'name', 'content', 'platform', 'isDefault', 'createdAt', 'updatedAt']);
  sigs.add({ id: rng.uuidv7(t0), workspaceId: ctx.workspaceId, name: 'Team', content: `— the ${brand.name} team`, platform: null, isDefault: true, createdAt: t0, updatedAt: t0 });
  sigs.add({ id: rng.uuidv7(t0), workspaceId: ctx.workspaceId, name: 'Link in bio', content: `More at ${brand.website}`, platform: 'instagram', isDefault: false, createdAt: t0, updatedAt: t0 });
  sigs.close();
}
