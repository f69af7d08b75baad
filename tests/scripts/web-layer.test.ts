import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { webLayerPlugin } from '../../scripts/lint/web-layer.js';

const root = '/repo';

/** Lints `code` as if it were the file at `path` under the repository root, with only the web rule on. */
async function lint(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser }, plugins: { web: webLayerPlugin }, rules: { 'web/web-layer': ['error', { root }] } }],
  });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  return result!.messages.map((m) => m.message);
}

describe('web-layer: what a hall web app may import', () => {
  it('lets a web app import core/, web folders and the browser packages', async () => {
    const code = [
      "import { hallApi } from '../../../core/http/contract.ts';",
      "import { useWebText } from '../../web/i18n.ts';",
      "import { x } from './counter-model.ts';",
      "import { y } from '../../live/web/ticket.ts';",
      "import { createRoot } from 'react-dom/client';",
      "import i18next from 'i18next';",
      "import type { z } from 'zod';",
      "import '../../web/base.css';",
      'export { hallApi, useWebText, x, y, createRoot, i18next };',
    ].join('\n');
    expect(await lint('server/calling/web/app.tsx', code)).toEqual([]);
  });

  it('refuses Node builtins, other packages and the server’s Node modules, naming where the import lands', async () => {
    const code = [
      "import { readFile } from 'node:fs';",
      "import Fastify from 'fastify';",
      "import { registerCallingRoutes } from '../routes.ts';",
      "import { ApiError } from '../../http/api-error.ts';",
      "export const z = import('../../../main/host/host-main.ts');",
      "export * from '../../db/schema.ts';",
      'export { readFile, Fastify, registerCallingRoutes, ApiError };',
    ].join('\n');
    const messages = await lint('server/calling/web/app.tsx', code);
    expect(messages).toHaveLength(6);
    expect(messages[0]).toContain("'node:fs': a web app may import only react");
    expect(messages[1]).toContain("'fastify'");
    expect(messages[2]).toContain('is server/calling/routes.ts');
    expect(messages[3]).toContain('is server/http/api-error.ts');
    expect(messages[4]).toContain('is main/host/host-main.ts');
    expect(messages[5]).toContain('is server/db/schema.ts');
  });

  it('holds for the shared folder server/web too', async () => {
    expect(await lint('server/web/hall-client.ts', "import { x } from '../http/html.ts';\nexport { x };")).toEqual([expect.stringContaining('is server/http/html.ts')]);
  });
});
