// Map the API's validation issues onto form fields: path ['patch', 'name'] -> field 'name'.
import type { ApiIssue } from '../api/errors';

export type FieldErrors<F extends string> = Partial<Record<F | '_form', string>>;

export function fieldErrors<F extends string>(issues: readonly ApiIssue[], fields: readonly F[], prefix: readonly (string | number)[] = []): FieldErrors<F> {
  const out: FieldErrors<F> = {};
  const known = new Set<string>(fields);
  for (const issue of issues) {
    const startsWithPrefix = prefix.every((p, i) => issue.path[i] === p);
    const key = startsWithPrefix ? issue.path[prefix.length] : undefined;
    const field = typeof key === 'string' && known.has(key) ? (key as F) : '_form';
    // The first issue per field is the one to fix first.
    if (out[field] === undefined) out[field] = sentence(issue.message);
  }
  return out;
}

function sentence(msg: string): string {
  const m = msg.trim();
  if (!m) return m;
  return m[0]!.toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.');
}
