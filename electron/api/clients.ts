// For agencies: every workspace is a client. The overview shows each client's month (posts
// published, engagement, ad spend, AI cost) and records the month's AI use in client_billing.
import { z } from 'zod';
import { clientOverview, recordBilling } from '../core/clients/overview';
import { area, method } from './contract';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11');

export const clientsApi = area('clients', {
  'clients.overview': method({
    description: 'One line per workspace (client) for a UTC calendar month: posts published, publications, likes/comments/shares/reach, engagement rate, active campaigns, ad spend by currency, AI cost and tokens, and what client_billing holds for the month.',
    input: z.object({ month }),
    handler: (ctx, i) => clientOverview(ctx.db, i.month),
  }),
  'clients.recordBilling': method({
    description: "Write each client's AI use for the month into client_billing (one row per client and month, replacing an earlier recording). Returns the overview.",
    input: z.object({ month }),
    handler: (ctx, i) => recordBilling(ctx, i.month),
  }),
});
