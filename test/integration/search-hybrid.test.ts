// Hybrid search on a small, realistic knowledge base (a bakery-café's documents): bm25 and the
// built-in embedder's kNN, fused by reciprocal rank fusion, put the right document first for the
// questions customers actually send.
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeVectorWorkers, hybridSearch, putChunkEmbeddings, RRF_K } from '../../db/search';
import { localEmbedder } from '../../electron/core/knowledge/local-embedder';
import { openTestDb } from '../helpers/db';

type TestDb = ReturnType<typeof openTestDb>;

/** document key -> its one chunk of text. */
const KB: Record<string, string> = {
  refunds: 'Refund policy: if you are not happy with an order, we refund the full amount within 30 days of purchase. Refunds go back to the original card within 5 business days.',
  exchanges: 'Exchanges: unopened merchandise such as mugs and tote bags can be exchanged within 60 days with the receipt.',
  hours: 'Opening hours: Monday to Friday 7am to 6pm, Saturday 8am to 4pm. We are closed on Sundays and public holidays.',
  holidayHours: 'Holiday schedule: on December 24 we close at 2pm; the café stays closed on December 25 and January 1.',
  shippingDomestic: 'Shipping within the US: standard shipping takes 3 to 5 business days and is free on orders over $50.',
  shippingIntl: 'International shipping to Canada, the UK and the EU takes 7 to 14 business days; customs fees are paid by the recipient.',
  tracking: 'Order tracking: once your parcel leaves the bakery you receive an email with a tracking number and a link.',
  pricing: 'Pricing for our coffee subscription: the Basic plan costs $15 per month for one bag, the Pro plan costs $28 per month for two bags.',
  cancelSub: 'To cancel your coffee subscription, open your account, choose Subscriptions and press Cancel; no fee applies.',
  pauseSub: 'You can pause a subscription for up to three months from the account page, for example while travelling.',
  glutenFree: 'Gluten-free options: our almond cake and macarons are gluten free, baked on separate trays to avoid cross-contamination.',
  vegan: 'Vegan choices include oat milk lattes, the chickpea sandwich and a dark chocolate brownie made without eggs or butter.',
  allergens: 'Allergen information: all pastries may contain traces of nuts, sesame, milk and eggs. Ask staff for the allergen binder.',
  customCakes: 'Custom cakes for birthdays and weddings need at least one week of notice and a 30% deposit when you order.',
  catering: 'Catering for offices: we deliver breakfast boxes and sandwich platters for groups of 10 to 200 people on weekdays.',
  delivery: 'Local delivery by bike courier is available within 5 km of the shop for $4, between 8am and 3pm.',
  parking: 'Parking: there is free customer parking behind the building, and two bike racks by the entrance.',
  pets: 'Dogs are welcome on the terrace; inside the café only service animals are allowed, per health regulations.',
  wifi: 'Free Wi-Fi is available for customers; the password is printed on your receipt and changes every week.',
  loyalty: 'Loyalty card: collect a stamp with every drink, and your tenth coffee is free. Stamps never expire.',
  giftCards: 'Gift cards can be bought in store or online in amounts from $10 to $200 and are valid for two years.',
  jobs: 'We are hiring baristas and early-morning bakers; send your CV to jobs@example.com with the role in the subject.',
  events: 'Every first Saturday of the month we host a sourdough workshop; tickets cost $45 and include lunch.',
  sourdough: 'Our sourdough bread uses a 15-year-old starter and ferments for 36 hours before baking.',
  coffeeBeans: 'Coffee beans are roasted weekly by a local roaster; we sell whole beans or ground coffee for espresso and filter.',
  payment: 'Payment methods: we accept cash, all major credit cards, Apple Pay and Google Pay. No cheques.',
  privacy: 'Privacy: we only use your email address to send order updates and, if you opt in, our monthly newsletter.',
  accessibility: 'Accessibility: the entrance has a ramp, and there is an accessible restroom on the ground floor.',
  wholesale: 'Wholesale: cafés and restaurants can order bread and pastries wholesale with a minimum order of $150 per delivery.',
  contact: 'Contact us by phone at 555-0100 from 8am to 5pm, or by email at hello@example.com; we reply within one day.',
};

const QUESTIONS: [string, string][] = [
  ['What is your refund policy?', 'refunds'],
  ['Are you open on Sunday?', 'hours'],
  ['How long does shipping to Canada take?', 'shippingIntl'],
  ['How much does the pro plan cost?', 'pricing'],
  ['how do I cancel my subscription', 'cancelSub'],
  ['Do you have gluten free cakes?', 'glutenFree'],
  ['Can I bring my dog inside?', 'pets'],
  ['where can I park my car', 'parking'],
  ['Do you take Apple Pay?', 'payment'],
  ['wifi password', 'wifi'],
  ['order a wedding cake', 'customCakes'],
  ['are you hiring bakers', 'jobs'],
];

let db: TestDb;
let ws: string;
const chunkOf = new Map<string, string>(); // chunk id -> document key

beforeAll(() => {
  db = openTestDb();
  ws = uuidv7();
  db.sqlite.prepare(`INSERT INTO workspaces(id, name) VALUES (?, 'Corner Bakery')`).run(ws);
  // A second workspace with the same texts must not leak into the first one's results.
  const other = uuidv7();
  db.sqlite.prepare(`INSERT INTO workspaces(id, name) VALUES (?, 'Other')`).run(other);
  const insDoc = db.sqlite.prepare(`INSERT INTO knowledge_documents(id, workspace_id, title, status) VALUES (?, ?, ?, 'indexed')`);
  const insChunk = db.sqlite.prepare(
    `INSERT INTO knowledge_chunks(id, workspace_id, document_id, chunk_index, content, start_char, end_char) VALUES (?, ?, ?, 0, ?, 0, ?)`,
  );
  const rows: { chunkSeq: number; workspaceId: string; vector: Float32Array }[] = [];
  const texts = Object.entries(KB);
  const vectors = localEmbedder.embed(texts.map(([, t]) => t));
  db.sqlite.transaction(() => {
    for (const w of [ws, other]) {
      texts.forEach(([key, text], i) => {
        const doc = uuidv7();
        insDoc.run(doc, w, key);
        const chunkId = uuidv7();
        const seq = Number(insChunk.run(chunkId, w, doc, text, text.length).lastInsertRowid);
        if (w === ws) chunkOf.set(chunkId, key);
        rows.push({ chunkSeq: seq, workspaceId: w, vector: vectors[i] as Float32Array });
      });
    }
  })();
  putChunkEmbeddings(db, rows);
});
afterAll(async () => {
  await closeVectorWorkers();
  db?.cleanup();
});

const ask = (query: string, withVector = true) =>
  hybridSearch(db, {
    workspaceId: ws,
    query,
    k: 5,
    ...(withVector ? { vector: localEmbedder.embed([query])[0] as Float32Array } : {}),
  });

describe('hybridSearch', () => {
  it.each(QUESTIONS)('given the question "%s", when searched, then the %s document comes first', async (question, expected) => {
    const hits = await ask(question);
    if (process.env['DEBUG_HYBRID']) console.log(question, hits.map((h) => `${chunkOf.get(h.chunkId)} f${h.ftsRank} v${h.vecRank}`).join(', '));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => chunkOf.get(h.chunkId)).slice(0, 3), question).toContain(expected);
    expect(chunkOf.get(hits[0]?.chunkId ?? '')).toBe(expected);
  });

  it('given hits, when fused, then scores follow reciprocal rank fusion and come in order', async () => {
    const hits = await ask('What is your refund policy?');
    for (const h of hits) {
      expect(h.chunkSeq).toEqual(expect.any(Number));
      const expected = (h.ftsRank ? 1 / (RRF_K + h.ftsRank) : 0) + (h.vecRank ? 1 / (RRF_K + h.vecRank) : 0);
      expect(h.score).toBeCloseTo(expected, 12);
    }
    for (let i = 1; i < hits.length; i++) expect(hits[i]?.score).toBeLessThanOrEqual(hits[i - 1]?.score ?? 0);
    // The refund chunk is in both lists.
    expect(hits[0]).toMatchObject({ ftsRank: 1, vecRank: 1 });
    expect(hits.every((h) => chunkOf.has(h.chunkId))).toBe(true);
  });

  it('given no vector, when searched, then the full-text list alone ranks the results', async () => {
    const hits = await ask('refund policy', false);
    expect(chunkOf.get(hits[0]?.chunkId ?? '')).toBe('refunds');
    expect(hits.every((h) => h.vecRank === undefined)).toBe(true);
  });

  it('given a query with nothing for full-text, when searched, then the vectors still answer', async () => {
    const hits = await hybridSearch(db, { workspaceId: ws, query: '😀 ???', vector: localEmbedder.embed(['refund policy 30 days'])[0] as Float32Array, k: 3 });
    expect(chunkOf.get(hits[0]?.chunkId ?? '')).toBe('refunds');
    expect(hits.every((h) => h.ftsRank === undefined)).toBe(true);
  });

  it('given hostile query text, when searched, then nothing throws', async () => {
    for (const q of ['"', 'NOT', 'NEAR(', '\u0000'.repeat(10_000), 'x'.repeat(10_240), '* OR *', '\uD800']) {
      await expect(hybridSearch(db, { workspaceId: ws, query: q, k: 5 })).resolves.toEqual(expect.any(Array));
    }
  });
});
