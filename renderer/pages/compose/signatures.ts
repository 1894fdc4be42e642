// Signatures in the composer: what adding (or taking off) one does to the draft, and whether the
// result still fits each network as that network counts it — the core's own countText, with the
// hashtags added as publishing adds them. A signature for every network goes on the main text and
// on every account's own version; one for a single network goes on that network's accounts (their
// own version, started from the main text when they had none). Pure, so tested without a browser.
import type { ApiOutput } from '../../../electron/api';
import { countText } from '../../../electron/core/posts/text-count';
import { platformName, type PlatformInfo } from '../accounts/account-labels';
import type { TargetInfo } from './checks';
import type { Draft, TargetDraft } from './draft';
import { withHashtags } from './text-parts';

export type Signature = ApiOutput<'posts.signatures'>[number];

const SEPARATOR = '\n\n';

export function endsWithSignature(text: string, signature: string): boolean {
  const sig = signature.trim();
  return sig !== '' && text.trimEnd().endsWith(sig);
}

/** The signature on a line of its own after a blank line; the text alone when it already ends with it. */
export function appendSignature(text: string, signature: string): string {
  const sig = signature.trim();
  if (sig === '' || endsWithSignature(text, sig)) return text;
  return text.trim() === '' ? sig : `${text.trimEnd()}${SEPARATOR}${sig}`;
}

export function removeSignature(text: string, signature: string): string {
  if (!endsWithSignature(text, signature)) return text;
  const body = text.trimEnd();
  return body.slice(0, body.length - signature.trim().length).trimEnd();
}

export interface SignatureFit {
  accountId: string;
  network: string;
  used: number;
  limit: number;
  over: boolean;
}

export interface SignaturePlan {
  /** The accounts it goes to (none chosen yet: the main text only, for every network). */
  targets: string[];
  /** Every text it would go on already ends with it: the action takes it off. */
  present: boolean;
  /** Each account's count with the signature on. */
  fits: SignatureFit[];
  /** Where it would push the text over the network's limit, in words; empty when it fits everywhere. */
  tooLong: string[];
  apply(d: Draft): Draft;
  remove(d: Draft): Draft;
}

function affected(signature: Pick<Signature, 'platform'>, infos: readonly TargetInfo[]): TargetInfo[] {
  return signature.platform === null ? [...infos] : infos.filter((i) => i.account.platform === signature.platform);
}

function withOwn(d: Draft, ids: ReadonlySet<string>, change: (t: TargetDraft) => TargetDraft): Draft {
  return { ...d, targets: d.targets.map((t) => (ids.has(t.accountId) ? change(t) : t)) };
}

export function signaturePlan(draft: Draft, infos: readonly TargetInfo[], signature: Pick<Signature, 'content' | 'platform'>, platforms: readonly PlatformInfo[] | null = null): SignaturePlan {
  const sig = signature.content;
  const everywhere = signature.platform === null;
  const on = affected(signature, infos);
  const ids = new Set(on.map((i) => i.target.accountId));

  const apply = (d: Draft): Draft => {
    if (everywhere) return withOwn({ ...d, content: appendSignature(d.content, sig) }, ids, (t) => (t.content === null ? t : { ...t, content: appendSignature(t.content, sig) }));
    return withOwn(d, ids, (t) => ({ ...t, content: appendSignature(t.content ?? d.content, sig) }));
  };
  const remove = (d: Draft): Draft => {
    if (everywhere) return withOwn({ ...d, content: removeSignature(d.content, sig) }, ids, (t) => (t.content === null ? t : { ...t, content: removeSignature(t.content, sig) }));
    return withOwn(d, ids, (t) => {
      if (t.content === null) return t;
      const own = removeSignature(t.content, sig);
      // An own version that only existed to carry the signature goes back to the main text.
      return { ...t, content: own === d.content ? null : own };
    });
  };

  const texts = on.map((i) => i.target.content ?? draft.content);
  const present = (everywhere || on.length > 0) && (everywhere ? [draft.content, ...on.filter((i) => i.target.content !== null).map((i) => i.target.content!)] : texts).every((t) => endsWithSignature(t, sig));

  const after = apply(draft);
  const fits: SignatureFit[] = [];
  for (const i of on) {
    if (!i.caps) continue;
    const t = after.targets.find((x) => x.accountId === i.target.accountId);
    const text = withHashtags(t?.content ?? after.content, after.hashtags);
    const c = countText(text, i.caps.text);
    fits.push({ accountId: i.target.accountId, network: platformName(i.account.platform, platforms), used: c.used, limit: c.limit, over: c.over });
  }
  const tooLong = [...new Map(fits.filter((f) => f.over).map((f) => [f.network, `${f.network} (${f.used.toLocaleString()} of ${f.limit.toLocaleString()})`])).values()];
  return { targets: [...ids], present, fits, tooLong, apply, remove };
}

/** Signatures that concern the chosen accounts: every-network ones, then those of a chosen network; defaults first. */
export function signaturesFor(all: readonly Signature[], infos: readonly TargetInfo[]): Signature[] {
  const chosen = new Set(infos.map((i) => i.account.platform));
  return all
    .filter((s) => s.platform === null || chosen.has(s.platform))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || Number(a.platform !== null) - Number(b.platform !== null) || a.name.localeCompare(b.name));
}

/** The one-click signature: the default for every network, or when every chosen account is on one network, that network's default. */
export function quickSignature(all: readonly Signature[], infos: readonly TargetInfo[]): Signature | null {
  const everywhere = all.find((s) => s.isDefault && s.platform === null);
  if (everywhere) return everywhere;
  const networks = new Set(infos.map((i) => i.account.platform));
  if (networks.size !== 1) return null;
  const [only] = networks;
  return all.find((s) => s.isDefault && s.platform === only) ?? null;
}
