import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { importCyclePlugin } from '../../scripts/lint/no-import-cycle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lints `files` as a project of their own, with only the cycle rule on. */
async function lint(files: Record<string, string>): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'import-cycle-'));
  dirs.push(dir);
  const tsconfig = { compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: true, noEmit: true, strict: true }, include: ['*.ts'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        plugins: { local: importCyclePlugin },
        rules: { 'local/no-import-cycle': 'error' },
      },
    ],
  });
  const results = await eslint.lintFiles(Object.keys(files));
  return new Map(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => `${m.line}: ${m.message}`)]));
}

describe('no-import-cycle', () => {
  it('reports a cycle of type-only imports on both sides, with the way round', async () => {
    const found = await lint({
      'db.ts': "import type { Entry } from './outbox.ts';\nexport interface Db { entries: Entry[] }\n",
      'outbox.ts': "import type { Db } from './db.ts';\nexport interface Entry { n: number }\nexport const count = (db: Db) => db.entries.length;\n",
      'user.ts': "import { count } from './outbox.ts';\nexport const none = count({ entries: [] });\n",
    });
    expect(found.get('db.ts')).toEqual(['1: Import cycle: db.ts → outbox.ts → db.ts. Move what both sides need into a module that neither imports.']);
    expect(found.get('outbox.ts')).toEqual(['1: Import cycle: outbox.ts → db.ts → outbox.ts. Move what both sides need into a module that neither imports.']);
    // Importing from a cycle is not being in one.
    expect(found.get('user.ts')).toEqual([]);
  });

  it('reports a longer cycle of value imports and re-exports at the import that closes it', async () => {
    const found = await lint({
      'a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'b.ts': "export { c as b } from './c.ts';\n",
      'c.ts': "import { a } from './a.ts';\nexport const c = () => a;\n",
    });
    expect(found.get('a.ts')).toEqual(['1: Import cycle: a.ts → b.ts → c.ts → a.ts. Move what both sides need into a module that neither imports.']);
    expect(found.get('b.ts')).toHaveLength(1);
    expect(found.get('c.ts')).toHaveLength(1);
  });

  it('lets a dynamic import() reach back, and passes a tree without cycles', async () => {
    const found = await lint({
      'app.ts': "import { helper } from './helper.ts';\nexport const run = () => helper();\n",
      'helper.ts': "export const helper = async () => (await import('./app.ts')).run;\n",
      'leaf.ts': "import { helper } from './helper.ts';\nexport const leaf = helper;\n",
    });
    expect([...found.values()].flat()).toEqual([]);
  });

  it('is on for the TypeScript files of every layer in the project config', async () => {
    const eslint = new ESLint();
    for (const file of ['core/ticket/ticket.ts', 'renderer/app/app.tsx', 'server/http/app.ts', 'main/services/printer-service.ts', 'tests/core/numbering/numbering.test.ts']) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> };
      expect(config.rules['local/no-import-cycle']?.[0], file).toBe(2);
    }
  });
});
