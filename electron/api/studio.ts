// AI Studio: saved chat threads (list, one with its messages, create, rename, delete), sending a
// message and regenerating the last answer (both streamed as 'ai.stream' under requestId; ai.cancel
// stops them and keeps what was typed), and the studio's default model, instructions and
// temperature. 'studio.changed' says a thread changed (a turn saved, a title, a delete).
import { z } from 'zod';
import { getStudioSettings, getThread, listThreads, createThread, deleteThread, regenerate, renameThread, sendMessage, updateStudioSettings } from '../core/ai/studio';
import { MAX_MESSAGE_CHARS } from '../core/ai/studio-prompt';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const requestId = z.string().trim().min(1).max(200);
const modelName = z.string().trim().min(1, 'choose a model').max(300);
const title = z.string().trim().min(1, 'a chat needs a name').max(200);
const thread = z.object({ workspaceId, threadId: id });

export const studioApi = area('studio', {
  'studio.threads': method({
    description: "A workspace's AI Studio chats, most recently used first: {id, title, model (null: the studio default), messageCount, lastMessageAt, running}.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listThreads(ctx, i.workspaceId),
  }),
  'studio.thread': method({
    description:
      'One chat with its messages (the newest checkpoint), the model its next answer uses, whether the last turn used the knowledge base and how much history it sent, ' +
      'earlier answers replaced by regenerating, and the answer being written (pending: requestId and the message) if any. A message left unanswered by a crash is saved as interrupted here.',
    input: thread,
    handler: (ctx, i) => getThread(ctx, i),
  }),
  'studio.create': method({
    description: 'Start a new chat (optionally named, optionally with its own model).',
    input: z.object({ workspaceId, title: title.optional(), model: modelName.nullable().optional() }),
    handler: (ctx, i) => createThread(ctx, i),
  }),
  'studio.rename': method({
    description: 'Rename a chat.',
    input: thread.extend({ title }),
    handler: (ctx, i) => renameThread(ctx, i),
  }),
  'studio.delete': method({
    description: 'Delete a chat and its history (an answer still being written is stopped).',
    input: thread,
    handler: (ctx, i) => deleteThread(ctx, i),
  }),
  'studio.send': method({
    description:
      'Send a message and stream the answer as ai.stream events under requestId. The message is saved before the model is called. ' +
      "Returns {status: 'completed' | 'cancelled', thread}; ai.cancel ends the turn as cancelled with the text so far. A failed call saves the turn with its error and fails with it. " +
      'model: the thread keeps it for later turns. useKnowledge: ground the answer on the knowledge base (the passages come back as the answer\'s sources).',
    input: thread.extend({
      text: z.string().trim().min(1, 'write a message first').max(MAX_MESSAGE_CHARS, `a message can be at most ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters; split it or attach it to the knowledge base`),
      requestId,
      useKnowledge: z.boolean().optional(),
      model: modelName.optional(),
    }),
    handler: (ctx, i) => sendMessage(ctx, i),
  }),
  'studio.regenerate': method({
    description: 'Answer the last message again, as a new branch from the turn before it (the previous answer stays in the history). Streamed and cancellable like studio.send.',
    input: thread.extend({ requestId, useKnowledge: z.boolean().optional(), model: modelName.optional() }),
    handler: (ctx, i) => regenerate(ctx, i),
  }),
  'studio.settings': method({
    description: "The studio's default model (the workspace's chat model until one is saved), instructions and temperature; whether AI is set up, and if not how to set it up; the history budget in tokens.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => getStudioSettings(ctx, i.workspaceId),
  }),
  'studio.updateSettings': method({
    description: "Change the studio's default model, instructions (null clears them) or temperature.",
    input: z.object({
      workspaceId,
      defaultModel: modelName.optional(),
      defaultSystemPrompt: z.string().max(20_000).nullable().optional(),
      temperature: z.number().min(0).max(2).optional(),
    }),
    handler: (ctx, i) => updateStudioSettings(ctx, i),
  }),
});
