// The inbox's data as the API hands it over. Derived from the contract, so a renamed field fails
// the renderer's type check rather than rendering "undefined".
import type { ApiInput, ApiOutput } from '../../../electron/api';

export type ListQuery = ApiInput<'inbox.list'>;
export type ListResult = ApiOutput<'inbox.list'>;
export type Conversation = ListResult['items'][number];
export type Thread = ApiOutput<'inbox.get'>;
export type Message = Thread['messages'][number];
export type ReplyWindow = Thread['replyWindow'];
export type Followup = Thread['followups'][number];
export type Customer = ApiOutput<'customers.get'>;
export type Counts = ApiOutput<'inbox.counts'>;
export type SearchHit = ApiOutput<'inbox.search'>[number];
export type SavedReply = ApiOutput<'inbox.savedReplies'>[number];
export type PollState = ApiOutput<'inbox.pollStatus'>[number];

export type InboxView = NonNullable<ListQuery['view']>;
export type ThreadKind = Conversation['kind'];
export type Priority = Conversation['priority'];
export type Triage = NonNullable<Conversation['triage']>;
export type Status = Conversation['status'];
export type LifecycleStage = Customer['lifecycleStage'];
export type PlatformId = Conversation['platform'];
