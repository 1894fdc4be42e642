// Campaigns: create/edit/archive, attach posts, the campaign view (posts, ads, assets, totals),
// versioned assets (written by hand or generated with AI), and conversions and events imported
// from CSV. Watch 'campaigns.changed'.
import { z } from 'zod';
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES } from '../../db/schema/campaigns';
import { COMPONENT_TYPES } from '../../db/schema/enums';
import type { ApiContext } from '../core/context';
import { listAdCampaigns } from '../core/ads/metrics-import';
import { archiveCampaign, attachablePosts, attachPosts, campaignPosts, createCampaign, detachPost, getCampaign, listCampaigns, updateCampaign } from '../core/campaigns/campaigns';
import { COMPONENT_BRIEFS, componentHistory, createComponent, deleteComponent, generateComponent, listComponents, reviseComponent } from '../core/campaigns/components';
import { IMPORT_MAX_BYTES, IMPORT_MODES } from '../core/campaigns/csv-table';
import { campaignTotals } from '../core/campaigns/totals';
import { importConversions, importEvents } from '../core/campaigns/tracking-import';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const name = z.string().trim().min(1, 'give the campaign a name').max(200);
const epoch = z.number().int().min(0).max(8_640_000_000_000);
const budget = z.object({
  amount: z.number().min(0, 'a budget cannot be negative').max(1e12),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'a 3-letter currency code like USD or EUR')
    .transform((c) => c.toUpperCase()),
});
const fields = {
  description: z.string().max(5000).nullable().optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  type: z.enum(CAMPAIGN_TYPES).optional(),
  goals: z.array(z.string().trim().min(1).max(300)).max(20).optional(),
  targetAudience: z.string().trim().max(2000).nullable().optional(),
  startsAt: epoch.nullable().optional(),
  endsAt: epoch.nullable().optional(),
  budget: budget.nullable().optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #3366ff')
    .nullable()
    .optional(),
};
const componentType = z.enum(COMPONENT_TYPES);
const content = z.string().max(200_000, 'an asset is limited to 200,000 characters');
const csv = z.string().min(1, 'the file is empty').max(IMPORT_MAX_BYTES + 1024, `files up to ${IMPORT_MAX_BYTES / 1024 / 1024} MB are imported`);
const importInput = z.object({
  campaignId: id,
  csv,
  mode: z.enum(IMPORT_MODES).optional(),
  dryRun: z.boolean().optional(),
});

function detail(ctx: ApiContext, campaignId: string) {
  const campaign = getCampaign(ctx.db, campaignId);
  return {
    campaign,
    posts: campaignPosts(ctx.db, campaignId),
    ads: listAdCampaigns(ctx, { workspaceId: campaign.workspaceId, campaignId }),
    components: listComponents(ctx.db, campaignId),
    totals: campaignTotals(ctx.db, campaignId),
  };
}

export const campaignsApi = area('campaigns', {
  'campaigns.list': method({
    description: "A workspace's campaigns, newest first, with how many posts, ad campaigns and assets each has; archived ones only with includeArchived.",
    input: z.object({ workspaceId, includeArchived: z.boolean().optional() }),
    handler: (ctx, i) => listCampaigns(ctx.db, i.workspaceId, { includeArchived: i.includeArchived ?? false }),
  }),
  'campaigns.create': method({
    description: 'Create a campaign: name, goals, audience, dates (epoch ms), budget {amount, currency}, status (draft | generating | ready | launched | paused | archived), type.',
    input: z.object({ workspaceId, name, ...fields }),
    handler: (ctx, i) => createCampaign(ctx, i),
  }),
  'campaigns.update': method({
    description: "Change a campaign's fields; null clears one. Moving to launched stamps launchedAt once.",
    input: z.object({ campaignId: id, name: name.optional(), ...fields }),
    handler: (ctx, { campaignId, ...patch }) => updateCampaign(ctx, campaignId, patch),
  }),
  'campaigns.archive': method({
    description: 'Archive a campaign (archived: true) or bring it back to the status it had (false). Its posts, ads and figures stay attached.',
    input: z.object({ campaignId: id, archived: z.boolean() }),
    handler: (ctx, i) => archiveCampaign(ctx, i.campaignId, i.archived),
  }),
  'campaigns.get': method({
    description: 'The campaign view: the campaign, its posts with per-network figures, its ad campaigns with summed figures, the latest version of each asset, and its totals (organic, ads, conversions, events).',
    input: z.object({ campaignId: id }),
    handler: (ctx, i) => detail(ctx, i.campaignId),
  }),
  'campaigns.totals': method({
    description: "A campaign's totals: organic engagement of its posts, ad spend/impressions/clicks/conversions by currency, conversions by UTM source and medium, events by type.",
    input: z.object({ campaignId: id }),
    handler: (ctx, i) => campaignTotals(ctx.db, i.campaignId),
  }),
  'campaigns.attachablePosts': method({
    description: "The workspace's posts not in this campaign, newest first, optionally matching a text query (for the attach picker).",
    input: z.object({ campaignId: id, query: z.string().max(200).optional() }),
    handler: (ctx, i) => attachablePosts(ctx.db, i.campaignId, i.query),
  }),
  'campaigns.attachPosts': method({
    description: 'Attach posts to the campaign (a post belongs to one campaign at most; attaching moves it).',
    input: z.object({ campaignId: id, postIds: z.array(id).min(1).max(500) }),
    handler: (ctx, i) => attachPosts(ctx, i.campaignId, [...new Set(i.postIds)]),
  }),
  'campaigns.detachPost': method({
    description: 'Take a post out of the campaign (the post itself is kept).',
    input: z.object({ campaignId: id, postId: id }),
    handler: (ctx, i) => detachPost(ctx, i.campaignId, i.postId),
  }),
  'campaigns.componentTypes': method({
    description: 'The kinds of asset a campaign can hold, with the label shown for each.',
    input: z.object({}),
    handler: () => COMPONENT_TYPES.map((t) => ({ type: t, label: COMPONENT_BRIEFS[t].label })),
  }),
  'campaigns.components': method({
    description: "The latest version of each of the campaign's assets.",
    input: z.object({ campaignId: id }),
    handler: (ctx, i) => listComponents(ctx.db, i.campaignId),
  }),
  'campaigns.componentCreate': method({
    description: 'Add an asset written by hand (version 1).',
    input: z.object({ campaignId: id, name: z.string().trim().min(1, 'name the asset').max(200), componentType, content }),
    handler: (ctx, i) => createComponent(ctx, i),
  }),
  'campaigns.componentUpdate': method({
    description: 'Edit an asset: saves a new version (version + 1) and keeps the previous one. Only the latest version can be edited (conflict otherwise).',
    input: z.object({ componentId: id, name: z.string().trim().min(1).max(200).optional(), content: content.optional() }),
    handler: (ctx, i) => reviseComponent(ctx, i.componentId, i),
  }),
  'campaigns.componentHistory': method({
    description: 'Every version of an asset, newest first.',
    input: z.object({ componentId: id }),
    handler: (ctx, i) => componentHistory(ctx.db, i.componentId),
  }),
  'campaigns.componentDelete': method({
    description: 'Delete an asset with all its versions.',
    input: z.object({ componentId: id }),
    handler: (ctx, i) => deleteComponent(ctx, i.componentId),
  }),
  'campaigns.componentGenerate': method({
    description:
      "Write an asset with the workspace's AI endpoint from the campaign's brief (metered as a 'component' generation). With componentId the answer becomes that asset's next version. " +
      'No endpoint set up: ai_not_configured, with where to set one up.',
    input: z.object({
      campaignId: id,
      componentType,
      brief: z.string().max(4000).default(''),
      name: z.string().trim().max(200).optional(),
      componentId: id.optional(),
    }),
    handler: (ctx, i) => generateComponent(ctx, i),
  }),
  'campaigns.importConversions': method({
    description:
      'Import conversions from CSV text (columns found by name: occurred_at/date, conversion_type, value, currency, utm_source, utm_medium, session_id). ' +
      'Every row is checked first; the report lists each bad row by its spreadsheet row number with the reason. mode all_or_nothing (default) writes nothing if any row is bad; good_rows_only writes the good ones. dryRun only checks. Rows already imported are skipped.',
    input: importInput,
    handler: (ctx, i) => importConversions(ctx, i),
  }),
  'campaigns.importEvents': method({
    description:
      'Import campaign events from CSV text (occurred_at/date, event_type: view | click | conversion | form_submit | email_open | email_click, utm_source, utm_medium, session_id, referrer, country, region, city). Same checks and modes as importConversions.',
    input: importInput,
    handler: (ctx, i) => importEvents(ctx, i),
  }),
});
