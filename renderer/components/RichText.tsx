// Messages from the engine mark commands with backticks (`npm run web`); show those as code.
import { Fragment, type ReactNode } from 'react';

export function withCode(text: string): ReactNode {
  const parts = text.split('`');
  // An unmatched backtick is just a character.
  if (parts.length % 2 === 0) return text;
  return parts.map((p, i) => (i % 2 === 1 ? <code key={i} className="code">{p}</code> : <Fragment key={i}>{p}</Fragment>));
}
