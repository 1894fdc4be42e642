// Writes the demo's text: fills a brand's {slot} templates from its own vocabulary and a shared
// bank (names, days, times, emoji), so a million messages read like an inbox and not like
// lorem ipsum, and every common search word has realistic frequencies.
import type { Brand, Intent, Product } from './brand';
import type { Rng } from './random';

export const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo', 'Isabella', 'Levi',
  'Amelia', 'Ethan', 'Harper', 'Aiden', 'Evelyn', 'James', 'Chloe', 'Benjamin', 'Zoe', 'Leo', 'Nora', 'Jack',
  'Hannah', 'Samuel', 'Grace', 'Daniel', 'Aria', 'David', 'Layla', 'Joseph', 'Riley', 'Owen', 'Lily', 'Wyatt',
  'Aaliyah', 'Caleb', 'Priya', 'Arjun', 'Mei', 'Wei', 'Yuki', 'Hiro', 'Fatima', 'Omar', 'Amara', 'Kwame',
  'Sofía', 'Diego', 'Camila', 'Javier', 'Valentina', 'Luis', 'Chiara', 'Marco', 'Ingrid', 'Lars', 'Aoife',
  'Siobhan', 'Zainab', 'Tariq', 'Nia', 'Malik', 'Rosa', 'Tomás', 'Anika', 'Rohan', 'Greta', 'Felix', 'Elena',
  'Nikolai', 'Hana', 'Jae', 'Beatriz', 'André', 'Maren', 'Kai', 'Tessa', 'Miles', 'Ruby', 'Jasper', 'Iris',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker',
  'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams',
  'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Chen',
  'Okafor', 'Haddad', 'Kowalski', 'Rossi', 'Müller', 'Dubois', 'Silva', 'Sato', 'Novak', 'Larsen', 'Byrne',
];

const BANK: Record<string, readonly string[]> = {
  greeting: ['Hi!', 'Hello!', 'Hey!', 'Hi there!', 'Good morning!', 'Hiya,', 'Hey there,', 'Hello,', 'Hi team,', 'Quick question:'],
  emoji: ['😍', '🙌', '❤️', '✨', '🥰', '😊', '👏', '🔥', '🙏', '💛', '🌿', '😋'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  time: ['7am', '8am', '9:30am', '10am', '11am', 'noon', '12:30pm', '2pm', '3pm', '4:30pm', '6pm', '7:30pm'],
  month: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  message: ['Happy Birthday Emma', 'Congrats Sam!', 'Happy 40th Dad', 'Welcome baby Noah', 'Good luck Priya', 'Happy Anniversary', 'We will miss you Jo', 'Happy retirement Carol'],
  topic: ['customer service', 'allergens', 'cash handling', 'opening shift', 'closing shift', 'orders', 'deliveries', 'safety'],
  thanks: ['Thanks!', 'Thank you so much!', 'Perfect, thanks', 'Amazing, thank you!', 'Great, thanks a lot', 'Ok thank you!', 'Brilliant 🙏'],
  signoff: ['See you soon!', 'Have a lovely day!', 'Thanks for reaching out.', 'Let us know if there is anything else.', 'Talk soon!'],
};

/** Follow-ups any conversation can have, whatever it is about. */
const GENERIC_FOLLOW_UPS = [
  '{thanks}',
  'Great, see you {day}!',
  'Ok perfect',
  'And is there parking nearby?',
  'Do you take card?',
  'Sorry, one more question: are you open on {day}?',
  'Sounds good 👍',
  'Can I come by around {time}?',
  'Awesome, thank you {staff}!',
  'hello? 🙂',
  'Just checking you got my last message',
];

const GENERIC_REPLIES = [
  'You are welcome, {name}! {signoff}',
  'Any time! {signoff}',
  'Yes, we take all cards and Apple Pay.',
  'See you {day}! {emoji}',
  'Sorry for the slow reply, it has been a busy morning! {signoff}',
  'Of course. {signoff}',
  'Got it, thanks {name}.',
];

/** Per-call choices that must agree within one text ({product} and {price}). */
interface FillContext {
  name: string;
  product?: Product;
}

export class TextMaker {
  private readonly slots: Record<string, readonly string[]>;

  constructor(
    readonly brand: Brand,
    private readonly rng: Rng,
  ) {
    this.slots = { ...BANK, ...brand.slots, staff: brand.staff, city: [brand.city] };
  }

  firstName(): string {
    return this.rng.pick(FIRST_NAMES);
  }

  fullName(): string {
    return `${this.rng.pick(FIRST_NAMES)} ${this.rng.pick(LAST_NAMES)}`;
  }

  /** Replace every {slot} in a template. `name` is the person addressed, when there is one. */
  fill(template: string, name?: string): string {
    if (template.indexOf('{') < 0) return template;
    const ctx: FillContext = { name: name ?? this.firstName() };
    const filled = template.replace(/\{(\w+)\}/g, (whole, key: string) => this.slot(key, ctx) ?? whole);
    // "a {product}" may have become "a olive focaccia".
    return filled.replace(/\b([Aa]) (?=[aeiouAEIOU])/g, '$1n ');
  }

  private slot(key: string, ctx: FillContext): string | undefined {
    const rng = this.rng;
    switch (key) {
      case 'name':
        return ctx.name;
      case 'product':
        ctx.product ??= rng.pick(this.brand.products);
        return ctx.product.name;
      case 'price':
        ctx.product ??= rng.pick(this.brand.products);
        return formatPrice(ctx.product.price);
      case 'qty':
        return String(rng.weighted([[2, 3], [4, 3], [6, 3], [12, 3], [20, 1], [24, 1], [30, 1], [50, 1]] as const));
      case 'order':
        return `#${rng.int(1000, 9999)}`;
      case 'date':
        return `${rng.pick(BANK.month as readonly string[])} ${rng.int(1, 28)}`;
      case 'friend':
        return `${rng.pick(FIRST_NAMES).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')}${rng.chance(0.5) ? rng.int(1, 99) : ''}`;
      default: {
        const list = this.slots[key];
        return list ? this.fill(rng.pick(list), ctx.name) : undefined;
      }
    }
  }

  /**
   * The thread of one conversation: opening, answer, then follow-ups, `length` messages. Long
   * threads drift to a second subject now and then, as real ones do; a template is not used
   * twice in one thread while others are left.
   */
  dialog(intent: Intent, length: number, customer: string): { inbound: boolean; text: string }[] {
    const rng = this.rng;
    const out: { inbound: boolean; text: string }[] = [];
    const used = new Set<string>();
    const pickFresh = (pool: readonly string[]): string => {
      let t = rng.pick(pool);
      for (let tries = 0; tries < 4 && used.has(t); tries++) t = rng.pick(pool);
      used.add(t);
      return t;
    };
    let current = intent;
    let needsAnswer = true;
    out.push({ inbound: true, text: this.fill(pickFresh(current.opening), customer) });
    let lastInbound = true;
    while (out.length < length) {
      // Mostly turns alternate; sometimes a customer adds a second message before an answer.
      const inbound: boolean = lastInbound ? rng.chance(needsAnswer ? 0.12 : 0.15) : rng.chance(0.85);
      let text: string;
      if (inbound) {
        if (out.length >= 4 && rng.chance(0.2) && current.triage !== 'ignore') {
          const next = rng.pick(this.brand.intents);
          if (next.triage !== 'ignore' && next.key !== current.key) {
            current = next;
            needsAnswer = true;
            out.push({ inbound: true, text: this.fill(pickFresh(current.opening), customer) });
            lastInbound = true;
            continue;
          }
        }
        text = this.fill(pickFresh(rng.chance(0.6) ? current.followUps : GENERIC_FOLLOW_UPS), customer);
      } else {
        const pool = needsAnswer ? current.answer : rng.chance(0.6) ? current.replies : GENERIC_REPLIES;
        text = this.fill(pickFresh(pool), customer);
        if (rng.chance(0.15)) text += ` – ${rng.pick(this.brand.staff)}`;
        needsAnswer = false;
      }
      out.push({ inbound, text });
      lastInbound = inbound;
    }
    return out;
  }

  /** A post's text for a theme, with hashtags at the end or none. */
  post(theme: keyof Brand['posts'] | 'announcement'): { content: string; hashtags: string[] } {
    const rng = this.rng;
    const pool = theme === 'announcement' ? this.brand.announcements : this.brand.posts[theme];
    let content = this.fill(rng.pick(pool));
    const hashtags: string[] = [];
    if (rng.chance(0.7)) {
      const groups = rng.sample(this.brand.hashtagGroups, rng.int(1, 2));
      for (const g of groups) hashtags.push(...rng.sample(g.tags, rng.int(2, 4)));
      content += '\n\n' + hashtags.join(' ');
    }
    return { content, hashtags };
  }

  /** One knowledge chunk: 4–8 sentences of a document kind. */
  paragraph(sentences: readonly string[]): string {
    const picked = this.rng.sample(sentences, this.rng.int(4, 8));
    return picked.map((s) => this.fill(s)).join(' ');
  }
}

export function formatPrice(p: number): string {
  return Number.isInteger(p) ? String(p) : p.toFixed(2);
}

/** First characters of a message for the inbox list (conversations.last_message_preview). */
export function preview(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1).trimEnd() + '…';
}
