// Ads beside organic results, through the real API handlers on a real database file: Meta and
// Google ad accounts with their credentials sealed (not in the file in clear, never returned);
// daily figures imported from each platform's own CSV export format (Meta Ads Manager's "Amount
// spent (USD)" columns, Google Ads' report with its title rows and Total lines), re-imports that
// replace a day instead of doubling it, and bad rows named by row number with nothing half-written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdCredentials } from '../../electron/core/ads/accounts';
import { parseDay } from '../../electron/core/ads/metrics-import';
import { startTestCore, type TestCore } from '../helpers/core';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'csv', name), 'utf8');

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core?.cleanup();
});

async function setup() {
  const ws = (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'America/New_York' })).id;
  const campaign = await core.call('campaigns.create', { workspaceId: ws, name: 'Spring Bake' });
  return { ws, campaign };
}
const metricsOf = (adAccountId: string) =>
  core.ctx.db.sqlite
    .prepare(`SELECT c.name, m.date, m.impressions, m.reach, m.clicks, m.conversions, m.spend, m.revenue FROM ad_metrics m JOIN ad_campaigns c ON c.id = m.ad_campaign_id WHERE c.ad_account_id = ? ORDER BY c.name, m.date`)
    .all(adAccountId) as { name: string; date: string; impressions: number; reach: number; clicks: number; conversions: number; spend: number; revenue: number }[];

describe('ad accounts', () => {
  it('given a Meta account with an access token, when saved, then the id is normalised, the token is sealed in account_secrets and only "has credentials" is listed', async () => {
    const { ws } = await setup();
    const a = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: '1234567890', name: 'Crumb Ads', currency: 'usd', credentials: { accessToken: 'EAAB-secret-token-123' } });
    expect(a).toMatchObject({ platform: 'meta', externalAccountId: 'act_1234567890', currency: 'USD', hasCredentials: true });
    expect(JSON.stringify(await core.call('ads.accounts', { workspaceId: ws }))).not.toContain('EAAB-secret');
    const sealed = core.ctx.db.sqlite.prepare(`SELECT credentials_encrypted AS c, access_token_encrypted AS t FROM account_secrets WHERE ad_account_id = ?`).get(a.id) as { c: string; t: string };
    expect(sealed.c).not.toContain('EAAB');
    expect(sealed.t).not.toContain('EAAB');
    expect(readAdCredentials(core.ctx, a.id)).toEqual({ accessToken: 'EAAB-secret-token-123' });

    await core.call('ads.accountUpdate', { adAccountId: a.id, credentials: null });
    expect((await core.call('ads.accounts', { workspaceId: ws }))[0]!.hasCredentials).toBe(false);
    expect(core.ctx.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM account_secrets WHERE ad_account_id = ?`).get(a.id)).toEqual({ n: 0 });
  });

  it('given ids that are not the platform\'s, when saved, then each is refused saying where to find the right one; a second copy of an account is a conflict', async () => {
    const { ws } = await setup();
    await expect(core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '12-34' })).rejects.toThrow(/10-digit number at the top of Google Ads/);
    await expect(core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: 'my account' })).rejects.toThrow(/Ads Manager → Account overview/);
    const g = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '1234567890', credentials: { developerToken: 'dev-tok', loginCustomerId: '111-222-3333' } });
    expect(g.externalAccountId).toBe('123-456-7890');
    await expect(core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '123-456-7890' })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('Meta Ads Manager export', () => {
  it('given a daily export, when imported into the campaign, then each campaign-day lands with spend, reach, link clicks and results, and the campaign totals show them beside organic', async () => {
    const { ws, campaign } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: 'act_555000111', currency: 'USD' });
    expect(await core.call('ads.detectExport', { csv: fixture('meta-ads-export.csv') })).toEqual({ platform: 'meta' });
    const r = await core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('meta-ads-export.csv'), campaignId: campaign.id });
    expect(r).toMatchObject({ platform: 'meta', committed: true, written: 4, adCampaignsCreated: 2 });
    expect(r.columns).toMatchObject({ spend: 'Amount spent (USD)', clicks: 'Link clicks', conversions: 'Results', day: 'Day', campaignId: 'Campaign ID' });
    expect(metricsOf(acc.id)).toEqual([
      { name: 'Spring Bake – Traffic', date: '2026-03-01', impressions: 2410, reach: 1820, clicks: 52, conversions: 14, spend: 38.2, revenue: 0 },
      { name: 'Spring Bake – Traffic', date: '2026-03-02', impressions: 2105, reach: 1640, clicks: 41, conversions: 11, spend: 35.1, revenue: 0 },
      { name: 'Workshop leads', date: '2026-03-01', impressions: 1120, reach: 910, clicks: 18, conversions: 3, spend: 22, revenue: 0 },
      { name: 'Workshop leads', date: '2026-03-02', impressions: 1050, reach: 870, clicks: 15, conversions: 0, spend: 20.5, revenue: 0 },
    ]);
    const view = await core.call('campaigns.get', { campaignId: campaign.id });
    expect(view.ads.map((a) => [a.name, a.days, a.spend])).toEqual([
      ['Spring Bake – Traffic', 2, 73.3],
      ['Workshop leads', 2, 42.5],
    ]);
    expect(view.totals.ads).toMatchObject({ adCampaigns: 2, days: 4, impressions: 6685, clicks: 126, conversions: 28, spend: [{ currency: 'USD', amount: 115.8 }], firstDate: '2026-03-01', lastDate: '2026-03-02' });
  });

  it('given the same days exported again with corrected figures, when imported, then those days are replaced, not added', async () => {
    const { ws } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: 'act_555000222', currency: 'USD' });
    await core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('meta-ads-export.csv') });
    const corrected = fixture('meta-ads-export.csv').replace(',38.20,', ',40.00,');
    const r = await core.call('ads.importMetrics', { adAccountId: acc.id, csv: corrected });
    expect(r).toMatchObject({ written: 4, adCampaignsCreated: 0 });
    const rows = metricsOf(acc.id);
    expect(rows).toHaveLength(4);
    expect(rows[0]!.spend).toBe(40);
  });

  it('given an export with bad rows, when imported, then each is named by row with its reason and nothing is written; good rows only writes the one good day', async () => {
    const { ws } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: 'act_555000333', currency: 'USD' });
    const csv = fixture('meta-ads-bad-rows.csv');
    const r = await core.call('ads.importMetrics', { adAccountId: acc.id, csv });
    expect(r).toMatchObject({ committed: false, written: 0, summary: { total: 5, ok: 1, failed: 4 } });
    expect(r.rows.filter((x) => !x.ok).map((x) => [x.line, x.errors.join(' ')])).toEqual([
      [3, expect.stringMatching(/Day "2026-03-32" isn't a date/)],
      [4, expect.stringMatching(/Amount spent \(USD\): "thirty" isn't a number/)],
      [5, expect.stringMatching(/Campaign name is empty/)],
      [6, expect.stringMatching(/Amount spent \(USD\) is negative/)],
    ]);
    expect(metricsOf(acc.id)).toEqual([]);
    expect(core.ctx.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ad_campaigns WHERE ad_account_id = ?`).get(acc.id)).toEqual({ n: 0 });

    const good = await core.call('ads.importMetrics', { adAccountId: acc.id, csv, mode: 'good_rows_only' });
    expect(good.written).toBe(1);
    expect(metricsOf(acc.id).map((m) => m.date)).toEqual(['2026-03-03']);
  });

  it('given a Meta export without the Day breakdown, or in another currency, or a Google file picked for a Meta account, when imported, then the file is refused saying what to do', async () => {
    const { ws } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'meta', externalAccountId: 'act_555000444', currency: 'EUR' });
    const noDay = '"Campaign name","Amount spent (EUR)","Impressions"\nSpring,10,100\n';
    await expect(core.call('ads.importMetrics', { adAccountId: acc.id, csv: noDay })).rejects.toThrow(/Breakdown → By time → Day/);
    await expect(core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('meta-ads-export.csv') })).rejects.toThrow(/in USD but the ad account is set to EUR/);
    await expect(core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('google-ads-report.csv') })).rejects.toThrow(/looks like a Google Ads export/);
  });
});

describe('Google Ads report', () => {
  it('given a campaign report with its title rows, "Mar 1, 2026" days and Total lines, when imported, then the days land, the totals are skipped, and conversions and value are kept', async () => {
    const { ws, campaign } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '987-654-3210', currency: 'USD' });
    const r = await core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('google-ads-report.csv'), campaignId: campaign.id });
    expect(r).toMatchObject({ platform: 'google', committed: true, written: 4, adCampaignsCreated: 2, summary: { total: 6, failed: 0, totals: 2 } });
    expect(r.rows.map((x) => x.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(r.columns).toMatchObject({ impressions: 'Impr.', spend: 'Cost', revenue: 'Conv. value' });
    expect(metricsOf(acc.id)).toEqual([
      { name: 'Brand – Bakery', date: '2026-03-01', impressions: 322, reach: 0, clicks: 19, conversions: 1, spend: 4.05, revenue: 45 },
      { name: 'Brand – Bakery', date: '2026-03-02', impressions: 301, reach: 0, clicks: 17, conversions: 0, spend: 3.95, revenue: 0 },
      { name: 'Spring Bake Search', date: '2026-03-01', impressions: 1204, reach: 0, clicks: 37, conversions: 2, spend: 12.4, revenue: 90 },
      { name: 'Spring Bake Search', date: '2026-03-02', impressions: 1310, reach: 0, clicks: 41, conversions: 3, spend: 14.1, revenue: 135 },
    ]);
    const totals = await core.call('campaigns.totals', { campaignId: campaign.id });
    expect(totals.ads).toMatchObject({ impressions: 3137, clicks: 114, conversions: 6, spend: [{ currency: 'USD', amount: 34.5 }], revenue: [{ currency: 'USD', amount: 270 }] });
  });

  it('given a report with bad rows, when imported, then wrong currency, unreadable day and non-numbers are named by row and nothing is written', async () => {
    const { ws } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '987-654-0000', currency: 'USD' });
    const r = await core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('google-ads-bad-rows.csv') });
    expect(r.written).toBe(0);
    expect(r.rows.filter((x) => !x.ok).map((x) => [x.line, x.errors.join(' ')])).toEqual([
      [5, expect.stringMatching(/Currency code is EUR but the ad account is in USD/)],
      [6, expect.stringMatching(/Day "yesterday" isn't a date/)],
      [7, expect.stringMatching(/Clicks: "many" isn't a number/)],
    ]);
    expect(metricsOf(acc.id)).toEqual([]);
  });

  it('given the day formats Google writes, when read, then each is the ISO date and impossible dates are refused', () => {
    expect(['2026-03-01', 'Mar 1, 2026', 'Sun, Mar 1, 2026', 'March 1, 2026'].map(parseDay)).toEqual(['2026-03-01', '2026-03-01', '2026-03-01', '2026-03-01']);
    expect(['Feb 30, 2026', '2026-13-01', 'yesterday'].map(parseDay)).toEqual([null, null, null]);
  });
});

describe('linking ad campaigns', () => {
  it('given an ad campaign imported without a campaign, when linked and then unlinked, then its figures enter and leave the campaign totals', async () => {
    const { ws, campaign } = await setup();
    const acc = await core.call('ads.accountCreate', { workspaceId: ws, platform: 'google', externalAccountId: '555-444-3333', currency: 'USD' });
    await core.call('ads.importMetrics', { adAccountId: acc.id, csv: fixture('google-ads-report.csv') });
    const [first] = await core.call('ads.campaigns', { workspaceId: ws, adAccountId: acc.id });
    expect((await core.call('campaigns.totals', { campaignId: campaign.id })).ads.adCampaigns).toBe(0);
    await core.call('ads.linkCampaign', { adCampaignId: first!.id, campaignId: campaign.id });
    expect((await core.call('campaigns.totals', { campaignId: campaign.id })).ads).toMatchObject({ adCampaigns: 1, clicks: 36 });
    await core.call('ads.linkCampaign', { adCampaignId: first!.id, campaignId: null });
    expect((await core.call('campaigns.totals', { campaignId: campaign.id })).ads.adCampaigns).toBe(0);
  });
});
