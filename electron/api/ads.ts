// Paid ads beside organic results: Meta and Google ad accounts (credentials sealed by the vault,
// never returned), their ad campaigns, and daily figures imported from the platforms' CSV exports.
import { z } from 'zod';
import { createAdAccount, getAdAccount, listAdAccounts, removeAdAccount, SUPPORTED_AD_PLATFORMS, updateAdAccount } from '../core/ads/accounts';
import { detectPlatform, importAdMetrics, linkAdCampaign, listAdCampaigns } from '../core/ads/metrics-import';
import { IMPORT_MAX_BYTES, IMPORT_MODES } from '../core/campaigns/csv-table';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const secret = z.string().trim().max(4096).optional();
const credentials = z.object({ accessToken: secret, developerToken: secret, loginCustomerId: secret, refreshToken: secret });
const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'a 3-letter currency code like USD or EUR')
  .transform((c) => c.toUpperCase());
const timezone = z
  .string()
  .trim()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA timezone like Europe/Paris');

export const adsApi = area('ads', {
  'ads.accounts': method({
    description: "A workspace's ad accounts (Meta, Google): ids, name, currency, timezone, status, whether credentials are saved (never the credentials), and how many ad campaigns each has.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listAdAccounts(ctx.db, i.workspaceId),
  }),
  'ads.accountCreate': method({
    description: 'Add a Meta (act_… id) or Google Ads (123-456-7890) account; credentials (access token, developer token…) are sealed at rest.',
    input: z.object({
      workspaceId,
      platform: z.enum(SUPPORTED_AD_PLATFORMS),
      externalAccountId: z.string().trim().min(1, 'enter the ad account id').max(40),
      name: z.string().trim().max(200).nullable().optional(),
      currency: currency.nullable().optional(),
      timezone: timezone.nullable().optional(),
      credentials: credentials.optional(),
    }),
    handler: (ctx, i) => createAdAccount(ctx, i),
  }),
  'ads.accountUpdate': method({
    description: "Change an ad account's name, currency, timezone, status or credentials (null removes them).",
    input: z.object({
      adAccountId: id,
      name: z.string().trim().max(200).nullable().optional(),
      currency: currency.nullable().optional(),
      timezone: timezone.nullable().optional(),
      status: z.enum(['active', 'paused']).optional(),
      credentials: credentials.nullable().optional(),
    }),
    handler: (ctx, { adAccountId, ...patch }) => updateAdAccount(ctx, adAccountId, patch),
  }),
  'ads.accountRemove': method({
    description: 'Remove an ad account with its sealed credentials, its ad campaigns and their figures.',
    input: z.object({ adAccountId: id }),
    handler: (ctx, i) => removeAdAccount(ctx, i.adAccountId),
  }),
  'ads.campaigns': method({
    description: "Ad campaigns with their summed figures (days, impressions, clicks, conversions, spend), filtered by marketing campaign or ad account.",
    input: z.object({ workspaceId, campaignId: id.optional(), adAccountId: id.optional() }),
    handler: (ctx, i) => listAdCampaigns(ctx, i),
  }),
  'ads.linkCampaign': method({
    description: 'Attach an ad campaign to a marketing campaign (its figures count in that campaign), or detach it with campaignId null.',
    input: z.object({ adCampaignId: id, campaignId: id.nullable() }),
    handler: (ctx, i) => linkAdCampaign(ctx, i.adCampaignId, i.campaignId),
  }),
  'ads.detectExport': method({
    description: "Which platform's export a CSV is (meta | google | null), from its header.",
    input: z.object({ csv: z.string().max(IMPORT_MAX_BYTES + 1024) }),
    handler: (_ctx, i) => ({ platform: detectPlatform(i.csv) }),
  }),
  'ads.importMetrics': method({
    description:
      "Import daily figures from a Meta Ads Manager export (Campaign name, Day, Amount spent (CUR), Impressions, Reach, Link clicks, Results…) or a Google Ads campaign report (Day, Campaign, Cost, Impr., Clicks, Conversions…) into an ad account. " +
      'Ad campaigns are created as first seen (linked to campaignId when given); a day imported again replaces its figures. Bad rows are listed by row number; mode all_or_nothing (default) or good_rows_only; dryRun only checks.',
    input: z.object({
      adAccountId: id,
      csv: z.string().min(1, 'the file is empty').max(IMPORT_MAX_BYTES + 1024),
      campaignId: id.optional(),
      mode: z.enum(IMPORT_MODES).optional(),
      dryRun: z.boolean().optional(),
    }),
    handler: (ctx, i) => {
      getAdAccount(ctx.db, i.adAccountId);
      return importAdMetrics(ctx, i);
    },
  }),
});
