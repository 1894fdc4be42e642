// Customers (the CRM): one contact per person across networks, with lifecycle stage and history.
// The inbox creates them as people write; these methods read and edit them.
import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../../db/schema';
import { getCustomer, listCustomers, updateCustomer } from '../core/customers/customers';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const tag = z.string().trim().min(1).max(60);

export const customersApi = area('customers', {
  'customers.list': method({
    description: 'CRM contacts by last contact, filtered by lifecycle stage and a name, handle or email.',
    input: z.object({ workspaceId, query: z.string().max(200).optional(), stage: z.enum(LIFECYCLE_STAGES).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }),
    handler: (ctx, i) => listCustomers(ctx.db, i),
  }),
  'customers.get': method({
    description: 'A contact with their handles on every network and their conversation history.',
    input: z.object({ customerId: id }),
    handler: (ctx, i) => getCustomer(ctx.db, i.customerId),
  }),
  'customers.update': method({
    description: "Change a contact's lifecycle stage, name, email, phone, notes or tags.",
    input: z.object({
      customerId: id,
      lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
      name: z.string().trim().max(200).nullable().optional(),
      email: z.string().trim().email().max(320).nullable().optional(),
      phone: z.string().trim().max(40).nullable().optional(),
      notes: z.string().max(20_000).nullable().optional(),
      tags: z.array(tag).max(30).optional(),
    }),
    handler: (ctx, i) => updateCustomer(ctx, i),
  }),
});
