// A workspace's initials on its colour (or a stable colour from its id when none was chosen).
import type { Workspace } from '../stores/workspaces';

export function initials(name: string): string {
  // Words with a letter or digit only: "Kōfi & Crumb" is KC, not K&.
  const words = name.trim().split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const letters = words.length >= 2 ? [words[0]!, words[1]!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

export function WorkspaceAvatar({ ws, size = 28 }: { ws: Pick<Workspace, 'id' | 'name' | 'color'>; size?: number }) {
  const background = ws.color ?? `hsl(${hueOf(ws.id)} 42% 46%)`;
  return (
    <span className="ws-avatar" style={{ background, width: size, height: size, fontSize: Math.round(size * 0.4) }} aria-hidden="true">
      {initials(ws.name)}
    </span>
  );
}
