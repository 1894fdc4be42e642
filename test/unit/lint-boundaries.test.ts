// The architecture's boundaries are lint rules; this proves the rules bite.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.endsWith('no-restricted-imports'))
    .map((m) => m.message);
}

describe('lint boundaries', () => {
  it.each(['electron/core/posts/x.ts', 'electron/scheduler/x.ts', 'electron/platforms/x.ts', 'db/x.ts'])(
    'given %s imports electron, then lint refuses it',
    async (file) => {
      expect(await restrictedImports(`import { app } from 'electron';\nexport const a = app;\n`, file)).not.toEqual([]);
    },
  );

  it('given the renderer imports API types, then lint accepts it', async () => {
    const code = `import type { MethodName } from '../../electron/api';\nexport const m: MethodName = 'app.info';\n`;
    expect(await restrictedImports(code, 'renderer/pages/x.ts')).toEqual([]);
  });

  it('given the renderer imports the pure counting and validation the core also uses, then lint accepts it', async () => {
    const code = [
      `import { CAPABILITIES } from '../../electron/platforms/capabilities';`,
      `import { countText } from '../../electron/core/posts/text-count';`,
      `import { validateTarget } from '../../electron/core/posts/validate';`,
      `export const x = [CAPABILITIES, countText, validateTarget];`,
      '',
    ].join('\n');
    expect(await restrictedImports(code, 'renderer/pages/compose/x.ts')).toEqual([]);
  });

  it.each([
    [`import { createScheduler } from '../electron/scheduler/scheduler';\nexport const x = createScheduler;\n`],
    [`import { schedulePost } from '../electron/core/posts/schedule';\nexport const x = schedulePost;\n`],
    [`import { methods } from '../electron/api';\nexport const x = methods;\n`],
    [`import { createCore } from '../electron/core/app';\nexport const x = createCore;\n`],
    [`import { openDatabase } from '../db/client';\nexport const x = openDatabase;\n`],
    [`import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n`],
    [`import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`],
  ])('given the renderer imports main-side code (%s), then lint refuses it', async (code) => {
    expect(await restrictedImports(code, 'renderer/x.ts')).not.toEqual([]);
  });
});
