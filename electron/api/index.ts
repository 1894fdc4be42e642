// The API registry: every method of every area. Hosts register from it, `GET /api` lists it, and
// the renderer derives its client types from it (type-only imports).
import type { z } from 'zod';
import { accountsApi } from './accounts';
import { adsApi } from './ads';
import { aiApi } from './ai';
import { analyticsApi } from './analytics';
import { appApi } from './app';
import { archiveApi } from './archive';
import { backupsApi } from './backups';
import { campaignsApi } from './campaigns';
import { clientsApi } from './clients';
import { customersApi } from './customers';
import { inboxApi } from './inbox';
import { inboxAiApi } from './inbox-ai';
import { jobsApi } from './jobs';
import { knowledgeApi } from './knowledge';
import { libraryApi } from './library';
import { mediaApi } from './media';
import { postsApi } from './posts';
import { securityApi } from './security';
import { topicsApi } from './topics';
import { studioApi } from './studio';
import { syncApi } from './sync';
import { workspacesApi } from './workspaces';
import { writingApi } from './writing';

export const methods = {
  ...appApi,
  ...workspacesApi,
  ...jobsApi,
  ...accountsApi,
  ...securityApi,
  ...postsApi,
  ...mediaApi,
  ...inboxApi,
  ...inboxAiApi,
  ...customersApi,
  ...aiApi,
  ...knowledgeApi,
  ...analyticsApi,
  ...writingApi,
  ...backupsApi,
  ...campaignsApi,
  ...adsApi,
  ...libraryApi,
  ...clientsApi,
  ...topicsApi,
  ...studioApi,
  ...archiveApi,
  ...syncApi,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ApiInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type ApiOutput<M extends MethodName> = Awaited<ReturnType<Methods[M]['handler']>>;

export type { ApiErrorBody, ApiErrorCode } from './errors';
export type { EventName, EventPayload, EventMessage } from './events';
