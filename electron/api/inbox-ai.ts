// The AI in the inbox: triage a thread's newest customer message (respond / ignore / escalate,
// logged in ai_decisions like a rule's decision, escalations raised the same way) and draft a
// reply grounded in the knowledge base and FAQ, streamed as ai.stream events under requestId and
// returned with the passages it used. Neither ever sends anything to the customer.
import { z } from 'zod';
import { draftReply } from '../core/inbox/ai-draft';
import { aiTriageConversation } from '../core/inbox/ai-triage';
import { area, method } from './contract';
import { id } from './fields';

const requestId = z.string().trim().min(1).max(200);

export const inboxAiApi = area('inboxAi', {
  'inboxAi.triage': method({
    description:
      "Ask the AI to triage the conversation's newest customer message (or messageId): {status: 'decided', decision, confidence, reason, escalationId, ...}, " +
      "{status: 'skipped', skipped: 'ai_mode_off' | 'ai_disabled_for_kind' | 'automation_disabled' | 'already_decided' | 'no_inbound_message'} (no call made), " +
      "or {status: 'failed', error} when the model's answer was unusable (no decision is guessed). With no AI endpoint, a not-configured error says how to set one up.",
    input: z.object({ conversationId: id, messageId: id.optional() }),
    handler: (ctx, i) => aiTriageConversation(ctx, i.conversationId, { messageId: i.messageId, explain: true }),
  }),
  'inboxAi.draftReply': method({
    description:
      "Draft a reply to the conversation's last customer message, grounded in the knowledge base and FAQ; streamed as ai.stream under requestId (ai.cancel stops it). " +
      'Returns {text, sources: [{chunkId, documentId, faqId, documentTitle, excerpt}], generationId, model, costUsd}. Sends nothing.',
    input: z.object({ conversationId: id, requestId }),
    handler: (ctx, i) => draftReply(ctx, i),
  }),
});
