import { z } from 'zod';
import { BRAND_VOICES, CONTENT_THEMES } from '../../db/schema';
import {
  createWorkspace,
  deleteWorkspace,
  getPreferences,
  getWorkspace,
  listWorkspaces,
  updatePreferences,
  updateWorkspace,
} from '../core/workspaces/workspaces';
import { area, method } from './contract';
import { ApiError } from './errors';
import { workspaceId } from './fields';

const timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not a known IANA timezone, e.g. "Europe/Paris"');

/** A local time of day, 'HH:MM' (24 h). */
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, e.g. 09:30');
const preferencesFields = {
  postingFrequency: z.number().int().min(0).max(100),
  preferredTimes: z.array(timeOfDay).max(24),
};

// Defaults live only on create: a patch that omits a field must leave it unchanged.
const profileFields = {
  name: z.string().trim().min(1, 'a brand name is needed').max(120),
  businessType: z.string().trim().max(80),
  brandVoice: z.enum(BRAND_VOICES),
  timezone,
  description: z.string().max(2000),
  website: z.string().max(500),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
};

const newWorkspaceFields = z.object({
  ...profileFields,
  businessType: profileFields.businessType.default('other'),
  brandVoice: profileFields.brandVoice.default('professional'),
  description: profileFields.description.optional(),
  website: profileFields.website.optional(),
  color: profileFields.color.optional(),
  postingFrequency: preferencesFields.postingFrequency.optional(),
  preferredTimes: preferencesFields.preferredTimes.optional(),
});

const workspacePatch = z.object(profileFields).partial();


export const workspacesApi = area('workspaces', {
  'workspaces.list': method({
    description: 'All workspaces (brands or clients), oldest first.',
    input: z.object({}),
    handler: (ctx) => listWorkspaces(ctx.db),
  }),
  'workspaces.get': method({
    description: 'One workspace by id.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => getWorkspace(ctx.db, i.workspaceId),
  }),
  'workspaces.create': method({
    description: 'Create a workspace: brand name, business type, brand voice, timezone.',
    input: newWorkspaceFields,
    handler: (ctx, i) => {
      const ws = createWorkspace(ctx.db, i);
      ctx.events.emit('workspaces.changed', { workspaceId: ws.id });
      return ws;
    },
  }),
  'workspaces.update': method({
    description: 'Change a workspace\'s profile.',
    input: z.object({ workspaceId, patch: workspacePatch }),
    handler: (ctx, i) => {
      const ws = updateWorkspace(ctx.db, i.workspaceId, i.patch);
      ctx.events.emit('workspaces.changed', { workspaceId: ws.id });
      return ws;
    },
  }),
  'workspaces.getPreferences': method({
    description: 'Posting preferences: posts per week, preferred local times, themes, words to avoid.',
    input: z.object({ workspaceId }),
    handler: (ctx, i) => getPreferences(ctx.db, i.workspaceId),
  }),
  'workspaces.updatePreferences': method({
    description: 'Change posting preferences.',
    input: z.object({
      workspaceId,
      patch: z
        .object({
          ...preferencesFields,
          themesEnabled: z.array(z.enum(CONTENT_THEMES)).max(CONTENT_THEMES.length),
          avoidKeywords: z.array(z.string().trim().min(1).max(100)).max(200),
          emailWeeklySummary: z.boolean(),
          emailMonthlyReport: z.boolean(),
          pushApprovalNeeded: z.boolean(),
        })
        .partial(),
    }),
    handler: (ctx, i) => updatePreferences(ctx.db, i.workspaceId, i.patch),
  }),
  'workspaces.delete': method({
    description: 'Delete a workspace and everything in it.',
    input: z.object({ workspaceId, confirmName: z.string().max(120) }),
    handler: (ctx, i) => {
      const ws = getWorkspace(ctx.db, i.workspaceId);
      if (ws.name !== i.confirmName) {
        throw new ApiError('invalid_input', 'Type the workspace name exactly to confirm deleting it.');
      }
      deleteWorkspace(ctx.db, i.workspaceId);
      ctx.events.emit('workspaces.changed', { workspaceId: i.workspaceId });
      return { deleted: true as const };
    },
  }),
});
