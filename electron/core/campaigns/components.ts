// A campaign's assets (004 campaign_components): landing page copy, email sequence, ad copy, form,
// pricing block... Each edit is a new row (version + 1, parent_component_id = the version it came
// from), so the previous text is always there to compare with or go back to. The latest version of
// a chain is the row no other live row names as its parent; edits are only accepted on the latest,
// so a chain never forks. Generation goes through the metered `complete` with the campaign's brief.
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { type COMPONENT_TYPES } from '../../../db/schema/enums';
import { ApiError } from '../../api/errors';
import { complete } from '../ai/complete';
import type { ApiContext } from '../context';
import { campaignRow, toCampaignView } from './campaigns';

export type ComponentType = (typeof COMPONENT_TYPES)[number];

/** What each type is to a marketer, and what the model is asked for. */
export const COMPONENT_BRIEFS: Record<ComponentType, { label: string; ask: string }> = {
  landing_page: { label: 'Landing page copy', ask: 'landing page copy: a headline, a subheadline, three short benefit sections, social proof and one clear call to action' },
  email_template: { label: 'Email sequence', ask: 'an email sequence of three emails (subject line, preview text and body for each), spaced a few days apart' },
  custom: { label: 'Ad copy', ask: 'ad copy: three variants, each with a headline under 40 characters, primary text under 125 characters and a call to action' },
  hero_section: { label: 'Hero section', ask: 'a hero section: headline, one-sentence subheadline and a button label' },
  form: { label: 'Sign-up form', ask: 'a sign-up form: its title, the fields to ask for with their labels, the button label and the thank-you message' },
  testimonials: { label: 'Testimonials block', ask: 'a testimonials block: an introduction line and placeholders for three customer quotes, saying what each should be about' },
  pricing: { label: 'Pricing block', ask: 'a pricing block: up to three tiers with name, price placeholder, what is included and a button label' },
  popup: { label: 'Pop-up', ask: 'a pop-up: a short headline, one sentence of offer and a button label' },
  header: { label: 'Header', ask: 'a page header: the navigation labels and a short tagline' },
  footer: { label: 'Footer', ask: 'a page footer: contact line, links to list and a one-line sign-off' },
  navigation: { label: 'Navigation', ask: 'navigation labels for the campaign pages' },
};

export interface ComponentView {
  id: string;
  campaignId: string;
  workspaceId: string;
  name: string;
  componentType: ComponentType;
  content: string;
  version: number;
  parentComponentId: string | null;
  /** The model, cost and brief when AI wrote this version. */
  ai: { generationId: string; model: string; costUsd: number; brief: string } | null;
  views: number;
  clicks: number;
  conversions: number;
  sortOrder: number;
  createdAt: number;
}

interface ComponentRow {
  id: string;
  campaign_id: string;
  workspace_id: string;
  name: string;
  component_type: ComponentType;
  code: string | null;
  version: number;
  parent_component_id: string | null;
  ai_generation_metadata: string | null;
  views: number;
  clicks: number;
  conversions: number;
  sort_order: number;
  created_at: number;
}

function toView(r: ComponentRow): ComponentView {
  let ai: ComponentView['ai'] = null;
  if (r.ai_generation_metadata) {
    const m = JSON.parse(r.ai_generation_metadata) as Record<string, unknown>;
    if (typeof m['generationId'] === 'string') ai = { generationId: m['generationId'], model: String(m['model'] ?? ''), costUsd: Number(m['costUsd'] ?? 0), brief: String(m['brief'] ?? '') };
  }
  return {
    id: r.id,
    campaignId: r.campaign_id,
    workspaceId: r.workspace_id,
    name: r.name,
    componentType: r.component_type,
    content: r.code ?? '',
    version: r.version,
    parentComponentId: r.parent_component_id,
    ai,
    views: r.views,
    clicks: r.clicks,
    conversions: r.conversions,
    sortOrder: r.sort_order,
    createdAt: r.created_at,
  };
}

const LATEST = `NOT EXISTS (SELECT 1 FROM campaign_components n WHERE n.parent_component_id = c.id AND n.deleted_at IS NULL)`;

function rowOf(db: Database, componentId: string): ComponentRow {
  const r = db.sqlite.prepare(`SELECT * FROM campaign_components WHERE id = ? AND deleted_at IS NULL`).get(componentId) as ComponentRow | undefined;
  if (!r) throw new ApiError('not_found', 'That asset does not exist (it may have been deleted). Refresh the campaign.');
  return r;
}

function isLatest(db: Database, componentId: string): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM campaign_components c WHERE c.id = ? AND ${LATEST}`).get(componentId) !== undefined;
}

/** The latest version of each of a campaign's assets, in their order. */
export function listComponents(db: Database, campaignId: string): ComponentView[] {
  campaignRow(db, campaignId);
  const rows = db.sqlite
    .prepare(`SELECT * FROM campaign_components c WHERE c.campaign_id = ? AND c.deleted_at IS NULL AND ${LATEST} ORDER BY c.sort_order, c.created_at`)
    .all(campaignId) as ComponentRow[];
  return rows.map(toView);
}

/** Every version of the asset, newest first (walks parent links from the given version or the latest after it). */
export function componentHistory(db: Database, componentId: string): ComponentView[] {
  rowOf(db, componentId);
  // Follow children to the latest first, then parents back to version 1.
  const latest = db.sqlite
    .prepare(
      `WITH RECURSIVE down(id) AS (SELECT ? UNION ALL SELECT c.id FROM campaign_components c JOIN down ON c.parent_component_id = down.id WHERE c.deleted_at IS NULL)
       SELECT c.id FROM campaign_components c JOIN down ON down.id = c.id ORDER BY c.version DESC LIMIT 1`,
    )
    .get(componentId) as { id: string };
  const rows = db.sqlite
    .prepare(
      `WITH RECURSIVE up(id, parent) AS (
         SELECT id, parent_component_id FROM campaign_components WHERE id = ?
         UNION ALL SELECT c.id, c.parent_component_id FROM campaign_components c JOIN up ON c.id = up.parent)
       SELECT c.* FROM campaign_components c JOIN up ON up.id = c.id ORDER BY c.version DESC`,
    )
    .all(latest.id) as ComponentRow[];
  return rows.map(toView);
}

export interface NewComponent {
  campaignId: string;
  name: string;
  componentType: ComponentType;
  content: string;
  ai?: ComponentView['ai'] | undefined;
  props?: Record<string, unknown> | undefined;
}

export function createComponent(ctx: ApiContext, input: NewComponent): ComponentView {
  const c = campaignRow(ctx.db, input.campaignId);
  const id = newId();
  const now = Date.now();
  const sort = (ctx.db.sqlite.prepare(`SELECT COALESCE(MAX(sort_order), -1) + 1 AS n FROM campaign_components WHERE campaign_id = ?`).get(c.id) as { n: number }).n;
  ctx.db.sqlite
    .prepare(
      `INSERT INTO campaign_components (id, workspace_id, campaign_id, name, component_type, code, props, ai_generation_metadata, version, sort_order, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    )
    .run(id, c.workspaceId, c.id, input.name.trim(), input.componentType, input.content, JSON.stringify(input.props ?? {}), input.ai ? JSON.stringify(input.ai) : null, sort, now, now);
  ctx.events.emit('campaigns.changed', { workspaceId: c.workspaceId, campaignId: c.id });
  return toView(rowOf(ctx.db, id));
}

/** A new version from the latest one; the old row stays as it was. */
export function reviseComponent(
  ctx: ApiContext,
  componentId: string,
  patch: { name?: string | undefined; content?: string | undefined; ai?: ComponentView['ai'] | undefined },
): ComponentView {
  const prev = rowOf(ctx.db, componentId);
  if (!isLatest(ctx.db, componentId)) {
    throw new ApiError('conflict', `Version ${prev.version} of "${prev.name}" is not the latest: someone saved a newer one. Open the latest version and edit that.`);
  }
  const name = patch.name?.trim() ?? prev.name;
  const content = patch.content ?? prev.code ?? '';
  if (name === prev.name && content === (prev.code ?? '') && !patch.ai) return toView(prev);
  const id = newId();
  const now = Date.now();
  ctx.db.sqlite
    .prepare(
      `INSERT INTO campaign_components (id, workspace_id, campaign_id, name, component_type, code, props, css_styles, export_formats, ai_generation_metadata, version, parent_component_id, sort_order, created_at, updated_at)
       SELECT ?, workspace_id, campaign_id, ?, component_type, ?, props, css_styles, export_formats, ?, version + 1, id, sort_order, ?, ?
         FROM campaign_components WHERE id = ?`,
    )
    .run(id, name, content, patch.ai ? JSON.stringify(patch.ai) : null, now, now, componentId);
  ctx.events.emit('campaigns.changed', { workspaceId: prev.workspace_id, campaignId: prev.campaign_id });
  return toView(rowOf(ctx.db, id));
}

/** Deletes the asset with all its versions (tombstones, so sync carries the delete). */
export function deleteComponent(ctx: ApiContext, componentId: string): { deleted: number } {
  const r = rowOf(ctx.db, componentId);
  const ids = componentHistory(ctx.db, componentId).map((v) => v.id);
  const now = Date.now();
  const upd = ctx.db.sqlite.prepare(`UPDATE campaign_components SET deleted_at = ?, updated_at = ? WHERE id = ?`);
  ctx.db.sqlite.transaction(() => ids.forEach((id) => upd.run(now, now, id)))();
  ctx.events.emit('campaigns.changed', { workspaceId: r.workspace_id, campaignId: r.campaign_id });
  return { deleted: ids.length };
}

/** The messages sent to the model: the campaign as a brief, and what to write. */
export function generationMessages(campaign: ReturnType<typeof toCampaignView>, type: ComponentType, brief: string, previous: string | null) {
  const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
  const facts = [
    `Campaign: ${campaign.name}`,
    campaign.description ? `About: ${campaign.description}` : null,
    campaign.goals.length ? `Goals: ${campaign.goals.join('; ')}` : null,
    campaign.targetAudience ? `Audience: ${campaign.targetAudience}` : null,
    campaign.startsAt || campaign.endsAt ? `Runs: ${day(campaign.startsAt) ?? '…'} to ${day(campaign.endsAt) ?? '…'}` : null,
  ].filter((l): l is string => l !== null);
  const system =
    'You write marketing assets for a small business campaign. Answer with the asset itself in plain text or Markdown, ' +
    'ready to paste, with no preamble and no explanation. Never invent prices, dates or guarantees the brief does not give; write [placeholder] instead.';
  const user = [
    facts.join('\n'),
    `Write ${COMPONENT_BRIEFS[type].ask}.`,
    brief.trim() ? `Notes from the marketer: ${brief.trim()}` : null,
    previous ? `Improve this current version rather than starting over:\n---\n${previous}\n---` : null,
  ]
    .filter(Boolean)
    .join('\n\n');
  return [
    { role: 'system' as const, content: system },
    { role: 'user' as const, content: user },
  ];
}

/**
 * Writes an asset with the workspace's AI endpoint (metered as a 'component' generation linked to
 * the campaign). With componentId the answer becomes that asset's next version; otherwise a new
 * asset. No endpoint: the AI layer's not_configured error says where to set one up.
 */
export async function generateComponent(
  ctx: ApiContext,
  input: { campaignId: string; componentType: ComponentType; brief: string; name?: string | undefined; componentId?: string | undefined },
): Promise<ComponentView> {
  const row = campaignRow(ctx.db, input.campaignId);
  let previous: ComponentRow | null = null;
  if (input.componentId) {
    previous = rowOf(ctx.db, input.componentId);
    if (previous.campaign_id !== row.id) throw new ApiError('invalid_input', 'That asset belongs to another campaign.');
    if (!isLatest(ctx.db, previous.id)) throw new ApiError('conflict', 'A newer version of this asset exists. Open the latest version and generate from it.');
  }
  const type = previous?.component_type ?? input.componentType;
  const result = await complete(ctx, {
    workspaceId: row.workspaceId,
    feature: 'component',
    messages: generationMessages(toCampaignView(row), type, input.brief, previous?.code ?? null),
    maxTokens: 1500,
    links: { campaignId: row.id },
  });
  const text = result.text.trim();
  if (text === '') throw new ApiError('unavailable', 'The AI model answered with nothing. Try again, or pick another model in Settings → AI.');
  const ai = { generationId: result.generationId, model: result.model, costUsd: result.costUsd, brief: input.brief };
  if (previous) return reviseComponent(ctx, previous.id, { content: text, ai });
  return createComponent(ctx, { campaignId: row.id, name: input.name?.trim() || COMPONENT_BRIEFS[type].label, componentType: type, content: text, ai });
}
