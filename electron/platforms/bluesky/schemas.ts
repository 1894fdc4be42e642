// The parts of XRPC answers the connector reads, from the lexicons (com.atproto.*, app.bsky.*,
// chat.bsky.*). Only the fields we use: a PDS or AppView adding fields must not break us, one
// dropping a field we need must (it would otherwise read as success we didn't get).
import { z } from 'zod';

const atUri = z.string().startsWith('at://');

/** One service of a DID document; the PDS is the `#atproto_pds` one. */
const didService = z.object({ id: z.string(), type: z.string().optional(), serviceEndpoint: z.unknown() });

/** com.atproto.server.createSession and refreshSession. */
export const sessionSchema = z.object({
  accessJwt: z.string().min(1),
  refreshJwt: z.string().min(1),
  handle: z.string(),
  did: z.string().startsWith('did:'),
  didDoc: z.object({ service: z.array(didService).optional() }).optional(),
});
export type Session = z.output<typeof sessionSchema>;

/** com.atproto.repo.createRecord: a record is only made if both come back. */
export const createdRecordSchema = z.object({ uri: atUri, cid: z.string().min(1) });

/** com.atproto.repo.getRecord / one item of listRecords. */
export const recordSchema = z.object({ uri: atUri, cid: z.string().min(1), value: z.record(z.string(), z.unknown()) });

export const listRecordsSchema = z.object({ records: z.array(recordSchema), cursor: z.string().optional() });

/** The fields of an app.bsky.feed.post record we read back (our own posts, parents of replies). */
export const postValueSchema = z.object({
  text: z.string(),
  createdAt: z.string(),
  reply: z.object({ root: z.object({ uri: atUri, cid: z.string() }), parent: z.object({ uri: atUri, cid: z.string() }) }).optional(),
});

/** com.atproto.repo.uploadBlob: the blob ref goes into the embed exactly as returned. */
export const blobSchema = z.object({
  blob: z.object({
    $type: z.literal('blob'),
    ref: z.object({ $link: z.string().min(1) }),
    mimeType: z.string(),
    size: z.number().int().nonnegative(),
  }),
});
export type BlobRef = z.output<typeof blobSchema>['blob'];

export const resolveHandleSchema = z.object({ did: z.string().startsWith('did:') });

const profileView = z.object({ did: z.string(), handle: z.string(), displayName: z.string().optional() });

/** app.bsky.notification.listNotifications (AppView, proxied by the PDS). */
export const notificationsSchema = z.object({
  cursor: z.string().optional(),
  notifications: z.array(
    z.object({
      uri: atUri,
      cid: z.string(),
      author: profileView,
      reason: z.string(),
      record: z.record(z.string(), z.unknown()),
      indexedAt: z.string(),
    }),
  ),
});
export type Notification = z.output<typeof notificationsSchema>['notifications'][number];

/** app.bsky.feed.getPosts: counts are optional in the lexicon, and absent is not zero. */
export const postsSchema = z.object({
  posts: z.array(
    z.object({
      uri: atUri,
      likeCount: z.number().int().optional(),
      repostCount: z.number().int().optional(),
      replyCount: z.number().int().optional(),
      quoteCount: z.number().int().optional(),
      bookmarkCount: z.number().int().optional(),
    }),
  ),
});

const messageView = z.object({
  $type: z.literal('chat.bsky.convo.defs#messageView').optional(),
  id: z.string(),
  text: z.string(),
  sender: z.object({ did: z.string() }),
  sentAt: z.string(),
});

/** chat.bsky.convo.listConvos: lastMessage may be a deleted or system message, hence unknown. */
export const convosSchema = z.object({
  cursor: z.string().optional(),
  convos: z.array(
    z.object({
      id: z.string(),
      members: z.array(profileView),
      lastMessage: z.object({ $type: z.string().optional(), sentAt: z.string().optional() }).optional(),
    }),
  ),
});

/** chat.bsky.convo.getMessages: newest first; deleted and system messages have no text and are skipped. */
export const messagesSchema = z.object({
  cursor: z.string().optional(),
  messages: z.array(z.object({ $type: z.string().optional() }).and(z.record(z.string(), z.unknown()))),
});

export const messageViewSchema = messageView;
