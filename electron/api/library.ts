// The component library: reusable assets and templates with a category and tags, searched by
// words and tags, inserted into a campaign as its own copy.
import { z } from 'zod';
import { COMPONENT_TYPES } from '../../db/schema/enums';
import { deleteLibraryItem, insertIntoCampaign, saveComponentToLibrary, saveToLibrary, searchLibrary, updateLibraryItem } from '../core/library/library';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const tags = z.array(z.string().trim().min(1).max(60)).max(30);
const itemFields = {
  name: z.string().trim().min(1, 'name the item').max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  category: z.string().trim().max(60).nullable().optional(),
  tags: tags.optional(),
  componentType: z.enum(COMPONENT_TYPES),
  content: z.string().max(200_000),
};

export const libraryApi = area('library', {
  'library.search': method({
    description: 'Library items matching every word of query (name, description, category, tags, text) and every given tag, optionally of one type or category; plus the tags in use with counts.',
    input: z.object({
      workspaceId,
      query: z.string().max(200).optional(),
      tags: tags.optional(),
      componentType: z.enum(COMPONENT_TYPES).optional(),
      category: z.string().max(60).optional(),
    }),
    handler: (ctx, i) => searchLibrary(ctx.db, i.workspaceId, i),
  }),
  'library.save': method({
    description: 'Save a new library item (an asset or a template).',
    input: z.object({ workspaceId, ...itemFields }),
    handler: (ctx, { workspaceId: ws, ...item }) => saveToLibrary(ctx, ws, item),
  }),
  'library.saveComponent': method({
    description: "Save a campaign asset's current text to the library, with tags.",
    input: z.object({ componentId: id, name: itemFields.name.optional(), tags: tags.optional(), category: itemFields.category, description: itemFields.description }),
    handler: (ctx, { componentId, ...extra }) => saveComponentToLibrary(ctx, componentId, extra),
  }),
  'library.update': method({
    description: 'Change a library item.',
    input: z.object({
      libraryId: id,
      name: itemFields.name.optional(),
      description: itemFields.description,
      category: itemFields.category,
      tags: tags.optional(),
      componentType: itemFields.componentType.optional(),
      content: itemFields.content.optional(),
    }),
    handler: (ctx, { libraryId, ...patch }) => updateLibraryItem(ctx, libraryId, patch),
  }),
  'library.delete': method({
    description: 'Delete a library item (copies already inserted into campaigns stay).',
    input: z.object({ libraryId: id }),
    handler: (ctx, i) => deleteLibraryItem(ctx, i.libraryId),
  }),
  'library.insert': method({
    description: 'Insert a library item into a campaign as a new asset (version 1, its own copy).',
    input: z.object({ libraryId: id, campaignId: id }),
    handler: (ctx, i) => insertIntoCampaign(ctx, i.libraryId, i.campaignId),
  }),
});
