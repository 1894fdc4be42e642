// A sandboxed preload can require only `electron` (and a few Node built-ins, none of which the
// preload needs). If the preload pulled in a native module, node:fs or other main-side code, the
// desktop window would open without `window.postdesk` — so the bundle, built with
// scripts/build.mjs's externals, is run here in a sandbox-shaped scope.
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

async function preloadBundle(): Promise<string> {
  // The externals scripts/build.mjs uses, read from it so the two cannot drift apart.
  const buildScript = (await import(pathToFileURL(join(process.cwd(), 'scripts', 'build.mjs')).href)) as { NATIVE_EXTERNALS?: string[] };
  const out = await build({
    entryPoints: [join(process.cwd(), 'electron', 'preload.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: buildScript.NATIVE_EXTERNALS ?? ['electron'],
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

describe('preload bundle', () => {
  it('given the built preload, when run with only electron available, then it exposes postdesk and requires nothing else', async () => {
    const code = await preloadBundle();
    const required: string[] = [];
    const exposed = new Map<string, unknown>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, result: null }), on: () => undefined, removeListener: () => undefined },
      webUtils: { getPathForFile: () => '/home/me/Pictures/croissant.png' },
    };
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    const module = { exports: {} };
    new Function('require', 'module', 'exports', code)(sandboxRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['postdesk']);
    const bridge = exposed.get('postdesk') as { pathForFile(f: unknown): string };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on', 'pathForFile']);
    expect(bridge.pathForFile({})).toBe('/home/me/Pictures/croissant.png');
  });
});
