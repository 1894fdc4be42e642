// Step 4: the people and the inbox. Customers with their handles on the workspace's networks;
// conversations (DMs, mentions, comment threads moved to DM) whose messages follow a reason to
// write (prices, hours, orders, complaints, compliments, ...). Messages are inserted in the order
// they were sent, across conversations, as an inbox fills up in real life, so `seq` order is
// time order. unread_count, last_message_at and last_message_preview are computed from the
// messages written, never drawn separately.
import * as schema from '../schema';
import type { Intent } from './brand';
import { DAY, HOUR, MINUTE, exactParts, growingTime, writer, type SeedContext, type SeededAccount, type SeededCustomer } from './context';
import { personHandle, personId } from './platforms';
import { preview, TextMaker } from './text';

const INBOUND = 1;
const UNREAD = 2;
const AGENT = 4;
const DECISION = 8;
const IMAGE = 16;

type Kind = 'dm' | 'mention' | 'comment_thread';
type Status = (typeof schema.CONVERSATION_STATUSES)[number];

interface ConversationPlan {
  id: string;
  account: SeededAccount;
  kind: Kind;
  intent: Intent;
  customer: number; // index into customers, or -1
  identifier: string;
  name: string;
  externalId: string;
  startAt: number;
  lastAt: number;
  status: Status;
  unread: number;
  preview: string;
  firstMessage: number; // index into the message arrays
  length: number;
  decision: (typeof schema.TRIAGE_DECISIONS)[number] | null;
  snoozedUntil: number | null;
}

interface CustomerPlan {
  name: string;
  email: string | null;
  phone: string | null;
  identities: { platform: schema.Platform; externalId: string; handle: string }[];
  firstSeen: number;
  lastContact: number;
  orders: number;
  conversations: number;
  complaints: number;
}

const ORDER_INTENTS = new Set(['cake_order', 'preorder', 'catering', 'booking', 'private', 'events', 'workshop', 'gift_card']);

function kindFor(rng: SeedContext['rng'], platform: schema.Platform): Kind {
  const mentions = platform === 'x' || platform === 'bluesky' || platform === 'mastodon' || platform === 'instagram';
  const threads = platform === 'instagram' || platform === 'facebook' || platform === 'linkedin';
  return rng.weighted([
    ['dm', 70],
    ['mention', mentions ? 15 : 0],
    ['comment_thread', threads ? 15 : 0],
  ] as const);
}

export function seedInbox(ctx: SeedContext): void {
  const rng = ctx.rng.fork('inbox');
  const text = new TextMaker(ctx.brand, ctx.rng.fork('inbox.text'));
  const ids = ctx.rng.fork('inbox.ids');
  const { scale } = ctx;
  const accountWeights = ctx.accounts.map((a) => [a, a.platform === 'instagram' ? 7 : a.platform === 'facebook' ? 5 : a.platform === 'linkedin' ? 1 : 2] as const);
  const intents = ctx.brand.intents.map((i) => [i, i.weight] as const);

  // Customers and their handles on one or two of the workspace's networks.
  const customers: CustomerPlan[] = [];
  const byPlatform = new Map<schema.Platform, number[]>();
  for (let i = 0; i < scale.customers; i++) {
    const first = text.firstName();
    const last = rng.pick(['Smith', 'Garcia', 'Nguyen', 'Patel', 'Kim', 'Johnson', 'Brown', 'Lopez', 'Okafor', 'Rossi', 'Chen', 'Miller', 'Davis', 'Wilson', 'Martin', 'Silva', 'Sato', 'Larsen', 'Byrne', 'Haddad']);
    const name = `${first} ${last}`;
    const nets = new Set<schema.Platform>();
    const want = rng.chance(0.25) ? 2 : 1;
    while (nets.size < Math.min(want, ctx.accounts.length)) nets.add(rng.weighted(accountWeights).platform);
    const plan: CustomerPlan = {
      name,
      email: rng.chance(0.35) ? `${first}.${last}${i}@${rng.pick(['example.com', 'example.org', 'example.net'])}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '') : null,
      phone: rng.chance(0.2) ? `+1-${rng.pick(['503', '971', '512', '737'])}-555-01${String(rng.int(0, 99)).padStart(2, '0')}` : null,
      identities: [...nets].map((platform) => ({ platform, externalId: personId(rng, platform), handle: personHandle(rng, platform, name) })),
      firstSeen: Math.round(growingTime(rng, ctx.start, ctx.now - HOUR)),
      lastContact: 0,
      orders: 0,
      conversations: 0,
      complaints: 0,
    };
    for (const id of plan.identities) {
      const list = byPlatform.get(id.platform) ?? [];
      list.push(i);
      byPlatform.set(id.platform, list);
    }
    customers.push(plan);
  }

  // Conversation lengths sum exactly to the scale's message count.
  const mean = scale.messages / scale.conversations;
  const lengths = exactParts(rng, scale.conversations, scale.messages, () => 1 + rng.exp(mean - 1));
  const starts = Array.from({ length: scale.conversations }, () => Math.round(growingTime(rng, ctx.start, ctx.now - 10 * MINUTE))).sort((a, b) => a - b);

  const total = scale.messages;
  const mConv = new Int32Array(total);
  const mSent = new Float64Array(total);
  const mFlags = new Uint8Array(total);
  const mPos = new Uint16Array(total);
  const mText: string[] = new Array<string>(total);
  const convs: ConversationPlan[] = [];
  let m = 0;

  for (let c = 0; c < scale.conversations; c++) {
    const account = rng.weighted(accountWeights);
    const kind = kindFor(rng, account.platform);
    const intent = rng.weighted(intents);
    const length = lengths[c] as number;
    const known = byPlatform.get(account.platform);
    const customer = known && known.length > 0 && intent.key !== 'spam' && rng.chance(0.7) ? rng.pick(known) : -1;
    let identifier: string;
    let name: string;
    if (customer >= 0) {
      const cp = customers[customer] as CustomerPlan;
      identifier = cp.identities.find((x) => x.platform === account.platform)?.externalId ?? personId(rng, account.platform);
      name = cp.name;
    } else {
      identifier = personId(rng, account.platform);
      name = intent.key === 'spam' ? rng.pick(['Growth Agency', 'Promo Hub', 'Verified Support', 'Foodie Features', 'Brand Partners']) : text.fullName();
    }
    const firstName = name.split(' ')[0] ?? name;
    const thread = text.dialog(intent, length, firstName);
    if (kind === 'mention') {
      const first = thread[0];
      if (first) first.text = `@${ctx.brand.handle} ${first.text}`;
    }

    // Times: answers come within the hour or so, customers reply within hours.
    const startAt = starts[c] as number;
    const offsets = new Float64Array(length);
    for (let j = 1; j < length; j++) {
      const prev = thread[j - 1] as { inbound: boolean };
      const cur = thread[j] as { inbound: boolean };
      const gap =
        prev.inbound && !cur.inbound
          ? MINUTE + rng.exp(35 * MINUTE)
          : !prev.inbound && cur.inbound
            ? 2 * MINUTE + rng.exp(3 * HOUR)
            : 20_000 + rng.exp(3 * MINUTE);
      offsets[j] = (offsets[j - 1] as number) + gap;
    }
    const span = offsets[length - 1] as number;
    const room = ctx.now - MINUTE - startAt;
    const squeeze = span > room ? room / span : 1;
    const lastAt = Math.round(startAt + span * squeeze);

    const age = ctx.now - lastAt;
    const lastInbound = (thread[length - 1] as { inbound: boolean }).inbound;
    let status: Status;
    if (intent.key === 'spam') status = 'closed';
    else if (age > 14 * DAY) status = rng.weighted([['closed', 88], ['open', 8], ['pending', 4]] as const);
    else if (age > 2 * DAY) status = rng.weighted([['closed', 55], ['open', 30], ['pending', 15]] as const);
    else status = rng.weighted([['open', 65], ['pending', 20], ['closed', 15]] as const);
    // Pending = waiting for the customer, so the brand spoke last.
    if (status === 'pending' && lastInbound) status = 'open';

    // Unread: the customer's trailing messages in a thread nobody has opened since.
    let unread = 0;
    if (status === 'open' && lastInbound && (age < 3 * DAY || rng.chance(0.6))) {
      for (let j = length - 1; j >= 0 && (thread[j] as { inbound: boolean }).inbound; j--) unread++;
    }
    const decisionOn = rng.chance(0.6);
    const decision = decisionOn ? (rng.chance(0.93) ? intent.triage : rng.pick(schema.TRIAGE_DECISIONS)) : null;

    const first = m;
    for (let j = 0; j < length; j++) {
      const msg = thread[j] as { inbound: boolean; text: string };
      mConv[m] = c;
      mSent[m] = Math.round(startAt + (offsets[j] as number) * squeeze) + j; // + j keeps order within a thread
      mPos[m] = j;
      mText[m] = msg.text;
      let f = msg.inbound ? INBOUND : 0;
      if (msg.inbound && j >= length - unread) f |= UNREAD;
      if (!msg.inbound && decision === 'respond' && rng.chance(0.3)) f |= AGENT;
      if (j === 0 && decision !== null) f |= DECISION;
      if (msg.inbound && rng.chance(0.02)) f |= IMAGE;
      mFlags[m] = f;
      m++;
    }
    convs.push({
      id: ids.uuidv7(startAt),
      account,
      kind,
      intent,
      customer,
      identifier,
      name,
      externalId: `${kind === 'dm' ? 't' : kind === 'mention' ? 'm' : 'c'}_${rng.token(20)}`,
      startAt,
      lastAt: mSent[m - 1] as number,
      status,
      unread,
      preview: preview((thread[length - 1] as { text: string }).text),
      firstMessage: first,
      length,
      decision,
      snoozedUntil: status === 'open' && unread === 0 && rng.chance(0.05) ? ctx.now + rng.int(4, 72) * HOUR : null,
    });
    if (customer >= 0) {
      const cp = customers[customer] as CustomerPlan;
      cp.conversations++;
      cp.firstSeen = Math.min(cp.firstSeen, startAt);
      cp.lastContact = Math.max(cp.lastContact, mSent[m - 1] as number);
      if (ORDER_INTENTS.has(intent.key)) cp.orders++;
      if (intent.key === 'complaint' || intent.key === 'cancellation') cp.complaints++;
    }
  }

  // Customers (ids from their first contact) and their identities.
  const customerIds = customers.map((cp) => ids.uuidv7(cp.firstSeen));
  const cw = writer(ctx, schema.customers, [
    'id', 'workspaceId', 'name', 'email', 'phone', 'lifecycleStage', 'source', 'notes', 'tags', 'lifetimeValue',
    'firstSeenAt', 'lastContactAt', 'lastPurchaseAt', 'metadata', 'createdAt', 'updatedAt',
  ], customers.length);
  const avgOrder = ctx.brand.products.reduce((s, p) => s + p.price, 0) / ctx.brand.products.length;
  customers.forEach((cp, i) => {
    const last = cp.lastContact || cp.firstSeen;
    const stage = cp.orders >= 2 ? 'repeat_customer' : cp.orders === 1 ? 'customer' : cp.conversations > 0 ? 'prospect' : 'lead';
    const churned = (stage === 'customer' || stage === 'repeat_customer') && ctx.now - last > 240 * DAY;
    const tags: string[] = [];
    if (cp.orders >= 3) tags.push('regular');
    if (cp.complaints > 0) tags.push('had an issue');
    if (cp.email) tags.push('newsletter');
    cw.add({
      id: customerIds[i] as string,
      workspaceId: ctx.workspaceId,
      name: cp.name,
      email: cp.email,
      phone: cp.phone,
      lifecycleStage: churned ? 'churned' : stage,
      source: cp.identities[0]?.platform ?? null,
      notes: cp.complaints > 0 ? 'Had a problem with an order; handled with a refund.' : null,
      tags,
      lifetimeValue: Math.round(cp.orders * avgOrder * (0.6 + rng.next()) * 100) / 100,
      firstSeenAt: cp.firstSeen,
      lastContactAt: cp.lastContact || null,
      lastPurchaseAt: cp.orders > 0 ? cp.lastContact : null,
      metadata: {},
      createdAt: cp.firstSeen,
      updatedAt: last,
    });
  });
  cw.close();

  const iw = writer(ctx, schema.customerIdentities, ['id', 'workspaceId', 'customerId', 'channel', 'externalId', 'handle', 'displayName', 'profileUrl', 'createdAt', 'updatedAt']);
  customers.forEach((cp, i) => {
    const customerId = customerIds[i] as string;
    for (const id of cp.identities) {
      iw.add({ id: ids.uuidv7(cp.firstSeen), workspaceId: ctx.workspaceId, customerId, channel: id.platform, externalId: id.externalId, handle: id.handle, displayName: cp.name, profileUrl: null, createdAt: cp.firstSeen, updatedAt: cp.firstSeen });
    }
    if (cp.email) {
      iw.add({ id: ids.uuidv7(cp.firstSeen), workspaceId: ctx.workspaceId, customerId, channel: 'email', externalId: cp.email, handle: null, displayName: cp.name, profileUrl: null, createdAt: cp.firstSeen, updatedAt: cp.firstSeen });
    }
  });
  iw.close();
  ctx.customers = customers.map(
    (cp, i): SeededCustomer => ({
      id: customerIds[i] as string,
      name: cp.name,
      identities: Object.fromEntries(cp.identities.map((x) => [x.platform, { externalId: x.externalId, handle: x.handle }])),
    }),
  );

  const conv = writer(ctx, schema.conversations, [
    'id', 'workspaceId', 'accountId', 'customerId', 'externalConversationId', 'customerIdentifier', 'customerName', 'status',
    'priority', 'tags', 'aiMode', 'triage', 'unreadCount', 'lastMessageAt', 'lastMessagePreview', 'snoozedUntil', 'metadata', 'createdAt', 'updatedAt',
  ], convs.length);
  for (const cv of convs) {
    conv.add({
      id: cv.id,
      workspaceId: ctx.workspaceId,
      accountId: cv.account.id,
      customerId: cv.customer >= 0 ? (customerIds[cv.customer] as string) : null,
      externalConversationId: cv.externalId,
      customerIdentifier: cv.identifier,
      customerName: cv.name,
      status: cv.status,
      priority: cv.intent.priority,
      tags: cv.intent.tags,
      aiMode: cv.decision === 'escalate' ? 'OFF' : 'ON',
      // The list filters on the latest decision; the seed draws one per conversation at most.
      triage: cv.decision,
      unreadCount: cv.unread,
      lastMessageAt: cv.lastAt,
      lastMessagePreview: cv.preview,
      snoozedUntil: cv.snoozedUntil,
      metadata: { kind: cv.kind },
      createdAt: cv.startAt,
      updatedAt: cv.lastAt,
    });
  }
  conv.close();

  // Messages in the order they were sent.
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (mSent[a] as number) - (mSent[b] as number) || a - b);
  const decisionMessages = new Map<number, string>();
  const mw = writer(ctx, schema.conversationMessages, [
    'id', 'workspaceId', 'conversationId', 'externalMessageId', 'direction', 'content', 'messageType', 'mediaType', 'mediaUrl',
    'senderId', 'senderName', 'isFromAgent', 'status', 'sentAt', 'metadata', 'createdAt', 'updatedAt',
  ], total);
  for (let k = 0; k < total; k++) {
    const i = order[k] as number;
    const cv = convs[mConv[i] as number] as ConversationPlan;
    const f = mFlags[i] as number;
    const inbound = (f & INBOUND) !== 0;
    const sentAt = mSent[i] as number;
    const id = ids.uuidv7(sentAt);
    if (f & DECISION) decisionMessages.set(i, id);
    const pos = mPos[i] as number;
    const answered = pos < cv.length - 1;
    mw.add({
      id,
      workspaceId: ctx.workspaceId,
      conversationId: cv.id,
      externalMessageId: `${cv.externalId}.${pos}`,
      direction: inbound ? 'inbound' : 'outbound',
      content: mText[i] as string,
      messageType: f & IMAGE ? 'image' : 'text',
      mediaType: f & IMAGE ? 'image/jpeg' : null,
      mediaUrl: f & IMAGE ? `https://cdn.example/${cv.account.platform}/${cv.externalId}-${pos}.jpg` : null,
      senderId: inbound ? cv.identifier : cv.account.platformAccountId,
      senderName: inbound ? cv.name : ctx.brand.name,
      isFromAgent: (f & AGENT) !== 0,
      // Inbound: read unless it is one of the thread's unread ones. Outbound: read once answered.
      status: inbound ? (f & UNREAD ? 'delivered' : 'read') : answered ? 'read' : 'delivered',
      sentAt,
      metadata: {},
      createdAt: sentAt,
      updatedAt: sentAt,
    });
  }
  mw.close();

  // Triage decisions on each conversation's first message, and what escalations they raised.
  const dw = writer(ctx, schema.aiDecisions, [
    'id', 'workspaceId', 'messageId', 'conversationId', 'decision', 'confidence', 'reason', 'matchedRule', 'messageText', 'snapshotJson', 'model', 'createdAt', 'updatedAt',
  ]);
  const ew = writer(ctx, schema.supportEscalations, ['id', 'workspaceId', 'conversationId', 'message', 'confidence', 'reason', 'notified', 'resolvedAt', 'createdAt', 'updatedAt']);
  for (const cv of convs) {
    if (cv.decision === null) continue;
    const messageId = decisionMessages.get(cv.firstMessage);
    if (!messageId) continue;
    const at = cv.startAt + rng.int(800, 5000);
    const content = mText[cv.firstMessage] as string;
    const confidence = Math.round((0.55 + rng.next() * 0.43) * 100) / 100;
    const rule = /refund|charged/i.test(content) ? 'flagged keyword: refund' : /owner|real person/i.test(content) ? 'flagged phrase: speak to the owner' : null;
    dw.add({
      id: ids.uuidv7(at),
      workspaceId: ctx.workspaceId,
      messageId,
      conversationId: cv.id,
      decision: cv.decision,
      confidence,
      reason:
        cv.decision === 'respond'
          ? `Customer question about ${cv.intent.tags[0] ?? cv.intent.key}; the knowledge base has the answer.`
          : cv.decision === 'escalate'
            ? `${cv.intent.key === 'human' ? 'The customer asked for a person' : 'A complaint or billing problem'}: a human should answer.`
            : 'Unsolicited promotion; no reply needed.',
      matchedRule: rule,
      messageText: content.slice(0, 500),
      snapshotJson: { intent: cv.intent.key, kind: cv.kind },
      model: 'anthropic/claude-3.5-haiku',
      createdAt: at,
      updatedAt: at,
    });
    if (cv.decision === 'escalate') {
      ew.add({
        id: ids.uuidv7(at),
        workspaceId: ctx.workspaceId,
        conversationId: cv.id,
        message: content,
        confidence,
        reason: cv.intent.escalation ?? 'complex_issue',
        notified: true,
        resolvedAt: cv.status === 'closed' ? cv.lastAt : null,
        createdAt: at,
        updatedAt: cv.status === 'closed' ? cv.lastAt : at,
      });
    }
  }
  dw.close();
  ew.close();

  // Follow-ups the user scheduled on threads waiting for the customer.
  const fw = writer(ctx, schema.automatedFollowups, ['id', 'workspaceId', 'conversationId', 'customerId', 'message', 'reason', 'scheduledFor', 'status', 'sentAt', 'createdAt', 'updatedAt']);
  for (const cv of convs) {
    if (cv.status !== 'pending' || !rng.chance(0.3)) continue;
    // Still waiting: a follow-up is due in the coming days (a sent one would be a message).
    const scheduledFor = Math.max(cv.lastAt + 2 * DAY, ctx.now + rng.int(1, 48) * HOUR);
    fw.add({
      id: ids.uuidv7(cv.lastAt),
      workspaceId: ctx.workspaceId,
      conversationId: cv.id,
      customerId: cv.customer >= 0 ? (customerIds[cv.customer] as string) : null,
      message: text.fill('Hi {name}, just checking in: did you still want to go ahead? {signoff}', cv.name.split(' ')[0]),
      reason: 'no_reply',
      scheduledFor,
      status: 'pending',
      sentAt: null,
      createdAt: cv.lastAt,
      updatedAt: cv.lastAt,
    });
  }
  fw.close();
}
